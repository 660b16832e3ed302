using JinanDataOps.Cli.Commands;
using Spectre.Console;
using Spectre.Console.Cli;

namespace JinanDataOps.Cli;

/// <summary>The jdo command tree, runnable on any console: the terminal (Program.cs) or a test's TestConsole.</summary>
public static class Jdo
{
    public static async Task<int> RunAsync(string[] args, IAnsiConsole console, Func<string, string?> environment, CancellationToken ct,
        IAnsiConsole? errors = null)
    {
        // Failures go to their own console (stderr from Program.cs), so `--json` output stays parseable.
        errors ??= console;
        var session = new Session(console, environment);
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("jdo");
            config.ConfigureConsole(console);
            config.SetExceptionHandler((e, _) => Fail(errors, e, ct));
            config.AddBranch<JdoSettings>("cluster", cluster =>
            {
                cluster.SetDescription("The cluster as the answering node sees it.");
                cluster.AddCommand<MembersCommand>("members").WithData(session)
                    .WithDescription("The members: address, roles, status, reachability, up since, leader, oldest (GET /cluster/members).");
                cluster.AddCommand<ShardsCommand>("shards").WithData(session)
                    .WithDescription("Per region, its shards and entities on each node (GET /cluster/shards, from cluster sharding statistics).");
            });
            config.AddCommand<AlertsCommand>("alerts").WithData(session)
                .WithDescription("The monitoring alerts (GET /api/alerts); --follow then prints new ones from GET /cluster/events until Ctrl+C.");
            config.AddCommand<OperatorsCommand>("operators").WithData(session)
                .WithDescription("Suspended operators. The API has no route that lists operators, so this reads the suspensions of the " +
                                 "GET /cluster/events snapshot (the answering node must have the 'api' role).");
            config.AddBranch<JdoSettings>("audit", audit =>
            {
                audit.SetDescription("The hash-chained audit record (Art. 17).");
                audit.AddCommand<AuditVerifyCommand>("verify").WithData(session)
                    .WithDescription("Recomputes every link (GET /api/audit/verify); exit 4 when the chain is broken.");
            });
            config.AddCommand<TokenCommand>("token").WithData(session)
                .WithDescription("Issues a development token (POST /dev/tokens, served in Development only) and prints it.");
            config.AddExample("cluster", "members", "--token", "$JDO_TOKEN");
            config.AddExample("alerts", "--follow");
            config.AddExample("audit", "verify", "--json");
        });
        // The help text names the exit codes (scripts branch on them).
        if (args.Length == 0 || args.Any(a => a is "-h" or "--help"))
        {
            var code = await app.RunAsync(args, ct);
            console.WriteLine();
            console.WriteLine(ExitCodes.Help);
            return code;
        }
        return await app.RunAsync(args, ct);
    }

    private static int Fail(IAnsiConsole console, Exception e, CancellationToken ct)
    {
        switch (e)
        {
            case JdoException j:
                console.MarkupLineInterpolated($"[red]jdo:[/] {j.Message}");
                return j.ExitCode;
            case CommandAppException c:
                if (c.Pretty is { } pretty) console.Write(pretty);
                else console.MarkupLineInterpolated($"[red]jdo:[/] {c.Message}");
                return ExitCodes.Usage;
            case OperationCanceledException when ct.IsCancellationRequested:
                console.MarkupLine("[yellow]jdo: interrupted[/]");
                return ExitCodes.Interrupted;
            default:
                // Anything else is a fault of jdo itself: say what it was rather than hide it behind a code.
                console.WriteException(e, ExceptionFormats.ShortenEverything);
                return ExitCodes.Usage;
        }
    }
}
