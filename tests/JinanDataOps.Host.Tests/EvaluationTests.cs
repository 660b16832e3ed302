using System.Text.Json;
using JinanDataOps.Host.Tests.Infrastructure;
using static JinanDataOps.Host.Tests.Infrastructure.Procedure;

namespace JinanDataOps.Host.Tests;

/// <summary>Evaluation (Art. 17–18) over HTTP: the authority of an agreement opens it, the operator submits its materials,
/// the authority passes or fails it; a failure is visible to the agreement's authorizing unit; an operator that submits
/// nothing by the deadline fails for non-cooperation by the platform's timer.</summary>
public sealed class EvaluationTests(EvaluationWorld world) : IClassFixture<EvaluationWorld>
{
    private readonly ApiClient _api = world.Api;

    private static object Body(string op, string agreement, DateTimeOffset due, string period = "2026-H2") =>
        new { operatorId = op, agreementId = agreement, period, materialsDue = Iso(due) };

    private async Task<Reply> Open(string op, string agreement, DateTimeOffset? due = null, string period = "2026-H2")
    {
        var reply = (await _api.Post(await _api.Token("authority", world.Authority), "/api/evaluations", Body(op, agreement, due ?? DateTimeOffset.UtcNow.AddDays(14), period))).Expect(201);
        Assert.Equal(("opened", op, agreement, period), (reply.State, reply.Str("operatorId"), reply.Str("agreementId"), reply.Str("period")));
        return reply;
    }

    private async Task<Reply> Submit(string op, string evaluation, params string[] documents) =>
        await _api.Post(await _api.Token("operator", op), $"/api/evaluations/{evaluation}/materials", new { documents });

    private async Task<Reply> Result(string evaluation, object body, string? authority = null) =>
        await _api.Post(await _api.Token("authority", authority ?? world.Authority), $"/api/evaluations/{evaluation}/result", body);

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

    [Fact]
    public async Task Opened_then_materials_then_passed()
    {
        var evaluation = (await Open(world.OpA, world.AgreementA)).Id;
        var submitted = (await Submit(world.OpA, evaluation, "operations report", "security self-assessment")).Expect(200);
        Assert.Equal("materials-submitted", submitted.State);
        Assert.Equal(["operations report", "security self-assessment"], Strings(submitted["documents"]));
        var passed = (await Result(evaluation, new { passed = true })).Expect(200);
        Assert.Equal("passed", passed.State);
        Assert.Empty(passed["findings"].EnumerateArray());
        Assert.Equal(JsonValueKind.Null, passed["rectificationDeadline"].ValueKind);
        // The operator reads its own evaluation; another operator may not.
        Assert.Equal("passed", (await _api.Get(await _api.Token("operator", world.OpA), $"/api/evaluations/{evaluation}")).Expect(200).State);
        (await _api.Get(await _api.Token("operator", world.OpD), $"/api/evaluations/{evaluation}")).ExpectProblem(403, "forbidden");
    }

    [Fact]
    public async Task A_failure_states_findings_and_a_deadline_and_is_visible_to_the_authorizing_unit()
    {
        // A domain agreement: the provider authorized it (Art. 7), the city authority evaluates (Art. 17).
        var evaluation = (await Open(world.OpD, world.AgreementD)).Id;
        (await Submit(world.OpD, evaluation, "operations report")).Expect(200);
        var deadline = DateTimeOffset.UtcNow.AddDays(30);
        var failed = (await Result(evaluation, new { passed = false, findings = new[] { "access logs incomplete", "no incident drill" }, rectificationDeadline = Iso(deadline) })).Expect(200);
        Assert.Equal(("failed", false), (failed.State, failed["nonCooperation"].GetBoolean()));
        Assert.Equal(["access logs incomplete", "no incident drill"], Strings(failed["findings"]));
        Assert.Equal(Iso(deadline), Iso(failed["rectificationDeadline"].GetDateTimeOffset()));
        Assert.Equal(("provider", world.Provider), (failed["authorizingUnit"].GetProperty("role").GetString(), failed["authorizingUnit"].GetProperty("org").GetString()));

        // Art. 18: the failure notifies the authorizing unit, which sees it, alone among providers.
        var unit = await _api.Token("provider", world.Provider);
        Assert.Equal("failed", (await _api.Get(unit, $"/api/evaluations/{evaluation}")).Expect(200).State);
        (await _api.Get(await _api.Token("provider", "ev-other-bureau"), $"/api/evaluations/{evaluation}")).ExpectProblem(403, "forbidden");
        await _api.Eventually(async () =>
            Assert.Contains(evaluation, (await _api.Get(unit, "/api/evaluations?state=failed")).Expect(200).Json.EnumerateArray().Select(e => e.GetProperty("id").GetString())));
        Assert.Empty((await _api.Get(await _api.Token("provider", "ev-other-bureau"), "/api/evaluations")).Expect(200).Json.EnumerateArray());
        // Regulators read every evaluation (Art. 5).
        Assert.Equal("failed", (await _api.Get(await _api.Token("regulator", "ev-cac"), $"/api/evaluations/{evaluation}")).Expect(200).State);
    }

