using System.Data.Common;
using JinanDataOps.Actors.Hosting;
using JinanDataOps.Api.Endpoints;

namespace JinanDataOps.Host;

/// <summary>Readiness: a plain SELECT 1 against the journal's database, bounded by the caller's timeout.
/// Any failure is a reason not to be ready, never an error of the endpoint: a driver that cannot even be
/// constructed (SqlClient without culture data threw <see cref="NotSupportedException"/>, which made
/// <c>/health/ready</c> answer 500), a malformed connection string, a refused connection — all answer 503
/// with the reason. A load balancer probes every few seconds, so a failure is logged when its reason
/// changes and then at most once a minute, not on every probe.</summary>
public sealed class JournalProbe(PersistenceProvider provider, string connectionString, ILogger<JournalProbe>? log = null) : IJournalProbe
{
    private static readonly TimeSpan RepeatLogEvery = TimeSpan.FromMinutes(1);
    private readonly Lock _gate = new();
    private string? _lastLogged;
    private DateTimeOffset _lastLoggedAt;

    public async Task<string?> Problem(CancellationToken ct)
    {
        if (provider == PersistenceProvider.Memory) return null;
        string problem;
        try
        {
            await using var connection = Open();
            await connection.OpenAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(ct);
            Recovered();
            return null;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            problem = "no answer within the timeout";
        }
        catch (Exception ex)
        {
            problem = ex is DbException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
        }
        Failed(problem);
        return problem;
    }

    private void Failed(string problem)
    {
        lock (_gate)
        {
            var now = DateTimeOffset.UtcNow;
            if (problem == _lastLogged && now - _lastLoggedAt < RepeatLogEvery) return;
            _lastLogged = problem;
            _lastLoggedAt = now;
        }
        log?.LogWarning("readiness: the journal's database ({Provider}) is not reachable: {Problem}", provider, problem);
    }

    private void Recovered()
    {
        lock (_gate)
        {
            if (_lastLogged is null) return;
            _lastLogged = null;
        }
        log?.LogInformation("readiness: the journal's database ({Provider}) answers again", provider);
    }

    private DbConnection Open() => provider switch
    {
        PersistenceProvider.Sqlite => new Microsoft.Data.Sqlite.SqliteConnection(connectionString),
        PersistenceProvider.PostgreSql => new Npgsql.NpgsqlConnection(connectionString),
        PersistenceProvider.SqlServer => new Microsoft.Data.SqlClient.SqlConnection(connectionString),
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };
}
