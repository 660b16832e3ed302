using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using JinanDataOps.Host.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;
using static JinanDataOps.Host.Tests.Infrastructure.Procedure;

namespace JinanDataOps.Host.Tests;

/// <summary>The operator's record (Art. 8(5)): every governance event about it, from the hash chain, as JSON or CSV,
/// for the authority, regulators and the operator itself, kept after its agreement is terminated.</summary>
public sealed class OperatorAuditRecordTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private readonly ApiClient _api = fixture.Api;
    private readonly Procedure _p = fixture.Procedure;

    [Fact]
    public async Task The_record_holds_the_operators_events_oldest_first_and_is_kept_after_termination_as_json_and_csv()
    {
        var (authority, provider, dataset, op, other) = ("audit-bdb", "audit-transport", Unique("ds-audit"), Unique("op-audit"), Unique("op-other"));
        await _p.Dataset(provider, dataset, "transport", ("route", false));
        var provisioned = await _p.Provisioned(authority, provider, dataset, [op, other], "commute");
        var agreement = provisioned[op].Agreement;
        (await _api.Post(await _p.Token("authority", authority), $"/api/agreements/{agreement}/terminate", new { reason = "exit condition met, clause 3" })).Expect(200);

        var regulator = await _p.Token("regulator", "cac-jinan");
        var entries = await Eventually(async () =>
        {
            var record = (await _api.Get(regulator, $"/api/operators/{op}/record")).Expect(200);
            var all = record.Json.EnumerateArray().ToArray();
            Assert.Contains(all, e => e.GetProperty("event").GetString() == "agr.terminated.v1");
            Assert.Contains(all, e => e.GetProperty("event").GetString() == "req.revoked.v1"); // the request ends with its agreement
            // ... and frees its scenario: the last consequence of the termination, so the record is complete.
            Assert.Contains(all, e => e.GetProperty("event").GetString() == "op.scenario-released.v1");
            return all;
        });

        // Oldest first, each with its link, who and why; only this operator's events.
        Assert.Equal(entries.Select(e => e.GetProperty("index").GetInt64()).Order(), entries.Select(e => e.GetProperty("index").GetInt64()));
        Assert.Equal("op.registered.v1", entries[0].GetProperty("event").GetString());
        Assert.Equal(["agreement", "application", "data-request", "operator"], entries.Select(e => e.GetProperty("kind").GetString()).Distinct().Order());
        Assert.DoesNotContain(entries, e => e.GetProperty("entityId").GetString() == provisioned[other].Agreement);
        var terminated = entries.Single(e => e.GetProperty("event").GetString() == "agr.terminated.v1");
        Assert.Equal((agreement, "authority", authority, "exit condition met, clause 3"),
            (terminated.GetProperty("entityId").GetString(), terminated.GetProperty("byRole").GetString(), terminated.GetProperty("byOrg").GetString(), terminated.GetProperty("reason").GetString()));
        Assert.Matches("^[0-9a-f]{64}$", terminated.GetProperty("hash").GetString());
        Assert.Equal("exit condition met, clause 3", terminated.GetProperty("details").GetProperty("reason").GetString());
        Assert.Contains(entries, e => e.GetProperty("event").GetString() == "agr.drafted.v1" && e.GetProperty("entityId").GetString() == agreement);

        // The same record for the operator itself and the authority; not for another operator or a provider.
        // (Read again, it starts with the same links; anything after them is newer.)
        var own = (await _api.Get(await _p.Token("operator", op), $"/api/operators/{op}/record")).Expect(200).Json.EnumerateArray().ToArray();
        Assert.Equal(entries.Select(e => e.GetProperty("hash").GetString()), own.Take(entries.Length).Select(e => e.GetProperty("hash").GetString()));
        (await _api.Get(await _p.Token("authority", "any-district-bdb"), $"/api/operators/{op}/record")).Expect(200);
        (await _api.Get(await _p.Token("operator", other), $"/api/operators/{op}/record")).ExpectProblem(403, "forbidden");
        (await _api.Get(await _p.Token("provider", provider), $"/api/operators/{op}/record")).ExpectProblem(403, "forbidden");

        var csv = (await _api.Get(regulator, $"/api/operators/{op}/record", accept: "text/csv")).Expect(200);
        Assert.StartsWith("text/csv", csv.ContentType);
        var rows = ParseCsv(csv.Text);
        Assert.Equal(["index", "at", "kind", "entityId", "event", "byRole", "byOrg", "reason", "hash", "details"], rows[0]);
        Assert.True(rows.Count - 1 >= entries.Length);
        var row = rows.Single(r => r[4] == "agr.terminated.v1");
        Assert.Equal((agreement, "authority", "exit condition met, clause 3", terminated.GetProperty("hash").GetString()), (row[3], row[5], row[7], row[8]));
        Assert.Equal("exit condition met, clause 3", JsonDocument.Parse(row[9]).RootElement.GetProperty("reason").GetString());
        Assert.Contains("\"exit condition met, clause 3\"", csv.Text); // a field with a comma is quoted (RFC 4180)
        Assert.EndsWith("\r\n", csv.Text);
    }

    private static async Task<T> Eventually<T>(Func<Task<T>> probe) => await Wait.Eventually(probe);

    /// <summary>RFC 4180 read back: quoted fields, doubled quotes, CRLF between records.</summary>
    public static List<string[]> ParseCsv(string text)
    {
        var rows = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                fields.Add(field.ToString());
                field.Clear();
                rows.Add(fields.ToArray());
                fields.Clear();
                i++;
            }
            else field.Append(c);
        }
        return rows;
    }
}

