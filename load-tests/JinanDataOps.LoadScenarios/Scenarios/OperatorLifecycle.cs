using JinanDataOps.LoadDriver;

namespace JinanDataOps.LoadScenarios.Scenarios;

/// <summary>Each iteration is one new operator's whole life on the platform: registration and training (Art. 14,
/// 16), a call for applications of its own (Art. 8(1)–(2)) it applies to, expert review once the window closes,
/// shortlist and public notice (Art. 8(3)), the agreement signed by both parties (Art. 8(4), 9), data requests
/// approved by the authority and the provider (Art. 12, 13) until provisioned, then sandbox activity and a
/// security report (Art. 15, 16). The waits on the platform's timers and reactions are steps too: each measures
/// how late the platform acted after the instant it should have (window close, notice end, provisioning).</summary>
public static class OperatorLifecycle
{
    public const string Name = "operator-lifecycle";

    private sealed record Fixture(PlatformClient Platform, Cohort Cohort, long SerialBase);

    public static Scenario Create(PlatformClient platform, ScenarioSettings settings) => new Scenario(Name, ctx => Run(ctx, settings))
    {
        Description = $"One new operator per iteration through the whole Art. 8 procedure: register, train, a call of its own (window {Durations.Format(settings.Window)}, notice {Durations.Format(settings.Notice)}), apply, two expert reviews, shortlist, notice, agreement signed by both, {settings.Requests} data request(s) approved by authority and provider until provisioned, sandbox activity, a security report. Steps named after a timer or a reaction measure how late the platform acted after the instant it was due (asked at that instant, then every 100 ms; every 50 ms for provisioning).",
        Init = async init =>
        {
            var cohort = new Cohort(platform, init.RunId, "lifecycle", init.Note);
            await cohort.EnsureDataset(init.Cancellation);
            return new Fixture(platform, cohort, ScenarioSettings.SerialBase(init.RunId));
        },
        WarmUp = settings.WarmUp,
        Load = Loads.For(settings, settings.Operators),
        // An operator's life lasts its window and its notice period: give the ones under way time to end.
        Grace = TimeSpan.FromSeconds(60) + settings.Window + settings.Notice,
    }.WithThresholds("fail%<1", "*/*:fail%<1");

    private static async Task Run(IterationContext ctx, ScenarioSettings settings)
    {
        var f = (Fixture)ctx.Data!;
        var p = f.Platform;
        var c = f.Cohort;
        var ct = ctx.Cancellation;
        var org = $"{ctx.RunId}-op-{ctx.Iteration:D6}";
        await ctx.Call("register", () => p.Post("operator", org, "/api/operators", Procedure.Operator(org, f.SerialBase + ctx.Iteration), 201, ct));
        await ctx.Call("train", () => p.Post("operator", org, $"/api/operators/{org}/trainings", Procedure.Training(), 201, ct));

        var closesAt = DateTimeOffset.UtcNow + settings.Window;
        var call = (await ctx.Call("create-call", () => p.Post("authority", c.Authority, "/api/calls",
            Procedure.Call($"{org} call", c.Dataset, closesAt, settings.Notice), 201, ct))).Str("id");
        await ctx.Call("publish-call", () => p.Post("authority", c.Authority, $"/api/calls/{call}/publish", null, 200, ct));
        var app = (await ctx.Call("apply", () => p.Post("operator", org, $"/api/calls/{call}/applications", Procedure.Application(org), 201, ct))).Str("id");
        await ctx.Until("window-closed (timer)", closesAt, async () => State(await p.Get("public", "anyone", $"/api/calls/{call}", ct), s => s != "open"),
            TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(60));

        await ctx.Call("review", () => p.Post("expert", $"{ctx.RunId}-expert-a", $"/api/applications/{app}/reviews", Procedure.Review(80, 80), 201, ct));
        await ctx.Call("review", () => p.Post("expert", $"{ctx.RunId}-expert-b", $"/api/applications/{app}/reviews", Procedure.Review(85, 75), 201, ct));
        await ctx.Call("shortlist", () => p.Post("authority", c.Authority, $"/api/calls/{call}/shortlist", null, 200, ct));
        var noticeEnds = DateTimeOffset.UtcNow + settings.Notice;
        await ctx.Until("confirmed (notice timer)", noticeEnds, async () => State(await p.Get("public", "anyone", $"/api/applications/{app}", ct), s => s == "confirmed"),
            TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(60));

        var agreement = (await ctx.Call("draft-agreement", () => p.Post("authority", c.Authority, "/api/agreements", Procedure.Agreement(app, c.Dataset), 201, ct))).Str("id");
        await ctx.Call("sign-operator", () => p.Post("operator", org, $"/api/agreements/{agreement}/sign", null, 200, ct));
        await ctx.Call("sign-authority", () => p.Post("authority", c.Authority, $"/api/agreements/{agreement}/sign", null, 200, ct));

        var requests = new List<string>();
        for (var k = 1; k <= settings.Requests; k++)
        {
            var scenario = $"scenario-{k}";
            var request = (await ctx.Call("request-data", () => p.Post("operator", org, "/api/data-requests", Procedure.DataRequest(agreement, scenario, c.Dataset), 201, ct))).Str("id");
            await ctx.Call("approve-authority", () => p.Post("authority", c.Authority, $"/api/data-requests/{request}/approve", null, 200, ct));
            await ctx.Call("approve-provider", () => p.Post("provider", c.Provider, $"/api/data-requests/{request}/approve", null, 200, ct));
            await ctx.Until("provisioned (reaction)", DateTimeOffset.UtcNow, async () => State(await p.Get("operator", org, $"/api/data-requests/{request}", ct), s => s == "provisioned"),
                TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(60));
            requests.Add(request);
        }

        var activity = string.Join("\n", requests.SelectMany(r => Enumerable.Range(0, 5).Select(_ => Procedure.Event(org, r, c.Dataset))));
        await ctx.Call("report-activity", () => p.PostNdjson("sandbox", $"{ctx.RunId}-sandbox", "/api/sandbox/events", activity, 202, ct));
        await ctx.Call("security-report", () => p.Post("operator", org, $"/api/operators/{org}/security-reports",
            new { period = "2026-Q4", summary = "no incidents; access reviewed" }, 201, ct));
    }

    internal static (bool, string) State(Answer a, Func<string, bool> reached) =>
        a.Reply.Ok && a.State is { } s ? (reached(s), s) : (false, a.Reply.Status);
}

/// <summary>The load the command line asks for: copies (closed), ramped or not, or a rate (open).</summary>
internal static class Loads
{
    public static LoadSimulation[] For(ScenarioSettings s, int copies) =>
        s.Rate is { } rate ? [new LoadSimulation.Inject(rate, TimeSpan.FromSeconds(1), s.Duration)]
        : s.Ramp > TimeSpan.Zero && s.Ramp < s.Duration
            ? [new LoadSimulation.RampingConstant(copies, s.Ramp), new LoadSimulation.KeepConstant(copies, s.Duration - s.Ramp)]
            : [new LoadSimulation.KeepConstant(copies, s.Duration)];
}
