using System.Text;

namespace JinanDataOps.LoadDriver.Reports;

public static class ReportWriter
{
    /// <summary>Writes report.md, report.csv, report.html and charts/*.svg into <paramref name="folder"/>
    /// (created when missing); returns the paths written.</summary>
    public static IReadOnlyList<string> Write(RunReport report, string folder)
    {
        Directory.CreateDirectory(Path.Combine(folder, "charts"));
        var utf8 = new UTF8Encoding(false);
        var written = new List<string>();
        void Put(string name, string text)
        {
            var path = Path.Combine(folder, name);
            File.WriteAllText(path, text, utf8);
            written.Add(path);
        }
        Put("report.md", MarkdownReport.Render(report));
        Put("report.csv", CsvReport.Render(report));
        Put("report.html", HtmlReport.Render(report));
        foreach (var s in report.Scenarios)
        {
            Put(Path.Combine("charts", $"{Charts.Slug(s.Name)}-latency.svg"), Charts.Latency(s));
            Put(Path.Combine("charts", $"{Charts.Slug(s.Name)}-rps.svg"), Charts.Rps(s));
        }
        return written;
    }
}
