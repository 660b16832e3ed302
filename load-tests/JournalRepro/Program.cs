using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Akka.Persistence.Sql.Config;
using HdrHistogram;
using LinqToDB;
using Microsoft.Data.Sqlite;

// The minimal reproduction of docs/performance.md: one persistent actor type, one string event per
// command, closed-loop callers asking 1,000 actors round robin — no HTTP, no sharding, no cluster, none
// of the platform's code. Only the journal's configuration differs between the rows.
//
// Usage: dotnet run -c Release --project load-tests/JournalRepro -- [--clients 64] [--seconds 10] [--warmup 15] [--modes a,b]
//        dotnet run -c Release --project load-tests/JournalRepro -- queries [--executions 50000]   (cause F: one query, three ways)
if (args.FirstOrDefault() == "queries")
{
    QueryRepro.Run(Arg("executions", 50_000));
    return;
}
var clients = Arg("clients", 64);
var seconds = Arg("seconds", 10);
var warmup = Arg("warmup", 15);
var modes = (ArgText("modes") ?? string.Join(",", Mode.All.Select(m => m.Name))).Split(',');

Console.WriteLine($"Journal reproduction — {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, " +
    $"{Counter.Entities} persistent actors, {clients} callers, {warmup} s warm-up, {seconds} s measured");
Console.WriteLine();
Console.WriteLine("| journal | events/s | p50 ms | p99 ms | CPU µs/event | allocated KB/event |");
Console.WriteLine("|---|---|---|---|---|---|");
foreach (var name in modes)
{
    var mode = Mode.All.SingleOrDefault(m => m.Name == name) ?? throw new ArgumentException($"unknown mode '{name}'; known: {string.Join(", ", Mode.All.Select(m => m.Name))}");
    var r = await Run(mode, clients, TimeSpan.FromSeconds(warmup), TimeSpan.FromSeconds(seconds));
    Console.WriteLine(FormattableString.Invariant($"| {mode.Description} | {r.PerSecond:N0} | {r.P50:N1} | {r.P99:N1} | {r.CpuMicros:N0} | {r.AllocatedKb:N1} |"));
}
return;

int Arg(string name, int fallback) => ArgText(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
string? ArgText(string name) => Array.IndexOf(args, $"--{name}") is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

static async Task<Result> Run(Mode mode, int clients, TimeSpan warmup, TimeSpan measure)
{
    var file = Path.Combine(Path.GetTempPath(), $"journal-repro-{Guid.NewGuid():N}.db");
    var connectionString = $"Data Source={file}";
    if (mode.Sql)
    {
        // WAL, as the platform sets it: readers never block the writer.
        using var c = new SqliteConnection(connectionString);
        c.Open();
        using var pragma = c.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode=WAL;";
        pragma.ExecuteNonQuery();
    }
    var config = ConfigurationFactory.ParseString(mode.Hocon(connectionString) + "\nakka.loglevel = WARNING")
        .WithFallback(Akka.Persistence.Sql.SqlPersistence.DefaultConfiguration);
    var setup = Akka.Actor.Setup.ActorSystemSetup.Create(BootstrapSetup.Create().WithConfig(config));
    if (mode.Yield)
        setup = setup.And(new DataOptionsSetup(new DataOptions().UseConnectionString(ProviderName.SQLiteMS, connectionString).UseInterceptor(YieldOnOpen.Instance)));
    var system = ActorSystem.Create("repro", setup);
    try
    {
        var actors = Enumerable.Range(0, Counter.Entities)
            .Select(i => system.ActorOf(Props.Create(() => new Counter($"counter-{i}", mode.Tagged)), $"c{i}")).ToArray();
        var histogram = new LongHistogram(TimeStamp.Hours(1), 3);
        long done = 0, next = 0;
        var measuring = false;
        var stop = false;
        var loops = Enumerable.Range(0, clients).Select(async _ =>
        {
            while (!Volatile.Read(ref stop))
            {
                var actor = actors[Interlocked.Increment(ref next) % actors.Length];
                var started = Stopwatch.GetTimestamp();
                await actor.Ask<long>(Counter.Increment, TimeSpan.FromSeconds(30));
                if (!Volatile.Read(ref measuring)) continue;
                lock (histogram) histogram.RecordValue(Stopwatch.GetTimestamp() - started);
                Interlocked.Increment(ref done);
            }
        }).ToArray();

        await Task.Delay(warmup);
        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var allocated0 = GC.GetTotalAllocatedBytes();
        var clock = Stopwatch.StartNew();
        Volatile.Write(ref measuring, true);
        await Task.Delay(measure);
        Volatile.Write(ref measuring, false);
        var elapsed = clock.Elapsed.TotalSeconds;
        process.Refresh();
        var n = Math.Max(1, Interlocked.Read(ref done));
        var cpu = (process.TotalProcessorTime - cpu0).TotalMilliseconds * 1000 / n;
        var allocated = (GC.GetTotalAllocatedBytes() - allocated0) / 1024.0 / n;
        Volatile.Write(ref stop, true);
        await Task.WhenAll(loops);
        double Ms(double percentile) => histogram.GetValueAtPercentile(percentile) * 1000.0 / Stopwatch.Frequency;
        return new Result(n / elapsed, Ms(50), Ms(99), cpu, allocated);
    }
    finally
    {
        await system.Terminate();
        SqliteConnection.ClearAllPools();
        foreach (var f in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(file) + "*")) File.Delete(f);
    }
}

