using System.Text.Json;
using JinanDataOps.Host.Tests.Infrastructure;
using static JinanDataOps.Host.Tests.Infrastructure.Procedure;

namespace JinanDataOps.Host.Tests;

/// <summary>The supervision loop end to end (Art. 17, 18, 13), on a host of its own: a failed evaluation suspends the
/// agreement by the platform with its findings as the rectification order; the operator's requests stop and its listed
/// product is delisted; the deadline passes unrectified and the agreement is terminated; the outcome goes back onto the
/// evaluation. Another operator rectifies and is restored. A hard kill right after a failure loses no consequence.</summary>
public sealed class SupervisionTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private readonly HostProcess _host = fixture.Host;
    private readonly ApiClient _api = fixture.Api;
    private readonly Procedure _p = fixture.Procedure;

    private async Task<string> ListedProduct(string op, string agreement, string request, string authority)
    {
        var operatorToken = await _api.Token("operator", op);
        var product = (await _api.Post(operatorToken, "/api/products", new
        {
            agreementId = agreement, dataRequestIds = new[] { request }, kind = "report", name = "Punctuality report", description = "monthly punctuality per route",
            outputFields = new[] { "route", "delay" }, aggregated = true,
        })).Expect(201).Id;
        (await _api.Post(operatorToken, $"/api/products/{product}/submit")).Expect(200);
        (await _api.Post(await _api.Token("authority", authority), $"/api/products/{product}/review", new { approved = true, notes = "aggregated per route" })).Expect(200);
        Assert.Equal("listed", (await _api.Post(operatorToken, $"/api/products/{product}/list", new { exchange = "Shandong Data Exchange" })).Expect(200).State);
        return product;
    }

    private async Task<string> Failed(string authority, string op, string agreement, DateTimeOffset deadline, params string[] findings)
    {
        var authorityToken = await _api.Token("authority", authority);
        var evaluation = (await _api.Post(authorityToken, "/api/evaluations",
            new { operatorId = op, agreementId = agreement, period = "2026-H2", materialsDue = Iso(DateTimeOffset.UtcNow.AddDays(14)) })).Expect(201).Id;
        (await _api.Post(await _api.Token("operator", op), $"/api/evaluations/{evaluation}/materials", new { documents = new[] { "operations report" } })).Expect(200);
        Assert.Equal("failed", (await _api.Post(authorityToken, $"/api/evaluations/{evaluation}/result",
            new { passed = false, findings, rectificationDeadline = Iso(deadline) })).Expect(200).State);
        return evaluation;
    }

    [Fact]
    public async Task A_failed_evaluation_suspends_then_terminates_unrectified_delists_and_reports_back_and_a_rectified_one_is_restored()
    {
        var authority = Unique("sv-city");
        var provider = Unique("sv-transport");
        var dataset = Unique("sv-ds");
        var (opA, opB) = (Unique("sv-op-a"), Unique("sv-op-b"));
        await _p.Dataset(provider, dataset, "transport", ("route", false), ("delay", false));
        var world = await _p.Provisioned(authority, provider, dataset, [opA, opB], "punctuality");
        var authorityToken = await _api.Token("authority", authority);
        var (agreementA, requestA) = (world[opA].Agreement, world[opA].Requests[0]);
        var productA = await ListedProduct(opA, agreementA, requestA, authority);

        // Operator A fails; its rectification deadline is short.
        var deadline = DateTimeOffset.UtcNow + Ahead;
        var evaluationA = await Failed(authority, opA, agreementA, deadline, "access logs incomplete", "no incident drill");

        // Art. 18: by the platform, the agreement is suspended with the findings as the order's content and the deadline.
        var suspended = await _api.UntilState(authorityToken, $"/api/agreements/{agreementA}", "suspended");
        var order = suspended["rectification"];
        Assert.Equal(["access logs incomplete", "no incident drill"], order.GetProperty("items").EnumerateArray().Select(i => i.GetString()));
        Assert.Equal(Iso(deadline), Iso(order.GetProperty("deadline").GetDateTimeOffset()));
        Assert.Contains($"evaluation {evaluationA} failed", order.GetProperty("reason").GetString());
        // The operator's data-use rights stop at once, and its product may no longer be traded.
        await _p.UntilRequestState(requestA, authority, "suspended");
        var delisted = await _api.UntilState(authorityToken, $"/api/products/{productA}", "delisted");
        Assert.Contains($"agreement {agreementA} suspended", delisted.Str("delistedBecause"));

        // Operator B fails too, reports its rectification, and the unit restores it.
        var evaluationB = await Failed(authority, opB, world[opB].Agreement, DateTimeOffset.UtcNow.AddDays(30), "no security officer named");
        await _api.UntilState(authorityToken, $"/api/agreements/{world[opB].Agreement}", "suspended");
        (await _api.Post(await _api.Token("operator", opB), $"/api/agreements/{world[opB].Agreement}/rectification-reports",
            new { summary = "security officer appointed" })).Expect(201);
        Assert.Equal("active", (await _api.Post(authorityToken, $"/api/agreements/{world[opB].Agreement}/restore")).Expect(200).State);
        await _p.UntilRequestState(world[opB].Requests[0], authority, "provisioned");
        var restored = await _api.Eventually(async () =>
        {
            var e = (await _api.Get(authorityToken, $"/api/evaluations/{evaluationB}")).Expect(200);
            Assert.Equal("restored", e.Str("outcome"));
            return e;
        });
        Assert.Equal("failed", restored.State);

        // Operator A's deadline passes unrectified: terminated as agreed, and the evaluation says so.
        await Past(deadline);
        var terminated = await _api.UntilState(authorityToken, $"/api/agreements/{agreementA}", "terminated");
        Assert.Contains("rectification not accepted", terminated.Str("endReason"));
        await _p.UntilRequestState(requestA, authority, "revoked");
        var outcome = await _api.Eventually(async () =>
        {
            var e = (await _api.Get(authorityToken, $"/api/evaluations/{evaluationA}")).Expect(200);
            Assert.Equal("terminated", e.Str("outcome"));
            return e;
        });
        Assert.Contains("rectification not accepted", outcome.Str("outcomeReason"));
        Assert.Equal("delisted", (await _api.Get(authorityToken, $"/api/products/{productA}")).Expect(200).State);
    }

    [Fact]
    public async Task A_hard_kill_right_after_a_failure_loses_neither_the_failure_nor_the_suspension()
    {
        var authority = Unique("sv-kill-city");
        var provider = Unique("sv-kill-transport");
        var dataset = Unique("sv-kill-ds");
        var op = Unique("sv-kill-op");
        await _p.Dataset(provider, dataset, "transport", ("route", false));
        var world = await _p.Provisioned(authority, provider, dataset, [op], "punctuality");
        var agreement = world[op].Agreement;

        // The failure is acknowledged; the suspension is its consequence, carried out by the projection. Kill at once.
        var evaluation = await Failed(authority, op, agreement, DateTimeOffset.UtcNow.AddDays(30), "access logs incomplete");
        _host.Kill();
        await _host.StartAsync();

        var authorityToken = await _api.Token("authority", authority);
        Assert.Equal("failed", (await _api.Get(authorityToken, $"/api/evaluations/{evaluation}")).Expect(200).State);
        var suspended = await _api.UntilState(authorityToken, $"/api/agreements/{agreement}", "suspended");
        Assert.Equal(["access logs incomplete"], suspended["rectification"].GetProperty("items").EnumerateArray().Select(i => i.GetString()));
        await _p.UntilRequestState(world[op].Requests[0], authority, "suspended");
        // Carried out once: the agreement's log holds one suspension.
        var log = await _p.Log(agreement, authority);
        Assert.Single(log, e => e.GetProperty("event").GetString() == "agreement-suspended");
    }
}
