using Akka.Actor;
using JinanDataOps.Actors.Monitoring;
using JinanDataOps.Actors.Tests.Support;
using JinanDataOps.Monitoring.Rules;
using JinanDataOps.Monitoring.Sandbox;
using Xunit.Abstractions;

namespace JinanDataOps.Actors.Tests.Monitoring;

/// <summary>A lane hands the alerts the closed loop will act on to its warm-up (ClosedLoopWarmUp: the entities the loop
/// reads are recovered while the part is written) — once judged, before its answer — and nothing for a clean part.</summary>
public sealed class MonitorLaneWarmUpTests(ITestOutputHelper output) : PersistentEntitySpec(output)
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Acting_alerts_are_handed_to_the_warm_up_before_the_answer_and_a_clean_part_hands_nothing()
    {
        var handed = new List<AlertsRaised>();
        var lane = Sys.ActorOf(Props.Create(() => new MonitorLane("lane-warm", () => new MonitoringRules(), TimeProvider.System, raised => Record(handed, raised))));
        var provisioned = new RequestContext("req-ok", "op-warm", "provisioned", true, ["ds-1"], true, "agr-warm");

        // A query under a provisioned request: nothing to act on.
        lane.Tell(new RecordActivity("lane-warm", "batch-clean", [Event("e-1", "req-ok", ActionKind.Query)], [provisioned],
            new Dictionary<string, IReadOnlyList<string>> { ["ds-1"] = [] }), TestActor);
        Assert.Null((await ExpectMsgAsync<ActivityRecorded>(Patience)).Raised);
        lock (handed) Assert.Empty(handed);

        // An export under a request monitoring does not know: critical (request-not-provisioned), acted on.
        lane.Tell(new RecordActivity("lane-warm", "batch-violation", [Event("e-2", "req-unknown", ActionKind.Export)], [],
            new Dictionary<string, IReadOnlyList<string>> { ["ds-1"] = [] }), TestActor);
        var recorded = await ExpectMsgAsync<ActivityRecorded>(Patience);
        Assert.NotNull(recorded.Raised);
        Assert.NotEmpty(recorded.Raised.Acting);
        lock (handed)
        {
            var warmed = Assert.Single(handed);
            Assert.Equal(recorded.Raised.Acting, warmed.Acting);
            Assert.Contains(warmed.ActingAlerts, a => a.DataRequestId == "req-unknown");
        }
    }

    private static void Record(List<AlertsRaised> handed, AlertsRaised raised)
    {
        lock (handed) handed.Add(raised);
    }

    private static SandboxEvent Event(string id, string request, ActionKind kind) =>
        new(id, "op-warm", request, kind, "ds-1", ["route"], 10, 1_000, At);
}
