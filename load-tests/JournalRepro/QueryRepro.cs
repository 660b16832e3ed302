using System.Diagnostics;
using LinqToDB;
using LinqToDB.Data;
using LinqToDB.Mapping;
using Microsoft.Data.Sqlite;

/// <summary>
/// Cause F of docs/performance.md, alone: what one recovery query costs through linq2db when it is keyed by
/// a string (every journal query is: the persistence id) against the same query keyed by a number, and
/// against the same SQL as a prepared ADO.NET command. linq2db 6.5.1 treats a query with a parameter of a
/// reference or nullable type as "parameter dependent" (the SQL might need <c>IS NULL</c>), so it does not
/// keep the SQL it built: every execution optimises the query tree and writes the SQL text again.
/// </summary>
public static class QueryRepro
{
    private const int Keys = 1_000;

    [Table("journal")]
    public sealed class Row
    {
        [Column("ordering"), PrimaryKey] public long Ordering { get; set; }
        [Column("persistence_id"), NotNull] public string PersistenceId { get; set; } = "";
        [Column("sequence_number")] public long SequenceNumber { get; set; }
        [Column("deleted")] public bool Deleted { get; set; }
    }

    public static void Run(int executions)
    {
        var file = Path.Combine(Path.GetTempPath(), $"query-repro-{Guid.NewGuid():N}.db");
        var connectionString = $"Data Source={file}";
        try
        {
            using (var setup = new SqliteConnection(connectionString))
            {
                setup.Open();
                Execute(setup, "PRAGMA journal_mode = WAL;");
                Execute(setup, "CREATE TABLE journal (ordering INTEGER PRIMARY KEY, persistence_id TEXT NOT NULL, sequence_number INTEGER NOT NULL, deleted INTEGER NOT NULL);");
                Execute(setup, "CREATE UNIQUE INDEX journal_pid_seq ON journal (persistence_id, sequence_number);");
                using var tx = setup.BeginTransaction();
                for (var n = 1; n <= Keys; n++)
                    Execute(setup, $"INSERT INTO journal VALUES ({n}, 'operator-{n:D6}', 1, 0);");
                tx.Commit();
            }

            var options = new DataOptions().UseConnectionString(ProviderName.SQLiteMS, connectionString);
            using var db = new DataConnection(options);
            var table = db.GetTable<Row>();

            Console.WriteLine($"One query shape — highest sequence number of a key — executed {executions:N0} times over {Keys:N0} keys, one open connection:");
            Console.WriteLine();
            Console.WriteLine("| query | µs per execution | allocated KB per execution |");
            Console.WriteLine("|---|---|---|");
            Measure("linq2db, keyed by the string persistence_id (as the journal's queries are)", executions,
                i => table.Where(r => r.PersistenceId == Pid(i)).Max(r => (long?)r.SequenceNumber));
            Measure("linq2db, the same query keyed by the long ordering", executions,
                i => table.Where(r => r.Ordering == 1 + i % Keys).Max(r => (long?)r.SequenceNumber));

            var connection = (SqliteConnection)db.OpenDbConnection();
            using var prepared = connection.CreateCommand();
            prepared.CommandText = "SELECT MAX(sequence_number) FROM journal WHERE persistence_id = @pid";
            var parameter = prepared.Parameters.Add("@pid", SqliteType.Text);
            prepared.Prepare();
            Measure("ADO.NET, the same SQL as one prepared command", executions, i =>
            {
                parameter.Value = Pid(i);
                return prepared.ExecuteScalar() as long?;
            });
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var f in new[] { file, file + "-wal", file + "-shm" }) File.Delete(f);
        }
    }

    private static string Pid(int i) => $"operator-{1 + i % Keys:D6}";

    private static void Measure(string what, int executions, Func<int, long?> query)
    {
        for (var i = 0; i < Math.Min(2_000, executions); i++) Check(query(i)); // compile and tier up first
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < executions; i++) Check(query(i));
        var elapsed = clock.Elapsed;
        var kb = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1024.0 / executions;
        Console.WriteLine($"| {what} | {elapsed.TotalMicroseconds / executions:N1} | {kb:N1} |");
    }

    private static void Check(long? highest)
    {
        if (highest != 1) throw new InvalidOperationException($"expected sequence number 1, got {highest}");
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
