namespace JinanDataOps.LoadDriver;

/// <summary>How a scenario is loaded over time, phase after phase (NBomber's load simulations).
/// Closed load fixes how many copies of the scenario run at once: a copy starts its next iteration when the
/// last one ends, so the load backs off when the platform slows down (and hides its queueing: coordinated
/// omission). Open load fixes how many iterations start per second whatever the platform does, which is how
/// users arrive; latency is then measured from the instant an iteration was due, not from when it started.</summary>
public abstract record LoadSimulation(TimeSpan During)
{
    /// <summary>Closed: exactly <paramref name="Copies"/> copies for the phase.</summary>
    public sealed record KeepConstant(int Copies, TimeSpan During) : LoadSimulation(During);

    /// <summary>Closed: the number of copies moves linearly from the previous phase's to <paramref name="Copies"/>.</summary>
    public sealed record RampingConstant(int Copies, TimeSpan During) : LoadSimulation(During);

    /// <summary>Open: <paramref name="Rate"/> iterations per <paramref name="Interval"/>, evenly spaced.</summary>
    public sealed record Inject(double Rate, TimeSpan Interval, TimeSpan During) : LoadSimulation(During);

    /// <summary>Open: the rate moves linearly from the previous phase's to <paramref name="Rate"/> per <paramref name="Interval"/>.</summary>
    public sealed record RampingInject(double Rate, TimeSpan Interval, TimeSpan During) : LoadSimulation(During);

    /// <summary>Nothing starts for the phase (a ramp after it starts again from zero).</summary>
    public sealed record Pause(TimeSpan During) : LoadSimulation(During);

    public bool IsOpen => this is Inject or RampingInject;
    public bool IsClosed => this is KeepConstant or RampingConstant;

    public sealed override string ToString() => this switch
    {
        KeepConstant k => $"keep-constant {k.Copies} copies for {Durations.Format(During)}",
        RampingConstant r => $"ramping-constant to {r.Copies} copies over {Durations.Format(During)}",
        Inject i => $"inject {i.Rate:0.##} per {Durations.Format(i.Interval)} for {Durations.Format(During)}",
        RampingInject r => $"ramping-inject to {r.Rate:0.##} per {Durations.Format(r.Interval)} over {Durations.Format(During)}",
        Pause => $"pause for {Durations.Format(During)}",
        _ => GetType().Name,
    };
}

/// <summary>The phases of one scenario, checked once: all closed or all open (pauses fit either), positive
/// durations, non-negative levels. Pure: when copies run and when iterations start are functions of time.</summary>
public sealed class LoadPlan
{
    public IReadOnlyList<LoadSimulation> Phases { get; }
    public bool IsOpen { get; }
    public TimeSpan Duration { get; }

