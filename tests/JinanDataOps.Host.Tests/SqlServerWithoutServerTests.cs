using System.Net;
using System.Net.Sockets;
using JinanDataOps.Actors.Hosting;
using JinanDataOps.Host.Tests.Infrastructure;

namespace JinanDataOps.Host.Tests;

/// <summary>SQL Server cannot run on these machines; what can be tested without one is tested here: the host
/// configured for it starts (Microsoft.Data.SqlClient needs culture data, which invariant globalization took
/// away: the journal failed before any connection and readiness answered 500), and while the database does not
/// answer, readiness says so — 503 not-ready with the driver's reason, never 500.</summary>
public sealed class SqlServerWithoutServerTests
{
    [Fact]
    public async Task A_host_over_an_unreachable_SQL_Server_starts_and_is_not_ready_with_the_reason()
    {
        var connection = $"Server=tcp:127.0.0.1,{ClosedPort()};User ID=sa;Password=not-a-secret;TrustServerCertificate=True;Connect Timeout=2;ConnectRetryCount=0";
        await using var host = new HostProcess(new Dictionary<string, string>
        {
            ["Persistence__Provider"] = "sqlserver",
            ["Persistence__ConnectionString"] = connection,
        });
        await host.StartAsync(probePath: "health/live");
        using var api = new ApiClient(host);

        // The node joins its cluster whatever the journal does; wait for that, then for the journal's reason.
        var ready = await Wait.Eventually(async () =>
        {
            var reply = await api.Get(null, "/health/ready");
            reply.ExpectProblem(503, "not-ready", "the journal is not reachable");
            return reply;
        }, TimeSpan.FromSeconds(60), () => host.Tail(40));

        var detail = ready.Str("detail");
        Assert.DoesNotContain("Globalization", detail, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("NotSupportedException", detail, StringComparison.Ordinal);
        // Either SqlClient's own words (a refused connection is a SqlException), or the probe's timeout.
        Assert.True(detail.Contains("SQL Server", StringComparison.OrdinalIgnoreCase) || detail.Contains("no answer within the timeout", StringComparison.Ordinal),
            $"readiness should carry the driver's reason: {detail}");
        Assert.True(host.IsRunning, host.Tail(40));
        Assert.DoesNotContain("Globalization Invariant Mode", host.Tail(int.MaxValue), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_probe_answers_the_reason_for_any_failure_and_never_throws()
    {
        // A connection string SqlClient cannot even parse: an ArgumentException, not a DbException.
        var malformed = new JournalProbe(PersistenceProvider.SqlServer, "this is not a connection string");
        var problem = await malformed.Problem(CancellationToken.None);
        Assert.NotNull(problem);
        Assert.Contains("ArgumentException", problem, StringComparison.Ordinal);

        // A refused connection: SqlClient's SqlException, constructed with culture data (no NotSupportedException).
        var refused = new JournalProbe(PersistenceProvider.SqlServer, $"Server=tcp:127.0.0.1,{ClosedPort()};User ID=sa;Password=x;TrustServerCertificate=True;Connect Timeout=2;ConnectRetryCount=0");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var reason = await refused.Problem(timeout.Token);
        Assert.NotNull(reason);
        Assert.DoesNotContain("Globalization", reason, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("SQL Server", reason, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A loopback port nobody listens on: bound for a moment by us and released.</summary>
    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
