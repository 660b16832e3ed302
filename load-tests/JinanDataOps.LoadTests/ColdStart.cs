using System.Diagnostics;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.Operators;
using JinanDataOps.Host.Tests.Infrastructure;

namespace JinanDataOps.LoadTests;

/// <param name="SecondSet">A second, disjoint 1,000 entities answered after the first (code compiled by then); null below 2,000 entities.</param>
public sealed record ColdStartResult(int Entities, TimeSpan ToReady, TimeSpan AllAnswered, double P99Ms, int Answered, TimeSpan? SecondSet = null);

/// <summary>Cold start: a journal holding N operators (written straight into the journal tables in the
/// serializer's own format, since registering 100,000 through HTTP would measure something else), the
/// host started on it, and then the first command to 1,000 of those entities at once.</summary>
public static class ColdStart
{
    public static async Task<ColdStartResult> Run(int entities, string? hocon, int probe = 1000)
    {
        // Quiet logs, as in the throughput runs; --hocon layers tuning experiments over the platform's HOCON.
        var env = new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning" };
        if (hocon is not null) env["Akka__Hocon"] = hocon;
        await using var host = new HostProcess(env);
        // First start creates the schema; then the seed rows go in while the host is down.
        // The journal creates its tables on first use, which may come just after "ready".
        await JournalSeed.PrepareAsync(host);
        Seed(host.DatabasePath, entities);

        var clock = Stopwatch.StartNew();
        await host.StartAsync(TimeSpan.FromMinutes(5));
        var toReady = clock.Elapsed;
        if (entities == 0) return new ColdStartResult(0, toReady, TimeSpan.Zero, 0, 0);

        using var http = LoadGenerator.Client(host.BaseAddress, 64);
        var count = Math.Min(probe, entities);
        var first = await Probe(http, Enumerable.Range(0, count).Select(i => (int)((long)i * entities / count)).ToArray());
        // With at least twice as many entities, a second, disjoint set of the same size: its entities
        // recover just like the first set's, but the code they run is compiled by now, so the difference
        // between the two is what compiling costs the first commands.
        var second = entities >= 2 * count
            ? await Probe(http, Enumerable.Range(0, count).Select(i => (int)((long)i * entities / count) + 1).ToArray())
            : ((TimeSpan, double, int)?)null;
        return new ColdStartResult(entities, toReady, first.All, first.P99Ms, first.Answered, second?.Item1);
    }

    /// <summary>One command to each of these entities, 64 at a time; tokens are fetched before the clock starts.</summary>
    private static async Task<(TimeSpan All, double P99Ms, int Answered)> Probe(HttpClient http, int[] sample)
    {
        var tokens = new string[sample.Length];
        for (var i = 0; i < sample.Length; i++) tokens[i] = await Platform.Token(http, "operator", Org(sample[i]));

        var latencies = new double[sample.Length];
        var answered = 0;
        var clock = Stopwatch.StartNew();
        using var gate = new SemaphoreSlim(64);
        await Task.WhenAll(sample.Select(async (n, i) =>
        {
            await gate.WaitAsync();
            try
            {
                var t0 = Stopwatch.GetTimestamp();
                using var request = LoadGenerator.Json(HttpMethod.Post, $"/api/operators/{Org(n)}/security-reports", tokens[i], """{"period":"2026-Q4","summary":"first command after restart"}""");
                using var response = await http.SendAsync(request);
                latencies[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                if (response.IsSuccessStatusCode) Interlocked.Increment(ref answered);
            }
            finally
            {
                gate.Release();
            }
        }));
        var all = clock.Elapsed;
        Array.Sort(latencies);
        return (all, latencies[(int)Math.Min(latencies.Length - 1, Math.Ceiling(latencies.Length * 0.99) - 1)], answered);
    }

    private static string Org(int n) => $"cold-op-{n:D6}";

    private static void Seed(string databasePath, int entities)
    {
        if (entities == 0) return;
        using var seed = new JournalSeed(databasePath);
        var at = DateTimeOffset.UtcNow;
        for (var n = 0; n < entities; n++)
        {
            var org = Org(n);
            seed.Add($"operator-{org}", 1, new OperatorRegistered(new Caller(Role.Operator, org), at, $"Cold-start operator {n}", Platform.CreditCode(n), "Zhang San", "Li Si"));
        }
        seed.Commit();
    }
}
