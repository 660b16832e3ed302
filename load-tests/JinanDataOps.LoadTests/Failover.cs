using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using JinanDataOps.Host.Tests.Infrastructure;

namespace JinanDataOps.LoadTests;

/// <summary>Failover of a three-node cluster over one PostgreSQL database (issue 12): clients post security reports
/// for 60 operators through nodes 2 and 3 while node 1 — the oldest, holding the shard coordinators and the
/// singletons — is killed hard. Prints the answers by status, how long after the kill the last refusal came (the
/// time until every operator is served again), and whether every acknowledged report is on record afterwards.</summary>
public static class Failover
{
    public static async Task Run(int operators, int clients, TimeSpan before, TimeSpan after, string? askTimeout, string? hocon, bool youngest = false)
    {
        Console.WriteLine();
        var victim = youngest ? 2 : 0;
        var through = Enumerable.Range(0, 3).Where(i => i != victim).ToArray();
        Console.WriteLine($"## Failover — 3 nodes over PostgreSQL, {clients} clients posting security reports for {operators} operators through nodes {through[0] + 1} and {through[1] + 1}; " +
                          $"node {victim + 1} (the {(youngest ? "youngest" : "oldest")}) killed after {before.TotalSeconds:0} s, {after.TotalSeconds:0} s more measured; ask timeout {askTimeout ?? "PT10S (default)"}");
        if (LocalPostgres.FindBin() is null)
        {
            Console.WriteLine("  skipped — PostgreSQL is not installed (apt-get install postgresql)");
            return;
        }
        using var pg = LocalPostgres.Start();
        pg.CreateDatabase("jinandataops");
        var ports = Enumerable.Range(0, 3).Select(_ => FreePort()).ToArray();
        var seeds = ports.Select(p => $"akka.tcp://jinandataops@127.0.0.1:{p}").ToArray();
        HostProcess Node(int i)
        {
            var env = new Dictionary<string, string>
            {
                ["Logging__LogLevel__Default"] = "Warning",
                ["Persistence__Provider"] = "postgresql",
                ["Persistence__ConnectionString"] = pg.ConnectionString("jinandataops"),
                ["Cluster__Hostname"] = "127.0.0.1",
                ["Cluster__Port"] = ports[i].ToString(),
            };
            for (var s = 0; s < seeds.Length; s++) env[$"Cluster__SeedNodes__{s}"] = seeds[s];
            if (hocon is not null) env["Akka__Hocon"] = hocon;
            if (askTimeout is not null) env["Platform__AskTimeout"] = askTimeout;
            return new HostProcess(env);
        }
        await using var n1 = Node(0);
        await using var n2 = Node(1);
        await using var n3 = Node(2);
        var nodes = new[] { n1, n2, n3 };
        await n1.StartAsync();
        await n2.StartAsync(); // one after the other, so node 3 is the youngest
        await n3.StartAsync();
        using var http2 = LoadGenerator.Client(nodes[through[0]].BaseAddress, clients);
        using var http3 = LoadGenerator.Client(nodes[through[1]].BaseAddress, clients);
        var ops = await Platform.RegisterOperators(http2, operators, "failover-op");

        var answers = new ConcurrentQueue<(double Sent, double At, int Status, int Operator)>();
        var acknowledged = new int[operators];
        var clock = Stopwatch.StartNew();
        double? killedAt = null;
        var end = before + after;
        var sequence = -1L;
        async Task Client(int c)
        {
            var http = c % 2 == 0 ? http2 : http3;
            while (clock.Elapsed < end)
            {
                var n = Interlocked.Increment(ref sequence);
                var i = (int)(n % operators);
                using var request = LoadGenerator.Json(HttpMethod.Post, $"/api/operators/{ops[i].Org}/security-reports", ops[i].Token,
                    """{"period":"2026-Q4","summary":"no incidents; access reviewed"}""");
                int status;
                var sent = clock.Elapsed.TotalSeconds;
                try
                {
                    using var response = await http.SendAsync(request);
                    status = (int)response.StatusCode;
                    if (status == 201) Interlocked.Increment(ref acknowledged[i]);
                    else if (status == 503 && response.Headers.RetryAfter?.Delta is { } wait) await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(wait.TotalMilliseconds, 500)));
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    status = 0;
                }
                answers.Enqueue((sent, clock.Elapsed.TotalSeconds, status, i));
            }
        }
        var load = Task.WhenAll(Enumerable.Range(0, clients).Select(Client));
        await Task.Delay(before);
        nodes[victim].Kill();
        killedAt = clock.Elapsed.TotalSeconds;
        await load;

        var all = answers.ToArray();
        var afterKill = all.Where(a => a.At >= killedAt).ToArray();
        var refusals = afterKill.Where(a => a.Status != 201).ToArray();
        var lastRefusal = refusals.Length == 0 ? (double?)null : refusals.Max(a => a.At) - killedAt!.Value;
        // Per operator refused after the kill: when the first request it then had acknowledged was sent — the moment
        // its entity was served again, whatever the ask timeout made the refused requests wait.
        var servedAgain = refusals.GroupBy(a => a.Operator)
            .Select(g => afterKill.Where(a => a.Operator == g.Key && a.Status == 201 && a.Sent > g.Max(r => r.Sent)).Select(a => a.Sent - killedAt!.Value).DefaultIfEmpty(double.PositiveInfinity).Min())
            .DefaultIfEmpty(0).Max();
        // Nothing acknowledged may be lost: every 201 is a report on the operator's record (read through a survivor).
        var recorded = new int[operators];
        for (var i = 0; i < operators; i++)
        {
            using var read = LoadGenerator.Json(HttpMethod.Get, $"/api/operators/{ops[i].Org}", ops[i].Token, "");
            read.Content = null;
            using var response = await http2.SendAsync(read);
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            recorded[i] = body.RootElement.GetProperty("securityReports").GetArrayLength();
        }
        var lost = Enumerable.Range(0, operators).Sum(i => Math.Max(0, acknowledged[i] - recorded[i]));
        var histogram = string.Join(", ", all.GroupBy(a => a.Status).OrderBy(g => g.Key).Select(g => $"{(g.Key == 0 ? "no answer" : g.Key.ToString())} × {g.Count():N0}"));
        Console.WriteLine($"  answers: {histogram}");
        Console.WriteLine($"  after the kill: {afterKill.Length:N0} answers, {refusals.Length:N0} refused; last refusal {(lastRefusal is { } l ? $"{l:0.0} s" : "none")} after the kill; " +
                          $"{refusals.Select(r => r.Operator).Distinct().Count()} operators refused, every one served again within {servedAgain:0.0} s of the kill");
        // By the second (after the kill) in which each request was sent: how it was answered, and how long the slowest took.
        var timeline = afterKill.GroupBy(a => (int)Math.Floor(a.Sent - killedAt!.Value)).Where(g => g.Key <= 20).OrderBy(g => g.Key)
            .Select(g => $"{g.Key}s: {g.Count(a => a.Status == 201)}/{g.Count(a => a.Status != 201)} ({g.Max(a => a.At - a.Sent):0.0} s)");
        Console.WriteLine($"  sent in second n after the kill: acknowledged/refused (slowest answer): {string.Join(", ", timeline)}");
        Console.WriteLine($"  acknowledged {acknowledged.Sum():N0}, on record {recorded.Sum():N0}, lost {lost}");
        Console.WriteLine($"  survivors still running: {string.Join(" / ", through.Select(i => $"node {i + 1} {nodes[i].IsRunning}"))}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
