using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Akka.Cluster;
using JinanDataOps.Actors.Hosting;
using JinanDataOps.Host.Tests.Infrastructure;
using JinanDataOps.Tests.Shared;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;
using Npgsql;
using Xunit.Abstractions;
using static JinanDataOps.Host.Tests.Infrastructure.Procedure;

namespace JinanDataOps.Host.Tests;

/// <summary>Cluster:Discovery=config (issue 12, item 5; cluster-config/README.md, "Discovery"): three host processes over one
/// PostgreSQL database with no seed nodes and no fixed remoting port — only the list of their management endpoints — form
/// one cluster through Akka.Management's Cluster Bootstrap. The node that formed it (the lowest endpoint), killed and
/// started again, joins the survivors' cluster instead of forming a second one.</summary>
public sealed class DiscoveryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly List<HostProcess> _nodes = [];
    private readonly List<ApiClient> _apis = [];
    private readonly List<int> _managementPorts = [];
    private readonly HttpClient _management = new() { Timeout = TimeSpan.FromSeconds(5) };
    private string? _server;
    private string? _database;

    public async Task InitializeAsync()
    {
        _server = TestPostgres.Server();
        if (_server is null) return;
        _database = await TestPostgres.CreateDatabase(_server, "jdo_discovery");
        var journal = TestPostgres.ConnectionString(_server, _database, maxPoolSize: 30);
        _managementPorts.AddRange(Enumerable.Range(0, 3).Select(_ => Ports.Free()));
        for (var i = 0; i < 3; i++)
        {
            var env = new Dictionary<string, string>
            {
                ["Persistence__Provider"] = "postgresql",
                ["Persistence__ConnectionString"] = journal,
                ["Cluster__Hostname"] = "127.0.0.1",
                // Any free remoting port: the nodes learn each other's addresses from their management endpoints.
                ["Cluster__Port"] = "0",
                ["Cluster__Discovery"] = "config",
                ["Cluster__ManagementPort"] = _managementPorts[i].ToString(),
            };
            for (var e = 0; e < 3; e++) env[$"Cluster__Discovery__Endpoints__{e}"] = $"127.0.0.1:{_managementPorts[e]}";
            var node = new HostProcess(env);
            _nodes.Add(node);
            _apis.Add(new ApiClient(node));
        }
        // Together: a new cluster is formed only once every listed endpoint has answered, so each waits for the others.
        await Task.WhenAll(_nodes.Select(n => n.StartAsync(TimeSpan.FromSeconds(120))));
        foreach (var api in _apis) await ClusterWarmUp.UntilEveryKindAnswers(api);
    }

    public async Task DisposeAsync()
    {
        _management.Dispose();
        foreach (var api in _apis) api.Dispose();
        foreach (var node in _nodes) await node.DisposeAsync();
        await TestPostgres.DropDatabase(_server, _database);
    }

    [Fact]
    public async Task Nodes_without_seed_nodes_form_one_cluster_from_their_management_endpoints_and_a_restarted_former_joins_it_again()
    {
        if (_server is null)
        {
            output.WriteLine("skipped on request (JDO_SKIP_POSTGRES=1)");
            return;
        }
        // Every node is ready (an Up member), and every node sees the same three members: one cluster, not three.
        var addresses = new List<string>();
        foreach (var api in _apis) addresses.Add((await api.Get(null, "/health/ready")).Expect(200).Str("member"));
        Assert.Equal(3, addresses.Distinct().Count());
        for (var i = 0; i < 3; i++)
        {
            var node = i;
            await _apis[node].Eventually(async () => Assert.Equal(addresses.Order(StringComparer.Ordinal), await UpMembers(node)), TimeSpan.FromSeconds(60));
        }

        // The shards answer through any node: registered through node 1, read through nodes 2 and 3.
        var op = Unique("disc-op");
        (await _apis[0].PostCreate(await _apis[0].Token("operator", op), "/api/operators", OperatorBody(op))).Expect(201);
        (await _apis[1].Get(await _apis[1].Token("operator", op), $"/api/operators/{op}")).Expect(200);
        (await _apis[2].Get(await _apis[2].Token("operator", op), $"/api/operators/{op}")).Expect(200);

        // The lowest endpoint formed the cluster. Killed and started again, it finds no cluster of its own to form: the
        // survivors' endpoints name their members and it joins them (as a node the resolver downed does when restarted).
        var former = _managementPorts.IndexOf(_managementPorts.Min());
        var survivors = Enumerable.Range(0, 3).Where(i => i != former).ToArray();
        _nodes[former].Kill();
        foreach (var s in survivors)
            await _apis[s].Eventually(async () => Assert.DoesNotContain(addresses[former], await UpMembers(s)), TimeSpan.FromSeconds(60));
        await _nodes[former].StartAsync(TimeSpan.FromSeconds(120));
        var rejoined = (await _apis[former].Get(null, "/health/ready")).Expect(200).Str("member");
        Assert.NotEqual(addresses[former], rejoined); // a new incarnation on a new remoting port
        var expected = survivors.Select(s => addresses[s]).Append(rejoined).Order(StringComparer.Ordinal).ToArray();
        foreach (var node in Enumerable.Range(0, 3))
            await _apis[node].Eventually(async () => Assert.Equal(expected, await UpMembers(node)), TimeSpan.FromSeconds(60));
        await _apis[former].Eventually(async () =>
            (await _apis[former].Get(await _apis[former].Token("operator", op), $"/api/operators/{op}")).Expect(200), TimeSpan.FromSeconds(60));
        output.WriteLine($"members after the restart: {string.Join(", ", expected)}");
    }

    /// <summary>The Up members a node's management endpoint reports (Cluster Bootstrap's own question to its contact
    /// points: GET /bootstrap/seed-nodes lists the members of the node's cluster), as akka.tcp addresses, sorted.</summary>
    private async Task<string[]> UpMembers(int node)
    {
        var text = await _management.GetStringAsync($"http://127.0.0.1:{_managementPorts[node]}/bootstrap/seed-nodes");
        using var json = JsonDocument.Parse(text);
        return json.RootElement.GetProperty("Nodes").EnumerateArray()
            .Where(m => m.GetProperty("Status").GetInt32() == (int)MemberStatus.Up)
            .Select(m => m.GetProperty("Node"))
            .Select(a => $"{a.GetProperty("Protocol").GetString()}://{a.GetProperty("System").GetString()}@{a.GetProperty("Host").GetString()}:{a.GetProperty("Port").GetInt32()}")
            .Order(StringComparer.Ordinal).ToArray();
    }

}

