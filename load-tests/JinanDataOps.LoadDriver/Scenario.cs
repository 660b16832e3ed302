namespace JinanDataOps.LoadDriver;

/// <summary>Set-up before the load: shared fixtures (tokens, a dataset, provisioned operators).</summary>
public sealed record InitContext(string RunId, Action<string> Note, CancellationToken Cancellation);

/// <summary>After the load: <paramref name="Data"/> is what init returned; checks become verdicts of the run.</summary>
public sealed record CleanContext(string RunId, object? Data, Action<string> Note, CancellationToken Cancellation);

/// <summary>A scenario: what one copy does in one iteration (its named steps), the load over time, the
/// warm-up, set-up and clean-up, and the thresholds its figures must meet.</summary>
public sealed record Scenario(string Name, Func<IterationContext, Task> Run)
{
    public string Description { get; init; } = "";

    /// <summary>Runs once before the warm-up; its result is every iteration's <see cref="IterationContext.Data"/>.</summary>
    public Func<InitContext, Task<object?>>? Init { get; init; }

    /// <summary>Runs once after the load; its verdicts (checks of the platform's final state) join the thresholds.</summary>
    public Func<CleanContext, Task<IReadOnlyList<Verdict>>>? Clean { get; init; }

    /// <summary>The first part of the load, run first and not recorded (JIT, connection pools, caches).</summary>
    public TimeSpan WarmUp { get; init; }

    public IReadOnlyList<LoadSimulation> Load { get; init; } = [];

    public IReadOnlyList<Threshold> Thresholds { get; init; } = [];

    /// <summary>How long iterations still running at the end of the load may finish before they are cancelled
    /// (a cancelled one counts as cut, neither ok nor failed).</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Open load: iterations in flight beyond this are not started but counted as skipped, so a
    /// platform that stops answering cannot make the driver exhaust its sockets and memory.</summary>
    public int MaxInFlight { get; init; } = 10_000;

    public Scenario WithLoad(params LoadSimulation[] load) => this with { Load = load };
    public Scenario WithThresholds(params string[] thresholds) =>
        this with { Thresholds = [.. Thresholds, .. thresholds.Select(t => Threshold.Parse(t, Name))] };
}
