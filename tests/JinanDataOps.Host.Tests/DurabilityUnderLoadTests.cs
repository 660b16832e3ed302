using System.Collections.Concurrent;
using JinanDataOps.Host.Tests.Infrastructure;
using static JinanDataOps.Host.Tests.Infrastructure.Procedure;

namespace JinanDataOps.Host.Tests;

/// <summary>The durability guarantee under load: a command is acknowledged only after its event is
/// durable, so killing the process hard in the middle of a stream of commands loses none that were
/// acknowledged (issue 3: "kill -9 at any moment loses nothing acknowledged").</summary>
public sealed class DurabilityUnderLoadTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private readonly HostProcess _host = fixture.Host;
    private readonly ApiClient _api = fixture.Api;
    private readonly Procedure _p = fixture.Procedure;

    [Fact]
    public async Task Every_acknowledged_command_is_in_the_journal_after_a_hard_kill_under_load()
    {
        var operators = Enumerable.Range(0, 20).Select(i => Unique($"load{i:D2}")).ToArray();
        foreach (var op in operators) await _p.Operator(op);
        var tokens = new Dictionary<string, string>();
        foreach (var op in operators) tokens[op] = await _api.Token("operator", op);

        var acknowledged = new ConcurrentBag<(string Operator, string Summary)>();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 16).Select(client => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var op = operators[(client + n) % operators.Length];
                var summary = $"ack-{client}-{n}";
                try
                {
                    var reply = await _api.Post(tokens[op], $"/api/operators/{op}/security-reports", new { period = "2026-Q4", summary });
                    if (reply.Status == 201) acknowledged.Add((op, summary));
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                {
                    // the process is gone: these commands were never acknowledged
                    await Task.Delay(20);
                }
            }
        })).ToArray();

        // Kill in the middle of the stream, once a good number of commands has been acknowledged.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (acknowledged.Count < 200 && DateTime.UtcNow < deadline) await Task.Delay(50);
        _host.Kill();
        await Task.Delay(300);
        stop.Cancel();
        await Task.WhenAll(clients);
        var acked = acknowledged.ToArray();
        Assert.True(acked.Length >= 200, $"only {acked.Length} commands were acknowledged before the kill");

        await _host.StartAsync();
        var regulator = await _api.Token("regulator", "cac-jinan");
        foreach (var group in acked.GroupBy(a => a.Operator))
        {
            var reply = (await _api.Get(regulator, $"/api/operators/{group.Key}")).Expect(200);
            var stored = reply["securityReports"].EnumerateArray().Select(r => r.GetProperty("summary").GetString()).ToHashSet();
            var lost = group.Select(a => a.Summary).Where(s => !stored.Contains(s)).ToArray();
            Assert.True(lost.Length == 0, $"{group.Key}: {lost.Length} acknowledged reports lost after the kill: {string.Join(", ", lost.Take(10))}");
        }
    }
}
