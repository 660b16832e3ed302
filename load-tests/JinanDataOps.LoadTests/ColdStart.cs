using System.Diagnostics;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.Operators;
using JinanDataOps.Host.Tests.Infrastructure;

namespace JinanDataOps.LoadTests;

/// <summary>One set of 1,000 entities, each sent its first command: wall time until all answered, the
/// p99 of those answers, and the CPU time the host used meanwhile (work, against the wall time's waiting).</summary>
public sealed record ProbeResult(int Size, TimeSpan All, double P99Ms, int Answered, TimeSpan HostCpu)
{
    public double CpuMsPerEntity => HostCpu.TotalMilliseconds / Size;
}

/// <param name="Sets">The first set, then disjoint sets of the same size answered one after another: their
/// entities recover just like the first set's, but the code they run is compiled by then (and, after a few
/// sets, recompiled at tier 1), so the sets show what compiling costs and what recovering itself costs.</param>
public sealed record ColdStartResult(int Entities, TimeSpan ToReady, IReadOnlyList<ProbeResult> Sets);

/// <summary>Cold start: a journal holding N operators (written straight into the journal tables in the
/// serializer's own format, since registering 100,000 through HTTP would measure something else), the
/// host started on it, and then the first command to 1,000 of those entities at once.</summary>
public static class ColdStart
{
    public static async Task<ColdStartResult> Run(int entities, string? hocon, int sets, int probe = 1000)
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
        if (entities == 0) return new ColdStartResult(0, toReady, []);

        using var http = LoadGenerator.Client(host.BaseAddress, 64);
        var count = Math.Min(probe, entities);
        // Set k takes every (entities / count)-th entity from offset k: disjoint while k < entities / count.
        var possible = Math.Max(1, Math.Min(sets, entities / count));
        var tokens = new List<(int Entity, string Token)[]>();
        for (var k = 0; k < possible; k++)
            tokens.Add(await Tokens(http, Enumerable.Range(0, count).Select(i => (int)((long)i * entities / count) + k)));

        var results = new List<ProbeResult>();
        foreach (var set in tokens)
        {
            var cpu = host.CpuTime;
            var (all, p99, answered) = await Probe(http, set);
            results.Add(new ProbeResult(set.Length, all, p99, answered, host.CpuTime - cpu));
        }
        return new ColdStartResult(entities, toReady, results);
    }

    /// <summary>Each entity's operator token, fetched before any clock starts (and before the CPU is read).</summary>
    private static async Task<(int Entity, string Token)[]> Tokens(HttpClient http, IEnumerable<int> entities)
    {
        var tokens = new List<(int, string)>();
        foreach (var n in entities) tokens.Add((n, await Platform.Token(http, "operator", Org(n))));
        return tokens.ToArray();
    }

    /// <summary>One command to each of these entities, 64 at a time.</summary>
    private static async Task<(TimeSpan All, double P99Ms, int Answered)> Probe(HttpClient http, (int Entity, string Token)[] sample)
    {
        var latencies = new double[sample.Length];
        var answered = 0;
        var clock = Stopwatch.StartNew();
        using var gate = new SemaphoreSlim(64);
        await Task.WhenAll(sample.Select(async ((int Entity, string Token) s, int i) =>
        {
            await gate.WaitAsync();
            try
            {
                var t0 = Stopwatch.GetTimestamp();
                using var request = LoadGenerator.Json(HttpMethod.Post, $"/api/operators/{Org(s.Entity)}/security-reports", s.Token, """{"period":"2026-Q4","summary":"first command after restart"}""");
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
