using JinanDataOps.Host.Tests.Infrastructure;
using static JinanDataOps.Host.Tests.Infrastructure.Procedure;

namespace JinanDataOps.Host.Tests;

/// <summary>A host that requires a security report every 20 seconds, so the Art. 16 period runs out during a test.</summary>
public sealed class ShortReportingPeriod() : HostFixture(new Dictionary<string, string> { ["Platform__SecurityReportPeriod"] = "PT20S" });

/// <summary>Art. 16 (按要求定期报告运营安全情况): an authorized operator whose periodic security report is not filed in
/// time is flagged — on its record for the authority, and as a warning alert — until it files one.</summary>
public sealed class SecurityReportingTests(ShortReportingPeriod fixture) : IClassFixture<ShortReportingPeriod>
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(20);
    private readonly ApiClient _api = fixture.Api;
    private readonly Procedure _p = fixture.Procedure;

    [Fact]
    public async Task A_report_not_filed_in_time_is_flagged_for_the_authority_until_the_operator_files_one()
    {
        var authority = Unique("city");
        var op = Unique("op-report");
        var dataset = Unique("ds");
        await _p.Dataset("jn-transport-r", dataset, "transport", ("route", false));
        await _p.Provisioned(authority, "jn-transport-r", dataset, [op], "punctuality");
        var authorityToken = await _api.Token("authority", authority);

        // The period runs from the first authorization: once it has passed with no report, the operator is flagged.
        var flagged = await _api.Eventually(async () =>
        {
            var record = (await _api.Get(authorityToken, $"/api/operators/{op}")).Expect(200);
            var reporting = record["reporting"];
            Assert.Equal("PT20S", reporting.GetProperty("every").GetString());
            Assert.Equal(System.Text.Json.JsonValueKind.String, reporting.GetProperty("overdueSince").ValueKind);
            return reporting;
        }, TimeSpan.FromSeconds(90));
        var due = flagged.GetProperty("overdueSince").GetDateTimeOffset();
        Assert.Equal(System.Text.Json.JsonValueKind.Null, flagged.GetProperty("lastFiledAt").ValueKind);

        // The flag is a warning alert citing Art. 16, one per missed due date.
        var alert = await _api.Eventually(async () => Assert.Single(
            (await _api.Get(authorityToken, $"/api/alerts?operatorId={op}&severity=warning")).Expect(200).Json.EnumerateArray(),
            a => a.GetProperty("rule").GetString() == "security-report-overdue"));
        Assert.Equal("Art. 16", alert.GetProperty("article").GetString());

        // Filing the report clears the flag; the next one is due a period after it.
        var operatorToken = await _api.Token("operator", op);
        var filed = (await _api.Post(operatorToken, $"/api/operators/{op}/security-reports", new { period = "2026-12", summary = "no incidents" })).Expect(201);
        var filedAt = filed["securityReport"].GetProperty("filedAt").GetDateTimeOffset();
        var after = (await _api.Get(authorityToken, $"/api/operators/{op}")).Expect(200)["reporting"];
        Assert.Equal(filedAt, after.GetProperty("lastFiledAt").GetDateTimeOffset());
        Assert.Equal(filedAt + Period, after.GetProperty("nextDue").GetDateTimeOffset());
        // Flagged again only if the next period has run out too (a slow machine), never for the old due date.
        if (after.GetProperty("overdueSince").ValueKind != System.Text.Json.JsonValueKind.Null)
            Assert.True(after.GetProperty("overdueSince").GetDateTimeOffset() >= filedAt + Period);
        Assert.True(due < filedAt);
    }
}
