using System.Collections.Concurrent;
using System.Diagnostics;
using JinanDataOps.Host.Tests.Infrastructure;

namespace JinanDataOps.LoadTests;

/// <summary>The journal's database goes away (issue 12): one node over PostgreSQL, clients posting security reports for
/// 20 operators, PostgreSQL stopped for a while and started again. Prints how fast commands are refused while it is
/// down, when the first command succeeds after it is back, when every operator is served again, and the answers.</summary>
public static class Outage
{
    public static async Task Run(int operators, int clients, TimeSpan down, string? hocon)
    {
        Console.WriteLine();
        Console.WriteLine($"## Database outage — one node over PostgreSQL, {clients} clients, {operators} operators, PostgreSQL stopped for {down.TotalSeconds:0} s");
        if (LocalPostgres.FindBin() is null)
        {
            Console.WriteLine("  skipped — PostgreSQL is not installed (apt-get install postgresql)");
            return;
        }
        using var pg = LocalPostgres.Start();
        pg.CreateDatabase("jinandataops");
        var env = new Dictionary<string, string>
        {
            ["Logging__LogLevel__Default"] = "Warning",
            ["Persistence__Provider"] = "postgresql",
            ["Persistence__ConnectionString"] = pg.ConnectionString("jinandataops"),
        };
        if (hocon is not null) env["Akka__Hocon"] = hocon;
        await using var host = new HostProcess(env);
        await host.StartAsync();
        using var http = LoadGenerator.Client(host.BaseAddress, clients);
        var ops = await Platform.RegisterOperators(http, operators, "outage-op");
        var answers = new ConcurrentQueue<(double Sent, double At, int Status, int Operator)>();
        var clock = Stopwatch.StartNew();
        double downAt = 0, upAt = double.MaxValue;
        var stop = false;
        var sequence = -1L;
        async Task Client()
        {
            while (!Volatile.Read(ref stop))
            {
                var i = (int)(Interlocked.Increment(ref sequence) % operators);
                using var request = LoadGenerator.Json(HttpMethod.Post, $"/api/operators/{ops[i].Org}/security-reports", ops[i].Token, """{"period":"2026-Q4","summary":"ok"}""");
                var sent = clock.Elapsed.TotalSeconds;
                int status;
                try
                {
                    using var response = await http.SendAsync(request);
                    status = (int)response.StatusCode;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    status = 0;
                }
                answers.Enqueue((sent, clock.Elapsed.TotalSeconds, status, i));
                if (status != 201) await Task.Delay(200);
            }
        }
        var load = Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Client()));
        await Task.Delay(TimeSpan.FromSeconds(5));
        pg.Stop();
        downAt = clock.Elapsed.TotalSeconds;
        await Task.Delay(down);
        pg.Restart();
        upAt = clock.Elapsed.TotalSeconds;
        await Task.Delay(TimeSpan.FromSeconds(40));
        Volatile.Write(ref stop, true);
        await load;

        var all = answers.ToArray();
        var during = all.Where(a => a.Sent >= downAt && a.Sent < upAt).ToArray();
        var refusalMs = during.Where(a => a.Status != 201).Select(a => (a.At - a.Sent) * 1000).OrderBy(x => x).ToArray();
        var after = all.Where(a => a.Sent >= upAt).ToArray();
        var firstOk = all.Where(a => a.Status == 201 && a.At >= upAt).Select(a => a.At - upAt).DefaultIfEmpty(double.NaN).Min();
        var lastRefusal = after.Where(a => a.Status != 201).Select(a => a.At - upAt).DefaultIfEmpty(0).Max();
        var unserved = Enumerable.Range(0, operators).Count(i => !after.Any(a => a.Operator == i && a.Status == 201 && a.At - upAt > lastRefusal - 0.001));
        string P(double p) => refusalMs.Length == 0 ? "—" : $"{refusalMs[(int)Math.Min(refusalMs.Length - 1, p * refusalMs.Length)]:0}";
        Console.WriteLine($"  answers: {string.Join(", ", all.GroupBy(a => a.Status).OrderBy(g => g.Key).Select(g => $"{(g.Key == 0 ? "no answer" : g.Key.ToString())} × {g.Count():N0}"))}");
        Console.WriteLine($"  while down: {during.Length:N0} answers, refusal time p50 {P(0.5)} ms, p99 {P(0.99)} ms");
        Console.WriteLine($"  after it is back: first success {firstOk:0.0} s, last refusal {lastRefusal:0.0} s; operators never served again: {unserved}");
    }
}
