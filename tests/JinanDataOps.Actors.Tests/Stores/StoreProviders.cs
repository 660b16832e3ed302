using JinanDataOps.Tests.Shared;
using System.Data.Common;
using JinanDataOps.Actors.Hosting;
using Microsoft.Data.Sqlite;
using Npgsql;
using Xunit.Abstractions;

namespace JinanDataOps.Actors.Tests.Stores;

/// <summary>The store suite on SQLite: a file of its own in a temporary folder, in WAL mode as the host sets it.</summary>
public sealed class SqliteStoreTests(ITestOutputHelper output) : StoreSuite(output)
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"jdo-store-{Guid.NewGuid():N}");

    protected override PersistenceProvider Provider => PersistenceProvider.Sqlite;

    protected override async Task<string?> CreateDatabase()
    {
        Directory.CreateDirectory(_folder);
        var connectionString = $"Data Source={Path.Combine(_folder, "journal.db")}";
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var wal = connection.CreateCommand();
        wal.CommandText = "PRAGMA journal_mode=WAL;";
        await wal.ExecuteScalarAsync();
        return connectionString;
    }

    protected override Task DropDatabase()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { /* the temp folder is cleaned anyway */ }
        return Task.CompletedTask;
    }

    protected override DbConnection Connection(string connectionString) => new SqliteConnection(connectionString);
}

/// <summary>The store suite on PostgreSQL (<see cref="TestPostgres"/>: the server named by <c>JDO_TEST_POSTGRES</c>, or a
/// throw-away one started for the test process), a database of its own per test, dropped afterwards. Without a
/// server the tests fail, so a missing one is never a silent pass — unless <c>JDO_SKIP_POSTGRES=1</c> says explicitly
/// to skip them (each then passes at once and says so in its output).</summary>
public sealed class PostgreSqlStoreTests(ITestOutputHelper output) : StoreSuite(output)
{
    private string? _server;
    private string? _database;

    protected override PersistenceProvider Provider => PersistenceProvider.PostgreSql;

    protected override async Task<string?> CreateDatabase()
    {
        _server = TestPostgres.Server();
        if (_server is null) return null;
        _database = await TestPostgres.CreateDatabase(_server, "jdo_store");
        return TestPostgres.ConnectionString(_server, _database);
    }

    protected override Task DropDatabase() => TestPostgres.DropDatabase(_server, _database);

    protected override DbConnection Connection(string connectionString) => new NpgsqlConnection(connectionString);
}
