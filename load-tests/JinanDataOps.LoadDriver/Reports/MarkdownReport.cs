using System.Text;

namespace JinanDataOps.LoadDriver.Reports;

public static class MarkdownReport
{
    /// <param name="chartsFolder">Relative folder of the SVG charts, linked as images; null leaves them out.</param>
    public static string Render(RunReport r, string? chartsFolder = "charts")
    {
        var md = new StringBuilder();
        md.AppendLine($"# {r.Title}");
        md.AppendLine();
        md.AppendLine($"- run `{r.RunId}`, started {r.StartedAt:yyyy-MM-dd HH:mm:ss} UTC, {r.Elapsed.TotalSeconds:0} s in all");
        md.AppendLine($"- against {r.Target}");
        md.AppendLine($"- machine: {r.Machine}");
        md.AppendLine($"- command: `{r.CommandLine}`");
        md.AppendLine($"- result: **{(r.Passed ? "passed" : "FAILED")}** ({r.Verdicts.Count(v => v.Passed)} of {r.Verdicts.Count} verdicts hold)");
        md.AppendLine();
        if (r.Verdicts.Count > 0)
        {
            md.AppendLine("## Thresholds and checks");
            md.AppendLine();
            md.AppendLine("| | kind | subject | rule | actual |");
            md.AppendLine("|---|---|---|---|---|");
            foreach (var v in r.Verdicts)
                md.AppendLine($"| {(v.Passed ? "✔" : "✘")} | {v.Kind} | {Cell(v.Subject)} | {Cell(v.Rule)} | {Cell(v.Actual)} |");
            md.AppendLine();
        }
        foreach (var s in r.Scenarios)
        {
            md.AppendLine($"## {s.Name}");
            md.AppendLine();
            if (s.Description.Length > 0) md.AppendLine(s.Description).AppendLine();
            md.AppendLine($"Load: {s.Load}. {Rows.Rate(s)}.");
            md.AppendLine();
            md.AppendLine("| " + string.Join(" | ", Rows.Header) + " |");
            md.AppendLine("|" + string.Concat(Enumerable.Repeat("---|", Rows.Header.Length)));
            foreach (var step in Rows.Of(s)) md.AppendLine("| " + string.Join(" | ", Rows.Cells(step).Select(Cell)) + " |");
            md.AppendLine();
            var failures = Rows.Of(s).Where(x => x.FirstFailure is not null).ToArray();
            if (failures.Length > 0)
            {
                md.AppendLine("First failure of each step:");
                md.AppendLine();
                foreach (var f in failures) md.AppendLine($"- {f.Step}: {f.FirstFailure}");
                md.AppendLine();
            }
            if (chartsFolder is not null)
            {
                var slug = Charts.Slug(s.Name);
                md.AppendLine($"![{s.Name}: latency over time]({chartsFolder}/{slug}-latency.svg)");
                md.AppendLine($"![{s.Name}: answers per second]({chartsFolder}/{slug}-rps.svg)");
                md.AppendLine();
            }
        }
        if (r.Notes.Count > 0)
        {
            md.AppendLine("## Notes");
            md.AppendLine();
            foreach (var n in r.Notes) md.AppendLine($"- {n}");
        }
        return md.ToString();
    }

    private static string Cell(string s) => s.Replace("|", "\\|").Replace("\n", " ");
}
