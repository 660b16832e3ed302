using JinanDataOps.LoadDriver.Reports;

namespace JinanDataOps.LoadDriver.Tests;

public class ReportTests
{
    private static readonly RunReport Report = Fake.Run(
        Fake.Scenario("operator-lifecycle", Fake.Step("(iteration)", 9, 1, 500, 600), Fake.Step("register", 10, 0, 10, 20), Fake.Step("apply", 9, 1, 30)),
        Fake.Scenario("sandbox violations", Fake.Step("(iteration)", 3, 0, 40), Fake.Step("suspended (detection)", 3, 0, 40)) with
        {
            TargetRate = 0.5, AchievedRate = 0.5, DispatchLag = new LatencySummary(0.1, 0.2, 1.5, 0.2, 0.3, 0.9, 1.2), Skipped = 2,
        });

    [Fact]
    public void Markdown_states_the_machine_the_verdicts_and_every_step_with_its_charts()
    {
        var md = MarkdownReport.Render(Report);
        Assert.Contains("- machine: vm: 2 cores, 24 GiB, Debian, .NET 10", md);
        Assert.Contains("- result: **FAILED** (1 of 2 verdicts hold)", md);
        Assert.Contains("| ✘ | threshold | s/register | p99<25ms | 31.0 ms |", md);
        Assert.Contains("| register | 10 | 0 | 0 | 1 | 10.0 | 15.0 | 10.0 | 20.0 | 20.0 | 20.0 | 20.0 | 1000 | 201×10 409×0 |", md);
        Assert.Contains("- apply: 409: refused, \"quoted\", with a comma", md);
        Assert.Contains("target 0.5/s, achieved 0.5/s (100 %); dispatch lag p50 0.20 ms, p99 1.20 ms, max 1.50 ms; 2 not started (in-flight cap)", md);
        Assert.Contains("![operator-lifecycle: latency over time](charts/operator-lifecycle-latency.svg)", md);
        Assert.Contains("![sandbox violations: answers per second](charts/sandbox-violations-rps.svg)", md);
        Assert.Contains("- a note", md);
    }

    [Fact]
    public void Csv_has_one_row_per_step_and_per_verdict_quoted_where_needed()
    {
        var lines = CsvReport.Render(Report).Split("\r\n");
        Assert.StartsWith("run,scenario,step,ok,failed,fail %,ok/s,min ms,", lines[0]);
        // 4 + 3 step lines (iterations, steps, all calls), then 2 verdicts.
        Assert.Equal(9, lines.Count(l => l.StartsWith("r0000001,", StringComparison.Ordinal)));
        Assert.Contains("r0000001,operator-lifecycle,apply,9,1,10,0.9,30.0,30.0,30.0,30.0,30.0,30.0,30.0,900,201×9 409×1,,", lines);
        Assert.Contains("r0000001,sandbox violations,suspended (detection),3,0,0,0.3,40.0,40.0,40.0,40.0,40.0,40.0,40.0,300,201×3 409×0,0.5,0.5", lines);
        Assert.Contains("r0000001,failed,threshold,s/register,p99<25ms,31.0 ms", lines);
        Assert.Equal("\"a,b\"", CsvReport.Quote("a,b"));
        Assert.Equal("\"say \"\"no\"\"\"", CsvReport.Quote("say \"no\""));
    }

    [Fact]
    public void Html_is_one_self_contained_file_with_both_charts_of_every_scenario()
    {
        var html = HtmlReport.Render(Report);
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain(" src=", html);
        Assert.DoesNotContain("<link", html);
        Assert.Equal(4, html.Split("<svg").Length - 1);
        Assert.Contains("latency over time", html);
        Assert.Contains("answers per second", html);
        Assert.Contains("&lt;b&gt;bold&lt;/b&gt;", html); // a description is text, never markup
        Assert.Contains("class=\"fail\"", html);
    }

    [Fact]
    public void The_writer_puts_the_three_reports_and_the_charts_in_the_folder_it_is_given()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"jdo-report-{Guid.NewGuid():N}", "nested");
        try
        {
            var written = ReportWriter.Write(Report, folder);
            foreach (var name in new[] { "report.md", "report.csv", "report.html", "charts/operator-lifecycle-latency.svg", "charts/sandbox-violations-rps.svg" })
                Assert.True(File.Exists(Path.Combine(folder, name)), name);
            Assert.Equal(7, written.Count);
            Assert.StartsWith("<svg", File.ReadAllText(Path.Combine(folder, "charts", "operator-lifecycle-rps.svg")));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
    }

    [Fact]
    public void A_chart_breaks_its_line_where_a_second_has_no_value_and_draws_a_lone_point_as_a_dot()
    {
        var svg = SvgChart.Lines("t", "x", "y", [new SvgChart.Series("p50", "#000", [(0, 1.0), (1, null), (2, 2.0), (3, 4.0)])]);
        var path = svg[(svg.IndexOf("<path d=\"", StringComparison.Ordinal) + 9)..];
        path = path[..path.IndexOf('"')];
        Assert.Equal(2, path.Count(c => c == 'M')); // the gap lifts the pen: (0) alone, then (2)–(3)
        Assert.Equal(1, path.Count(c => c == 'L'));
        Assert.Equal(3, svg.Split("<circle").Length - 1);
        Assert.Equal(5, SvgChart.Nice(4.2));
        Assert.Equal(1000, SvgChart.Nice(999));
        Assert.Equal(0.2, SvgChart.Nice(0.15), 9);
    }
}
