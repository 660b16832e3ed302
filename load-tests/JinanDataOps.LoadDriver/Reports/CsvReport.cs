using System.Globalization;
using System.Text;

namespace JinanDataOps.LoadDriver.Reports;

/// <summary>One row per scenario and step (RFC 4180), then one per verdict: for spreadsheets and scripts.</summary>
public static class CsvReport
{
    public static string Render(RunReport r)
    {
        var csv = new StringBuilder();
        Line(csv, ["run", "scenario", .. Rows.Header, "target rate/s", "achieved rate/s"]);
        foreach (var s in r.Scenarios)
            foreach (var step in Rows.Of(s))
                Line(csv, [r.RunId, s.Name, .. Rows.Cells(step).Select(c => c == "—" ? "" : c),
                    s.TargetRate?.ToString("0.##", CultureInfo.InvariantCulture) ?? "", s.AchievedRate?.ToString("0.##", CultureInfo.InvariantCulture) ?? ""]);
        csv.AppendLine();
        Line(csv, ["run", "verdict", "kind", "subject", "rule", "actual"]);
        foreach (var v in r.Verdicts) Line(csv, [r.RunId, v.Passed ? "passed" : "failed", v.Kind, v.Subject, v.Rule, v.Actual]);
        return csv.ToString();
    }

    private static void Line(StringBuilder csv, IEnumerable<string> cells) =>
        csv.Append(string.Join(",", cells.Select(Quote))).Append("\r\n");

    internal static string Quote(string cell) =>
        cell.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + cell.Replace("\"", "\"\"") + "\"" : cell;
}
