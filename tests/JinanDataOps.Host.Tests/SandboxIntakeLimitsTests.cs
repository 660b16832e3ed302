using System.Collections.Concurrent;
using JinanDataOps.Domain.Reactions;
using JinanDataOps.Actors.Entities;
using JinanDataOps.Actors.Monitoring;
using JinanDataOps.Domain.Common;
using JinanDataOps.Host.Tests.Infrastructure;
using JinanDataOps.Monitoring.Rules;
using static JinanDataOps.Host.Tests.SandboxMonitoringTests;

namespace JinanDataOps.Host.Tests;

/// <summary>The intake's limits, each on a host of its own: saturation is answered with 503 and
/// Retry-After (never a silent drop), and a batch answered 202 survives a hard kill right after.</summary>
public sealed class SandboxIntakeLimitsTests
{
    [Fact]
    public async Task A_saturated_pipeline_answers_503_with_retry_after_and_takes_nothing_of_those_batches()
    {
        await using var host = new HostProcess(new Dictionary<string, string> { ["Monitoring__IntakeCapacity"] = "1" });
        using var api = new ApiClient(host);
        await host.StartAsync();
        var sandbox = await api.Token("sandbox", "sandbox-1");
        var body = string.Join("\n", Enumerable.Range(0, 2_000).Select(i => Event($"op-load-{i % 200}", $"req-load-{i % 200}", "ds-load")));
        var answers = new ConcurrentBag<Reply>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 120), new ParallelOptions { MaxDegreeOfParallelism = 60 }, async (_, _) =>
            answers.Add(await api.PostRaw(sandbox, "/api/sandbox/events", body, "application/x-ndjson")));

        Assert.All(answers, a => Assert.Contains(a.Status, new[] { 202, 503 }));
        var refused = answers.Where(a => a.Status == 503).ToArray();
        Assert.NotEmpty(refused);
        Assert.All(refused, r =>
        {
            r.ExpectProblem(503, "overloaded");
            Assert.Equal("5", r.Headers.RetryAfter?.ToString());
        });
        // Saturation is no refusal of everything: a batch sent again, as Retry-After says, is taken. Not
        // asserted within the burst: a batch taken there is answered 202 only once confirmed, within the
        // host's ask timeout (10 s), which a loaded machine can miss (then it is a 503 too, and sent again).
        var key = Guid.NewGuid().ToString("N");
        var taken = await api.Eventually(async () => (await api.PostRaw(sandbox, "/api/sandbox/events", body, "application/x-ndjson", idempotencyKey: key)).Expect(202),
            TimeSpan.FromSeconds(60));
        Assert.Equal(2_000, taken["events"].GetInt32());
    }

    [Fact]
    public async Task A_batch_answered_202_is_processed_although_the_node_dies_right_after()
    {
        await using var host = new HostProcess();
        using var api = new ApiClient(host);
        await host.StartAsync();
        var sandbox = await api.Token("sandbox", "sandbox-1");
        var batch = string.Join("\n", Event("op-crash", "req-crash", "ds-crash", kind: "download", rows: 900), Event("op-crash", "req-crash", "ds-crash"));
        var accepted = (await api.PostRaw(sandbox, "/api/sandbox/events", batch, "application/x-ndjson", idempotencyKey: "crash-1")).Expect(202);
        // Two critical alerts: the download itself, and a request the platform does not know.
        var acted = accepted["acted"].EnumerateArray().Select(a => a.GetString()!).ToArray();
        Assert.Equal(2, acted.Length);
        var alertId = Assert.Single(acted, a => a.Contains("/raw-export/", StringComparison.Ordinal));
        host.Kill();

        await host.StartAsync();
        // The request is unknown, so the incident stands under no agreement: the city authority answers for it.
        var authority = await api.Token("authority", Actors.Hosting.PlatformOptions.DefaultCityAuthority);
        // The alerts are rebuilt from the journal: the batch was judged and recorded before the 202.
        await api.Eventually(async () =>
        {
            var alerts = (await api.Get(authority, "/api/alerts?operatorId=op-crash")).Expect(200).Json.EnumerateArray().ToArray();
            Assert.Contains(alerts, a => a.GetProperty("id").GetString() == alertId && a.GetProperty("rule").GetString() == "raw-export");
        }, TimeSpan.FromSeconds(30));
        // The incident of the alert is there, opened before the answer or by the consequence projection after the restart.
        await api.Eventually(async () => (await api.Get(authority, $"/api/incidents/{Reactions.IncidentIdOf(alertId)}")).Expect(200),
            TimeSpan.FromSeconds(30));
        // And the answer is on record with its key, written before the 202: sent again, the first answer comes back
        // and the batch is not taken again (the lanes also remember the batch, for a node that dies in between).
        var again = (await api.PostRaw(sandbox, "/api/sandbox/events", batch, "application/x-ndjson", idempotencyKey: "crash-1")).Expect(202);
        Assert.Equal(accepted.Text, again.Text);
        Assert.True(again.Headers.Contains("Idempotent-Replayed"));
    }

    /// <summary>The journal as a node leaves it when it dies after its lane recorded a critical alert and
    /// before it acted on it (the 202's immediate path never ran): only the consequence projection, reading
    /// the journal after the restart, can suspend the request and the agreement and open the incident.</summary>
    [Fact]
    public async Task A_critical_alert_recorded_before_a_crash_is_acted_on_from_the_journal_after_the_restart()
    {
        await using var host = new HostProcess();
        using var api = new ApiClient(host);
        var p = new Procedure(api);
        await host.StartAsync();
        var (authority, provider, data, op) = (Procedure.Unique("city"), Procedure.Unique("bureau"), Procedure.Unique("bus-trips"), Procedure.Unique("op-crash"));
        await p.Dataset(provider, data, "transport", ("line", false), ("boardings", false));
        var (agreement, requests) = (await p.Provisioned(authority, provider, data, [op], "trip-dashboard", "trip-forecast"))[op];
        // The projection has caught up with the provisioning before the node dies: what it acts on after
        // the restart is the alert alone.
        var authorityToken = await api.Token("authority", authority);
        await p.UntilRequestState(requests[0], authority, "provisioned");
        host.Kill();

        var at = DateTimeOffset.UtcNow;
        var alert = new Alert(Alert.IdOf(op, RuleNames.RawExport, at), RuleNames.RawExport, Severity.Critical, Art.A13, op, requests[0], agreement,
            "Art. 13: an attempt to export raw data", at, 1, ["crash-before-act#1"], new Dictionary<string, string> { ["rows"] = "50000" }, at, at, Escalated: false);
        var lane = $"{MonitorLane.Kind}-{MonitorLane.LaneOf(op, SandboxIntake.Lanes)}";
        using (var seed = new JournalSeed(host.DatabasePath))
        {
            seed.Add(lane, seed.Next(lane), new AlertsRaised(Caller.Platform, at, "crash-before-act", [alert], [alert.Id], SuspendAgreements: true, TimeSpan.FromDays(30)),
                Tags.Alerts, Tags.Reactions);
            seed.Commit();
        }

        await host.StartAsync();
        var suspended = await p.UntilRequestState(requests[0], authority, "suspended", TimeSpan.FromSeconds(30));
        Assert.Contains(alert.Id, suspended.Str("suspensionReason"));
        await api.UntilState(authorityToken, $"/api/agreements/{agreement}", "suspended", TimeSpan.FromSeconds(30));
        // Art. 18: the agreement's suspension reaches the operator's other request.
        await p.UntilRequestState(requests[1], authority, "suspended", TimeSpan.FromSeconds(30));
        var incident = await api.Eventually(async () => (await api.Get(authorityToken, $"/api/incidents/{Reactions.IncidentIdOf(alert.Id)}")).Expect(200),
            TimeSpan.FromSeconds(30));
        Assert.Equal(("opened", op, requests[0]), (incident.State, incident.Str("operatorId"), incident.Str("dataRequestId")));
        await api.Eventually(async () => Assert.Contains((await api.Get(authorityToken, $"/api/alerts?operatorId={op}")).Expect(200).Json.EnumerateArray(),
            a => a.GetProperty("id").GetString() == alert.Id), TimeSpan.FromSeconds(30));
    }
}
