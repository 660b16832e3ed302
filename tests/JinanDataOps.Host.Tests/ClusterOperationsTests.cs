using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using JinanDataOps.Host.Tests.Infrastructure;
using static JinanDataOps.Host.Tests.Infrastructure.Procedure;

namespace JinanDataOps.Host.Tests;

/// <summary>The operations endpoints on a single node (issue 13, API.md "Operations"): the members, the shards and
/// the live summary, for the authority, maintainers and regulators only.</summary>
public sealed class ClusterOperationsTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private readonly ApiClient _api = fixture.Api;
    private readonly Procedure _p = fixture.Procedure;

    [Fact]
    public async Task Members_shows_the_one_node_up_with_its_roles_as_leader_oldest_and_singleton_host()
    {
        var members = (await _api.Get(await _api.Token("maintainer", "ops-team"), "/cluster/members")).Expect(200);
        var self = members.Str("answeredBy");
        var member = Assert.Single(members["members"].EnumerateArray());
        Assert.Equal(self, member.GetProperty("address").GetString());
        Assert.Equal("up", member.GetProperty("status").GetString());
        Assert.Equal(["api", "entities", "monitoring"], member.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Order());
        Assert.True(member.GetProperty("reachable").GetBoolean());
        Assert.True(member.GetProperty("self").GetBoolean());
        Assert.True(member.GetProperty("leader").GetBoolean());
        Assert.True(member.GetProperty("oldest").GetBoolean());
        Assert.Equal(1, member.GetProperty("ageRank").GetInt32());
        Assert.Equal(["api", "entities", "monitoring"], member.GetProperty("oldestFor").EnumerateArray().Select(r => r.GetString()).Order());
        // The node saw itself come Up (it started before it joined), a moment before this request.
        Assert.Equal("observed", member.GetProperty("upSinceBasis").GetString());
        var upSince = member.GetProperty("upSince").GetDateTimeOffset();
        Assert.InRange(upSince, DateTimeOffset.UtcNow.AddMinutes(-10), members["at"].GetDateTimeOffset());
        Assert.Equal((self, self, self), (members.Str("leader"), members.Str("oldest"), members.Str("singletonHost")));
        Assert.Contains(members["oldestByRole"].EnumerateArray(), r => r.GetProperty("role").GetString() == "entities" && r.GetProperty("address").GetString() == self);
    }

    [Fact]
    public async Task Shards_show_the_operator_region_with_the_registered_operators_on_this_node()
    {
        var operators = Enumerable.Range(0, 3).Select(_ => Unique("op-sharded")).ToArray();
        foreach (var op in operators) await _p.Operator(op);
        var regulator = await _api.Token("regulator", "cac-jinan");

        var shards = (await _api.Get(regulator, "/cluster/shards")).Expect(200);
        var self = shards.Str("answeredBy");
        Assert.True(shards["complete"].GetBoolean(), shards.Text);
        var regions = shards["regions"].EnumerateArray().ToDictionary(r => r.GetProperty("region").GetString()!);
        // Every entity kind has its region, and the monitoring lanes theirs.
        foreach (var kind in new[] { "operator", "agreement", "call", "data-request", "monitor-lane" }) Assert.Contains(kind, regions.Keys);
        Assert.Equal("monitoring", regions["monitor-lane"].GetProperty("role").GetString());
        var region = regions["operator"];
        Assert.True(region.GetProperty("answered").GetBoolean());
        Assert.Equal("entities", region.GetProperty("role").GetString());
        var node = Assert.Single(region.GetProperty("nodes").EnumerateArray());
        Assert.Equal(self, node.GetProperty("address").GetString());
        // Entities stay live for two idle minutes (EntitySettings.PassivateAfter): at least the three just registered.
        Assert.True(node.GetProperty("entities").GetInt32() >= operators.Length, region.ToString());
        Assert.Equal(node.GetProperty("entities").GetInt32(), node.GetProperty("shardList").EnumerateArray().Sum(s => s.GetProperty("entities").GetInt32()));
        Assert.Equal(node.GetProperty("shards").GetInt32(), node.GetProperty("shardList").GetArrayLength());
        Assert.Equal(region.GetProperty("entities").GetInt32(), node.GetProperty("entities").GetInt32());
    }

    [Fact]
    public async Task The_live_stream_starts_with_a_snapshot_then_brings_the_alert_the_suspension_and_summaries()
    {
        var authority = Unique("city");
        var provider = Unique("bureau");
        var data = Unique("bus-trips");
        var op = Unique("op-watched");
        await _p.Dataset(provider, data, "transport", ("line", false), ("boardings", false));
        var setup = await _p.Provisioned(authority, provider, data, [op], "trip-dashboard");
        var (agreement, requests) = setup[op];

        using var http = new HttpClient { BaseAddress = _api.Host.BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/cluster/events");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await _api.Token("authority", "city-supervision"));
        using var live = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("text/event-stream", live.Content.Headers.ContentType?.MediaType);
        var events = new SseReader(await live.Content.ReadAsStreamAsync());

        var snapshot = await events.Next(e => e.Name == "snapshot", Wait.DefaultTimeout);
        Assert.Single(snapshot.Data.GetProperty("members").GetProperty("members").EnumerateArray());
        Assert.Contains(snapshot.Data.GetProperty("summary").GetProperty("regions").EnumerateArray(), r => r.GetProperty("region").GetString() == "operator");
        Assert.True(snapshot.Data.GetProperty("suspensions").GetProperty("known").GetBoolean());

        // An export attempt: a critical alert, and the agreement suspended by policy (Art. 15, 18).
        var batch = string.Join("\n", SandboxMonitoringTests.Event(op, requests[0], data, kind: "export", rows: 50_000));
        var accepted = (await _api.PostRaw(await _api.Token("sandbox", "sandbox-1"), "/api/sandbox/events", batch, "application/x-ndjson")).Expect(202);
        var alertId = Assert.Single(accepted["acted"].EnumerateArray()).GetString()!;

        // The alert and the suspensions reach the stream through the read side's journal queries. Under the whole suite
        // on two busy cores those once lagged more than the usual ceiling (saw: one suspension, then only summaries for
        // 30 s): they get a longer one. Still a ceiling on an event, never a wait for time to pass.
        var throughTheJournal = Wait.DefaultTimeout * 3;
        var alert = await events.Next(e => e.Name == "alert" && e.Data.GetProperty("id").GetString() == alertId, throughTheJournal);
        Assert.Equal(("critical", op), (alert.Data.GetProperty("severity").GetString(), alert.Data.GetProperty("operatorId").GetString()));
        var suspension = await events.Next(e => e.Name == "suspension" && e.Data.GetProperty("id").GetString() == agreement, throughTheJournal);
        Assert.Equal(("agreement", true, op), (suspension.Data.GetProperty("kind").GetString(), suspension.Data.GetProperty("suspended").GetBoolean(),
            suspension.Data.GetProperty("operatorId").GetString()));
        await events.Next(e => e.Name == "suspension" && e.Data.GetProperty("kind").GetString() == "operator" && e.Data.GetProperty("id").GetString() == op,
            throughTheJournal);
        // Summaries come every 5 s; this node has executed commands (the procedure above went through it).
        var summary = await events.Next(e => e.Name == "summary", Wait.DefaultTimeout);
        Assert.True(summary.Data.GetProperty("commandsExecuted").GetInt64() > 0, summary.Data.ToString());
        Assert.Equal(1, summary.Data.GetProperty("membersByStatus").GetProperty("up").GetInt32());

        // A stream opened now lists the suspension in its snapshot.
        var again = await Snapshot(await _api.Token("regulator", "cac-jinan"));
        Assert.Contains(again.GetProperty("suspensions").GetProperty("current").EnumerateArray(),
            s => s.GetProperty("kind").GetString() == "agreement" && s.GetProperty("id").GetString() == agreement);
    }

    [Theory]
    [InlineData("/cluster/members")]
    [InlineData("/cluster/shards")]
    [InlineData("/cluster/events")]
    public async Task Only_the_authority_maintainers_and_regulators_may_and_only_with_a_token(string path)
    {
        (await _api.Get(null, path)).ExpectProblem(401, "unauthenticated");
        foreach (var role in new[] { "operator", "provider", "expert", "sandbox", "public" })
            (await _api.Get(await _api.Token(role, Unique("org")), path)).ExpectProblem(403, "forbidden", "maintainers");
    }

    private async Task<JsonElement> Snapshot(string token)
    {
        using var http = new HttpClient { BaseAddress = _api.Host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/cluster/events");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var live = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        return (await new SseReader(await live.Content.ReadAsStreamAsync()).Next(e => e.Name == "snapshot", Wait.DefaultTimeout)).Data;
    }
}

/// <summary>Reads Server-Sent Events: the <c>event:</c> name and the JSON of its <c>data:</c> line; comments are skipped.</summary>
public sealed class SseReader(Stream stream)
{
    private readonly StreamReader _reader = new(stream);

    public sealed record Event(string Name, JsonElement Data);

    public async Task<Event> Next(Func<Event, bool> wanted, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var seen = new List<string>();
        try
        {
            while (true)
            {
                var e = await Read(cts.Token);
                if (wanted(e)) return e;
                seen.Add(e.Name);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no such event within {timeout}; saw: {string.Join(", ", seen)}");
        }
    }

    private async Task<Event> Read(CancellationToken ct)
    {
        string? name = null, data = null;
        while (true)
        {
            var line = await _reader.ReadLineAsync(ct) ?? throw new InvalidOperationException("the event stream ended");
            if (line.Length == 0)
            {
                if (name is not null && data is not null) return new Event(name, JsonDocument.Parse(data).RootElement.Clone());
                name = data = null;
                continue;
            }
            if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line["event: ".Length..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal)) data = line["data: ".Length..];
        }
    }
}