/// <summary>The hash chain keeps up with a burst and names the exact row changed behind the platform's back (Art. 17).</summary>
public sealed class AuditChainTamperTests(HostFixture fixture, ITestOutputHelper output) : IClassFixture<HostFixture>
{
    private readonly ApiClient _api = fixture.Api;
    private readonly Procedure _p = fixture.Procedure;

    [Fact]
    public async Task The_chain_keeps_up_with_a_burst_is_valid_untouched_and_a_changed_row_is_named_exactly()
    {
        const int Burst = 300;
        var op = Unique("op-burst");
        await _p.Operator(op);
        var token = await _p.Token("operator", op);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Burst).Select(async n =>
            (await _api.Post(token, $"/api/operators/{op}/security-reports", new { period = $"p{n}", summary = "all well" })).Expect(201)));
        var written = clock.Elapsed;

        var authority = await _p.Token("authority", "audit-bdb");
        var expected = GovernanceEvents();
        Assert.True(expected >= Burst + 1);
        var verdict = await Wait.Eventually(async () =>
        {
            var v = (await _api.Get(authority, "/api/audit/verify")).Expect(200);
            Assert.Equal(expected, v["records"].GetInt64());
            return v;
        });
        output.WriteLine($"{Burst} reports answered in {written.TotalMilliseconds:F0} ms; {expected} links in the chain after {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.True(verdict["valid"].GetBoolean());
        Assert.False(verdict.Json.TryGetProperty("firstBrokenAt", out var none) && none.ValueKind != JsonValueKind.Null);

        // Reading the whole chain per request: what it costs at this size.
        var timed = Stopwatch.StartNew();
        (await _api.Get(await _p.Token("regulator", "cac-jinan"), "/api/audit/verify")).Expect(200);
        output.WriteLine($"verify over {expected} links: {timed.ElapsedMilliseconds} ms");

        var k = expected / 2;
        Tamper(k);
        var broken = (await _api.Get(authority, "/api/audit/verify")).Expect(200);
        Assert.False(broken["valid"].GetBoolean());
        Assert.Equal(k, broken["firstBrokenAt"].GetInt64());
    }

    /// <summary>The governance events in the journal: every event of an audited kind (not snapshots, not the
    /// Idempotency-Key records, the projection's offsets, the activity logs or the chain itself).</summary>
    private long GovernanceEvents()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT COUNT(*) FROM journal WHERE persistence_id <> 'audit-chain' AND (
              manifest LIKE 'ds.%' OR manifest LIKE 'op.%' OR manifest LIKE 'call.%' OR manifest LIKE 'app.%' OR manifest LIKE 'agr.%'
              OR manifest LIKE 'req.%' OR manifest LIKE 'inc.%' OR manifest = 'mon.alerts-raised.v1')
            """;
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Changes one character of link <paramref name="k"/>'s event, straight in the database (in the journal row
    /// of the batch that holds it); the row stays readable JSON.</summary>
    private void Tamper(long k)
    {
        using var connection = Open();
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT ordering, message FROM journal WHERE persistence_id = 'audit-chain' ORDER BY sequence_number";
        var rows = new List<(long Ordering, string Json)>();
        using (var reader = read.ExecuteReader())
            while (reader.Read()) rows.Add((reader.GetInt64(0), Encoding.UTF8.GetString((byte[])reader[1])));
        var (ordering, json) = rows.Single(r => JsonNode.Parse(r.Json)!["links"]!.AsArray().Any(l => l!["index"]!.GetValue<long>() == k));
        // The k-th link's event as the row stores it (a JSON string; each report's period makes it unique in the row).
        var link = JsonNode.Parse(json)!["links"]!.AsArray().Single(l => l!["index"]!.GetValue<long>() == k)!;
        var eventText = JsonSerializer.Serialize(link["event"]!.GetValue<string>());
        var at = json.IndexOf(eventText, StringComparison.Ordinal);
        Assert.True(at >= 0 && json.IndexOf(eventText, at + 1, StringComparison.Ordinal) < 0, $"link {k}'s event is found once in its row");
        var target = at + eventText.IndexOf("all well", StringComparison.Ordinal);
        var changed = json[..target] + 'x' + json[(target + 1)..];
        JsonDocument.Parse(changed).Dispose(); // still JSON
        using var write = connection.CreateCommand();
        write.CommandText = "UPDATE journal SET message = $m WHERE ordering = $o";
        write.Parameters.AddWithValue("$m", Encoding.UTF8.GetBytes(changed));
        write.Parameters.AddWithValue("$o", ordering);
        Assert.Equal(1, write.ExecuteNonQuery());
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={fixture.Host.DatabasePath};Pooling=False;Default Timeout=30");
        connection.Open();
        using var busy = connection.CreateCommand();
        busy.CommandText = "PRAGMA busy_timeout = 30000";
        busy.ExecuteNonQuery();
        return connection;
    }
}
