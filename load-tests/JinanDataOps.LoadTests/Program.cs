using System.Globalization;
using JinanDataOps.Host.Tests.Infrastructure;
using JinanDataOps.LoadTests;

// Usage: dotnet run -c Release --project load-tests/JinanDataOps.LoadTests -- [throughput|cold-start|ratios|all]
//        [--journals memory,sqlite,postgresql] [--clients 64,256,1000] [--seconds 10] [--warmup 30] [--entities 10000]
//        [--cold 1000,100000] [--cold-sets 6] [--hocon "akka.persistence.journal.sql.parallelism = 1"]
//        monitoring [--events 2000000]
//        ingestion [--ingest-clients 4,16] [--seconds 10] [--breakdown] [--hocon "..."] [--host-env Key__Sub=value,...]
//        outage [--operators 20] [--outage-clients 8] [--down 10] [--hocon "..."]
//        failover [--operators 60] [--failover-clients 12] [--before 10] [--after 40] [--ask-timeout PT4S] [--kill oldest|youngest] [--hocon "..."]
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var options = Options.Parse(args);
Console.WriteLine($"JinanDataOps benchmarks — {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
Console.WriteLine($"host: {HostProcess.HostDll}");
if (options.Mode is "throughput" or "all") await Throughput.Run(options);
if (options.Mode is "ratios") await Ratios.Run(options);
if (options.Mode is "cold-start" or "all") await ColdStartReport.Run(options);
if (options.Mode is "monitoring" or "all") await MonitoringBenchmark.Run(options.Events, rounds: 3);
if (options.Mode is "failover")
    await Failover.Run(int.Parse(Arg("operators", "60")), int.Parse(Arg("failover-clients", "12")),
        TimeSpan.FromSeconds(double.Parse(Arg("before", "10"))), TimeSpan.FromSeconds(double.Parse(Arg("after", "40"))), Arg("ask-timeout", "") is { Length: > 0 } ask ? ask : null, options.Hocon,
        youngest: Arg("kill", "oldest") == "youngest");
if (options.Mode is "outage")
    await Outage.Run(int.Parse(Arg("operators", "20")), int.Parse(Arg("outage-clients", "8")), TimeSpan.FromSeconds(double.Parse(Arg("down", "10"))), options.Hocon);
if (options.Mode is "ingestion" or "all") await IngestionBenchmark.Run(options.IngestClients, TimeSpan.FromSeconds(10), options.Measure, violations: 100, options.Hocon, breakdown: args.Contains("--breakdown"),
    Arg("host-env", "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(kv => kv.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]));
return 0;

string Arg(string name, string fallback)
{
    var i = Array.IndexOf(args, $"--{name}");
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

namespace JinanDataOps.LoadTests
{
    public sealed record Options(string Mode, string[] Journals, int[] Clients, TimeSpan Measure, TimeSpan Warmup, int Entities, int[] Cold, int ColdSets, string? Hocon, int Events, int[] IngestClients)
    {
        public static Options Parse(string[] args)
        {
            var mode = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "all";
            string Get(string name, string fallback)
            {
                var i = Array.IndexOf(args, $"--{name}");
                return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
            }
            int[] Ints(string name, string fallback) => Get(name, fallback).Split(',').Select(int.Parse).ToArray();
            return new Options(mode,
                Get("journals", "memory,sqlite,postgresql").Split(','),
                Ints("clients", "64,256,1000"),
                TimeSpan.FromSeconds(double.Parse(Get("seconds", "10"), CultureInfo.InvariantCulture)),
                TimeSpan.FromSeconds(double.Parse(Get("warmup", "30"), CultureInfo.InvariantCulture)),
                int.Parse(Get("entities", "10000"), CultureInfo.InvariantCulture),
                Ints("cold", "1000,100000"),
                int.Parse(Get("cold-sets", "6"), CultureInfo.InvariantCulture),
                Get("hocon", "") is { Length: > 0 } hocon ? hocon : null,
                int.Parse(Get("events", "2000000"), CultureInfo.InvariantCulture),
                Ints("ingest-clients", "4,16"));
        }
    }

    /// <summary>What one throughput run measured: each journal's rows, the HTTP ceiling and the journal ceilings.</summary>
    public sealed record ThroughputResult(IReadOnlyList<(string Journal, LoadResult Result)> Rows, double? HttpCeiling, IReadOnlyDictionary<string, double> JournalCeilings);

    /// <summary>The ratios of issue 14, item 4, in one run on this machine: persisted ÷ in-memory on the same stack,
    /// persisted ÷ the journal ceiling (batched raw inserts into the same database), persisted ÷ the HTTP ceiling
    /// (the same authentication and JSON binding, no actor, no journal), and the cold start with 100,000 persisted
    /// entities (time to ready, then the first 1,000 commands).</summary>
    public static class Ratios
    {
        public static async Task Run(Options o)
        {
            var clients = o.Clients.Length == 3 && o.Clients.SequenceEqual([64, 256, 1000]) ? 64 : o.Clients[0];
            var t = await Throughput.Run(o with { Journals = ["memory", "sqlite"], Clients = [clients] });
            var cold = await ColdStart.Run(o.Cold.Max(), o.Hocon, sets: 1);
            var sqlite = t.Rows.Single(r => r.Journal == "sqlite").Result;
            var memory = t.Rows.Single(r => r.Journal == "memory").Result;
            Console.WriteLine();
            Console.WriteLine($"## Ratios in one run — {Environment.ProcessorCount} cores, {clients} closed-loop clients, SQLite");
            Console.WriteLine("| ratio | value | from |");
            Console.WriteLine("|---|---|---|");
            Console.WriteLine($"| persisted ÷ in-memory (same stack) | {sqlite.PerSecond / memory.PerSecond:0.00} | {sqlite.PerSecond:N0}/s ÷ {memory.PerSecond:N0}/s |");
            if (t.JournalCeilings.TryGetValue("sqlite", out var jc))
                Console.WriteLine($"| persisted ÷ journal ceiling | {sqlite.PerSecond / jc:0.00} | {sqlite.PerSecond:N0}/s ÷ {jc:N0} rows/s |");
            if (t.HttpCeiling is { } hc)
                Console.WriteLine($"| persisted ÷ HTTP ceiling | {sqlite.PerSecond / hc:0.00} | {sqlite.PerSecond:N0}/s ÷ {hc:N0}/s |");
            Console.WriteLine($"| persisted p99 | {sqlite.Ms(99):0.0} ms | in-memory p99 {memory.Ms(99):0.0} ms |");
            var first = cold.Sets.FirstOrDefault();
            Console.WriteLine($"| cold start, {cold.Entities:N0} persisted entities: start → ready | {cold.ToReady.TotalSeconds:0.00} s | |");
            Console.WriteLine($"| cold start: the first 1,000 commands after ready, all answered | {(first is null ? "—" : $"{first.All.TotalMilliseconds:N0} ms")} | {(first is null ? "" : $"p99 {first.P99Ms:0.0} ms, host CPU {first.CpuMsPerEntity:0.00} ms per entity")} |");
        }
    }

    public static class Throughput
    {
        public static async Task<ThroughputResult> Run(Options o)
        {
            Console.WriteLine();
            Console.WriteLine($"## Persisted commands through the HTTP API — {o.Entities} operator entities, mix: security reports + trainings, {o.Warmup.TotalSeconds:0} s warm-up, {o.Measure.TotalSeconds:0} s measured");
            var rows = new List<(string Journal, LoadResult Result)>();
            double? httpCeiling = null;
            var journalCeilings = new Dictionary<string, double>();
            foreach (var journal in o.Journals)
            {
                LocalPostgres? pg = null;
                var env = new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning" };
                if (o.Hocon is { } extra) env["Akka__Hocon"] = extra; // tuning experiments: layered over the platform's HOCON
                switch (journal)
                {
                    case "memory":
                        env["Persistence__Provider"] = "memory";
                        break;
                    case "sqlite":
                        break;
                    case "postgresql":
                        if (LocalPostgres.FindBin() is null)
                        {
                            Console.WriteLine("  postgresql: skipped — not installed (apt-get install postgresql; load-tests/run-benchmarks.sh does it)");
                            continue;
                        }
                        pg = LocalPostgres.Start();
                        pg.CreateDatabase("jinandataops");
                        env["Persistence__Provider"] = "postgresql";
                        env["Persistence__ConnectionString"] = pg.ConnectionString("jinandataops");
                        break;
                    default:
                        throw new ArgumentException($"unknown journal '{journal}'");
                }
                try
                {
                    await using var host = new HostProcess(env);
                    await host.StartAsync();
                    using var http = LoadGenerator.Client(host.BaseAddress, o.Clients.Max());
                    var operators = await Platform.RegisterOperators(http, o.Entities);
                    if (httpCeiling is null)
                    {
                        var noop = await LoadGenerator.Run("http-ceiling", http, o.Clients[0], o.Warmup, o.Measure, Platform.Noop(operators), () => host.CpuTime);
                        httpCeiling = noop.PerSecond;
                        Print("bare endpoint (HTTP ceiling)", noop);
                    }
                    foreach (var clients in o.Clients)
                    {
                        var result = await LoadGenerator.Run(journal, http, clients, o.Warmup, o.Measure, Platform.CommandMix(operators), () => host.CpuTime);
                        rows.Add((journal, result));
                        Print(journal, result);
                    }
                    host.Kill();
                    if (journal == "sqlite")
                        journalCeilings[journal] = JournalCeiling.Sqlite($"Data Source={host.DatabasePath}", TimeSpan.FromSeconds(5));
                    if (journal == "postgresql" && pg is not null)
                        journalCeilings[journal] = JournalCeiling.Postgres(pg.ConnectionString("jinandataops"), TimeSpan.FromSeconds(5));
                    if (journalCeilings.TryGetValue(journal, out var c)) Console.WriteLine($"  {journal} journal ceiling (batched raw inserts of the same rows, 100 per transaction): {c:N0} rows/s");
                }
                finally
                {
                    pg?.Dispose();
                }
            }

            Console.WriteLine();
            Console.WriteLine("| journal | clients | commands/s | p50 ms | p90 ms | p99 ms | p99.9 ms | failed | × in-memory | × HTTP ceiling | × journal ceiling | host CPU µs/command | load generator cores |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
            foreach (var (journal, r) in rows)
            {
                var memory = rows.FirstOrDefault(x => x.Journal == "memory" && x.Result.Clients == r.Clients).Result;
                var vsMemory = memory is null ? "—" : $"{r.PerSecond / memory.PerSecond:0.00}";
                var vsHttp = httpCeiling is { } h ? $"{r.PerSecond / h:0.00}" : "—";
                var vsJournal = journalCeilings.TryGetValue(journal, out var jc) ? $"{r.PerSecond / jc:0.000}" : "—";
                Console.WriteLine($"| {journal} | {r.Clients} | {r.PerSecond:N0} | {r.Ms(50):0.0} | {r.Ms(90):0.0} | {r.Ms(99):0.0} | {r.Ms(99.9):0.0} | {r.Failures} | {vsMemory} | {vsHttp} | {vsJournal} | {r.HostCpuUsPerRequest:0} | {r.ClientCores:0.00} |");
            }
            if (httpCeiling is { } hc) Console.WriteLine($"| bare endpoint (HTTP ceiling) | {o.Clients[0]} | {hc:N0} | | | | | | | 1.00 | | | |");
            foreach (var (journal, c) in journalCeilings) Console.WriteLine($"| {journal} raw inserts (journal ceiling) | 1 writer | {c:N0} rows/s | | | | | | | | 1.000 | | |");
            return new ThroughputResult(rows, httpCeiling, journalCeilings);
        }

        private static void Print(string name, LoadResult r) =>
            Console.WriteLine($"  {name,-28} {r.Clients,5} clients: {r.PerSecond,9:N0}/s  p50 {r.Ms(50),7:0.0} ms  p99 {r.Ms(99),7:0.0} ms  max {r.Ms(100),7:0.0} ms  failed {r.Failures}  host {r.HostCpuUsPerRequest:0} µs CPU/request  generator {r.ClientCores:0.00} cores");
    }

    public static class ColdStartReport
    {

        public static async Task Run(Options o)
        {
            Console.WriteLine();
            Console.WriteLine("## Cold start on SQLite — the first command to 1,000 persisted entities after a restart");
            Console.WriteLine($"(then up to {o.ColdSets - 1} more disjoint sets of 1,000, one after another: the same recoveries with compiled, later tier-1, code; host CPU per entity = the host's CPU time while a set was answered ÷ 1,000)");
            Console.WriteLine("| persisted operators | start → ready | first 1,000 entities, all answered | p99 | answered | host CPU per entity | second set | host CPU per entity | last set (n) | host CPU per entity |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
            foreach (var n in new[] { 0 }.Concat(o.Cold))
            {
                var r = await ColdStart.Run(n, o.Hocon, o.ColdSets);
                if (r.Sets.Count == 0)
                {
                    Console.WriteLine($"| {n:N0} | {r.ToReady.TotalSeconds:0.00} s | — | — | — | — | — | — | — | — |");
                    continue;
                }
                string Set(int i) => i < r.Sets.Count ? $"{r.Sets[i].All.TotalMilliseconds:N0} ms | {r.Sets[i].CpuMsPerEntity:0.00} ms" : "— | —";
                var first = r.Sets[0];
                var last = r.Sets.Count > 2 ? $"{r.Sets[^1].All.TotalMilliseconds:N0} ms ({r.Sets.Count}) | {r.Sets[^1].CpuMsPerEntity:0.00} ms" : "— | —";
                Console.WriteLine($"| {n:N0} | {r.ToReady.TotalSeconds:0.00} s | {first.All.TotalMilliseconds:N0} ms | {first.P99Ms:0.0} ms | {first.Answered} | {first.CpuMsPerEntity:0.00} ms | {Set(1)} | {last} |");
            }
        }
    }
}
