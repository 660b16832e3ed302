using System.Globalization;
using System.Text.RegularExpressions;
using JinanDataOps.Host.Tests.Infrastructure;
using static JinanDataOps.Host.Tests.Infrastructure.Procedure;

namespace JinanDataOps.Host.Tests;

/// <summary>GET /metrics (API.md "Operations"; docs/metrics.md): Prometheus text with no token, whose counters move
/// with the commands, sandbox batches and alerts driven through the API, and whose gauges and histograms describe
/// the node.</summary>
public sealed partial class MetricsTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private readonly ApiClient _api = fixture.Api;
    private readonly Procedure _p = fixture.Procedure;

    [Fact]
    public async Task The_counters_move_with_the_work_and_the_gauges_describe_the_node()
    {
        var before = await Scrape();
        var op = Unique("op-metrics");
        await _p.Operator(op);
        (await _api.Post(await _api.Token("operator", op), $"/api/operators/{op}/security-reports", new { period = "2026-12", summary = "no incidents" })).Expect(201);
        // Refused by the operator's decider (a malformed unified social credit code): one rejection, with its code.
        var refused = Unique("op-refused");
        (await _api.Post(await _api.Token("operator", refused), "/api/operators", OperatorBody(refused, creditCode: "not-a-code"))).ExpectProblem(400, "validation-failed");
        // A sandbox batch naming a request that does not exist: two events recorded, one critical alert.
        var batch = string.Join("\n", SandboxMonitoringTests.Event(op, "req-unknown", "metrics-data"), SandboxMonitoringTests.Event(op, "req-unknown", "metrics-data"));
        (await _api.PostRaw(await _api.Token("sandbox", "sandbox-1"), "/api/sandbox/events", batch, "application/x-ndjson")).Expect(202);

        // The exporter may answer a scrape from its short cache: wait for one taken after the work.
        var after = await _api.Eventually(async () =>
        {
            var now = await Scrape();
            Assert.Equal(1, now.Delta(before, "jdo_alerts_total", ("rule", "request-not-provisioned"), ("severity", "critical")));
            // The closed loop run at once after the 202 (Art. 15) is timed when its commands are answered: after the answer.
            Assert.True(now.Delta(before, "jdo_sandbox_closed_loop_seconds_count") >= 1);
            return now;
        });

        Assert.True(after.Delta(before, "jdo_commands_total", ("aggregate", "operator"), ("outcome", "accepted")) >= 2, "registration and report accepted");
        Assert.Equal(1, after.Delta(before, "jdo_commands_total", ("aggregate", "operator"), ("outcome", "rejected"), ("code", "validation-failed")));
        Assert.Equal(0, after.Delta(before, "jdo_commands_total", ("outcome", "timeout")));
        Assert.Equal(2, after.Delta(before, "jdo_sandbox_events_total", ("outcome", "recorded")));
        Assert.True(after.Sum("jdo_sandbox_lane_wait_seconds_count", ("pipeline", "express")) >= 1);
        Assert.True(after.Delta(before, "jdo_sandbox_lane_record_seconds_count", ("pipeline", "express")) >= 1);

        // Every write of the operator's events is timed: the registration and the report at least, in buckets.
        Assert.True(after.Delta(before, "jdo_persist_duration_seconds_count", ("aggregate", "operator")) >= 2);
        Assert.True(after.Sum("jdo_persist_duration_seconds_bucket", ("aggregate", "operator"), ("le", "+Inf")) >= 2);
        Assert.True(after.Series("jdo_persist_duration_seconds_bucket").Count(s => s.Labels["aggregate"] == "operator") > 10, "histogram buckets");
        Assert.True(after.Sum("jdo_persist_duration_seconds_count", ("aggregate", "monitor-lane")) >= 1);

        // Gauges: this single node is one Up member; entities and a lane live here.
        Assert.Equal(1, after.Sum("jdo_cluster_members", ("status", "up")));
        Assert.Equal(0, after.Sum("jdo_cluster_members", ("status", "unreachable")));
        Assert.True(after.Sum("jdo_entities_active", ("region", "operator")) > 0);
        Assert.True(after.Sum("jdo_entities_active", ("region", "monitor-lane")) > 0);
        Assert.Contains(after.Series("jdo_sandbox_intake_in_flight"), s => s.Labels["pipeline"] == "express");
        // The projection runs on this node (the singleton's only candidate): its lag is reported, in seconds.
        var lag = Assert.Single(after.Series("jdo_consequences_lag_seconds")).Value;
        Assert.InRange(lag, 0, 600);
        Assert.Equal(0, after.Sum("jdo_journal_errors_total"));

        // The standard ASP.NET Core instrumentation: the 202 of the sandbox batch among the requests.
        Assert.True(after.Sum("http_server_request_duration_seconds_count", ("http_route", "/api/sandbox/events"), ("http_response_status_code", "202")) >= 1);
    }

    private async Task<Metrics> Scrape()
    {
        var reply = (await _api.Get(null, "/metrics")).Expect(200); // no token
        Assert.Equal("text/plain", reply.ContentType);
        return Metrics.Parse(reply.Text);
    }

    /// <summary>The samples of a Prometheus text exposition: name, labels, value. Comments (# HELP, # TYPE) are skipped.</summary>
    private sealed partial class Metrics(IReadOnlyList<Metrics.Sample> samples)
    {
        public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

        [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$""")]
        private static partial Regex Line();

        [GeneratedRegex("""(?<key>[a-zA-Z_][a-zA-Z0-9_]*)="(?<value>(?:[^"\\]|\\.)*)",?""")]
        private static partial Regex Label();

        public static Metrics Parse(string text)
        {
            var samples = new List<Sample>();
            foreach (var raw in text.Split('\n'))
            {
                var line = raw.Trim();
                if (line.Length == 0 || line.StartsWith('#')) continue;
                var match = Line().Match(line);
                Assert.True(match.Success, $"not a Prometheus sample line: {line}");
                var labels = Label().Matches(match.Groups["labels"].Value)
                    .ToDictionary(m => m.Groups["key"].Value, m => Regex.Unescape(m.Groups["value"].Value), StringComparer.Ordinal);
                var value = match.Groups["value"].Value switch
                {
                    "+Inf" => double.PositiveInfinity,
                    "-Inf" => double.NegativeInfinity,
                    "NaN" => double.NaN,
                    var v => double.Parse(v, CultureInfo.InvariantCulture),
                };
                samples.Add(new Sample(match.Groups["name"].Value, labels, value));
            }
            return new Metrics(samples);
        }

        public IReadOnlyList<Sample> Series(string name) => samples.Where(s => s.Name == name).ToArray();

        /// <summary>The sum over every series of <paramref name="name"/> that has these labels (and any others); 0 when none.</summary>
        public double Sum(string name, params (string Key, string Value)[] labels) =>
            Series(name).Where(s => labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).Sum(s => s.Value);

        public double Delta(Metrics before, string name, params (string Key, string Value)[] labels) => Sum(name, labels) - before.Sum(name, labels);
    }
}
