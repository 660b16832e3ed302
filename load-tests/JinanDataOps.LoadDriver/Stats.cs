using HdrHistogram;

namespace JinanDataOps.LoadDriver;

/// <summary>Latency in milliseconds.</summary>
public sealed record LatencySummary(double Min, double Mean, double Max, double P50, double P75, double P95, double P99);

/// <summary>One second of a step: answers counted in it, and the p50/p99 of its ok answers (ms).</summary>
public sealed record SeriesPoint(int Second, long Ok, long Fail, double? P50, double? P99);

/// <summary>A step's figures over the measured run (the warm-up excluded).</summary>
public sealed record StepStats(
    string Step, long Ok, long Fail, TimeSpan Duration, LatencySummary? Latency, LatencySummary? FailLatency,
    IReadOnlyDictionary<string, long> Statuses, long Bytes, string? FirstFailure, IReadOnlyList<SeriesPoint> Series,
    HistogramBase OkHistogram)
{
    public long Total => Ok + Fail;

    /// <summary>Failed answers as a percentage of all answers (0 when there were none).</summary>
    public double FailPercent => Total == 0 ? 0 : Fail * 100.0 / Total;

    /// <summary>Ok answers per second of the measured run.</summary>
    public double Rps => Duration.TotalSeconds <= 0 ? 0 : Ok / Duration.TotalSeconds;
}

/// <summary>One scenario's results: its load, its steps and its iterations; under open load also the rate
/// asked for, the rate achieved and how late the driver started iterations (its own health).</summary>
public sealed record ScenarioReport(
    string Name, string Description, string Load, TimeSpan Duration, StepStats? Iterations, StepStats? AllCalls, IReadOnlyList<StepStats> Steps,
    double? TargetRate, double? AchievedRate, long Skipped, LatencySummary? DispatchLag)
{
    /// <summary>The lines of its table: whole iterations, then each step, then every call together.</summary>
    public IEnumerable<StepStats> Lines()
    {
        if (Iterations is { } it) yield return it;
        foreach (var step in Steps) yield return step;
        if (AllCalls is { } all) yield return all;
    }
}

/// <summary>A verdict of the run: a threshold or a scenario's own check (e.g. "every violator is suspended").</summary>
public sealed record Verdict(string Kind, string Subject, string Rule, bool Passed, string Actual);

public sealed record MachineInfo(string Host, int Cores, string Os, string Runtime, double? MemoryGiB)
{
    public static MachineInfo Current()
    {
        double? memory = null;
        try
        {
            var info = GC.GetGCMemoryInfo();
            memory = info.TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        }
        catch (InvalidOperationException)
        {
            // Not available on this runtime: the report leaves it out.
        }
        return new MachineInfo(Environment.MachineName, Environment.ProcessorCount, System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            $".NET {Environment.Version}", memory);
    }

    public override string ToString() =>
        $"{Host}: {Cores} cores{(MemoryGiB is { } m ? $", {m:0} GiB" : "")}, {Os}, {Runtime}";
}

/// <summary>The whole run, as every report renders it.</summary>
public sealed record RunReport(
    string RunId, string Title, string Target, string CommandLine, DateTimeOffset StartedAt, TimeSpan Elapsed, MachineInfo Machine,
    IReadOnlyList<ScenarioReport> Scenarios, IReadOnlyList<Verdict> Verdicts, IReadOnlyList<string> Notes)
{
    public bool Passed => Verdicts.All(v => v.Passed);

    /// <summary>This run followed by another stage of it (run after it, on the same platform): one report.</summary>
    public RunReport Then(RunReport next) => this with
    {
        Elapsed = Elapsed + next.Elapsed,
        Scenarios = [.. Scenarios, .. next.Scenarios],
        Verdicts = [.. Verdicts, .. next.Verdicts],
        Notes = [.. Notes, .. next.Notes],
    };
}
