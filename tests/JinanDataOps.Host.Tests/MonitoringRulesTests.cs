using JinanDataOps.Host.Tests.Infrastructure;

namespace JinanDataOps.Host.Tests;

/// <summary>Art. 15: the monitoring rules come from a file, are shown to those who supervise, and a change
/// of the file takes effect without a restart — unless it is invalid, when the rules in force stay.</summary>
public sealed class MonitoringRulesTests : IAsyncLifetime
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"jdo-rules-{Guid.NewGuid():N}.json");
    private readonly HostProcess _host;
    private readonly ApiClient _api;

    public MonitoringRulesTests()
    {
        Write(factor: 10, off: "");
        _host = new HostProcess(new Dictionary<string, string> { ["Monitoring__RulesFile"] = _file });
        _api = new ApiClient(_host);
    }

    private void Write(double factor, string off, string extra = "")
    {
        // Written to a side file and moved into place, as an operator's editor or a config map would.
        var next = _file + ".next";
        File.WriteAllText(next, $$"""
            { "Monitoring": { "Window": "00:01:00", "Off": [{{off}}], "Volume": { "Factor": {{factor}}, "MinRows": 5000 }{{extra}} } }
            """);
        File.Move(next, _file, overwrite: true);
    }

    [Fact]
    public async Task The_rules_in_force_follow_the_file_and_an_invalid_change_is_refused()
    {
        await _host.StartAsync();
        var regulator = await _api.Token("regulator", "cac-jinan");
        var rules = (await _api.Get(regulator, "/api/monitoring/rules")).Expect(200);
        Assert.Equal(10, rules["volume"].GetProperty("factor").GetDouble());
        Assert.Equal("PT1M", rules.Str("window"));
        Assert.All(rules["rules"].EnumerateArray(), r => Assert.True(r.GetProperty("on").GetBoolean()));

        (await _api.Get(await _api.Token("operator", "op-rules"), "/api/monitoring/rules")).ExpectProblem(403, "forbidden");

        Write(factor: 20, off: "\"outside-hours\"");
        await _api.Eventually(async () =>
        {
            var now = (await _api.Get(regulator, "/api/monitoring/rules")).Expect(200);
            Assert.Equal(20, now["volume"].GetProperty("factor").GetDouble());
            Assert.False(now["rules"].EnumerateArray().Single(r => r.GetProperty("name").GetString() == "outside-hours").GetProperty("on").GetBoolean());
        });

        Write(factor: 0.5, off: "");
        await _api.Eventually(() =>
        {
            Assert.Contains("the rules in force stay", _host.Tail(40));
            return Task.CompletedTask;
        });
        Write(factor: 30, off: "", extra: """, "Volume2": {} """);
        await _api.Eventually(() =>
        {
            Assert.Contains("Volume2", _host.Tail(40));
            return Task.CompletedTask;
        });
        var kept = (await _api.Get(regulator, "/api/monitoring/rules")).Expect(200);
        Assert.Equal(20, kept["volume"].GetProperty("factor").GetDouble());
    }

    [Fact]
    public async Task A_node_does_not_start_with_invalid_rules()
    {
        Write(factor: 1, off: "\"no-such-rule\"");
        var failed = await Assert.ThrowsAsync<HostFailedException>(() => _host.StartAsync(TimeSpan.FromSeconds(60)));
        Assert.True(failed.Exited);
        Assert.Contains("unknown rule 'no-such-rule'", failed.Message);
        Assert.Contains("Volume.Factor must be above 1", failed.Message);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // xunit 2 disposes test classes through IAsyncLifetime (IAsyncDisposable alone is not called).
    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _host.DisposeAsync();
        File.Delete(_file);
    }
}
