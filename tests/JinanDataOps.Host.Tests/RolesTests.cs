using JinanDataOps.Actors.Hosting;
using JinanDataOps.Host.Tests.Infrastructure;
using JinanDataOps.Tests.Shared;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;
using Npgsql;
using System.Net;
using System.Net.Sockets;
using Xunit.Abstractions;
using static JinanDataOps.Host.Tests.Infrastructure.Procedure;

namespace JinanDataOps.Host.Tests;

/// <summary>Roles and topology (issue 12, item 4) with three processes over one PostgreSQL database: an `api` node
/// that hosts nothing, and two `entities` + `monitoring` nodes that host the entities, the singletons and the lanes.
/// The API node serves a procedure and the sandbox's monitoring for entities hosted elsewhere; the other two serve no
/// API. PostgreSQL: <see cref="TestPostgres"/>.</summary>
public sealed class RolesTests(ITestOutputHelper output) : IAsyncLifetime
{
    private HostProcess _apiNode = null!;
    private readonly List<HostProcess> _entityNodes = [];
    private ApiClient _api = null!;
    private readonly List<ApiClient> _entityApis = [];
    private string? _server;
    private string? _database;

    public async Task InitializeAsync()
    {
        _server = TestPostgres.Server();
        if (_server is null) return;
        _database = await TestPostgres.CreateDatabase(_server, "jdo_roles");
        var journal = TestPostgres.ConnectionString(_server, _database, maxPoolSize: 30);
        var ports = Enumerable.Range(0, 3).Select(_ => Ports.Free()).ToArray();
        HostProcess Node(int i, params string[] roles)
        {
            var env = new Dictionary<string, string>
            {
                ["Persistence__Provider"] = "postgresql",
                ["Persistence__ConnectionString"] = journal,
                ["Cluster__Hostname"] = "127.0.0.1",
                ["Cluster__Port"] = ports[i].ToString(),
            };
            // The API node is the first seed: started alone, it forms the cluster by itself.
            for (var s = 0; s < 3; s++) env[$"Cluster__SeedNodes__{s}"] = $"akka.tcp://jinandataops@127.0.0.1:{ports[s]}";
            for (var r = 0; r < roles.Length; r++) env[$"Cluster__Roles__{r}"] = roles[r];
            return new HostProcess(env);
        }
        _apiNode = Node(0, PlatformOptions.ApiRole);
        _api = new ApiClient(_apiNode);
        for (var i = 1; i < 3; i++)
        {
            var node = Node(i, PlatformOptions.EntityRole, PlatformOptions.MonitoringRole);
            _entityNodes.Add(node);
            _entityApis.Add(new ApiClient(node));
        }
    }

    public async Task DisposeAsync()
    {
        _api?.Dispose();
        foreach (var api in _entityApis) api.Dispose();
        if (_apiNode is not null) await _apiNode.DisposeAsync();
        foreach (var node in _entityNodes) await node.DisposeAsync();
        await TestPostgres.DropDatabase(_server, _database);
    }

