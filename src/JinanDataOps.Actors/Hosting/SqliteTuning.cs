using System.Data.Common;
using LinqToDB.Interceptors;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace JinanDataOps.Actors.Hosting;

/// <summary>Per-connection settings for the SQLite journal (docs/performance.md). SQLite runs a WAL
/// checkpoint inside whichever commit pushes the WAL past 1,000 pages; with the read side polling, the
/// WAL is rarely fully checkpointed, so from then on nearly every journal commit paid for copying pages
/// into the database file and syncing it. Commits therefore do not checkpoint
/// (<c>wal_autocheckpoint = 0</c>); <see cref="SqliteCheckpointer"/> does it beside them. Durability is
/// unchanged: <c>synchronous = FULL</c> syncs the WAL on every commit.</summary>
public sealed class SqlitePragmas : ConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 0;";

    public override void ConnectionOpened(ConnectionEventData eventData, DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(ConnectionEventData eventData, DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>Checkpoints the SQLite WAL on its own connection, off the commit path: a passive checkpoint
/// every <see cref="Interval"/> (it never blocks writers or readers), so the WAL stays small and
/// recovery reads stay fast.</summary>
public sealed class SqliteCheckpointer(PlatformOptions options, ILogger<SqliteCheckpointer> log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Provider != PersistenceProvider.Sqlite) return;
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(options.ConnectionString);
                await connection.OpenAsync(stoppingToken);
                await using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
                await command.ExecuteNonQueryAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is DbException or InvalidOperationException)
            {
                log.LogWarning(ex, "WAL checkpoint failed; the next one will try again");
            }
        }
    }
}
