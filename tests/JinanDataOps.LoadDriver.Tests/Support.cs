using HdrHistogram;

namespace JinanDataOps.LoadDriver.Tests;

/// <summary>Made-up results for the threshold and report tests.</summary>
internal static class Fake
{
    public static StepStats Step(string name, long ok, long fail, params double[] okLatenciesMs)
    {
        var h = new LongHistogram(3_600_000_000, 3);
        foreach (var ms in okLatenciesMs) h.RecordValue((long)(ms * 1000));
        var latency = h.TotalCount == 0 ? null : new LatencySummary(h.GetValueAtPercentile(0) / 1000.0, h.GetMean() / 1000.0, h.GetMaxValue() / 1000.0,
            h.GetValueAtPercentile(50) / 1000.0, h.GetValueAtPercentile(75) / 1000.0, h.GetValueAtPercentile(95) / 1000.0, h.GetValueAtPercentile(99) / 1000.0);
        return new StepStats(name, ok, fail, TimeSpan.FromSeconds(10), latency, null,
            new SortedDictionary<string, long> { ["201"] = ok, ["409"] = fail }, ok * 100, fail > 0 ? "409: refused, \"quoted\", with a comma" : null,
            [new SeriesPoint(0, ok / 2, fail, 5, 9), new SeriesPoint(1, 0, 0, null, null), new SeriesPoint(2, ok - ok / 2, 0, 6, 12)], h);
    }

    /// <summary>A scenario whose iterations and steps are given.</summary>
    public static ScenarioReport Scenario(string name, StepStats iterations, params StepStats[] steps) =>
        new(name, $"{name} does things <b>bold</b>", "keep-constant 2 copies for 10s", TimeSpan.FromSeconds(10), iterations,
            Step("(all calls)", steps.Sum(s => s.Ok), steps.Sum(s => s.Fail), 1, 2, 3), steps, null, null, 0, null);

    public static RunReport Run(params ScenarioReport[] scenarios) =>
        new("r0000001", "A load test", "http://localhost:5080", "load-tests/run.sh x --base http://localhost:5080",
            new DateTimeOffset(2026, 12, 1, 18, 0, 0, TimeSpan.Zero), TimeSpan.FromSeconds(12), new MachineInfo("vm", 2, "Debian", ".NET 10", 24), scenarios,
            [new Verdict("threshold", "s/register", "p99<25ms", false, "31.0 ms"), new Verdict("check", "s", "every violator is suspended", true, "3 of 3")],
            ["a note"]);
}
