using JinanDataOps.Host.Tests.Infrastructure;
using JinanDataOps.LoadScenarios;

namespace JinanDataOps.LoadDriver.Tests;

/// <summary>The real host, started once for the smoke runs.</summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    public HostProcess Host { get; } = new();

    public string Base => Host.BaseAddress.ToString().TrimEnd('/');

    public Task InitializeAsync() => Host.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>Each scenario for a few seconds against the real host, through the binding command line: the
/// report files are written and the thresholds and checks evaluated. The timings are generous (a 10 s
/// application window, patience of a minute inside the scenarios): a busy CI machine slows the platform
/// down, which is what a load test measures, but must not fail a smoke run.</summary>
public sealed class ScenarioSmokeTests(PlatformFixture platform) : IClassFixture<PlatformFixture>
{
    private static readonly string[] Small =
        ["--duration", "2s", "--warmup", "0s", "--operators", "2", "--window", "10s", "--sandboxes", "1", "--batch", "50", "--violators", "2", "--readers", "1"];

    private static string Folder() => Path.Combine(Path.GetTempPath(), $"jdo-load-smoke-{Guid.NewGuid():N}");

    private static void AssertReports(string folder, params string[] scenarios)
    {
        foreach (var name in new[] { "report.md", "report.csv", "report.html" }) Assert.True(File.Exists(Path.Combine(folder, name)), name);
        var md = File.ReadAllText(Path.Combine(folder, "report.md"));
        Assert.Contains("## Thresholds and checks", md);
        Assert.Contains("- result: **passed**", md);
        foreach (var s in scenarios)
        {
            Assert.Contains($"## {s}", md);
            Assert.True(File.Exists(Path.Combine(folder, "charts", $"{s}-latency.svg")), s);
        }
    }

    [Theory]
    [InlineData("operator-lifecycle", new[] { "operator-lifecycle" })]
    [InlineData("supervisor-reads", new[] { "supervisor-reads" })]
    [InlineData("mixed", new[] { "operator-lifecycle", "sandbox-burst", "sandbox-violations", "supervisor-reads" })]
    public async Task A_scenario_runs_against_the_platform_and_writes_its_reports(string scenario, string[] parts)
    {
        var folder = Folder();
        var (code, output) = await CliTests.Run([scenario, "--base", platform.Base, "--report", folder, .. Small]);
        Assert.True(code == ExitCodes.Passed, output);
        AssertReports(folder, parts);
        Assert.Contains("✔ threshold", output);
    }

    [Fact]
    public async Task Sandbox_burst_suspends_every_violator_and_no_innocent_operator()
    {
        var folder = Folder();
        var (code, output) = await CliTests.Run(["sandbox-burst", "--base", platform.Base, "--report", folder, .. Small]);
        Assert.True(code == ExitCodes.Passed, output);
        AssertReports(folder, "sandbox-burst", "sandbox-violations");
        var csv = File.ReadAllText(Path.Combine(folder, "report.csv"));
        Assert.Contains("passed,check,sandbox-violations,every violator's data request is suspended (Art. 13, 15),2 of 2 suspended", csv.Replace("\"", ""));
        Assert.Contains("passed,check,sandbox-burst,no innocent operator is suspended: requests provisioned, agreements active,2 of 2 untouched", csv.Replace("\"", ""));
        Assert.Contains(",sandbox-violations,suspended (detection),2,0,", csv);
    }

    [Fact]
    public async Task Command_latency_finds_the_maximum_then_runs_fractions_of_it_as_fixed_arrival_rates()
    {
        // Two addresses (the same node twice): the requests alternate between the nodes --base names.
        var folder = Folder();
        var (code, output) = await CliTests.Run(["command-latency", "--base", $"{platform.Base},{platform.Base}/", "--report", folder,
            "--duration", "1s", "--warmup", "0s", "--operators", "4", "--clients", "2"]);
        Assert.True(code == ExitCodes.Passed, output);
        AssertReports(folder, "commands-closed-2");
        var md = File.ReadAllText(Path.Combine(folder, "report.md"));
        foreach (var percent in new[] { 25, 50, 75 })
        {
            Assert.Contains($"## commands-at-{percent}%", md);
            Assert.Contains($"The same commands arriving at {percent} % of the maximum the closed stage measured", md);
        }
        Assert.Contains("achieved", md);
    }

    [Fact]
    public async Task A_threshold_that_fails_fails_the_run_with_exit_code_1_and_says_so_in_the_reports()
    {
        var folder = Folder();
        var (code, output) = await CliTests.Run(["supervisor-reads", "--base", platform.Base, "--report", folder, "--threshold", "*/list-calls:p50<0.001ms", "--rate", "2/s", .. Small]);
        Assert.True(code == ExitCodes.ThresholdFailed, output);
        var md = File.ReadAllText(Path.Combine(folder, "report.md"));
        Assert.Contains("- result: **FAILED**", md);
        Assert.Contains("| ✘ | threshold | supervisor-reads/list-calls | */list-calls:p50<0.001ms |", md);
        Assert.Contains("target 2/s, achieved 2/s", md);
        Assert.Contains("class=\"fail\"", File.ReadAllText(Path.Combine(folder, "report.html")));
    }
}
