using System.Data.Common;
using LinqToDB.Interceptors;
using Microsoft.Data.Sqlite;

namespace JinanDataOps.Actors.Hosting;

/// <summary>
/// What every SQLite connection of the journal, the snapshot store and the read journal gets on opening
/// (docs/performance.md, both measured there).
/// </summary>
/// <remarks>
/// <para><b>A yield before opening.</b> Microsoft.Data.Sqlite completes every "async" call synchronously.
/// The journal runs its write transactions from an Akka.Streams stage (<c>BatchWeighted → SelectAsync</c>),
/// so each transaction — fsync included — ran to completion on the stream's own thread before the stage
/// could take the next element: every write became its own transaction (1–4 rows per commit) and the
/// callers queued behind one fsync each. Yielding once moves the transaction to a thread-pool thread;
/// while it commits, the stage keeps batching the writes that arrive, and the next transaction carries
/// all of them (group commit). The journal still acknowledges a write only after its commit.</para>
/// <para><b>SQLite's own busy handler.</b> When two writers meet (the journal and the snapshot store share
/// the file), Microsoft.Data.Sqlite retries a busy statement after <c>Thread.Sleep(150)</c>: with one
/// journal writer, every command waiting behind it stalled for 150 ms. With <c>busy_timeout</c> set, SQLite
/// itself waits for the lock, retrying after 1, 2, 5, 10, 15 … ms; the managed 150 ms loop then only
/// runs once the timeout is spent. It is set through SQLite's C API rather than a <c>PRAGMA</c> statement:
/// connections are opened for every query (three per entity recovery), and a statement would be parsed
/// and run each time.</para>
/// </remarks>
public sealed class SqliteJournalConnections : ConnectionInterceptor
{
    /// <summary>How long SQLite waits for the write lock before answering busy (then the managed loop takes over).</summary>
    public const int BusyTimeoutMs = 5_000;

    public static readonly SqliteJournalConnections Instance = new();

    private SqliteJournalConnections() { }

    public override async Task ConnectionOpeningAsync(ConnectionEventData eventData, DbConnection connection, CancellationToken cancellationToken) =>
        await Task.Yield();

    public override Task ConnectionOpenedAsync(ConnectionEventData eventData, DbConnection connection, CancellationToken cancellationToken)
    {
        SetBusyTimeout(connection);
        return Task.CompletedTask;
    }

    public override void ConnectionOpened(ConnectionEventData eventData, DbConnection connection) => SetBusyTimeout(connection);

    private static void SetBusyTimeout(DbConnection connection)
    {
        if (connection is not SqliteConnection sqlite)
            throw new InvalidOperationException($"{nameof(SqliteJournalConnections)} is for Microsoft.Data.Sqlite connections, not {connection.GetType()}");
        var rc = SQLitePCL.raw.sqlite3_busy_timeout(sqlite.Handle, BusyTimeoutMs);
        if (rc != SQLitePCL.raw.SQLITE_OK) throw new SqliteException($"sqlite3_busy_timeout failed ({rc})", rc);
    }
}
