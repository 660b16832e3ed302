using System.Net;
using System.Text;

namespace JinanDataOps.LoadDriver.Reports;

/// <summary>One self-contained HTML file: inline CSS, inline SVG charts, no script and nothing fetched.</summary>
public static class HtmlReport
{
    public static string Render(RunReport r)
    {
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(r.Title)).Append("</title><style>")
            .Append("body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:8px 0 16px}")
            .Append("td,th{border:1px solid #ccc;padding:3px 7px;text-align:right;font-size:13px}td:first-child,th:first-child{text-align:left}")
            .Append(".pass{color:#2d7d46}.fail{color:#b3261e;font-weight:bold}.meta{color:#555}svg{display:block;margin:6px 0}")
            .Append("</style></head><body>");
        h.Append("<h1>").Append(E(r.Title)).Append("</h1><ul class=\"meta\">")
            .Append($"<li>run <code>{E(r.RunId)}</code>, started {r.StartedAt:yyyy-MM-dd HH:mm:ss} UTC, {r.Elapsed.TotalSeconds:0} s in all</li>")
            .Append($"<li>against {E(r.Target)}</li><li>machine: {E(r.Machine.ToString())}</li><li>command: <code>{E(r.CommandLine)}</code></li></ul>");
        h.Append($"<p class=\"{(r.Passed ? "pass" : "fail")}\">{(r.Passed ? "Passed" : "FAILED")}: {r.Verdicts.Count(v => v.Passed)} of {r.Verdicts.Count} verdicts hold.</p>");
        if (r.Verdicts.Count > 0)
        {
            h.Append("<h2>Thresholds and checks</h2><table><tr><th></th><th>kind</th><th>subject</th><th>rule</th><th>actual</th></tr>");
            foreach (var v in r.Verdicts)
                h.Append($"<tr class=\"{(v.Passed ? "pass" : "fail")}\"><td>{(v.Passed ? "✔" : "✘")}</td><td>{E(v.Kind)}</td><td>{E(v.Subject)}</td><td>{E(v.Rule)}</td><td>{E(v.Actual)}</td></tr>");
            h.Append("</table>");
        }
        foreach (var s in r.Scenarios)
        {
            h.Append("<h2>").Append(E(s.Name)).Append("</h2>");
            if (s.Description.Length > 0) h.Append("<p>").Append(E(s.Description)).Append("</p>");
            h.Append("<p class=\"meta\">Load: ").Append(E(s.Load)).Append(". ").Append(E(Rows.Rate(s))).Append(".</p>");
            h.Append("<table><tr>").Append(string.Concat(Rows.Header.Select(c => $"<th>{E(c)}</th>"))).Append("</tr>");
            foreach (var step in Rows.Of(s)) h.Append("<tr>").Append(string.Concat(Rows.Cells(step).Select(c => $"<td>{E(c)}</td>"))).Append("</tr>");
            h.Append("</table>");
            foreach (var f in Rows.Of(s).Where(x => x.FirstFailure is not null))
                h.Append("<p class=\"meta\">First failure of ").Append(E(f.Step)).Append(": ").Append(E(f.FirstFailure!)).Append("</p>");
            h.Append(Charts.Latency(s)).Append(Charts.Rps(s));
        }
        if (r.Notes.Count > 0)
        {
            h.Append("<h2>Notes</h2><ul>");
            foreach (var n in r.Notes) h.Append("<li>").Append(E(n)).Append("</li>");
            h.Append("</ul>");
        }
        return h.Append("</body></html>").ToString();
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
