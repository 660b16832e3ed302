using System.Text.Json;
using JinanDataOps.Host.Tests.Infrastructure;

namespace JinanDataOps.Host.Tests;

/// <summary>F. Health, OpenAPI and development tokens on the real host.</summary>
[Collection(SharedHostCollection.Name)]
public sealed class OperationsTests(HostFixture fixture)
{
    private readonly ApiClient _api = fixture.Api;

    [Fact]
    public void The_built_host_and_its_configuration_are_copied_beside_the_tests() =>
        HostProcess.VerifyBuildOutput();

    [Fact]
    public async Task Health_live_and_ready_answer_200_without_a_token()
    {
        var live = (await _api.Get(null, "/health/live")).Expect(200);
        Assert.Equal("live", live.Str("status"));
        var ready = (await _api.Get(null, "/health/ready")).Expect(200);
        Assert.Equal("ready", ready.Str("status"));
        Assert.Contains("entities", ready["roles"].EnumerateArray().Select(r => r.GetString()));
        Assert.True(File.Exists(fixture.Host.DatabasePath), $"the SQLite journal should be at {fixture.Host.DatabasePath}");
    }

    /// <summary>Issue 13: the details of the health checks go to the roles that run or oversee the platform; the probe stays
    /// public — no token, a token of another role, or a refused one get the same answer without them, never a 401 or 403.</summary>
    [Fact]
    public async Task Health_ready_lists_its_checks_for_authority_maintainer_and_regulator_tokens_only()
    {
        foreach (var role in new[] { "authority", "maintainer", "regulator" })
        {
            var ready = (await _api.Get(await _api.Token(role, $"hc-{role}"), "/health/ready")).Expect(200);
            Assert.Equal("ready", ready.Str("status"));
            var checks = ready["checks"].EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);
            Assert.Equal(["cluster-membership", "journal", "monitoring-pipeline", "consequence-projection"], checks.Keys);
            foreach (var name in new[] { "cluster-membership", "journal", "monitoring-pipeline" })
                Assert.Equal("healthy", checks[name].GetProperty("status").GetString());
            // Lag is a matter of degree: on a loaded machine the projection may be behind for a while, and the node stays ready.
            Assert.Contains(checks["consequence-projection"].GetProperty("status").GetString(), new[] { "healthy", "degraded" });
            Assert.All(checks.Values, c =>
            {
                Assert.False(string.IsNullOrWhiteSpace(c.GetProperty("description").GetString()));
                Assert.True(c.GetProperty("durationMs").GetDouble() >= 0);
            });
        }
        var others = new List<string?> { null, "not-a-token" };
        foreach (var role in new[] { "operator", "provider", "expert", "sandbox", "public" }) others.Add(await _api.Token(role, $"hc-{role}"));
        foreach (var token in others)
        {
            var ready = (await _api.Get(token, "/health/ready")).Expect(200);
            Assert.Equal("ready", ready.Str("status"));
            Assert.Equal(JsonValueKind.Null, ready["checks"].ValueKind);
        }
    }

    /// <summary>The consequence projection's check reads the projection's stored offset from the journal, as any node can:
    /// once an event with consequences (training recorded, Art. 16) has been carried out, it reports itself caught up at
    /// a later offset.</summary>
    [Fact]
    public async Task Health_details_follow_the_consequence_projection()
    {
        var maintainer = await _api.Token("maintainer", "hc-ops");
        var before = ProjectionOffset(await ProjectionCheck(maintainer));
        await fixture.Procedure.Operator(Procedure.Unique("hc-op"), trained: true);
        await _api.Eventually(async () =>
        {
            var description = await ProjectionCheck(maintainer);
            Assert.StartsWith("caught up (offset ", description);
            Assert.True(ProjectionOffset(description) > before, $"{description}: not past offset {before}");
        }, TimeSpan.FromSeconds(60));
    }

    private async Task<string> ProjectionCheck(string token) =>
        (await _api.Get(token, "/health/ready")).Expect(200)["checks"].EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == "consequence-projection").GetProperty("description").GetString()!;

    private static long ProjectionOffset(string description) =>
        long.Parse(System.Text.RegularExpressions.Regex.Match(description, @"offset (\d+)") is { Success: true } m ? m.Groups[1].Value
            : throw new Xunit.Sdk.XunitException($"no offset in '{description}'"), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The journal's own uniqueness of (persistence id, sequence number) guards against two
    /// writers of one entity, and its indexes keep recovery from scanning the table; one way of
    /// configuring Akka.Persistence.Sql created the tables without them (docs/performance.md).</summary>
    [Fact]
    public void The_journal_tables_are_created_with_their_unique_key_and_indexes()
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={fixture.Host.DatabasePath};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL";
        var indexes = new List<(string Table, string Sql)>();
        using (var reader = command.ExecuteReader())
            while (reader.Read()) indexes.Add((reader.GetString(0), reader.GetString(1)));
        Assert.Contains(indexes, i => i.Table == "journal" && i.Sql.Contains("UNIQUE", StringComparison.OrdinalIgnoreCase)
            && i.Sql.Contains("persistence_id", StringComparison.Ordinal) && i.Sql.Contains("sequence_number", StringComparison.Ordinal));
        Assert.Contains(indexes, i => i.Table == "journal" && i.Sql.Contains("(sequence_number)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OpenApi_document_is_served()
    {
        var doc = (await _api.Get(null, "/openapi/v1.json")).Expect(200);
        Assert.StartsWith("3.", doc.Str("openapi"));
        var paths = doc["paths"].EnumerateObject().Select(p => p.Name).ToArray();
        foreach (var path in new[] { "/api/calls", "/api/calls/{id}/applications", "/api/agreements", "/api/agreements/{id}/log", "/api/data-requests", "/health/ready" })
            Assert.Contains(path, paths);
    }

    [Fact]
    public async Task Dev_tokens_are_issued_in_Development_and_accepted_by_the_api()
    {
        var issued = (await _api.Post(null, "/dev/tokens", new { role = "regulator", org = "cac-jinan" })).Expect(200);
        var token = issued.Str("token");
        Assert.Equal(3, token.Split('.').Length);
        var payload = JsonDocument.Parse(Base64Url(token.Split('.')[1])).RootElement;
        Assert.Equal("regulator", payload.GetProperty("role").GetString());
        Assert.Equal("cac-jinan", payload.GetProperty("org").GetString());

        var template = (await _api.Get(token, "/api/agreement-template")).Expect(200);
        var fields = template["clauses"].EnumerateArray().Select(c => c.GetProperty("field").GetString()).ToArray();
        foreach (var clause in new[] { "parties", "scope", "startsAt/endsAt", "rightsAndObligations", "securityRequirements", "exitConditions", "breachLiability", "assetDisposal" })
            Assert.Contains(clause, fields);
    }

    [Fact]
    public async Task Dev_tokens_refuse_unknown_roles_the_platform_role_and_missing_orgs()
    {
        (await _api.Post(null, "/dev/tokens", new { role = "emperor", org = "x" })).ExpectProblem(400, "validation-failed");
        (await _api.Post(null, "/dev/tokens", new { role = "platform", org = "x" })).ExpectProblem(400, "validation-failed");
        (await _api.Post(null, "/dev/tokens", new { role = "authority" })).ExpectProblem(400, "validation-failed");
        (await _api.Post(null, "/dev/tokens", new { role = "authority", org = new string('o', 65) })).ExpectProblem(400, "validation-failed");
    }

    [Fact]
    public async Task Unknown_routes_are_problem_json_404()
    {
        (await _api.Get(null, "/no/such/route")).ExpectProblem(404, "not-found");
        var token = await _api.Token("authority", "city-bdb");
        (await _api.Get(token, "/api/calls/call-doesnotexist")).ExpectProblem(404, "not-found");
        (await _api.Get(token, "/api/agreements/agr-nothing")).ExpectProblem(404, "not-found");
        (await _api.Get(token, "/api/data-requests/req-nothing")).ExpectProblem(404, "not-found");
        (await _api.Get(token, "/api/applications/app-nothing")).ExpectProblem(404, "not-found");
    }

    private static string Base64Url(string segment)
    {
        var s = segment.Replace('-', '+').Replace('_', '/');
        s = s.PadRight(s.Length + (4 - s.Length % 4) % 4, '=');
        return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(s));
    }
}
