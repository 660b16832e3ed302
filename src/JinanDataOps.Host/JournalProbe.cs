using System.Data.Common;
using JinanDataOps.Actors.Hosting;
using JinanDataOps.Api.Endpoints;

namespace JinanDataOps.Host;

/// <summary>Readiness: a plain SELECT 1 against the journal's database, bounded by the caller's timeout.</summary>
public sealed class JournalProbe(PersistenceProvider provider, string connectionString) : IJournalProbe
{
    public async Task<string?> Problem(CancellationToken ct)
    {
        if (provider == PersistenceProvider.Memory) return null;
        try
        {
            await using var connection = Open();
            await connection.OpenAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(ct);
            return null;
        }
        catch (Exception ex) when (ex is DbException or OperationCanceledException or InvalidOperationException or TimeoutException)
        {
            return ex is OperationCanceledException ? "no answer within the timeout" : ex.Message;
        }
    }

    private DbConnection Open() => provider switch
    {
        PersistenceProvider.Sqlite => new Microsoft.Data.Sqlite.SqliteConnection(connectionString),
        PersistenceProvider.PostgreSql => new Npgsql.NpgsqlConnection(connectionString),
        PersistenceProvider.SqlServer => new Microsoft.Data.SqlClient.SqlConnection(connectionString),
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };
}
