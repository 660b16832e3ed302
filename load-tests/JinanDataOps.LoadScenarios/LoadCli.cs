using System.ComponentModel;
using System.Globalization;
using JinanDataOps.LoadDriver;
using JinanDataOps.LoadDriver.Reports;
using JinanDataOps.LoadScenarios.Scenarios;
using Spectre.Console;
using Spectre.Console.Cli;

namespace JinanDataOps.LoadScenarios;

public static class ExitCodes
{
    public const int Passed = 0, ThresholdFailed = 1, Usage = 2, Unavailable = 3, Fault = 4, Interrupted = 130;

    public const string Help = "Exit codes: 0 every threshold and check held, 1 one failed (see the report), 2 bad usage, " +
                               "3 the platform could not be driven (unreachable, not in Development, set-up refused or too slow), " +
                               "4 a fault of the load test itself (printed), 130 interrupted.";
}

public sealed class RunSettings : CommandSettings
{
    public static readonly string[] Scenarios = [OperatorLifecycle.Name, SandboxBurst.Name, SupervisorReads.Name, "mixed", CommandLatency.Name];

    [CommandArgument(0, "<SCENARIO>")]
    [Description("operator-lifecycle, sandbox-burst, supervisor-reads, mixed (the three at once) or command-latency (the most commands/s with --clients closed-loop clients, then 25, 50 and 75 % of it as a fixed arrival rate, stage after stage).")]
    public string Scenario { get; init; } = "";

    [CommandOption("--base <URL>")]
    [Description("The platform's HTTP address, e.g. http://localhost:5080 (required); several nodes of a cluster separated by commas get the requests in turn. It must run in Development: the scenarios take tokens from POST /dev/tokens.")]
    public string? Base { get; init; }

