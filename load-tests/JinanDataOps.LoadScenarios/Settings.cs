namespace JinanDataOps.LoadScenarios;

/// <summary>What the command line sets for the scenarios.</summary>
public sealed record ScenarioSettings
{
    /// <summary>operator-lifecycle: concurrent operators (copies); sandbox-burst: operators whose sandboxes report.</summary>
    public int Operators { get; init; } = 200;
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Reaching the target number of copies takes this long (ramping-constant); zero starts them all at once.</summary>
    public TimeSpan Ramp { get; init; } = TimeSpan.Zero;

    /// <summary>Open load when set: iterations started per second (operators, batches or rounds of reads).</summary>
    public double? Rate { get; init; }

    /// <summary>operator-lifecycle: data requests each operator files (one per application scenario, Art. 13).</summary>
    public int Requests { get; init; } = 3;

    /// <summary>operator-lifecycle: how long each operator's call stays open for applications.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>operator-lifecycle: the public-notice period of the shortlist (Art. 8(3)).</summary>
    public TimeSpan Notice { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>sandbox-burst: concurrent sandboxes posting batches, events per batch, and operators that violate.</summary>
    public int Sandboxes { get; init; } = 8;
    public int Batch { get; init; } = 1000;
    public int Violators { get; init; } = 30;

    /// <summary>command-latency: closed-loop clients of the stage that finds the maximum.</summary>
    public int Clients { get; init; } = 64;

    /// <summary>supervisor-reads: concurrent readers.</summary>
    public int Readers { get; init; } = 16;

    /// <summary>Distinct credit codes per run: a number taken from the run id, so two runs never collide.</summary>
    public static long SerialBase(string runId) => Convert.ToInt64(runId.TrimStart('r')[..6], 16) * 100_000;
}