internal sealed record Result(double PerSecond, double P50, double P99, double CpuMicros, double AllocatedKb);

/// <summary>One row of the table: a journal and how it is configured.</summary>
internal sealed record Mode(string Name, string Description, bool Sql, bool Yield, bool Tagged, int Parallelism, string TagMode)
{
    public static readonly Mode[] All =
    [
        new("memory", "in-memory journal", Sql: false, Yield: false, Tagged: false, Parallelism: 0, TagMode: ""),
        new("sqlite", "Akka.Persistence.Sql → SQLite file, as configured before (parallelism 3)", Sql: true, Yield: false, Tagged: false, Parallelism: 3, TagMode: "TagTable"),
        new("sqlite-p1", "same, parallelism 1", Sql: true, Yield: false, Tagged: false, Parallelism: 1, TagMode: "TagTable"),
        new("sqlite-yield", "same, parallelism 1 + yield on connection open (the platform's setting)", Sql: true, Yield: true, Tagged: false, Parallelism: 1, TagMode: "Csv"),
        new("sqlite-yield-p3", "yield on connection open, parallelism 3", Sql: true, Yield: true, Tagged: false, Parallelism: 3, TagMode: "Csv"),
        new("sqlite-yield-tagged", "platform setting, every event tagged (tag column)", Sql: true, Yield: true, Tagged: true, Parallelism: 1, TagMode: "Csv"),
        new("sqlite-yield-tagtable", "platform setting, every event tagged (tag table)", Sql: true, Yield: true, Tagged: true, Parallelism: 1, TagMode: "TagTable"),
    ];

    public string Hocon(string connectionString) => !Sql
        ? "akka.persistence.journal.plugin = akka.persistence.journal.inmem\nakka.persistence.snapshot-store.plugin = akka.persistence.snapshot-store.inmem"
        : $$"""
            akka.persistence.journal.plugin = akka.persistence.journal.sql
            akka.persistence.snapshot-store.plugin = akka.persistence.snapshot-store.sql
            akka.persistence.journal.sql {
              connection-string = "{{connectionString}}", provider-name = "SQLite.MS", auto-initialize = on
              read-isolation-level = read-uncommitted, parallelism = {{Parallelism}}, tag-write-mode = {{TagMode}}
            }
            akka.persistence.snapshot-store.sql { connection-string = "{{connectionString}}", provider-name = "SQLite.MS", auto-initialize = on, read-isolation-level = read-uncommitted }
            """;
}

/// <summary>Microsoft.Data.Sqlite completes its "async" calls synchronously, so the journal's write stage
/// runs each transaction on the stream's own thread; yielding once makes it asynchronous
/// (the platform's JinanDataOps.Actors.Hosting.YieldOnConnectionOpen, repeated here so that the
/// reproduction depends on nothing of ours).</summary>
internal sealed class YieldOnOpen : LinqToDB.Interceptors.ConnectionInterceptor
{
    public static readonly YieldOnOpen Instance = new();

    public override async Task ConnectionOpeningAsync(LinqToDB.Interceptors.ConnectionEventData eventData, System.Data.Common.DbConnection connection, CancellationToken cancellationToken) =>
        await Task.Yield();
}

/// <summary>The simplest persistent actor: one event per command, answered after the write.</summary>
internal sealed class Counter : ReceivePersistentActor
{
    public const int Entities = 1000;
    public const string Increment = "inc";
    private long _count;

    public override string PersistenceId { get; }

    public Counter(string id, bool tagged)
    {
        PersistenceId = id;
        Recover<string>(_ => _count++);
        Command<string>(_ =>
        {
            object evt = tagged ? new Tagged("e", ["t"]) : "e";
            Persist(evt, _ =>
            {
                _count++;
                Sender.Tell(_count);
            });
        });
    }
}