    /// <summary>The nodes named by --base, in order.</summary>
    public Uri[] Nodes => (Base ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(b => Uri.TryCreate(b, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" ? u : null).OfType<Uri>().ToArray();

    [CommandOption("--operators <N>")]
    [Description("operator-lifecycle: concurrent operators (copies; default 200). sandbox-burst: operators whose activity is posted; command-latency: operators the commands go to (default 200).")]
    public int? Operators { get; init; }

    [CommandOption("--duration <DURATION>")]
    [Description("The measured load, e.g. 60s, 2m (default 60s).")]
    public string? Duration { get; init; }

    [CommandOption("--warmup <DURATION>")]
    [Description("Load run first and not recorded (default 10s; 0s for none).")]
    public string? WarmUp { get; init; }

    [CommandOption("--ramp <DURATION>")]
    [Description("Closed load: reach the copies over this long (ramping-constant), then keep them (default: all at once).")]
    public string? Ramp { get; init; }

    [CommandOption("--rate <RATE>")]
    [Description("Open load instead of copies: iterations started per second, e.g. 20/s (operators in operator-lifecycle and mixed, batches in sandbox-burst, rounds in supervisor-reads). Latency counts from when each was due.")]
    public string? Rate { get; init; }

    [CommandOption("--report <DIR>")]
    [Description("Where report.md, report.csv, report.html and charts/ go (default load-tests/reports/<time>-<scenario>).")]
    public string? Report { get; init; }

    [CommandOption("--threshold <RULE>")]
    [Description("Also fail the run unless this holds (repeatable): [[scenario]][[/step]]:metric op value, e.g. p99<500ms, fail%<1, operator-lifecycle/register:p95<=200ms, */apply:p99<1s. Metrics: min mean max p50 p75 p95 p99 fail% rps ok fail.")]
    public string[] Thresholds { get; init; } = [];

    [CommandOption("--requests <N>")]
    [Description("operator-lifecycle: data requests per operator (default 3).")]
    public int? Requests { get; init; }

    [CommandOption("--window <DURATION>")]
    [Description("operator-lifecycle: how long each operator's call stays open (default 5s: its first five calls must fit in it).")]
    public string? Window { get; init; }

    [CommandOption("--notice <DURATION>")]
    [Description("operator-lifecycle: the shortlist's public-notice period (default 1s).")]
    public string? Notice { get; init; }

    [CommandOption("--sandboxes <N>")]
    [Description("sandbox-burst: concurrent sandboxes posting batches (default 8).")]
    public int? Sandboxes { get; init; }

    [CommandOption("--batch <N>")]
    [Description("sandbox-burst: events per NDJSON batch (default 1000).")]
    public int? Batch { get; init; }

    [CommandOption("--violators <N>")]
    [Description("sandbox-burst: operators that attempt a raw-data export during the run, one after another (default 30).")]
    public int? Violators { get; init; }

    [CommandOption("--clients <N>")]
    [Description("command-latency: closed-loop clients of the stage that finds the maximum (default 64).")]
    public int? Clients { get; init; }

    [CommandOption("--readers <N>")]
    [Description("supervisor-reads: concurrent readers (default 16).")]
    public int? Readers { get; init; }

    public override ValidationResult Validate()
    {
        if (!Scenarios.Contains(Scenario)) return Error($"unknown scenario '{Scenario}': choose {string.Join(", ", Scenarios)}.");
        if (Base is null) return Error("--base is required: the platform's address, e.g. --base http://localhost:5080.");
        var named = Base.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (named.Length == 0 || Nodes.Length != named.Length) return Error($"--base must be an absolute http(s) address (or several, separated by commas), not '{Base}'.");
        foreach (var (name, value) in new[] { ("--duration", Duration), ("--warmup", WarmUp), ("--ramp", Ramp), ("--window", Window), ("--notice", Notice) })
            if (value is not null && !Durations.TryParse(value, out _)) return Error($"{name} takes a duration such as 60s, 1m30s or 500ms, not '{value}'.");
        if (Duration is not null && Durations.TryParse(Duration, out var d) && d <= TimeSpan.Zero) return Error("--duration must be positive.");
        if (Notice is not null && Durations.TryParse(Notice, out var n) && n <= TimeSpan.Zero) return Error("--notice must be positive (Art. 8(3): a notice period).");
        if (Window is not null && Durations.TryParse(Window, out var w) && w <= TimeSpan.Zero) return Error("--window must be positive.");
        if (Rate is not null && Scenario == CommandLatency.Name) return Error("command-latency sets its own rates (25, 50 and 75 % of the maximum it measures): leave --rate out.");
        if (Rate is not null && !Durations.TryParseRate(Rate, out _)) return Error($"--rate takes a positive rate such as 20/s, 600/m or 20, not '{Rate}'.");
        foreach (var (name, value) in new[] { ("--operators", Operators), ("--requests", Requests), ("--sandboxes", Sandboxes), ("--batch", Batch), ("--violators", Violators), ("--readers", Readers), ("--clients", Clients) })
            if (value is <= 0) return Error($"{name} must be a positive number.");
        foreach (var t in Thresholds)
            if (!Threshold.TryParse(t, null, out _, out var error)) return Error(error);
        return ValidationResult.Success();
    }

    private static ValidationResult Error(string message) => ValidationResult.Error(message);

    internal static TimeSpan Span(string? text, TimeSpan fallback) => text is not null && Durations.TryParse(text, out var d) ? d : fallback;

    public ScenarioSettings ToScenarioSettings()
    {
        var defaults = new ScenarioSettings();
        return new ScenarioSettings
        {
            Operators = Operators ?? defaults.Operators,
            Duration = Span(Duration, defaults.Duration),
            WarmUp = Span(WarmUp, defaults.WarmUp),
            Ramp = Span(Ramp, defaults.Ramp),
            Rate = Rate is not null && Durations.TryParseRate(Rate, out var r) ? r : null,
            Requests = Requests ?? defaults.Requests,
            Window = Span(Window, defaults.Window),
            Notice = Span(Notice, defaults.Notice),
            Sandboxes = Sandboxes ?? defaults.Sandboxes,
            Batch = Batch ?? defaults.Batch,
            Violators = Violators ?? defaults.Violators,
            Readers = Readers ?? defaults.Readers,
            Clients = Clients ?? defaults.Clients,
        };
    }
}

/// <summary>One run: build the scenarios, run them with live progress, write the reports, exit by the verdicts.</summary>
public sealed class RunCommand : AsyncCommand<RunSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, RunSettings settings, CancellationToken ct)
    {
        var (console, args) = ((IAnsiConsole, string[]))context.Data!;
        var s = settings.ToScenarioSettings();
        var nodes = settings.Nodes.Select(n => PlatformClient.Http(n, connections: 4096)).ToArray();
        try
        {
            return await Run(settings, nodes, console, args, s, ct);
        }
        finally
        {
            foreach (var n in nodes) n.Dispose();
        }
    }

    private static async Task<int> Run(RunSettings settings, HttpClient[] nodes, IAnsiConsole console, string[] args, ScenarioSettings s, CancellationToken ct)
    {
        var platform = new PlatformClient(nodes);
        foreach (var node in nodes)
        {
            try
            {
                using var probe = await node.GetAsync("/health/live", ct);
            }
            catch (HttpRequestException e)
            {
                throw new PlatformUnavailableException($"{node.BaseAddress} does not answer: {e.Message}");
            }
        }

        if (settings.Scenario == CommandLatency.Name) return await Staged(settings, platform, nodes, console, args, s, ct);
        var scenarios = settings.Scenario switch
        {
            OperatorLifecycle.Name => [OperatorLifecycle.Create(platform, s)],
            SandboxBurst.Name => SandboxBurst.Create(platform, s),
            SupervisorReads.Name => [SupervisorReads.Create(platform, s)],
            // Mixed: the rate, when given, is the operators' arrival; the sandboxes and readers stay closed.
            _ => (Scenario[])[OperatorLifecycle.Create(platform, s), .. SandboxBurst.Create(platform, s with { Rate = null }),
                SupervisorReads.Create(platform, s with { Rate = null })],
        };
        var options = Options(settings, nodes, args);
        var report = await Stage(console, options, scenarios, ct);
        return Finish(console, settings, report);
    }

    /// <summary>command-latency: the closed stage finds the maximum, then one open stage per fraction of it.</summary>
    private static async Task<int> Staged(RunSettings settings, PlatformClient platform, HttpClient[] nodes, IAnsiConsole console, string[] args, ScenarioSettings s, CancellationToken ct)
    {
        var options = Options(settings, nodes, args);
        var fixture = new CommandLatency.FixtureHolder();
        var report = await Stage(console, options, [CommandLatency.Closed(platform, s, fixture)], ct);
        var maximum = report.Scenarios[0].AllCalls?.Rps ?? 0;
        if (maximum <= 0) throw new SetUpException("the closed stage answered no command: there is no maximum to take fractions of.");
        foreach (var percent in CommandLatency.Fractions)
            report = report.Then(await Stage(console, options, [CommandLatency.Open(platform, s, fixture, percent, maximum)], ct));
        return Finish(console, settings, report);
    }

    private static RunOptions Options(RunSettings settings, HttpClient[] nodes, string[] args) =>
        new($"JinanDataOps load test: {settings.Scenario}", string.Join(", ", nodes.Select(n => n.BaseAddress!.ToString().TrimEnd('/'))),
            "load-tests/run.sh " + string.Join(" ", args.Select(a => a.Contains(' ') ? $"\"{a}\"" : a)));

    private static async Task<RunReport> Stage(IAnsiConsole console, RunOptions options, IReadOnlyList<Scenario> scenarios, CancellationToken ct)
    {
        var runner = new LoadRunner();
        console.MarkupLineInterpolated($"[bold]{options.Title}[/] against {options.Target}, run {options.RunId}: {string.Join(", ", scenarios.Select(x => x.Name))}");
        var run = runner.Run(options, scenarios, ct);
        await Progress.Show(console, runner, run, ct);
        return await run;
    }

    private static int Finish(IAnsiConsole console, RunSettings settings, RunReport report)
    {
        var folder = settings.Report ?? Path.Combine("load-tests", "reports", $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{settings.Scenario}");
        report = LoadRunner.WithThresholds(report, settings.Thresholds.Select(t => Threshold.Parse(t)));
        var written = ReportWriter.Write(report, folder);
        Summary(console, report, written);
        return report.Passed ? ExitCodes.Passed : ExitCodes.ThresholdFailed;
    }

    private static void Summary(IAnsiConsole console, RunReport report, IReadOnlyList<string> written)
    {
        foreach (var sc in report.Scenarios)
        {
            var table = new Table().Title($"{sc.Name} — {sc.Load}").AddColumns("step", "ok", "failed", "ok/s", "p50 ms", "p95 ms", "p99 ms", "max ms");
            foreach (var step in sc.Lines())
                table.AddRow(Markup.Escape(step.Step), step.Ok.ToString(CultureInfo.InvariantCulture), step.Fail.ToString(CultureInfo.InvariantCulture), $"{step.Rps:0.#}",
                    Ms(step.Latency?.P50), Ms(step.Latency?.P95), Ms(step.Latency?.P99), Ms(step.Latency?.Max));
            console.Write(table);
            if (sc.TargetRate is { } target) console.MarkupLineInterpolated($"  open load: target {target:0.##}/s, achieved {sc.AchievedRate:0.##}/s");
        }
        foreach (var v in report.Verdicts)
        {
            console.Markup(v.Passed ? "[green]✔[/] " : "[red]✘[/] ");
            console.WriteLine($"{v.Kind} {v.Subject}: {v.Rule} — {v.Actual}");
        }
        foreach (var n in report.Notes) console.MarkupLineInterpolated($"[dim]note: {n}[/]");
        console.Markup(report.Passed ? "[green]passed[/]" : "[red]FAILED[/]");
        console.WriteLine($"; reports: {string.Join(", ", written.Where(w => !w.Contains("charts", StringComparison.Ordinal)))}");
    }

    private static string Ms(double? v) => v is { } x ? x.ToString("0.0", CultureInfo.InvariantCulture) : "—";
}

/// <summary>Live progress: a table redrawn on a terminal, a line every 5 s otherwise (CI logs).</summary>
internal static class Progress
{
    public static async Task Show(IAnsiConsole console, LoadRunner runner, Task run, CancellationToken ct)
    {
        if (console.Profile.Capabilities.Interactive)
        {
            await console.Live(new Table()).StartAsync(async live =>
            {
                while (!run.IsCompleted)
                {
                    live.UpdateTarget(Render(runner.Progress()));
                    await Task.WhenAny(run, Task.Delay(500, CancellationToken.None));
                }
                live.UpdateTarget(Render(runner.Progress()));
            });
            return;
        }
        while (!run.IsCompleted)
        {
            await Task.WhenAny(run, Task.Delay(5000, CancellationToken.None));
            if (run.IsCompleted) break;
            foreach (var p in runner.Progress())
                console.WriteLine($"  {p.Scenario}: {p.Phase} {p.Elapsed.TotalSeconds:0}s{(p.Phase is "load" or "warm-up" ? $"/{p.Planned.TotalSeconds:0}s" : "")}  iterations ok {p.Ok} failed {p.Fail}  in flight {p.InFlight}  {p.RecentRps:0.#}/s");
        }
    }

    private static Table Render(IReadOnlyList<ScenarioProgress> progress)
    {
        var table = new Table().AddColumns("scenario", "phase", "elapsed", "iterations ok", "failed", "in flight", "iterations/s");
        foreach (var p in progress)
            table.AddRow(Markup.Escape(p.Scenario), p.Phase, $"{p.Elapsed.TotalSeconds:0}s{(p.Phase is "load" or "warm-up" ? $" / {p.Planned.TotalSeconds:0}s" : "")}",
                p.Ok.ToString(CultureInfo.InvariantCulture), p.Fail > 0 ? $"[red]{p.Fail}[/]" : "0", p.InFlight.ToString(CultureInfo.InvariantCulture), $"{p.RecentRps:0.#}");
        return table;
    }
}

public static class LoadCli
{
    public static async Task<int> RunAsync(string[] args, IAnsiConsole console, CancellationToken ct)
    {
        var app = new CommandApp<RunCommand>();
        app.WithData((console, args));
        app.Configure(config =>
        {
            config.SetApplicationName("load-tests/run.sh");
            config.ConfigureConsole(console);
            config.UseStrictParsing();
            config.SetExceptionHandler((e, _) => Fail(console, e, ct));
            config.AddExample("operator-lifecycle", "--base", "http://localhost:5080", "--operators", "1000", "--duration", "60s", "--report", "out/");
            config.AddExample("sandbox-burst", "--base", "http://localhost:5080", "--sandboxes", "16", "--violators", "50");
            config.AddExample("mixed", "--base", "http://localhost:5080", "--rate", "10/s", "--threshold", "p99<2s");
        });
        var code = await app.RunAsync(args, ct);
        if (args.Length == 0 || args.Any(a => a is "-h" or "--help")) console.WriteLine(ExitCodes.Help);
        return code;
    }

    private static int Fail(IAnsiConsole console, Exception e, CancellationToken ct)
    {
        switch (e)
        {
            case CommandAppException c:
                if (c.Pretty is { } pretty) console.Write(pretty);
                else console.MarkupLineInterpolated($"[red]error:[/] {c.Message}");
                return ExitCodes.Usage;
            case OperationCanceledException when ct.IsCancellationRequested:
                console.MarkupLine("[yellow]interrupted[/]");
                return ExitCodes.Interrupted;
            case PlatformUnavailableException or SetUpException or HttpRequestException or TimeoutException:
                // Set-up could not be done (refused, unreachable, too slow): no figures would mean anything.
                console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
                return ExitCodes.Unavailable;
            case ArgumentException a when a is not ArgumentNullException:
                console.MarkupLineInterpolated($"[red]error:[/] {a.Message}");
                return ExitCodes.Usage;
            default:
                console.WriteException(e, ExceptionFormats.ShortenEverything);
                return ExitCodes.Fault;
        }
    }
}
