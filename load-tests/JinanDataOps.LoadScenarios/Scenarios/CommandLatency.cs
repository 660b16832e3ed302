using JinanDataOps.LoadDriver;

namespace JinanDataOps.LoadScenarios.Scenarios;

/// <summary>Latency below saturation (issue 14, item 3). A closed loop first finds the most persisted commands per
/// second the platform answers (64 clients by default: the throughput benchmark's figure); then the same commands
/// arrive at a fixed rate — 25 %, 50 % and 75 % of that maximum — one stage after another, and each stage's
/// latency counts from when a command was due (open load), which is what a user below saturation feels. The
/// commands are the benchmark's mix: a security report or a training record (Art. 16), one journal event each,
/// over operators registered in the set-up.</summary>
public static class CommandLatency
{
    public const string Name = "command-latency";
    public static readonly int[] Fractions = [25, 50, 75];

    private sealed record Fixture(PlatformClient Platform, string[] Operators);

    /// <summary>The closed stage; <paramref name="fixture"/> is filled by its init and reused by the open stages.</summary>
    public static Scenario Closed(PlatformClient platform, ScenarioSettings settings, FixtureHolder fixture) =>
        Commands($"commands-closed-{settings.Clients}", platform, settings, fixture, [new LoadSimulation.KeepConstant(settings.Clients, settings.Duration)]) with
        {
            Description = $"The command mix (security report or training record, one persisted event each) over {settings.Operators:N0} operators by {settings.Clients} closed-loop clients: the most the platform answers.",
        };

    public static Scenario Open(PlatformClient platform, ScenarioSettings settings, FixtureHolder fixture, int percent, double maximum) =>
        Commands($"commands-at-{percent}%", platform, settings, fixture, [new LoadSimulation.Inject(maximum * percent / 100, TimeSpan.FromSeconds(1), settings.Duration)]) with
        {
            Description = $"The same commands arriving at {percent} % of the maximum the closed stage measured ({maximum:N0}/s): open load, latency from when each was due.",
        };

    /// <summary>The registered operators, shared by the stages (one run, one set-up).</summary>
    public sealed class FixtureHolder
    {
        internal Task<object?>? Task;
    }

    private static Scenario Commands(string name, PlatformClient platform, ScenarioSettings settings, FixtureHolder holder, LoadSimulation[] load) =>
        new Scenario(name, ctx =>
        {
            var f = (Fixture)ctx.Data!;
            var org = f.Operators[ctx.Iteration % f.Operators.Length];
            return ctx.Iteration % 2 == 0
                ? ctx.Call("security-report", () => f.Platform.Post("operator", org, $"/api/operators/{org}/security-reports",
                    new { period = "2026-Q4", summary = "no incidents; access reviewed" }, 201, ctx.Cancellation))
                : ctx.Call("training", () => f.Platform.Post("operator", org, $"/api/operators/{org}/trainings", Procedure.Training(), 201, ctx.Cancellation));
        })
        {
            Init = init => holder.Task ??= Register(platform, settings, init),
            WarmUp = settings.WarmUp,
            Load = load,
        }.WithThresholds("fail%<1");

    private static async Task<object?> Register(PlatformClient platform, ScenarioSettings settings, InitContext init)
    {
        var started = DateTimeOffset.UtcNow;
        var serial = ScenarioSettings.SerialBase(init.RunId) + 30_000;
        var orgs = Enumerable.Range(0, settings.Operators).Select(i => $"{init.RunId}-cmd-{i:D5}").ToArray();
        await Parallel.ForEachAsync(Enumerable.Range(0, orgs.Length), new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = init.Cancellation }, async (i, ct) =>
        {
            var answer = await platform.Post("operator", orgs[i], "/api/operators", Procedure.Operator(orgs[i], serial + i), 201, ct);
            if (!answer.Reply.Ok) throw new SetUpException($"registering {orgs[i]}: {answer.Reply.Message}");
        });
        init.Note($"{orgs.Length:N0} operators registered in {(DateTimeOffset.UtcNow - started).TotalSeconds:0.0} s (set-up, not measured)");
        return new Fixture(platform, orgs);
    }
}
