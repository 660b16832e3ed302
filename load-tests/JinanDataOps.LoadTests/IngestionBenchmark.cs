using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HdrHistogram;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.DataRequests;
using JinanDataOps.Domain.Datasets;
using JinanDataOps.Host.Tests.Infrastructure;

namespace JinanDataOps.LoadTests;

/// <summary>Sandbox monitoring through the real HTTP API on SQLite (issue 4): NDJSON batches of 5,000 events
/// posted by concurrent clients, each answered 202 only once durably recorded and judged — events/s; then
/// single export attempts on provisioned requests, each timed from the POST until the request is seen
/// suspended (persisted) — p50/p99, idle and under the ingestion load. The state (1,000 operators with a
/// provisioned request each, plus one per violation) is written straight into the journal first.</summary>
public static class IngestionBenchmark
{
    private const int Operators = 1_000;
    private const int BatchSize = 5_000;

    /// <summary>Violations sent first and not counted, so the path is measured at steady state: on two
    /// cores the tier-1 recompilation of the suspension and incident code, which runs in the background
    /// for the first few hundred calls, made the tail (p99 65 ms after 20 of them, 28 ms after 200).</summary>
    private const int WarmupViolations = 200;
    private static readonly DateTimeOffset Afternoon = new(2026, 12, 1, 6, 0, 0, TimeSpan.Zero);

