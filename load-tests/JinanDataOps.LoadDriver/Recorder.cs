using System.Collections.Concurrent;
using HdrHistogram;

namespace JinanDataOps.LoadDriver;

/// <summary>Counts one step (or a scenario's whole iterations): ok and failed latencies in HdrHistograms
/// (microseconds, 3 significant digits, up to an hour), status codes, bytes, and the same per second of the
/// run for the charts. One lock per step: a few microseconds against requests of milliseconds.</summary>
internal sealed class StepRecorder(string name, long origin)
{
    private const long Highest = 3_600_000_000; // an hour in µs
    private readonly object _gate = new();
    private readonly LongHistogram _ok = new(Highest, 3);
    private readonly LongHistogram _fail = new(Highest, 3);
    private readonly Dictionary<string, long> _statuses = new(StringComparer.Ordinal);
    private readonly List<Second?> _seconds = [];
    private long _bytes;
    private string? _firstFailure;

    public string Name { get; } = name;

    private sealed class Second
    {
        public long Ok, Fail;
        public readonly LongHistogram Latency = new(Highest, 2);
    }

    public void Record(StepReply reply, long ticks, long at)
    {
        var us = Math.Clamp((long)(Clock.Span(ticks).TotalMicroseconds), 1, Highest);
        var second = (int)Math.Max(0, Clock.Span(at - origin).TotalSeconds);
        lock (_gate)
        {
            (reply.Ok ? _ok : _fail).RecordValue(us);
            _statuses[reply.Status] = _statuses.GetValueOrDefault(reply.Status) + 1;
            _bytes += reply.Bytes;
            if (!reply.Ok) _firstFailure ??= $"{reply.Status}{(reply.Message is { } m ? $": {Shorten(m)}" : "")}";
            while (_seconds.Count <= second) _seconds.Add(null);
            var s = _seconds[second] ??= new Second();
            if (reply.Ok)
            {
                s.Ok++;
                s.Latency.RecordValue(us);
            }
            else s.Fail++;
        }
    }

    private static string Shorten(string m) => m.Length <= 300 ? m : m[..300] + "…";

    public StepStats Snapshot(TimeSpan duration)
    {
        lock (_gate)
        {
            var series = _seconds.Select((s, i) => s is null
                ? new SeriesPoint(i, 0, 0, null, null)
                : new SeriesPoint(i, s.Ok, s.Fail, s.Ok > 0 ? Ms(s.Latency, 50) : null, s.Ok > 0 ? Ms(s.Latency, 99) : null)).ToArray();
            return new StepStats(Name, _ok.TotalCount, _fail.TotalCount, duration, Summary(_ok), Summary(_fail),
                new SortedDictionary<string, long>(_statuses, StringComparer.Ordinal), _bytes, _firstFailure, series, _ok.Copy());
        }
    }

    internal static double Ms(HistogramBase h, double percentile) => h.GetValueAtPercentile(percentile) / 1000.0;

    internal static LatencySummary? Summary(HistogramBase h) => h.TotalCount == 0 ? null : new LatencySummary(
        h.GetValueAtPercentile(0) / 1000.0, h.GetMean() / 1000.0, h.GetMaxValue() / 1000.0,
        Ms(h, 50), Ms(h, 75), Ms(h, 95), Ms(h, 99));
}

/// <summary>Everything one scenario records. Nothing is recorded during its warm-up.</summary>
internal sealed class ScenarioRecorder(string scenario)
{
    /// <summary>The scenario-level line: whole iterations, as NBomber reports its scenarios.</summary>
    public const string IterationStep = "(iteration)";

    /// <summary>The answers of every step run through <see cref="IterationContext.Step"/> together: the calls the
    /// platform answered, charted over time. Waits counted with <see cref="IterationContext.Record"/> (how late a
    /// timer fired) are observations, not calls, and stay out of it.</summary>
    public const string AllCalls = "(all calls)";

    private readonly ConcurrentDictionary<string, StepRecorder> _steps = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly LongHistogram _dispatchLag = new(3_600_000_000, 3);
    private long _origin = Clock.Now;
    private long _started;
    private long _skipped;

    public string Scenario { get; } = scenario;
    public volatile bool Recording;

    /// <summary>Running totals for the live progress, counted even during the warm-up.</summary>
    public long LiveOk, LiveFail, LiveInFlight;

    public void Begin()
    {
        _origin = Clock.Now;
        Recording = true;
    }

    public long Origin => _origin;

    public void Record(string step, StepReply reply, long ticks, bool call = true)
    {
        if (!Recording) return;
        if (!_steps.TryGetValue(step, out var recorder))
        {
            // Under the lock, so two first answers of a step at once make one recorder and one line.
            lock (_order)
            {
                recorder = _steps.GetOrAdd(step, s => new StepRecorder(s, _origin));
                if (!_order.Contains(step)) _order.Add(step);
            }
        }
        var now = Clock.Now;
        recorder.Record(reply, ticks, now);
        if (call && step != IterationStep) _steps.GetOrAdd(AllCalls, s => new StepRecorder(s, _origin)).Record(reply, ticks, now);
    }

    public void Iteration(bool ok, string status, long ticks, string? message)
    {
        if (ok) Interlocked.Increment(ref LiveOk);
        else Interlocked.Increment(ref LiveFail);
        Record(IterationStep, ok ? StepReply.Success(status) : StepReply.Failure(status, message), ticks, call: false);
    }

    /// <summary>Open load: an iteration started <paramref name="lagTicks"/> after it was due.</summary>
    public void Started(long lagTicks)
    {
        if (!Recording) return;
        Interlocked.Increment(ref _started);
        lock (_dispatchLag) _dispatchLag.RecordValue(Math.Clamp((long)Clock.Span(lagTicks).TotalMicroseconds, 0, 3_600_000_000));
    }

    /// <summary>Open load: an iteration that was due but not started (the driver's in-flight cap was reached).</summary>
    public void Skipped()
    {
        if (Recording) Interlocked.Increment(ref _skipped);
    }

    public (IReadOnlyList<StepStats> Steps, StepStats? Iterations, StepStats? All, long Started, long Skipped, LatencySummary? Lag) Snapshot(TimeSpan duration)
    {
        string[] order;
        lock (_order) order = [.. _order];
        var steps = order.Where(s => s != IterationStep).Select(s => _steps[s].Snapshot(duration)).ToArray();
        var iterations = _steps.TryGetValue(IterationStep, out var it) ? it.Snapshot(duration) : null;
        var all = _steps.TryGetValue(AllCalls, out var a) ? a.Snapshot(duration) : null;
        LatencySummary? lag;
        lock (_dispatchLag) lag = StepRecorder.Summary(_dispatchLag);
        return (steps, iterations, all, Interlocked.Read(ref _started), Interlocked.Read(ref _skipped), lag);
    }
}