    public LoadPlan(IReadOnlyList<LoadSimulation> phases)
    {
        if (phases.Count == 0) throw new ArgumentException("A scenario needs at least one load simulation.");
        foreach (var p in phases)
        {
            if (p.During <= TimeSpan.Zero) throw new ArgumentException($"'{p}': a phase must last a positive time.");
            switch (p)
            {
                case LoadSimulation.KeepConstant { Copies: < 0 } or LoadSimulation.RampingConstant { Copies: < 0 }:
                    throw new ArgumentException($"'{p}': copies must not be negative.");
                case LoadSimulation.Inject i when i.Rate < 0 || i.Interval <= TimeSpan.Zero:
                case LoadSimulation.RampingInject r when r.Rate < 0 || r.Interval <= TimeSpan.Zero:
                    throw new ArgumentException($"'{p}': the rate must not be negative and the interval must be positive.");
            }
        }
        if (phases.Any(p => p.IsOpen) && phases.Any(p => p.IsClosed))
            throw new ArgumentException("A scenario's load is either closed (copies) or open (injection), not both: split it into two scenarios.");
        Phases = phases;
        IsOpen = phases.Any(p => p.IsOpen);
        Duration = phases.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.During);
    }

    /// <summary>The first <paramref name="length"/> of this plan (the warm-up runs that, unrecorded).</summary>
    public LoadPlan Truncate(TimeSpan length)
    {
        var phases = new List<LoadSimulation>();
        var start = TimeSpan.Zero;
        foreach (var p in Phases)
        {
            var left = length - start;
            if (left <= TimeSpan.Zero) break;
            var cut = p.During <= left ? p : p switch
            {
                // A truncated ramp stops where it has got to, not at its target.
                LoadSimulation.RampingConstant r => r with { Copies = CopiesAt(start + left), During = left },
                LoadSimulation.RampingInject r => r with { Rate = RateAt(start + left) * r.Interval.TotalSeconds, During = left },
                _ => p with { During = left },
            };
            phases.Add(cut);
            start += p.During;
        }
        return new LoadPlan(phases);
    }

    private static double Level(double from, double to, double fraction) => from + (to - from) * fraction;

    /// <summary>Open load: the rate per second asked for at <paramref name="t"/> after the start.</summary>
    public double RateAt(TimeSpan t)
    {
        var start = TimeSpan.Zero;
        double previous = 0;
        foreach (var p in Phases)
        {
            var end = start + p.During;
            var inPhase = t >= start && t < end;
            switch (p)
            {
                case LoadSimulation.Inject i:
                    if (inPhase) return i.Rate / i.Interval.TotalSeconds;
                    previous = i.Rate / i.Interval.TotalSeconds;
                    break;
                case LoadSimulation.RampingInject r:
                    if (inPhase) return Level(previous, r.Rate / r.Interval.TotalSeconds, (t - start) / p.During);
                    previous = r.Rate / r.Interval.TotalSeconds;
                    break;
                default:
                    if (inPhase) return 0;
                    previous = 0;
                    break;
            }
            start = end;
        }
        return 0;
    }

    /// <summary>Closed load: how many copies should run at <paramref name="t"/> after the start (0 after the end).</summary>
    public int CopiesAt(TimeSpan t)
    {
        if (IsOpen) return 0;
        var start = TimeSpan.Zero;
        var previous = 0;
        foreach (var p in Phases)
        {
            var end = start + p.During;
            var inPhase = t >= start && t < end;
            switch (p)
            {
                case LoadSimulation.KeepConstant k:
                    if (inPhase) return k.Copies;
                    previous = k.Copies;
                    break;
                case LoadSimulation.RampingConstant r:
                    if (inPhase) return (int)Math.Round(Level(previous, r.Copies, (t - start) / p.During));
                    previous = r.Copies;
                    break;
                case LoadSimulation.Pause:
                    if (inPhase) return 0;
                    previous = 0;
                    break;
            }
            start = end;
        }
        return 0;
    }

    /// <summary>Open load: the instants (after the start) at which iterations are due, in order. The cumulative
    /// count N(t) is the integral of the rate; the k-th iteration (k = 0, 1, …) is due when N(t) reaches k, so
    /// a phase of r/s for d seconds starts r·d iterations and a ramp follows the rate exactly, phase to phase.</summary>
    public IEnumerable<TimeSpan> Starts()
    {
        if (!IsOpen) yield break;
        var start = TimeSpan.Zero;
        double before = 0; // N at the start of the phase
        double rate = 0;   // per second, at the end of the previous phase
        long k = 0;
        foreach (var p in Phases)
        {
            var d = p.During.TotalSeconds;
            double r0, r1;
            switch (p)
            {
                case LoadSimulation.Inject i:
                    r0 = r1 = i.Rate / i.Interval.TotalSeconds;
                    break;
                case LoadSimulation.RampingInject r:
                    r0 = rate;
                    r1 = r.Rate / r.Interval.TotalSeconds;
                    break;
                default:
                    r0 = r1 = 0;
                    break;
            }
            var after = before + (r0 + r1) / 2 * d;
            // a is half the rate's slope: N(τ) = before + r0·τ + a·τ².
            var a = (r1 - r0) / (2 * d);
            for (; k < after; k++)
            {
                var x = k - before;
                // The root of a·τ² + r0·τ − x = 0 in [0, d], written so it holds for a = 0 and for a falling rate.
                var tau = x <= 0 ? 0 : 2 * x / (r0 + Math.Sqrt(Math.Max(0, r0 * r0 + 4 * a * x)));
                if (double.IsNaN(tau) || tau >= d) break;
                yield return start + TimeSpan.FromSeconds(tau);
            }
            before = after;
            // Keep k in step with whole iterations already due (a phase can end between two of them).
            k = Math.Max(k, (long)Math.Ceiling(before - 1e-9));
            rate = r1;
            start += p.During;
        }
    }

    /// <summary>The rate (per second) this plan asks for on average over its open phases, pauses excluded.</summary>
    public double? TargetRate()
    {
        if (!IsOpen) return null;
        double count = 0, seconds = 0, rate = 0;
        foreach (var p in Phases)
        {
            var d = p.During.TotalSeconds;
            switch (p)
            {
                case LoadSimulation.Inject i:
                    rate = i.Rate / i.Interval.TotalSeconds;
                    count += rate * d;
                    seconds += d;
                    break;
                case LoadSimulation.RampingInject r:
                    var r1 = r.Rate / r.Interval.TotalSeconds;
                    count += (rate + r1) / 2 * d;
                    seconds += d;
                    rate = r1;
                    break;
                default:
                    rate = 0;
                    break;
            }
        }
        return seconds == 0 ? 0 : count / seconds;
    }

    public override string ToString() => string.Join(", then ", Phases);
}