/// <summary>The discovery keys as the host reads them (HostSettings): a mistake stops the start with the reason instead of
/// leaving a node that waits for a cluster that never forms.</summary>
public sealed class DiscoverySettingsTests
{
    private static HostSettings Read(params (string Key, string Value)[] values)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(
            values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))
                .Append(new KeyValuePair<string, string?>("Persistence:Provider", "memory"))
                .Append(new KeyValuePair<string, string?>("Auth:SigningKey", new string('k', 32)))).Build();
        return HostSettings.Read(config, new HostingEnvironment { EnvironmentName = "Production" });
    }

    [Fact]
    public void Seeds_is_the_default_and_the_management_port_is_8558()
    {
        var platform = Read(("Cluster:SeedNodes:0", "akka.tcp://jinandataops@10.0.0.1:4053")).Platform;
        Assert.Equal(ClusterDiscovery.Seeds, platform.Discovery);
        Assert.Empty(platform.DiscoveryEndpoints);
        Assert.Equal(8558, platform.ManagementPort);
    }

    [Fact]
    public void Config_discovery_reads_its_endpoints_and_management_port_from_environment_style_keys()
    {
        // Empty seed nodes count as none: cluster-config/compose.discovery.yaml blanks the seeds compose.yaml sets.
        var platform = Read(("Cluster:Discovery", "config"), ("Cluster:ManagementPort", "9558"), ("Cluster:SeedNodes:0", ""),
            ("Cluster:Discovery:Endpoints:0", "node1:9558"), ("Cluster:Discovery:Endpoints:1", "node2:9558")).Platform;
        Assert.Equal(ClusterDiscovery.Config, platform.Discovery);
        Assert.Equal(["node1:9558", "node2:9558"], platform.DiscoveryEndpoints);
        Assert.Equal(9558, platform.ManagementPort);
        Assert.Empty(platform.SeedNodes);
    }

    [Fact]
    public void A_json_file_names_the_method_beside_the_endpoints_and_may_list_them_in_one_value()
    {
        var platform = Read(("Cluster:Discovery:Method", "Config"), ("Cluster:Discovery:Endpoints", "node1:8558, node2:8558,node3:8558")).Platform;
        Assert.Equal(ClusterDiscovery.Config, platform.Discovery);
        Assert.Equal(["node1:8558", "node2:8558", "node3:8558"], platform.DiscoveryEndpoints);
    }

    [Theory]
    [InlineData("Cluster:Discovery 'dns' is not one of seeds, config", "Cluster:Discovery", "dns")]
    [InlineData("needs Cluster:Discovery:Endpoints", "Cluster:Discovery", "config")]
    [InlineData("Cluster:SeedNodes and Cluster:Discovery=config exclude each other", "Cluster:Discovery", "config", "Cluster:Discovery:Endpoints:0", "node1:8558", "Cluster:SeedNodes:0", "akka.tcp://jinandataops@node1:4053")]
    [InlineData("'node1' is not host:port", "Cluster:Discovery", "config", "Cluster:Discovery:Endpoints:0", "node1")]
    [InlineData("'node1:70000' is not host:port", "Cluster:Discovery", "config", "Cluster:Discovery:Endpoints:0", "node1:70000")]
    [InlineData("lists an endpoint twice", "Cluster:Discovery", "config", "Cluster:Discovery:Endpoints:0", "node1:8558", "Cluster:Discovery:Endpoints:1", "NODE1:8558")]
    [InlineData("Cluster:ManagementPort '0' is not a port", "Cluster:Discovery", "config", "Cluster:Discovery:Endpoints:0", "node1:8558", "Cluster:ManagementPort", "0")]
    [InlineData("Cluster:ManagementPort 'http' is not a port", "Cluster:ManagementPort", "http")]
    [InlineData("set Cluster:Discovery=config to use them", "Cluster:Discovery:Endpoints:0", "node1:8558")]
    public void A_bad_discovery_setting_stops_the_start_with_the_reason(string reason, params string[] pairs)
    {
        var values = pairs.Chunk(2).Select(p => (p[0], p[1])).ToArray();
        var error = Assert.Throws<InvalidOperationException>(() => Read(values));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }
}
