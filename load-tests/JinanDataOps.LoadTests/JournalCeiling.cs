using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace JinanDataOps.LoadTests;

/// <summary>The journal ceiling: journal-shaped rows (persistence id, sequence number, ~200-byte payload,
/// manifest, serializer id, timestamp, tag column) appended in batches by one writer, into a copy
/// of the journal table in the same database, with the same durability settings the journal
/// has. What the database can do for the rows a command writes, with nothing of Akka in the way.</summary>
public static class JournalCeiling
{
    private static readonly byte[] Payload = new byte[200];

    public static double Sqlite(string connectionString, TimeSpan duration, int batch = 100)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        Exec(connection, "DROP TABLE IF EXISTS ceiling_journal;");
        // The same columns and the same indexes as the journal's own table (tags are a column of it).
        Exec(connection, """
            CREATE TABLE ceiling_journal AS SELECT * FROM journal WHERE 0;
            CREATE UNIQUE INDEX ceiling_pk ON ceiling_journal(ordering);
            CREATE UNIQUE INDEX ceiling_uq ON ceiling_journal(persistence_id, sequence_number);
            CREATE INDEX ceiling_created ON ceiling_journal(created);
            CREATE INDEX ceiling_seq ON ceiling_journal(sequence_number);
            """);
        return Measure(duration, batch, (rows, first) =>
        {
            using var tx = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = "INSERT INTO ceiling_journal(ordering, created, deleted, persistence_id, sequence_number, message, manifest, identifier, writer_uuid, tags) VALUES ($o, $c, 0, $p, $s, $m, 'op.security-report-filed.v1', 4186, 'w', ';reactions;');";
            var o = insert.Parameters.Add("$o", SqliteType.Integer);
            var c = insert.Parameters.Add("$c", SqliteType.Integer);
            var p = insert.Parameters.Add("$p", SqliteType.Text);
            var s = insert.Parameters.Add("$s", SqliteType.Integer);
            insert.Parameters.AddWithValue("$m", Payload);
            for (var i = 0; i < rows; i++)
            {
                var n = first + i;
                o.Value = n; c.Value = DateTime.UtcNow.Ticks; p.Value = $"operator-bench-{n % 1000}"; s.Value = n;
                insert.ExecuteNonQuery();
            }
            tx.Commit();
        });
    }

    public static double Postgres(string connectionString, TimeSpan duration, int batch = 100)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        Exec(connection, "DROP TABLE IF EXISTS ceiling_journal;");
        Exec(connection, "CREATE TABLE ceiling_journal (LIKE journal INCLUDING ALL);");
        return Measure(duration, batch, (rows, first) =>
        {
            using var tx = connection.BeginTransaction();
            using var insert = new NpgsqlBatch(connection, tx);
            for (var i = 0; i < rows; i++)
            {
                var n = first + i;
                // ordering is an identity column here, as in the journal: the database assigns it.
                var journal = new NpgsqlBatchCommand("INSERT INTO ceiling_journal(created, deleted, persistence_id, sequence_number, message, manifest, identifier, writer_uuid, tags) VALUES ($1, false, $2, $3, $4, 'op.security-report-filed.v1', 4186, 'w', ';reactions;')");
                journal.Parameters.AddWithValue(DateTime.UtcNow.Ticks);
                journal.Parameters.AddWithValue($"operator-bench-{n % 1000}"); journal.Parameters.AddWithValue(n); journal.Parameters.AddWithValue(Payload);
                insert.BatchCommands.Add(journal);
            }
            insert.ExecuteNonQuery();
            tx.Commit();
        });
    }

    private static double Measure(TimeSpan duration, int batch, Action<int, long> writeBatch)
    {
        long written = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            writeBatch(batch, written + 1);
            written += batch;
        }
        return written / clock.Elapsed.TotalSeconds;
    }

    private static void Exec(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
