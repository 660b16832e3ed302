using Akka.Hosting;
using JinanDataOps.Actors.Clustering;
using JinanDataOps.Actors.Consequences;
using JinanDataOps.Actors.Entities;
using JinanDataOps.Actors.Hosting;
using JinanDataOps.Actors.Monitoring;
using JinanDataOps.Monitoring.Pipeline;
using JinanDataOps.Monitoring.Sandbox;
using Microsoft.Extensions.Logging.Abstractions;

namespace JinanDataOps.Actors.Tests.Monitoring;

/// <summary>The intake's bound on bulk parts being recorded at once (PlatformOptions.BulkPartsInFlight): what a node
/// has its lanes record sits in the journal's write queue ahead of a violation's part and of the suspension it leads
/// to (Art. 15). The lanes are a probe that answers as the lanes would; every fact is known to the intake, so it asks
/// no entity.</summary>
public sealed class SandboxIntakeTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task With_one_bulk_slot_the_next_bulk_part_waits_for_the_first_answer_and_an_express_part_does_not()
    {
        var lanes = CreateTestProbe();
        var intake = Intake(lanes, bulkPartsInFlight: 1);
        // 100 events (more than ExpressEvents: the bulk pipeline) over operators of several lanes.
        var bulkEvents = Enumerable.Range(0, 100).Select(i => Event($"op-{i % 40}", i)).ToArray();
        var bulkLanes = bulkEvents.Select(e => MonitoringGraph.PartitionOf(e.OperatorId, SandboxIntake.Lanes)).Distinct().Count();
        Assert.True(bulkLanes > 1);

        var bulk = intake.Take(new SandboxBatch("bulk-1", bulkEvents), CancellationToken.None);
        var first = lanes.ExpectMsg<RecordActivity>();
        var firstSender = lanes.LastSender;
        Assert.Equal("bulk-1", first.BatchId);

        // The one slot is taken: the next message to the lanes is the express batch's part, not a second bulk part.
        var express = intake.Take(new SandboxBatch("express-1", [Event("op-0", 1_000)]), CancellationToken.None);
        var expressPart = lanes.ExpectMsg<RecordActivity>();
        Assert.Equal("express-1", expressPart.BatchId);
        lanes.Reply(new ActivityRecorded("express-1", 1, Duplicate: false, Raised: null));
        Assert.Equal(IntakeStatus.Recorded, (await express).Status);

        // Each answer frees the slot for the next bulk part, one at a time, until the batch is recorded.
        firstSender.Tell(new ActivityRecorded("bulk-1", first.Events.Count, Duplicate: false, Raised: null), lanes.Ref);
        var recorded = first.Events.Count;
        for (var part = 1; part < bulkLanes; part++)
        {
            var next = lanes.ExpectMsg<RecordActivity>();
            Assert.Equal("bulk-1", next.BatchId);
            recorded += next.Events.Count;
            lanes.Reply(new ActivityRecorded("bulk-1", next.Events.Count, Duplicate: false, Raised: null));
        }
        var outcome = await bulk;
        Assert.Equal(IntakeStatus.Recorded, outcome.Status);
        Assert.Equal(100, recorded);
    }

    [Fact]
    public async Task A_lane_that_does_not_answer_gives_its_slot_back_when_the_ask_times_out()
    {
        var lanes = CreateTestProbe();
        var intake = Intake(lanes, bulkPartsInFlight: 1, timeout: TimeSpan.FromMilliseconds(300));
        var events = Enumerable.Range(0, 100).Select(i => Event($"op-{i % 40}", i)).ToArray();
        var parts = events.Select(e => MonitoringGraph.PartitionOf(e.OperatorId, SandboxIntake.Lanes)).Distinct().Count();

        // No part is answered: each one's ask runs out and frees the slot for the next, so every lane is asked.
        var batch = intake.Offer(new SandboxBatch("bulk-unanswered", events), CancellationToken.None);
        for (var part = 0; part < parts; part++) Assert.Equal("bulk-unanswered", lanes.ExpectMsg<RecordActivity>(TimeSpan.FromSeconds(30)).BatchId);
        Assert.Equal(IntakeStatus.Failed, (await batch).Status);
    }

    private SandboxIntake Intake(Akka.TestKit.TestProbe lanes, int bulkPartsInFlight, TimeSpan? timeout = null)
    {
        var context = new MonitoringContext();
        for (var o = 0; o < 40; o++) context.Put(new RequestContext($"req-{o}", $"op-{o}", "provisioned", true, ["ds-1"], true, $"agr-{o}"));
        context.PutDataset("ds-1", []);
        var ask = timeout ?? TimeSpan.FromMinutes(1);
        var gateway = new EntityGateway(new ActorRegistry(), ask, new Degradation(), ask);
        var consequences = new ConsequenceHandler(gateway, new PlatformOptions { ConnectionString = "unused" }, NullLogger<ConsequenceHandler>.Instance);
        return new SandboxIntake(Sys, lanes.Ref, context, gateway, consequences, NullLogger<SandboxIntake>.Instance, capacity: 8, ask, bulkPartsInFlight);
    }

    private static SandboxEvent Event(string operatorId, int n) =>
        new($"ev-{n}", operatorId, $"req-{operatorId[3..]}", ActionKind.Query, "ds-1", ["route"], 10, 1_000, At.AddSeconds(n));
}
