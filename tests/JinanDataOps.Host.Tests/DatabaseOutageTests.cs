using System.Collections.Concurrent;
using System.Diagnostics;
using JinanDataOps.Host.Tests.Infrastructure;
using JinanDataOps.Tests.Shared;
using Npgsql;
using Xunit.Abstractions;
using static JinanDataOps.Host.Tests.Infrastructure.Procedure;

namespace JinanDataOps.Host.Tests;

/// <summary>The journal's PostgreSQL server goes away under load and comes back (issue 12): while it is down, readiness
/// says so and commands are refused at once with 503 and Retry-After because the journal does not answer — not after the
/// ask timeout; once it is back every operator is served again by itself, nothing acknowledged is lost and nothing
/// answers 500. A server of the test's own (<see cref="TestPostgres.Private"/>), since it is stopped.</summary>
public sealed class DatabaseOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private TestPostgres.PrivatePostgres? _postgres;
    private HostProcess? _host;
    private ApiClient? _api;

    public async Task InitializeAsync()
    {
        _postgres = TestPostgres.Private();
        if (_postgres is null) return;
        var database = await TestPostgres.CreateDatabase(_postgres.Server, "jdo_outage");
        _host = new HostProcess(new Dictionary<string, string>
        {
            ["Persistence__Provider"] = "postgresql",
            ["Persistence__ConnectionString"] = TestPostgres.ConnectionString(_postgres.Server, database),
        });
        _api = new ApiClient(_host);
        await _host.StartAsync(TimeSpan.FromSeconds(120));
    }

    public async Task DisposeAsync()
    {
        _api?.Dispose();
        if (_host is not null) await _host.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        _postgres?.Dispose();
    }

    [Fact]
    public async Task Commands_are_refused_at_once_while_the_journal_is_down_and_every_operator_is_served_again_when_it_returns()
    {
        if (_postgres is null || _api is null)
        {
            output.WriteLine("skipped on request (JDO_SKIP_POSTGRES=1)");
            return;
        }
        var api = _api;
        var operators = Enumerable.Range(0, 8).Select(i => Unique($"db-op-{i}")).ToArray();
        foreach (var op in operators) (await api.Post(await api.Token("operator", op), "/api/operators", OperatorBody(op))).Expect(201);

        var statuses = new ConcurrentDictionary<int, int>();
        var acknowledged = new ConcurrentDictionary<string, int>();
        var ackedAfterReturn = new ConcurrentDictionary<string, bool>();
        var journalRefusals = new ConcurrentQueue<double>(); // ms, refusals that name the journal
        var returned = false;
        using var stop = new CancellationTokenSource();
        async Task Client(int c)
        {
            for (var n = c; !stop.IsCancellationRequested; n += 4)
            {
                var op = operators[n % operators.Length];
                var watch = Stopwatch.StartNew();
                var reply = await api.Post(await api.Token("operator", op), $"/api/operators/{op}/security-reports", new { period = "2026-Q4", summary = $"report {n}" });
                statuses.AddOrUpdate(reply.Status, 1, (_, v) => v + 1);
                if (reply.Status == 201)
                {
                    acknowledged.AddOrUpdate(op, 1, (_, v) => v + 1);
                    if (Volatile.Read(ref returned)) ackedAfterReturn[op] = true;
                }
                else if (reply.Status == 503)
                {
                    Assert.NotNull(reply.Headers.RetryAfter);
                    if (reply.Text.Contains("journal", StringComparison.Ordinal)) journalRefusals.Enqueue(watch.Elapsed.TotalMilliseconds);
                    await Task.Delay(100);
                }
            }
        }
        var load = Task.WhenAll(Enumerable.Range(0, 4).Select(Client));
        await Wait.Eventually(async () => { await Task.Yield(); Assert.True(acknowledged.Values.Sum() >= 20); }, TimeSpan.FromSeconds(60));

        _postgres.Pause();
        // Readiness says why; commands are refused because the journal does not answer (not because an ask ran out).
        await api.Eventually(async () => (await api.Get(null, "/health/ready")).ExpectProblem(503, "not-ready", "journal"), TimeSpan.FromSeconds(60));
        await Wait.Eventually(async () => { await Task.Yield(); Assert.True(journalRefusals.Count >= 10, $"{journalRefusals.Count} refusals naming the journal"); }, TimeSpan.FromSeconds(60));
        var refusedIn = journalRefusals.Order().ToArray();

        _postgres.Resume();
        var back = Stopwatch.StartNew();
        Volatile.Write(ref returned, true);
        await Wait.Eventually(async () => { await Task.Yield(); Assert.Equal(operators.Length, ackedAfterReturn.Count); }, TimeSpan.FromSeconds(90),
            () => $"served again: {ackedAfterReturn.Count}/{operators.Length}; answers {string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}"))}");
        var servedAgain = back.Elapsed;
        await api.Eventually(async () => (await api.Get(null, "/health/ready")).Expect(200), TimeSpan.FromSeconds(60));
        stop.Cancel();
        await load;

        output.WriteLine($"refusals naming the journal: {refusedIn.Length}, p50 {refusedIn[refusedIn.Length / 2]:0} ms, max {refusedIn[^1]:0} ms; " +
                         $"every operator acknowledged again {servedAgain.TotalSeconds:0.0} s after the server was back; " +
                         $"answers {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}");
        Assert.DoesNotContain(statuses.Keys, s => s >= 500 && s != 503);
        foreach (var op in operators)
        {
            var record = (await api.Get(await api.Token("authority", "db-city"), $"/api/operators/{op}")).Expect(200);
            Assert.True(record["securityReports"].GetArrayLength() >= acknowledged.GetValueOrDefault(op),
                $"{op}: {acknowledged.GetValueOrDefault(op)} acknowledged, {record["securityReports"].GetArrayLength()} on record");
        }
    }
}