    [Fact]
    public async Task An_operator_that_submits_nothing_by_the_deadline_fails_for_non_cooperation()
    {
        var due = DateTimeOffset.UtcNow + Ahead;
        var evaluation = (await Open(world.OpB, world.AgreementB, due, period: "2026-Q4")).Id;
        await Past(due);
        // Art. 17: past the deadline the materials come too late, whether or not the timer has fired yet.
        (await Submit(world.OpB, evaluation, "late report")).ExpectProblem(409, "rule-violation", "Art. 17");
        var failed = await _api.UntilState(await _api.Token("authority", world.Authority), $"/api/evaluations/{evaluation}", "failed");
        Assert.True(failed["nonCooperation"].GetBoolean());
        Assert.Contains("no materials were submitted", Assert.Single(Strings(failed["findings"])));
        Assert.Equal(("platform", "platform"), (failed["decidedBy"].GetProperty("role").GetString(), failed["decidedBy"].GetProperty("org").GetString()));
        // The configured rectification period (30 days by default) runs from the failure.
        var decidedAt = failed["decidedAt"].GetDateTimeOffset();
        Assert.Equal(decidedAt.AddDays(30), failed["rectificationDeadline"].GetDateTimeOffset());
        (await Submit(world.OpB, evaluation, "later still")).ExpectProblem(409, "rule-violation", "Art. 17");
        (await Result(evaluation, new { passed = true })).ExpectProblem(409, "invalid-transition");
    }

    [Fact]
    public async Task Lists_are_filtered_by_operator_state_and_the_callers_standing()
    {
        var a = (await Open(world.OpA, world.AgreementA, period: "2027-H1")).Id;
        var d = (await Open(world.OpD, world.AgreementD, period: "2027-H1")).Id;
        (await Submit(world.OpD, d, "report")).Expect(200);
        var authority = await _api.Token("authority", world.Authority);
        string[] Ids(Reply r) => r.Json.EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToArray();
        await _api.Eventually(async () =>
        {
            var mine = Ids((await _api.Get(authority, $"/api/evaluations?operatorId={world.OpA}&state=opened")).Expect(200));
            Assert.Contains(a, mine);
            Assert.DoesNotContain(d, mine);
            Assert.Contains(d, Ids((await _api.Get(authority, "/api/evaluations?state=materials-submitted")).Expect(200)));
            Assert.DoesNotContain(d, Ids((await _api.Get(authority, "/api/evaluations?state=opened")).Expect(200)));
        });
        // An operator sees its own only, and may not ask for another's.
        var opA = await _api.Token("operator", world.OpA);
        var own = (await _api.Get(opA, "/api/evaluations")).Expect(200).Json.EnumerateArray().ToArray();
        Assert.All(own, e => Assert.Equal(world.OpA, e.GetProperty("operatorId").GetString()));
        Assert.Contains(a, own.Select(e => e.GetProperty("id").GetString()));
        (await _api.Get(opA, $"/api/evaluations?operatorId={world.OpD}")).ExpectProblem(403, "forbidden");
        // Another authority sees none of this authority's evaluations; a regulator sees them all.
        Assert.Empty((await _api.Get(await _api.Token("authority", "ev-district"), "/api/evaluations")).Expect(200).Json.EnumerateArray());
        var all = Ids((await _api.Get(await _api.Token("regulator", "ev-cac"), "/api/evaluations")).Expect(200));
        Assert.Contains(a, all);
        Assert.Contains(d, all);
        (await _api.Get(authority, "/api/evaluations?state=none")).ExpectProblem(400, "validation-failed");
        (await _api.Get(await _api.Token("maintainer", "ev-maint"), "/api/evaluations")).ExpectProblem(403, "forbidden");
    }