    public static async Task Run(int[] clients, TimeSpan warmup, TimeSpan measure, int violations, string? hocon = null, bool breakdown = false,
        IReadOnlyDictionary<string, string>? hostEnvironment = null)
    {
        var env = new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning" };
        // Settings of the host under test (e.g. Monitoring__BulkPartsInFlight=8), for A/B runs of one build.
        foreach (var (key, value) in hostEnvironment ?? new Dictionary<string, string>()) env[key] = value;
        if (hocon is not null) env["Akka__Hocon"] = hocon; // tuning experiments: layered over the platform's HOCON
        await using var host = new HostProcess(env);
        await JournalSeed.PrepareAsync(host);
        Seed(host.DatabasePath, WarmupViolations + violations * (clients.Length + 1));
        await host.StartAsync(TimeSpan.FromMinutes(2));
        using var http = LoadGenerator.Client(host.BaseAddress, clients.Max() + 4);
        var sandbox = await Platform.Token(http, "sandbox", "sandbox-bench");
        // A regulator reads every request (Art. 12); the benchmark's requests have no agreement whose authority could.
        var authority = await Platform.Token(http, "regulator", "regulator-bench");
        var bodies = Enumerable.Range(0, 16).Select(Body).ToArray();

        Console.WriteLine();
        Console.WriteLine($"## Sandbox ingestion through the HTTP API (SQLite) — NDJSON batches of {BatchSize:N0} events over {Operators:N0} operators, durable 202, {warmup.TotalSeconds:0} s warm-up, {measure.TotalSeconds:0} s measured");
        await Violations(http, sandbox, authority, 0, WarmupViolations);
        var scraped = await MetricsScrape.Take(http);
        Console.WriteLine($"  violation → request suspended, idle: {Describe(await Violations(http, sandbox, authority, WarmupViolations, violations))}");
        if (breakdown) MetricsScrape.PrintViolationPath(scraped, await MetricsScrape.Take(http));
        var rows = new List<string>();
        var next = WarmupViolations + violations;
        foreach (var n in clients)
        {
            var load = Ingest(http, sandbox, bodies, n, warmup, measure);
            await Task.Delay(warmup);
            scraped = await MetricsScrape.Take(http);
            var underLoad = await Violations(http, sandbox, authority, next, violations);
            if (breakdown)
            {
                Console.WriteLine($"  violations during the load of {n} clients: {Describe(underLoad)}");
                MetricsScrape.PrintViolationPath(scraped, await MetricsScrape.Take(http));
            }
            next += violations;
            var (events, batches, refused, latency) = await load;
            rows.Add($"| {n} | {events / measure.TotalSeconds:N0} | {batches / measure.TotalSeconds:0.0} | {Ms(latency, 50):0.0} | {Ms(latency, 99):0.0} | {refused} | {Describe(underLoad)} |");
        }
        Console.WriteLine();
        Console.WriteLine("| clients | events/s | batches/s | batch p50 ms | batch p99 ms | 503 | violation → suspended during the load |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var row in rows) Console.WriteLine(row);
    }

    private static string Describe(LongHistogram h) =>
        $"{h.TotalCount} violations, p50 {Ms(h, 50):0.0} ms, p99 {Ms(h, 99):0.0} ms, max {Ms(h, 100):0.0} ms";

    private static double Ms(HistogramBase h, double percentile) => h.TotalCount == 0 ? double.NaN : h.GetValueAtPercentile(percentile) / (Stopwatch.Frequency / 1000.0);

    /// <summary>Closed loop: each client posts its next batch when the last is answered.</summary>
    private static async Task<(long Events, long Batches, long Refused, LongHistogram Latency)> Ingest(
        HttpClient http, string token, byte[][] bodies, int clients, TimeSpan warmup, TimeSpan measure)
    {
        var from = Stopwatch.GetTimestamp() + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var until = from + (long)(measure.TotalSeconds * Stopwatch.Frequency);
        long events = 0, batches = 0, refused = 0;
        var latency = new LongHistogram(TimeStamp.Minutes(1), 3);
        string? failure = null;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            for (var i = c; ; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                if (t0 >= until) return;
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sandbox/events") { Content = new ByteArrayContent(bodies[i % bodies.Length]) };
                request.Content.Headers.ContentType = new("application/x-ndjson");
                request.Headers.Authorization = new("Bearer", token);
                using var response = await http.SendAsync(request);
                var t1 = Stopwatch.GetTimestamp();
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable) Interlocked.Increment(ref refused);
                else if (response.StatusCode != HttpStatusCode.Accepted) failure ??= $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                if (t0 < from || t1 > until || response.StatusCode != HttpStatusCode.Accepted) continue;
                Interlocked.Add(ref events, BatchSize);
                Interlocked.Increment(ref batches);
                lock (latency) latency.RecordValue(t1 - t0);
            }
        })));
        if (failure is not null) Console.WriteLine($"    (first failure: {failure})");
        return (events, batches, refused, latency);
    }

    /// <summary>One export attempt per provisioned request, one after another: the time from sending it
    /// until the request reads as suspended.</summary>
    private static async Task<LongHistogram> Violations(HttpClient http, string sandbox, string authority, int first, int count)
    {
        var histogram = new LongHistogram(TimeStamp.Minutes(1), 3);
        for (var v = first; v < first + count; v++)
        {
            var body = Encoding.UTF8.GetBytes(Line($"op-viol-{v:D4}", $"req-viol-{v:D4}", $"ds-{v % 10}", "export", 5_000, Afternoon.AddSeconds(v)));
            var t0 = Stopwatch.GetTimestamp();
            using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/sandbox/events") { Content = new ByteArrayContent(body) })
            {
                request.Content.Headers.ContentType = new("application/x-ndjson");
                request.Headers.Authorization = new("Bearer", sandbox);
                using var response = await http.SendAsync(request);
                if (response.StatusCode != HttpStatusCode.Accepted) throw new InvalidOperationException($"violation {v}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
            while (true)
            {
                using var check = new HttpRequestMessage(HttpMethod.Get, $"/api/data-requests/req-viol-{v:D4}");
                check.Headers.Authorization = new("Bearer", authority);
                using var state = await http.SendAsync(check);
                var json = await state.Content.ReadFromJsonAsync<JsonElement>();
                if (!json.TryGetProperty("state", out var current)) throw new InvalidOperationException($"GET req-viol-{v:D4}: {(int)state.StatusCode} {json}");
                if (current.GetString() == "suspended") break;
                if (Stopwatch.GetElapsedTime(t0) > TimeSpan.FromSeconds(30)) throw new TimeoutException($"request req-viol-{v:D4} was not suspended within 30 s");
                await Task.Delay(1);
            }
            histogram.RecordValue(Stopwatch.GetTimestamp() - t0);
        }
        return histogram;
    }

    private static byte[] Body(int n)
    {
        var random = new Random(n);
        var sb = new StringBuilder(BatchSize * 200);
        for (var i = 0; i < BatchSize; i++)
        {
            var o = random.Next(Operators);
            sb.Append(Line($"op-bench-{o:D4}", $"req-bench-{o:D4}", $"ds-{o % 10}", "query", random.Next(1, 200), Afternoon.AddMilliseconds(n * BatchSize + i))).Append('\n');
        }
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static string Line(string op, string request, string dataset, string kind, long rows, DateTimeOffset at) =>
        $$"""{"operatorId":"{{op}}","dataRequestId":"{{request}}","kind":"{{kind}}","dataset":"{{dataset}}","fields":["route","boardings"],"rows":{{rows}},"bytes":{{rows * 100}},"at":"{{at.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}}"}""";

    /// <summary>Ten datasets; a provisioned request for each of the 1,000 benchmark operators and for each
    /// violation to come (every violation suspends its own request).</summary>
    private static void Seed(string databasePath, int violationRequests)
    {
        using var seed = new JournalSeed(databasePath);
        var at = DateTimeOffset.UtcNow;
        var provider = new Caller(Role.Provider, "bureau-bench");
        for (var d = 0; d < 10; d++)
            seed.Add($"dataset-ds-{d}", 1, new DatasetRegistered(provider, at, $"Dataset {d}", DataDomain.Transport, [new DatasetField("route", false), new DatasetField("boardings", false)]), Dataset.Kind);
        void Request(string op, string id, int d)
        {
            var submission = new DataRequestSubmission(id, $"agr-{op}", $"scenario of {op}", [$"ds-{d}"], "benchmark", null, null,
                [new DatasetSnapshot($"ds-{d}", provider.Org, DataDomain.Transport, false)]);
            seed.Add($"data-request-{id}", 1, new DataRequestSubmitted(new Caller(Role.Operator, op), at, op, submission), DataRequest.Kind);
            seed.Add($"data-request-{id}", 2, new DataRequestApproved(new Caller(Role.Authority, "city-bench"), at), DataRequest.Kind);
            seed.Add($"data-request-{id}", 3, new DataRequestProvisioned(Caller.Platform, at), DataRequest.Kind);
        }
        for (var o = 0; o < Operators; o++) Request($"op-bench-{o:D4}", $"req-bench-{o:D4}", o % 10);
        for (var v = 0; v < violationRequests; v++) Request($"op-viol-{v:D4}", $"req-viol-{v:D4}", v % 10);
        seed.Commit();
    }
}
