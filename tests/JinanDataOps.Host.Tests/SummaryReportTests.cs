using System.Text.Json;
using JinanDataOps.Host.Tests.Infrastructure;
using static JinanDataOps.Host.Tests.Infrastructure.Procedure;

namespace JinanDataOps.Host.Tests;

/// <summary>The summary filing (Art. 8, last paragraph) on a host of its own, so its figures are exactly what this
/// test created: GET /api/reports/summary as JSON and CSV, per role, with its refusals.</summary>
public sealed class SummaryReportTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private readonly ApiClient _api = fixture.Api;
    private readonly Procedure _p = fixture.Procedure;

    private static string Q(DateTimeOffset at) => Uri.EscapeDataString(Iso(at));

    [Fact]
    public async Task The_summary_counts_what_the_journal_holds_for_the_period_and_the_caller()
    {
        var from = DateTimeOffset.UtcNow.AddMinutes(-1);
        const string authority = "sum-city";
        var provider = Unique("sum-transport");
        var dataset = Unique("sum-ds");
        await _p.Dataset(provider, dataset, "transport", ("route", false));
        string[] operators = [Unique("sum-op-a"), Unique("sum-op-b")];
        var world = await _p.Provisioned(authority, provider, dataset, operators, "punctuality", "crowding");
        var authorityToken = await _api.Token("authority", authority);
        var (suspended, terminated) = (world[operators[0]].Agreement, world[operators[1]].Agreement);
        (await _api.Post(authorityToken, $"/api/agreements/{suspended}/suspend",
            new { reason = "failed evaluation", rectification = new { items = new[] { "fix the access log" }, deadline = Iso(DateTimeOffset.UtcNow.AddDays(30)) } })).Expect(200);
        (await _api.Post(authorityToken, $"/api/agreements/{terminated}/terminate", new { reason = "exit condition met" })).Expect(200);
        // Termination revokes the operator's requests by reaction: wait until the journal holds it.
        foreach (var request in world[operators[1]].Requests) await _p.UntilRequestState(request, authority, "revoked");
        foreach (var request in world[operators[0]].Requests) await _p.UntilRequestState(request, authority, "suspended");
        var to = DateTimeOffset.UtcNow.AddMinutes(1);
        var period = $"/api/reports/summary?from={Q(from)}&to={Q(to)}";

        var summary = (await _api.Get(authorityToken, period)).Expect(200);
        Assert.Equal(1, summary["calls"].GetProperty("total").GetInt32());
        Assert.Equal(2, summary["applications"].GetProperty("byState").GetProperty("confirmed").GetInt32());
        var agreements = summary["agreements"];
        Assert.Equal(2, agreements.GetProperty("byCategory").GetProperty("comprehensive").GetInt32());
        Assert.Equal(1, agreements.GetProperty("byState").GetProperty("suspended").GetInt32());
        Assert.Equal(1, agreements.GetProperty("byState").GetProperty("terminated").GetInt32());
        var requests = summary["dataRequests"];
        Assert.Equal(4, requests.GetProperty("total").GetInt32());
        Assert.Equal(2, requests.GetProperty("byState").GetProperty("suspended").GetInt32());
        Assert.Equal(2, requests.GetProperty("byState").GetProperty("revoked").GetInt32());
        Assert.Equal(0, summary["incidents"].GetProperty("total").GetInt32());
        var suspension = Assert.Single(summary["suspensions"].EnumerateArray());
        Assert.Equal((suspended, operators[0], "failed evaluation"),
            (suspension.GetProperty("agreementId").GetString(), suspension.GetProperty("operatorId").GetString(), suspension.GetProperty("reason").GetString()));
        Assert.Equal(terminated, Assert.Single(summary["terminations"].EnumerateArray()).GetProperty("agreementId").GetString());

        // The same figures as CSV: one row per entity and per suspension or termination.
        var csv = (await _api.Get(authorityToken, period, "text/csv")).Expect(200);
        Assert.Equal("text/csv", csv.ContentType);
        var rows = csv.Text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("section,id,state,category,at,operatorId,by,reason", rows[0]);
        Assert.Equal(1 + 2 + 2 + 4 + 0 + 1 + 1, rows.Length - 1);
        Assert.Contains(rows, r => r.StartsWith($"termination,{terminated},", StringComparison.Ordinal) && r.EndsWith(",authority:sum-city,exit condition met", StringComparison.Ordinal));

        // A regulator reads everything; another authority only what it answers for (here: the public call).
        var regulator = (await _api.Get(await _api.Token("regulator", "sum-cac"), period)).Expect(200);
        Assert.Equal(JsonSerializer.Serialize(summary.Json), JsonSerializer.Serialize(regulator.Json));
        var other = (await _api.Get(await _api.Token("authority", "sum-district"), period)).Expect(200);
        Assert.Equal(1, other["calls"].GetProperty("total").GetInt32());
        Assert.Equal(0, other["agreements"].GetProperty("total").GetInt32() + other["dataRequests"].GetProperty("total").GetInt32());
        Assert.Empty(other["suspensions"].EnumerateArray());

        // A period before any of it is empty.
        var before = (await _api.Get(authorityToken, $"/api/reports/summary?from={Q(from.AddDays(-2))}&to={Q(from.AddDays(-1))}")).Expect(200);
        Assert.Equal(0, before["calls"].GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("", "'from' is required")]
    [InlineData("?from=2026-01-01T00:00:00Z", "'to' is required")]
    [InlineData("?from=yesterday&to=2026-02-01T00:00:00Z", "'from' is required")]
    [InlineData("?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "'from' must be before 'to'")]
    [InlineData("?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "at most 367 days")]
    public async Task A_period_that_is_not_one_is_refused(string query, string detail)
    {
        var reply = await _api.Get(await _api.Token("authority", "sum-city"), "/api/reports/summary" + query);
        reply.ExpectProblem(400, "validation-failed");
        Assert.Contains(detail, reply.Str("detail"));
    }

    [Theory]
    [InlineData("operator")]
    [InlineData("provider")]
    [InlineData("maintainer")]
    [InlineData("public")]
    public async Task Only_the_authority_and_regulators_read_the_summary(string role) =>
        (await _api.Get(await _api.Token(role, "sum-someone"), "/api/reports/summary?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z"))
            .ExpectProblem(403, "forbidden", "Art. 8");
}
