using LinqToDB;
using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using HdrHistogram;
using Microsoft.Data.Sqlite;

// Minimal reproduction for docs/performance.md: one persistent actor type, one string event per
// command, closed-loop callers, no HTTP, no sharding, no cluster. Only the journal differs.
var mode = args.Length > 0 ? args[0] : "sqlite";
var clients = args.Length > 1 ? int.Parse(args[1]) : 64;
var seconds = args.Length > 2 ? int.Parse(args[2]) : 10;
var warmup = args.Length > 3 ? int.Parse(args[3]) : 20;
var extra = args.Length > 4 ? args[4] : "";
const int Entities = 1000;

var file = Path.Combine(Path.GetTempPath(), $"repro-{Environment.ProcessId}.db");
if (mode.StartsWith("sqlite"))
{
    using var c = new SqliteConnection($"Data Source={file}");
    c.Open();
    using var cmd = c.CreateCommand();
    cmd.CommandText = "PRAGMA journal_mode=WAL;";
    cmd.ExecuteNonQuery();
}
var journal = mode switch
{
    "memory" => "akka.persistence.journal.plugin = akka.persistence.journal.inmem\nakka.persistence.snapshot-store.plugin = akka.persistence.snapshot-store.inmem",
    _ => $$"""
        akka.persistence.journal.plugin = akka.persistence.journal.sql
        akka.persistence.snapshot-store.plugin = akka.persistence.snapshot-store.sql
        akka.persistence.journal.sql { connection-string = "Data Source={{file}}", provider-name = "SQLite.MS", auto-initialize = on, read-isolation-level = read-uncommitted, tag-write-mode = TagTable }
        akka.persistence.snapshot-store.sql { connection-string = "Data Source={{file}}", provider-name = "SQLite.MS", auto-initialize = on, read-isolation-level = read-uncommitted }
        """,
};
var config = ConfigurationFactory.ParseString(extra + "\n" + journal + "\nakka.loglevel = WARNING")
    .WithFallback(Akka.Persistence.Sql.SqlPersistence.DefaultConfiguration);
var setup = BootstrapSetup.Create().WithConfig(config).And(
    mode.StartsWith("sqlite-yield")
        ? new Akka.Persistence.Sql.Config.DataOptionsSetup(new LinqToDB.DataOptions()
            .UseConnectionString(LinqToDB.ProviderName.SQLiteMS, $"Data Source={file}")
            .UseInterceptor(new YieldOnOpen()))
        : new Akka.Persistence.Sql.Config.DataOptionsSetup(null!));
var system = ActorSystem.Create("repro", setup);
var tagged = mode.EndsWith("-tagged");
var actors = Enumerable.Range(0, Entities).Select(i => system.ActorOf(Props.Create(() => new Counter($"c-{i}", tagged)), $"c{i}")).ToArray();

var histogram = new LongHistogram(TimeStamp.Hours(1), 3);
long done = 0, next = 0;
var measuring = false;
var stop = false;
var loops = Enumerable.Range(0, clients).Select(async _ =>
{
    while (!Volatile.Read(ref stop))
    {
        var actor = actors[Interlocked.Increment(ref next) % Entities];
        var t = Stopwatch.GetTimestamp();
        await actor.Ask<long>("inc", TimeSpan.FromSeconds(30));
        if (Volatile.Read(ref measuring))
        {
            lock (histogram) histogram.RecordValue(Stopwatch.GetTimestamp() - t);
            Interlocked.Increment(ref done);
        }
    }
}).ToArray();

await Task.Delay(TimeSpan.FromSeconds(warmup));
var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
var gc0 = GC.GetTotalAllocatedBytes();
var sw = Stopwatch.StartNew();
Volatile.Write(ref measuring, true);
await Task.Delay(TimeSpan.FromSeconds(seconds));
Volatile.Write(ref measuring, false);
var elapsed = sw.Elapsed.TotalSeconds;
var n = Interlocked.Read(ref done);
var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds;
var alloc = GC.GetTotalAllocatedBytes() - gc0;
Volatile.Write(ref stop, true);
await Task.WhenAll(loops);
double Ms(double p) => histogram.GetValueAtPercentile(p) * 1000.0 / Stopwatch.Frequency;
Console.WriteLine($"{mode,-14} clients {clients,4}: {n / elapsed,9:N0} commands/s  p50 {Ms(50),6:N1} ms  p99 {Ms(99),6:N1} ms  CPU {cpu / n * 1000,6:N0} µs/command  alloc {alloc / n / 1024.0,6:N1} KB/command");
await system.Terminate();
if (File.Exists(file)) { SqliteConnection.ClearAllPools(); foreach (var f in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(file) + "*")) File.Delete(f); }

sealed class Counter : ReceivePersistentActor
{
    private long _count;
    public override string PersistenceId { get; }
    public Counter(string id, bool tagged)
    {
        PersistenceId = id;
        Recover<string>(_ => _count++);
        Command<string>(_ =>
        {
            object evt = tagged ? new Akka.Persistence.Journal.Tagged("e", new[] { "t" }) : "e";
            Persist(evt, _ => { _count++; Sender.Tell(_count); });
        });
    }
}

/// <summary>Microsoft.Data.Sqlite completes its "async" calls synchronously, so the journal's write stage
/// runs each transaction on the stream's own thread; yielding once makes it asynchronous.</summary>
sealed class YieldOnOpen : LinqToDB.Interceptors.ConnectionInterceptor
{
    public override async Task ConnectionOpeningAsync(LinqToDB.Interceptors.ConnectionEventData eventData, System.Data.Common.DbConnection connection, CancellationToken cancellationToken)
        => await Task.Yield();
}