    [Fact]
    public async Task Refusals_say_why()
    {
        var due = DateTimeOffset.UtcNow.AddDays(14);
        // Art. 17: a district authority does not evaluate the city's operators.
        (await _api.Post(await _api.Token("authority", "ev-district"), "/api/evaluations", Body(world.OpA, world.AgreementA, due)))
            .ExpectProblem(403, "forbidden", "Art. 17");
        (await _api.Post(await _api.Token("regulator", "ev-cac"), "/api/evaluations", Body(world.OpA, world.AgreementA, due))).ExpectProblem(403, "forbidden");
        var authority = await _api.Token("authority", world.Authority);
        (await _api.Post(authority, "/api/evaluations", Body(world.OpA, "agr-nowhere", due))).ExpectProblem(404, "not-found");
        (await _api.Post(authority, "/api/evaluations", Body(world.OpD, world.AgreementA, due))).ExpectProblem(400, "validation-failed");
        (await _api.Post(authority, "/api/evaluations", Body(world.OpA, world.AgreementA, DateTimeOffset.UtcNow.AddMinutes(-1)))).ExpectProblem(400, "validation-failed");
        (await _api.Post(authority, "/api/evaluations", new { operatorId = world.OpA, agreementId = world.AgreementA, period = "2026-H2" })).ExpectProblem(400, "validation-failed");
        // Only a running authorization is evaluated.
        (await _api.Post(authority, "/api/evaluations", Body(world.OpT, world.AgreementT, due))).ExpectProblem(409, "rule-violation", "Art. 17");

        var evaluation = (await Open(world.OpA, world.AgreementA, period: "2026-H2-refusals")).Id;
        // The operator's materials are awaited: no result yet.
        (await Result(evaluation, new { passed = true })).ExpectProblem(409, "invalid-transition");
        (await Submit(world.OpD, evaluation, "not mine")).ExpectProblem(403, "forbidden", "Art. 17");
        (await Submit(world.OpA, evaluation)).ExpectProblem(400, "validation-failed");
        (await Submit(world.OpA, evaluation, "report")).Expect(200);
        // A failure needs findings and a rectification deadline (Art. 18).
        (await Result(evaluation, new { passed = false, findings = new[] { "logs incomplete" } })).ExpectProblem(400, "validation-failed");
        (await Result(evaluation, new { passed = false, rectificationDeadline = Iso(DateTimeOffset.UtcNow.AddDays(30)) })).ExpectProblem(400, "validation-failed");
        (await Result(evaluation, new { findings = new[] { "logs incomplete" } })).ExpectProblem(400, "validation-failed");
        (await Result(evaluation, new { passed = true }, authority: "ev-district")).ExpectProblem(403, "forbidden");
        (await _api.Get(authority, "/api/evaluations/eval-nowhere")).ExpectProblem(404, "not-found");
    }
}

/// <summary>The agreements the evaluations stand under, built once: the city authority's comprehensive agreements with
/// operators A and B, one terminated with operator T, and a domain agreement the transport provider authorized with D.</summary>
public sealed class EvaluationWorld : HostFixture
{
    public string Authority { get; } = Unique("ev-city");
    public string Provider { get; } = Unique("ev-transport");
    public string OpA { get; } = Unique("ev-op-a");
    public string OpB { get; } = Unique("ev-op-b");
    public string OpT { get; } = Unique("ev-op-t");
    public string OpD { get; } = Unique("ev-op-d");
    public string AgreementA { get; private set; } = "";
    public string AgreementB { get; private set; } = "";
    public string AgreementT { get; private set; } = "";
    public string AgreementD { get; private set; } = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var p = Procedure;
        var dataset = Unique("ev-bus");
        await p.Dataset(Provider, dataset, "transport", ("route", false));
        foreach (var op in new[] { OpA, OpB, OpT, OpD }) await p.Operator(op);
        var closes = DateTimeOffset.UtcNow + Ahead;
        var comprehensive = await p.OpenCall(Authority, "comprehensive", closes, "PT2S", domains: ["transport"]);
        var domain = await p.OpenCall(Authority, "domain", closes, "PT2S", domains: ["transport"], providerId: Provider);
        var apps = new Dictionary<string, string>();
        foreach (var op in new[] { OpA, OpB, OpT }) apps[op] = await p.Apply(comprehensive, op);
        apps[OpD] = await p.Apply(domain, OpD);
        await Past(closes);
        foreach (var call in new[] { comprehensive, domain }) await p.UntilCallState(call, "closed");
        foreach (var app in apps.Values)
        {
            await p.Review(app, "ev-expert-1", 80, 80);
            await p.Review(app, "ev-expert-2", 85, 75);
        }
        foreach (var call in new[] { comprehensive, domain })
        {
            await p.Shortlist("authority", Authority, call);
            await p.UntilCallState(call, "concluded");
        }
        foreach (var app in apps.Values) await p.UntilApplicationState(app, "confirmed");
        var (from, to) = (DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(365));
        async Task<string> Agreement(string op, string role, string unit)
        {
            var id = (await p.Draft(role, unit, AgreementBody(apps[op], [dataset], from, to))).Id;
            await p.SignBoth(id, op, role, unit);
            return id;
        }
        AgreementA = await Agreement(OpA, "authority", Authority);
        AgreementB = await Agreement(OpB, "authority", Authority);
        AgreementT = await Agreement(OpT, "authority", Authority);
        AgreementD = await Agreement(OpD, "provider", Provider);
        (await Api.Post(await Api.Token("authority", Authority), $"/api/agreements/{AgreementT}/terminate", new { reason = "exit condition met" })).Expect(200);
    }
}
