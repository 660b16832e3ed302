using Microsoft.Data.Sqlite;

namespace JinanDataOps.Host.Tests;

/// <summary>A SQLite journal from before the tag column (tags in their own table) is brought to the
/// current layout on start, keeping every event's tags.</summary>
public sealed class JournalTagColumnTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"jinan-tagcolumn-{Guid.NewGuid():N}.db");

    [Fact]
    public void An_old_journal_gets_the_tag_column_filled_from_the_tag_table()
    {
        using var connection = Open();
        Execute(connection, """
            CREATE TABLE journal (ordering INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, created INTEGER NOT NULL, deleted Bit NOT NULL,
              persistence_id NVarChar(255) NOT NULL, sequence_number INTEGER NOT NULL, message VarBinary NOT NULL,
              manifest NVarChar(500) NULL, identifier INTEGER NULL, writer_uuid NVarChar(128) NULL);
            CREATE TABLE tags (ordering_id INTEGER NOT NULL, tag NVarChar(64) NOT NULL, sequence_nr INTEGER NOT NULL,
              persistence_id NVarChar(255) NOT NULL, CONSTRAINT PK_tags PRIMARY KEY (ordering_id, tag));
            INSERT INTO journal(created, deleted, persistence_id, sequence_number, message) VALUES (1, 0, 'call-1', 1, x'00');
            INSERT INTO journal(created, deleted, persistence_id, sequence_number, message) VALUES (2, 0, 'operator-a', 1, x'00');
            INSERT INTO journal(created, deleted, persistence_id, sequence_number, message) VALUES (3, 0, 'call-1', 2, x'00');
            INSERT INTO tags VALUES (1, 'call', 1, 'call-1'), (1, 'reactions', 1, 'call-1'), (3, 'call', 2, 'call-1');
            """);

        var moved = JournalTagColumn.Migrate(connection);

        Assert.Equal(2, moved);
        Assert.Equal(["call", "reactions"], TagsOf(connection, 1));
        Assert.Empty(TagsOf(connection, 2));
        Assert.Equal(["call"], TagsOf(connection, 3));
        Assert.Equal(0, JournalTagColumn.Migrate(connection));
    }

    [Fact]
    public void A_new_database_or_a_current_journal_is_left_alone()
    {
        using var connection = Open();
        Assert.Equal(0, JournalTagColumn.Migrate(connection));
        Execute(connection, "CREATE TABLE journal (ordering INTEGER PRIMARY KEY, tags NVarChar(100) NULL); INSERT INTO journal VALUES (1, ';call;');");
        Assert.Equal(0, JournalTagColumn.Migrate(connection));
        Assert.Equal(["call"], TagsOf(connection, 1));
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={_path}");
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string[] TagsOf(SqliteConnection connection, long ordering)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT tags FROM journal WHERE ordering = {ordering}";
        var csv = command.ExecuteScalar() as string ?? "";
        Assert.True(csv.Length == 0 || (csv.StartsWith(';') && csv.EndsWith(';')), $"CSV tags are ';'-delimited on both ends: '{csv}'");
        return csv.Split(';', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToArray();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var f in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(_path) + "*")) File.Delete(f);
    }
}
