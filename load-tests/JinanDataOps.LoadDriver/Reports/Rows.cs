using System.Globalization;

namespace JinanDataOps.LoadDriver.Reports;

/// <summary>The per-step table every report shows, formatted once.</summary>
internal static class Rows
{
    public static readonly string[] Header =
        ["step", "ok", "failed", "fail %", "ok/s", "min ms", "mean ms", "p50 ms", "p75 ms", "p95 ms", "p99 ms", "max ms", "bytes", "statuses"];

    public static IEnumerable<StepStats> Of(ScenarioReport s) => s.Lines();

    public static string[] Cells(StepStats s) =>
    [
        s.Step, N(s.Ok), N(s.Fail), $"{s.FailPercent:0.##}", $"{s.Rps:0.#}",
        Ms(s.Latency?.Min), Ms(s.Latency?.Mean), Ms(s.Latency?.P50), Ms(s.Latency?.P75), Ms(s.Latency?.P95), Ms(s.Latency?.P99), Ms(s.Latency?.Max),
        N(s.Bytes), Statuses(s),
    ];

    public static string Statuses(StepStats s) => string.Join(" ", s.Statuses.Select(kv => $"{kv.Key}×{kv.Value}"));

    public static string Ms(double? v) => v is { } x ? x.ToString(x < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) : "—";

    private static string N(long v) => v.ToString(CultureInfo.InvariantCulture);

    public static string Rate(ScenarioReport s) => s.TargetRate is { } target
        ? $"target {target:0.##}/s, achieved {s.AchievedRate ?? 0:0.##}/s ({(target > 0 ? (s.AchievedRate ?? 0) / target * 100 : 0):0.#} %)" +
          (s.DispatchLag is { } lag ? $"; dispatch lag p50 {Ms(lag.P50)} ms, p99 {Ms(lag.P99)} ms, max {Ms(lag.Max)} ms" : "") +
          (s.Skipped > 0 ? $"; {s.Skipped} not started (in-flight cap)" : "")
        : "closed load (copies): the rate is what the platform answered";
}