    [Fact]
    public async Task An_api_node_hosts_no_entity_and_serves_a_procedure_and_the_sandbox_for_entities_hosted_elsewhere()
    {
        if (_server is null)
        {
            output.WriteLine("skipped on request (JDO_SKIP_POSTGRES=1)");
            return;
        }
        var authority = Unique("ro-city");
        var provider = Unique("ro-bureau");
        var dataset = Unique("ro-trips");
        var op = Unique("ro-op");

        // The API node alone: an Up member, but not ready — no member hosts the entities it would serve.
        await _apiNode.StartAsync(TimeSpan.FromSeconds(120), probePath: "health/live");
        await _api.Eventually(async () => (await _api.Get(null, "/health/ready")).ExpectProblem(503, "not-ready", "role 'entities'"), TimeSpan.FromSeconds(60));
        // And it hosts none itself: a request for an operator that does not exist is not answered 404 by a local entity
        // — the region proxy holds it until the ask runs out (a shard hosted here would answer at once).
        (await _api.Get(await _api.Token("authority", authority), $"/api/operators/{Unique("ro-nobody")}")).ExpectProblem(503, "overloaded");

        // A console follows the cluster live through the API node before the others join (issue 13, GET /cluster/events).
        var maintainer = await _api.Token("maintainer", "ro-ops");
        using var console = new HttpClient { BaseAddress = _apiNode.BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
        using var follow = new HttpRequestMessage(HttpMethod.Get, "/cluster/events");
        follow.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", maintainer);
        using var live = await console.SendAsync(follow, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        var events = new SseReader(await live.Content.ReadAsStreamAsync());
        var snapshot = await events.Next(e => e.Name == "snapshot", Wait.DefaultTimeout);
        Assert.Single(snapshot.Data.GetProperty("members").GetProperty("members").EnumerateArray());

        // The entity nodes join; the API node becomes ready.
        await Task.WhenAll(_entityNodes.Select(n => n.StartAsync(TimeSpan.FromSeconds(120))));
        var ready = await _api.Eventually(async () => (await _api.Get(null, "/health/ready")).Expect(200), TimeSpan.FromSeconds(60));
        Assert.Equal(new[] { PlatformOptions.ApiRole }, ready["roles"].EnumerateArray().Select(r => r.GetString()));
        // The console saw both come Up.
        var cameUp = new HashSet<string>();
        while (cameUp.Count < 2)
            cameUp.Add((await events.Next(e => e.Name == "member" && e.Data.GetProperty("change").GetString() == "up", Wait.DefaultTimeout))
                .Data.GetProperty("address").GetString()!);
        await ClusterWarmUp.UntilEveryKindAnswers(_api);

        // The procedure through the API node alone: dataset, operator, call, applications, reviews, shortlist, agreement,
        // a data request approved twice — every entity on the other two nodes.
        var p = new Procedure(_api);
        await p.Dataset(provider, dataset, "transport", ("line", false), ("boardings", false));
        var (agreement, requests) = (await p.Provisioned(authority, provider, dataset, [op], "ro-dashboard"))[op];
        // The API node's own catalog view lists what the other nodes wrote (it follows the shared journal).
        var authorityToken = await _api.Token("authority", authority);
        await _api.Eventually(async () => Assert.Contains((await _api.Get(authorityToken, "/api/datasets")).Expect(200).Json.EnumerateArray(),
            d => d.GetProperty("id").GetString() == dataset));

        // The sandbox reports through the API node; the lanes on the other nodes judge; the loop closes there.
        var batch = string.Join("\n", SandboxMonitoringTests.Event(op, requests[0], dataset),
            SandboxMonitoringTests.Event(op, requests[0], dataset, kind: "export", rows: 50_000));
        var accepted = (await _api.PostRaw(await _api.Token("sandbox", "sandbox-1"), "/api/sandbox/events", batch, "application/x-ndjson")).Expect(202);
        Assert.Equal(1, accepted["critical"].GetInt32());
        var alertId = Assert.Single(accepted["acted"].EnumerateArray()).GetString()!;
        await p.UntilRequestState(requests[0], authority, "suspended");
        await _api.UntilState(authorityToken, $"/api/agreements/{agreement}", "suspended");
        // The API node's monitoring view sees the alert the lanes recorded elsewhere.
        await _api.Eventually(async () => Assert.Contains((await _api.Get(authorityToken, $"/api/alerts?operatorId={op}&severity=critical")).Expect(200).Json.EnumerateArray(),
            a => a.GetProperty("id").GetString() == alertId));

        // The operations endpoints through the API node (issue 13): it sees all three members, and its region proxies
        // answer the cluster sharding statistics (they ask the regions' coordinators) although it hosts no shard.
        var members = (await _api.Get(maintainer, "/cluster/members")).Expect(200);
        var self = members.Str("answeredBy");
        Assert.Equal(3, members["members"].GetArrayLength());
        Assert.All(members["members"].EnumerateArray(), m => Assert.Equal(("up", true), (m.GetProperty("status").GetString(), m.GetProperty("reachable").GetBoolean())));
        var others = members["members"].EnumerateArray().Where(m => !m.GetProperty("self").GetBoolean()).ToArray();
        var entityNodes = others.Select(m => m.GetProperty("address").GetString()!).ToHashSet();
        Assert.All(others, m => Assert.Equal(["entities", "monitoring"], m.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Order()));
        // The API node formed the cluster, so it is the oldest; the singletons run on the oldest `entities` member.
        Assert.Equal(self, members.Str("oldest"));
        Assert.Contains(members.Str("singletonHost"), entityNodes);
        // The entity nodes came Up after the API node: it saw them do so.
        Assert.All(others, m => Assert.Equal("observed", m.GetProperty("upSinceBasis").GetString()));
        Assert.True(cameUp.SetEquals(entityNodes), $"member events 'up' for [{string.Join(", ", cameUp)}]");
        // Operators registered through the API node until the operator region's shards are on both entity nodes (the
        // coordinator allocates each new shard to the region with the fewest); never on the API node.
        await _api.Eventually(async () =>
        {
            await p.Operator(Unique("ro-spread"));
            var shards = (await _api.Get(maintainer, "/cluster/shards")).Expect(200);
            Assert.Equal(self, shards.Str("answeredBy"));
            Assert.True(shards["complete"].GetBoolean(), shards.Text);
            var region = shards["regions"].EnumerateArray().Single(r => r.GetProperty("region").GetString() == "operator");
            var hosting = region.GetProperty("nodes").EnumerateArray().Where(n => n.GetProperty("shards").GetInt32() > 0)
                .Select(n => n.GetProperty("address").GetString()!).ToHashSet();
            Assert.True(hosting.SetEquals(entityNodes), $"operator shards on [{string.Join(", ", hosting)}], expected on [{string.Join(", ", entityNodes)}]");
        }, TimeSpan.FromSeconds(60));

        // The entity nodes serve no API: health only, and they say so at start.
        foreach (var (node, api) in _entityNodes.Zip(_entityApis))
        {
            var health = (await api.Get(null, "/health/ready")).Expect(200);
            Assert.Equal(new[] { PlatformOptions.EntityRole, PlatformOptions.MonitoringRole }, health["roles"].EnumerateArray().Select(r => r.GetString()).Order()); // a set: no order
            (await api.Get(authorityToken, $"/api/operators/{op}")).ExpectProblem(404, "not-found", "no route");
            (await api.Post(null, "/dev/tokens", new { role = "authority", org = authority })).ExpectProblem(404, "not-found");
            (await api.Get(null, "/openapi/v1.json")).ExpectProblem(404, "not-found");
            Assert.Contains("the /api routes are not mapped here", Log(node));
        }
    }

    private static string Log(HostProcess node)
    {
        using var reader = new StreamReader(new FileStream(node.LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
        return reader.ReadToEnd();
    }

}

/// <summary>The roles a node is configured with (<c>Cluster:Roles</c>): all three unless given, only known names.</summary>
public sealed class RoleSettingsTests
{
    private static HostSettings Read(params (string Key, string Value)[] values) => Settings.Read(values);

    [Fact]
    public void A_node_with_no_roles_configured_holds_all_three() =>
        Assert.Equal(new[] { "api", "entities", "monitoring" }, Read().Platform.Roles);

    [Fact]
    public void Roles_are_read_from_an_array_or_a_comma_separated_value()
    {
        Assert.Equal(new[] { "api", "monitoring" }, Read(("Cluster:Roles:0", "monitoring"), ("Cluster:Roles:1", "api"), ("Cluster:Roles:2", "api")).Platform.Roles);
        Assert.Equal(new[] { "entities", "monitoring" }, Read(("Cluster:Roles", "monitoring, entities")).Platform.Roles);
    }

    [Theory]
    [InlineData("web")]
    [InlineData("Entities")]
    public void An_unknown_role_stops_the_start_naming_the_roles_there_are(string role)
    {
        var failed = Assert.Throws<InvalidOperationException>(() => Read(("Cluster:Roles:0", "api"), ("Cluster:Roles:1", role)));
        Assert.Contains($"Cluster:Roles '{role}' is not a role", failed.Message);
        Assert.Contains("api, entities, monitoring", failed.Message);
    }

    /// <summary>Configuration arrays merge by index: roles listed in a shipped file would survive beside a shorter list
    /// given over it (<c>Cluster__Roles__0=api</c> over three roles is still three roles), so the shipped files list none.</summary>
    [Fact]
    public void Roles_given_over_the_shipped_configuration_files_are_the_roles_the_node_gets()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !Directory.Exists(Path.Combine(root.FullName, "cluster-config"))) root = root.Parent;
        Assert.NotNull(root);
        HostSettings Layered(params (string Key, string Value)[] values) => HostSettings.Read(
            new ConfigurationBuilder()
                .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"))
                .AddJsonFile(Path.Combine(root.FullName, "cluster-config", "single-node.json"))
                .AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))
                    .Append(KeyValuePair.Create("Auth:SigningKey", (string?)new string('k', 32)))
                    .Append(KeyValuePair.Create("Persistence:Provider", (string?)"memory")))
                .Build(),
            new HostingEnvironment { EnvironmentName = "Development" });
        Assert.Equal(PlatformOptions.AllRoles, Layered().Platform.Roles);
        Assert.Equal(new[] { "api" }, Layered(("Cluster:Roles:0", "api")).Platform.Roles);
        Assert.Equal(new[] { "entities" }, Layered(("Cluster:Roles", "entities")).Platform.Roles);
    }

    [Fact]
    public async Task A_host_with_an_unknown_role_does_not_start_and_says_why()
    {
        await using var host = new HostProcess(new Dictionary<string, string> { ["Cluster__Roles__0"] = "api", ["Cluster__Roles__1"] = "worker" });
        var failed = await Assert.ThrowsAsync<HostFailedException>(() => host.StartAsync(TimeSpan.FromSeconds(60)));
        Assert.True(failed.Exited);
        Assert.Contains("Cluster:Roles 'worker' is not a role: a node holds one or more of api, entities, monitoring", failed.Message);
    }
}
