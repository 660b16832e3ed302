using JinanDataOps.Host.Tests.Infrastructure;
using static JinanDataOps.Host.Tests.Infrastructure.Procedure;

namespace JinanDataOps.Host.Tests;

/// <summary>Art. 16 records (trainings, security reports): a record's answer shows that record and the
/// count on record, not the whole history; the operator's record lists every one of them.</summary>
public sealed class OperatorRecordsTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private readonly ApiClient _api = fixture.Api;
    private readonly Procedure _p = fixture.Procedure;

    [Fact]
    public async Task Each_record_is_answered_with_itself_and_all_are_on_the_operators_record()
    {
        var org = Unique("op-records");
        await _p.Operator(org);
        var token = await _api.Token("operator", org);

        for (var n = 1; n <= 3; n++)
        {
            var training = (await _api.Post(token, $"/api/operators/{org}/trainings",
                new { staff = new[] { $"staff-{n}" }, completedOn = "2026-11-0" + n })).Expect(201);
            Assert.Equal(org, training.Str("operatorId"));
            Assert.Equal($"/api/operators/{org}", training.Headers.Location?.ToString());
            Assert.Equal($"staff-{n}", training["training"].GetProperty("staff")[0].GetString());
            Assert.Equal(n, training["trainingsOnRecord"].GetInt32());
            Assert.False(training.Json.TryGetProperty("trainings", out _));
        }

        var report = (await _api.Post(token, $"/api/operators/{org}/security-reports", new { period = "2026-Q4", summary = "no incidents" })).Expect(201);
        Assert.Equal("no incidents", report["securityReport"].GetProperty("summary").GetString());
        Assert.Equal(1, report["securityReportsOnRecord"].GetInt32());

        var record = (await _api.Get(token, $"/api/operators/{org}")).Expect(200);
        Assert.Equal(["staff-1", "staff-2", "staff-3"], record["trainings"].EnumerateArray().Select(t => t.GetProperty("staff")[0].GetString()));
        Assert.Equal("2026-Q4", Assert.Single(record["securityReports"].EnumerateArray()).GetProperty("period").GetString());
    }
}
