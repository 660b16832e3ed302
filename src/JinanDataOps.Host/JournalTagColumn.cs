using Microsoft.Data.Sqlite;

namespace JinanDataOps.Host;

/// <summary>
/// Brings a SQLite journal written before tags moved into the journal row (issue 3, docs/performance.md)
/// to the current layout: adds the <c>tags</c> column and fills it from the old tag table, in one
/// transaction, before the journal starts. Without it the journal's inserts would fail on such a file
/// ("no such column: tags") and the read models would miss the old tagged events.
/// </summary>
public static class JournalTagColumn
{
    /// <summary>Returns how many journal rows got their tags; 0 when there was nothing to do.</summary>
    public static int Migrate(SqliteConnection connection)
    {
        if (!TableExists(connection, "journal") || HasColumn(connection, "journal", "tags")) return 0;
        using var tx = connection.BeginTransaction();
        Execute(connection, tx, "ALTER TABLE journal ADD COLUMN tags NVarChar(100) NULL");
        var moved = TableExists(connection, "tags")
            // The journal's CSV format: ";a;b;" (separator before, between and after).
            ? Execute(connection, tx, """
                UPDATE journal
                SET tags = ';' || (SELECT group_concat(t.tag, ';') FROM tags t WHERE t.ordering_id = journal.ordering) || ';'
                WHERE ordering IN (SELECT ordering_id FROM tags)
                """)
            : 0;
        tx.Commit();
        return moved;
    }

    private static bool TableExists(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $name";
        command.Parameters.AddWithValue("$name", table);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    private static bool HasColumn(SqliteConnection connection, string table, string column)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM pragma_table_info('{table}') WHERE name = $column";
        command.Parameters.AddWithValue("$column", column);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    private static int Execute(SqliteConnection connection, SqliteTransaction tx, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }
}
