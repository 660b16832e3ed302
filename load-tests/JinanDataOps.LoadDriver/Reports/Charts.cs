namespace JinanDataOps.LoadDriver.Reports;

/// <summary>The two charts of each scenario, from its every-step series: latency and answers per second over time.</summary>
public static class Charts
{
    public static string Latency(ScenarioReport s) => SvgChart.Lines(
        $"{s.Name}: latency over time (every call, ok answers)", "seconds into the measured load", "ms",
        s.AllCalls is not { } all ? [] :
        [
            new SvgChart.Series("p50", "#2b7bba", [.. all.Series.Select(p => ((double)p.Second, p.P50))]),
            new SvgChart.Series("p99", "#d1495b", [.. all.Series.Select(p => ((double)p.Second, p.P99))]),
        ]);

    public static string Rps(ScenarioReport s) => SvgChart.Lines(
        $"{s.Name}: answers per second (every call)", "seconds into the measured load", "answers/s",
        s.AllCalls is not { } all ? [] :
        [
            new SvgChart.Series("ok", "#3a9d5d", [.. all.Series.Select(p => ((double)p.Second, (double?)p.Ok))]),
            new SvgChart.Series("failed", "#d1495b", [.. all.Series.Select(p => ((double)p.Second, (double?)p.Fail))]),
        ]);

    /// <summary>A file-name-safe form of a scenario's name.</summary>
    public static string Slug(string name) => new([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-')]);
}
