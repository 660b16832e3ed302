namespace JinanDataOps.Monitoring.Rules;

/// <summary>A <see cref="SlidingCount"/> as data, for snapshots.</summary>
public sealed record SlidingCountState(long StepTicks, long[] Buckets, long Newest, long First, long Sum);

/// <summary>A sum over a sliding window of event time, kept in equal steps (buckets). Events later than
/// the newest step move the window forward; late events inside the window still count; events older
/// than the window are ignored by it. Each step that leaves the window is handed to
/// <see cref="StepClosed"/> (once, in order, empty steps included, none from before the first event),
/// which is how a baseline learns.</summary>
public sealed class SlidingCount(long stepTicks, int steps)
{
    private readonly long[] _buckets = new long[steps];
    private long _newest = long.MinValue; // absolute index of the newest step
    private long _first; // steps before the first event were never observed: they teach nothing
    private long _sum;

    public long Sum => _sum;

    public long StepTicks => stepTicks;

    public int Steps => steps;

    /// <summary>Called with each closed step's total, oldest first; a long gap closes many empty steps,
    /// reported as one call with their number.</summary>
    public Action<long, long>? StepClosed { get; set; }

    /// <summary>Adds <paramref name="amount"/> at <paramref name="at"/>; false when it is older than the window.</summary>
    public bool Add(DateTimeOffset at, long amount)
    {
        var index = at.UtcTicks / stepTicks;
        if (_newest == long.MinValue) _newest = _first = index;
        if (index > _newest) Advance(index);
        else if (index <= _newest - steps) return false;
        _buckets[(int)(index % steps)] += amount;
        _sum += amount;
        return true;
    }

    public SlidingCountState Export() => new(stepTicks, [.. _buckets], _newest, _first, _sum);

    /// <summary>Continues from a snapshot taken with the same geometry; false (and nothing restored) otherwise.</summary>
    public bool Restore(SlidingCountState state)
    {
        if (state.StepTicks != stepTicks || state.Buckets.Length != steps) return false;
        state.Buckets.CopyTo(_buckets, 0);
        (_newest, _first, _sum) = (state.Newest, state.First, state.Sum);
        return true;
    }

    /// <summary>The start of the step <paramref name="at"/> falls in.</summary>
    public DateTimeOffset StepStart(DateTimeOffset at) => new(at.UtcTicks / stepTicks * stepTicks, TimeSpan.Zero);

    private void Advance(long index)
    {
        var gap = index - _newest;
        // Every step that leaves the window closes; beyond a whole window's worth they are all empty.
        var closing = Math.Min(gap, steps);
        for (long i = 1; i <= closing; i++)
        {
            var slot = (int)((_newest + i) % steps);
            var leaving = _buckets[slot];
            if (_newest + i - steps >= _first) StepClosed?.Invoke(leaving, 1);
            _sum -= leaving;
            _buckets[slot] = 0;
        }
        if (gap > steps) StepClosed?.Invoke(0, gap - steps);
        _newest = index;
    }
}
