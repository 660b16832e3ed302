using JinanDataOps.Tests.Shared;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using JinanDataOps.Host.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;
using static JinanDataOps.Host.Tests.Infrastructure.Procedure;

namespace JinanDataOps.Host.Tests;

/// <summary>Three nodes as separate processes over one PostgreSQL database (issue 12): requests for an entity are served
/// through any node; the oldest node — shard coordinators, singletons — is killed under load and every operator is
/// served again through the survivors with nothing acknowledged lost and never a 500; the killed node comes back and
/// serves again. PostgreSQL: <see cref="TestPostgres"/>.</summary>
public sealed class ClusterTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly List<HostProcess> _nodes = [];
    private readonly List<ApiClient> _apis = [];
    private string? _server;
    private string? _database;

    public async Task InitializeAsync()
    {
        _server = TestPostgres.Server();
        if (_server is null) return;
        _database = await TestPostgres.CreateDatabase(_server, "jdo_cluster");
        var journal = TestPostgres.ConnectionString(_server, _database, maxPoolSize: 30);
        var ports = Enumerable.Range(0, 3).Select(_ => Ports.Free()).ToArray();
        for (var i = 0; i < 3; i++)
        {
            var env = new Dictionary<string, string>
            {
                ["Persistence__Provider"] = "postgresql",
                ["Persistence__ConnectionString"] = journal,
                ["Cluster__Hostname"] = "127.0.0.1",
                ["Cluster__Port"] = ports[i].ToString(),
            };
            for (var s = 0; s < 3; s++) env[$"Cluster__SeedNodes__{s}"] = $"akka.tcp://jinandataops@127.0.0.1:{ports[s]}";
            var node = new HostProcess(env);
            _nodes.Add(node);
            _apis.Add(new ApiClient(node));
        }
        // The first seed forms the cluster; the others join it.
        await _nodes[0].StartAsync(TimeSpan.FromSeconds(120));
        await Task.WhenAll(_nodes[1].StartAsync(TimeSpan.FromSeconds(120)), _nodes[2].StartAsync(TimeSpan.FromSeconds(120)));
        foreach (var api in _apis) await ClusterWarmUp.UntilEveryKindAnswers(api);
    }

    public async Task DisposeAsync()
    {
        foreach (var api in _apis) api.Dispose();
        foreach (var node in _nodes) await node.DisposeAsync();
        await TestPostgres.DropDatabase(_server, _database);
    }

    [Fact]
    public async Task Entities_are_served_through_any_node_and_again_through_the_survivors_when_the_oldest_is_killed()
    {
        if (_server is null)
        {
            output.WriteLine("skipped on request (JDO_SKIP_POSTGRES=1)");
            return;
        }
        var (one, two, three) = (_apis[0], _apis[1], _apis[2]);
        var operators = Enumerable.Range(0, 20).Select(i => Unique($"cl-op-{i}")).ToArray();
        // Registered through node 2, read through node 3, a report through node 1: the shards answer wherever they live.
        foreach (var op in operators)
        {
            (await two.PostCreate(await two.Token("operator", op), "/api/operators", OperatorBody(op))).Expect(201);
            await three.Eventually(async () => (await three.Get(await three.Token("operator", op), $"/api/operators/{op}")).Expect(200));
        }
        (await one.PostCreate(await one.Token("operator", operators[0]), $"/api/operators/{operators[0]}/security-reports",
            new { period = "2026-Q4", summary = "first" })).Expect(201);

        // Clients post reports through nodes 2 and 3 until told to stop; every answer is recorded.
        var acknowledged = new ConcurrentDictionary<string, int>();
        var ackedAfterKill = new ConcurrentDictionary<string, bool>();
        var statuses = new ConcurrentDictionary<int, int>();
        var killed = false;
        using var stop = new CancellationTokenSource();
        async Task Client(int c)
        {
            var api = c % 2 == 0 ? two : three;
            for (var n = c; !stop.IsCancellationRequested; n += 4)
            {
                var op = operators[n % operators.Length];
                int status;
                try
                {
                    status = (await api.Post(await api.Token("operator", op), $"/api/operators/{op}/security-reports",
                        new { period = "2026-Q4", summary = $"report {n}" })).Status;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    status = 0;
                }
                statuses.AddOrUpdate(status, 1, (_, v) => v + 1);
                if (status == 201)
                {
                    acknowledged.AddOrUpdate(op, 1, (_, v) => v + 1);
                    if (Volatile.Read(ref killed)) ackedAfterKill[op] = true;
                }
                else if (status == 503) await Task.Delay(200);
            }
        }
        var load = Task.WhenAll(Enumerable.Range(0, 4).Select(Client));

        // No false downing: node 3 stalls for 3 s under load (frozen: its port still accepts connections, so it is not
        // taken for a crashed process) and must stay in the cluster — the clients keep using it after the kill below.
        await Wait.Eventually(async () => { await Task.Yield(); Assert.True(acknowledged.Values.Sum() >= 20); }, TimeSpan.FromSeconds(60));
        _nodes[2].Freeze();
        await Task.Delay(TimeSpan.FromSeconds(3)); // the length of the stall itself, not a wait for something to happen
        _nodes[2].Thaw();

        // Kill the oldest once the load runs (a few acknowledgements), then wait until every operator is acknowledged again.
        var beforeKill = acknowledged.Values.Sum();
        await Wait.Eventually(async () => { await Task.Yield(); Assert.True(acknowledged.Values.Sum() >= beforeKill + 20); }, TimeSpan.FromSeconds(60));
        _nodes[0].Kill();
        var killedAt = DateTimeOffset.UtcNow;
        Volatile.Write(ref killed, true);
        await Wait.Eventually(async () => { await Task.Yield(); Assert.Equal(operators.Length, ackedAfterKill.Count); }, TimeSpan.FromSeconds(120),
            () => $"served again: {ackedAfterKill.Count}/{operators.Length}; answers {string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}"))}");
        output.WriteLine($"every operator acknowledged again {(DateTimeOffset.UtcNow - killedAt).TotalSeconds:0.0} s after the kill; " +
                         $"answers {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}");
        stop.Cancel();
        await load;

        // The node that stalled was never downed: still running, never told it was removed.
        Assert.True(_nodes[2].IsRunning, $"node 3 stopped after its stall\n{_nodes[2].Tail()}");
        Assert.DoesNotContain("Shutting down myself", File.ReadAllText(_nodes[2].LogPath), StringComparison.Ordinal);

        // While shards moved: refusals are 503 (or a connection the killed node dropped), never a 500.
        Assert.DoesNotContain(statuses.Keys, s => s >= 500 && s != 503);
        // Nothing acknowledged is lost: every 201 is a report on the operator's record.
        foreach (var op in operators)
        {
            var record = await three.Eventually(async () => (await three.Get(await three.Token("authority", "cl-city"), $"/api/operators/{op}")).Expect(200));
            var reports = record["securityReports"].GetArrayLength();
            Assert.True(reports >= acknowledged.GetValueOrDefault(op) + (op == operators[0] ? 1 : 0),
                $"{op}: {acknowledged.GetValueOrDefault(op)} acknowledged, {reports} on record");
        }

        // The killed node comes back, joins again and serves.
        await _nodes[0].StartAsync(TimeSpan.FromSeconds(120));
        await one.Eventually(async () => (await one.Post(await one.Token("operator", operators[1]), $"/api/operators/{operators[1]}/security-reports",
            new { period = "2026-Q4", summary = "after the restart" })).Expect(201), TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task A_rolling_restart_under_load_answers_every_request_without_a_server_error()
    {
        if (_server is null)
        {
            output.WriteLine("skipped on request (JDO_SKIP_POSTGRES=1)");
            return;
        }
        var operators = Enumerable.Range(0, 12).Select(i => Unique($"rr-op-{i}")).ToArray();
        foreach (var op in operators)
            (await _apis[1].PostCreate(await _apis[1].Token("operator", op), "/api/operators", OperatorBody(op))).Expect(201);

        // Clients behave like a load balancer in front of the nodes: a node being restarted is taken out of the
        // rotation before its SIGTERM and put back once ready, and a connection it refuses is tried on the next node
        // (the request never reached it). Every answer is counted; a 503 is retried after its Retry-After.
        var routable = new bool[] { true, true, true };
        var statuses = new ConcurrentDictionary<int, int>();
        var acknowledged = new ConcurrentDictionary<string, int>();
        var failures = new ConcurrentQueue<string>();
        var refusals = new ConcurrentQueue<string>();
        var retried = new ConcurrentDictionary<string, bool>(); // refused with 503, not yet acknowledged on retry
        var succeededOnRetry = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        async Task Client(int c)
        {
            var retrying = false;
            for (var n = c; retrying || !stop.IsCancellationRequested; n += 6)
            {
                retrying = false;
                var op = operators[n % operators.Length];
                var node = Enumerable.Range(n, 3).Select(i => i % 3).First(i => Volatile.Read(ref routable[i]) || i == (n + 2) % 3);
                var api = _apis[node];
                Reply reply;
                try
                {
                    // Under an idempotency key, so the retry of a refused request cannot file the report twice.
                    reply = await api.Post(await api.Token("operator", op), $"/api/operators/{op}/security-reports", new { period = "2026-Q4", summary = $"report {n}" },
                        idempotencyKey: $"rr-{c}-{n}");
                }
                catch (HttpRequestException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
                {
                    statuses.AddOrUpdate(-1, 1, (_, v) => v + 1); // not sent: tried again on another node
                    await Task.Delay(50);
                    continue;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    failures.Enqueue($"node {node + 1}: {ex.Message}");
                    statuses.AddOrUpdate(0, 1, (_, v) => v + 1);
                    continue;
                }
                statuses.AddOrUpdate(reply.Status, 1, (_, v) => v + 1);
                if (reply.Status == 201)
                {
                    acknowledged.AddOrUpdate(op, 1, (_, v) => v + 1);
                    if (retried.TryRemove($"rr-{c}-{n}", out _)) Interlocked.Increment(ref succeededOnRetry);
                    continue;
                }
                refusals.Enqueue($"{clock.Elapsed.TotalSeconds:0.0} s, node {node + 1}: {reply.Status} {reply.Text}");
                if (reply.Status != 503)
                {
                    failures.Enqueue($"node {node + 1}: {reply}");
                    continue;
                }
                // A 503 is retried (after Retry-After, capped for the test's pace) until it is acknowledged.
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(500, (reply.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1)).TotalMilliseconds)));
                retried[$"rr-{c}-{n}"] = true;
                retrying = true;
                n -= 6; // the same request again, with its key
            }
        }
        var load = Task.WhenAll(Enumerable.Range(0, 6).Select(Client));
        await Wait.Eventually(async () => { await Task.Yield(); Assert.True(acknowledged.Values.Sum() >= 30); }, TimeSpan.FromSeconds(60));

        // Node by node: out of the rotation, SIGTERM, exit, start again, ready, back in the rotation.
        for (var i = 0; i < 3; i++)
        {
            Volatile.Write(ref routable[i], false);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: node {i + 1} out of the rotation, SIGTERM");
            var before = acknowledged.Values.Sum();
            var code = await _nodes[i].StopAsync(TimeSpan.FromSeconds(90));
            Assert.True(code == 0, $"node {i + 1} exited with {code} after SIGTERM\n{_nodes[i].Tail()}");
            await _nodes[i].StartAsync(TimeSpan.FromSeconds(120));
            Volatile.Write(ref routable[i], true);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: node {i + 1} ready again, back in the rotation");
            // And the cluster goes on serving (acknowledgements after each restart; how many during it depends on the load).
            await Wait.Eventually(async () => { await Task.Yield(); Assert.True(acknowledged.Values.Sum() > before, $"nothing acknowledged since node {i + 1} was stopped"); },
                TimeSpan.FromSeconds(90));
        }
        await Wait.Eventually(async () => { await Task.Yield(); Assert.True(acknowledged.Values.Sum() >= 60); }, TimeSpan.FromSeconds(60));
        stop.Cancel();
        await load;

        output.WriteLine($"answers during the rolling restart: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{(s.Key == -1 ? "refused connection (retried elsewhere)" : s.Key.ToString())} × {s.Value}"))}");
        foreach (var refusal in refusals) output.WriteLine($"refused: {refusal}");
        output.WriteLine($"refused requests acknowledged when retried: {succeededOnRetry}");
        Assert.True(retried.IsEmpty, $"refused and never acknowledged on retry: {string.Join(", ", retried.Keys)}");
        Assert.True(failures.IsEmpty, $"{failures.Count} requests failed: {string.Join("\n", failures.Take(10))}");
        Assert.DoesNotContain(statuses.Keys, s => s >= 500 && s != 503);
        // Nothing acknowledged is lost.
        foreach (var op in operators)
        {
            var record = await _apis[0].Eventually(async () => (await _apis[0].Get(await _apis[0].Token("authority", "rr-city"), $"/api/operators/{op}")).Expect(200));
            Assert.True(record["securityReports"].GetArrayLength() >= acknowledged.GetValueOrDefault(op), $"{op}: {acknowledged.GetValueOrDefault(op)} acknowledged, {record["securityReports"].GetArrayLength()} on record");
        }
    }

}
