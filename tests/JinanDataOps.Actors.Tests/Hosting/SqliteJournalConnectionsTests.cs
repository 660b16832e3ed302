using JinanDataOps.Actors.Hosting;
using LinqToDB;
using LinqToDB.Data;
using Microsoft.Data.Sqlite;

namespace JinanDataOps.Actors.Tests.Hosting;

/// <summary>The two things the SQLite journal's connections get (docs/performance.md): opening yields, so
/// the journal's write stage is free to batch while a transaction runs; and SQLite's own busy handler
/// waits for the write lock instead of Microsoft.Data.Sqlite's 150 ms sleep.</summary>
public sealed class SqliteJournalConnectionsTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"jinan-connections-{Guid.NewGuid():N}.db");

    [Fact]
    public async Task A_connection_opened_with_the_journal_options_waits_for_the_write_lock_in_SQLite()
    {
        await using var db = new DataConnection(AkkaSetup.SqliteJournalOptions($"Data Source={_path}"));
        var timeout = await db.ExecuteAsync<long>("PRAGMA busy_timeout");

        Assert.Equal(SqliteJournalConnections.BusyTimeoutMs, timeout);
    }

    [Fact]
    public void A_connection_opened_synchronously_gets_the_same_busy_timeout()
    {
        using var db = new DataConnection(AkkaSetup.SqliteJournalOptions($"Data Source={_path}"));
        var timeout = db.Execute<long>("PRAGMA busy_timeout");

        Assert.Equal(SqliteJournalConnections.BusyTimeoutMs, timeout);
    }

    [Fact]
    public void Opening_a_connection_yields_instead_of_completing_on_the_callers_thread()
    {
        using var connection = new SqliteConnection($"Data Source={_path}");
        var held = new HoldingContext();
        var previous = SynchronizationContext.Current;
        Task opening;
        SynchronizationContext.SetSynchronizationContext(held);
        try
        {
            opening = SqliteJournalConnections.Instance.ConnectionOpeningAsync(default, connection, CancellationToken.None);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        // A task already complete here would let the journal's stream stage run the whole transaction inline.
        Assert.False(opening.IsCompleted);
        held.RunAll();
        Assert.True(opening.IsCompletedSuccessfully);
    }

    /// <summary>Keeps what is posted to it until <see cref="RunAll"/>, so the test decides when a yielded
    /// continuation runs.</summary>
    private sealed class HoldingContext : SynchronizationContext
    {
        private readonly Queue<(SendOrPostCallback Callback, object? State)> _posted = new();

        public override void Post(SendOrPostCallback d, object? state) => _posted.Enqueue((d, state));

        public void RunAll()
        {
            while (_posted.TryDequeue(out var p)) p.Callback(p.State);
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var f in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(_path) + "*")) File.Delete(f);
    }
}
