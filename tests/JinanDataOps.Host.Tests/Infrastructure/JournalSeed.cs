using System.Text.Json;
using JinanDataOps.Actors.Serialization;
using Microsoft.Data.Sqlite;

namespace JinanDataOps.Host.Tests.Infrastructure;

/// <summary>Writes events straight into a stopped host's SQLite journal, exactly as the journal stores them
/// (JinanSerializer JSON, its manifest, tags in the row's column): a benchmark starts from a large
/// persisted state in seconds instead of building it through the API, and a test can leave the journal
/// exactly as a node that died at a given moment left it.</summary>
public sealed class JournalSeed : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _tx;
    private readonly SqliteCommand _insert;
    private readonly SqliteParameter _pid, _seq, _message, _manifest, _tags, _created;

    /// <summary>Starts the host once so the journal creates its tables, then stops it hard.</summary>
    public static async Task PrepareAsync(HostProcess host)
    {
        await host.StartAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await using (var connection = new SqliteConnection($"Data Source={host.DatabasePath};Mode=ReadOnly"))
            {
                await connection.OpenAsync();
                await using var query = connection.CreateCommand();
                query.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('journal', 'snapshot')";
                if (Convert.ToInt32(await query.ExecuteScalarAsync()) == 2) break;
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the journal's tables were not created within 30 s of the host being ready");
            await Task.Delay(50);
        }
        host.Kill();
    }

    public JournalSeed(string databasePath)
    {
        _connection = new SqliteConnection($"Data Source={databasePath}");
        _connection.Open();
        _tx = _connection.BeginTransaction();
        _insert = _connection.CreateCommand();
        _insert.Transaction = _tx;
        _insert.CommandText = """
            INSERT INTO journal(created, deleted, persistence_id, sequence_number, message, manifest, identifier, writer_uuid, tags)
            VALUES ($created, 0, $pid, $seq, $message, $manifest, $serializer, 'seed', $tags);
            """;
        _created = _insert.Parameters.Add("$created", SqliteType.Integer);
        _pid = _insert.Parameters.Add("$pid", SqliteType.Text);
        _seq = _insert.Parameters.Add("$seq", SqliteType.Integer);
        _message = _insert.Parameters.Add("$message", SqliteType.Blob);
        _manifest = _insert.Parameters.Add("$manifest", SqliteType.Text);
        _tags = _insert.Parameters.Add("$tags", SqliteType.Text);
        _insert.Parameters.AddWithValue("$serializer", JinanSerializer.Id);
    }

    public void Add(string persistenceId, long sequenceNr, object @event, params string[] tags)
    {
        _created.Value = DateTimeOffset.UtcNow.UtcTicks;
        _pid.Value = persistenceId;
        _seq.Value = sequenceNr;
        _message.Value = JsonSerializer.SerializeToUtf8Bytes(@event, @event.GetType(), JinanSerializer.Options);
        _manifest.Value = Manifests.ByType[@event.GetType()];
        _tags.Value = tags.Length == 0 ? DBNull.Value : $";{string.Join(';', tags)};";
        _insert.ExecuteNonQuery();
    }

    /// <summary>The sequence number the next event of this persistence id takes.</summary>
    public long Next(string persistenceId)
    {
        using var query = _connection.CreateCommand();
        query.Transaction = _tx;
        query.CommandText = "SELECT COALESCE(MAX(sequence_number), 0) + 1 FROM journal WHERE persistence_id = $pid";
        query.Parameters.AddWithValue("$pid", persistenceId);
        return Convert.ToInt64(query.ExecuteScalar());
    }

    public void Commit() => _tx.Commit();

    public void Dispose()
    {
        _insert.Dispose();
        _tx.Dispose();
        _connection.Dispose();
    }
}
