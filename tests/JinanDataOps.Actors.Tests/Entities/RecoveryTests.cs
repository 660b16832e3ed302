using JinanDataOps.Actors.Entities;
using JinanDataOps.Actors.Protocol;
using JinanDataOps.Actors.Serialization;
using JinanDataOps.Actors.Tests.Support;
using JinanDataOps.Domain.Calls;
using Xunit.Abstractions;
using static JinanDataOps.Actors.Tests.Support.LiveData;

namespace JinanDataOps.Actors.Tests.Entities;

public sealed class RecoveryTests(ITestOutputHelper output) : PersistentEntitySpec(output)
{
    private const string Id = "call-1";
    private static readonly string PersistenceId = DeciderEntity<Call, CallState, ICallCommand, ICallEvent>.PersistenceIdFor(Id);

    private Akka.Actor.IActorRef StartCall(int snapshotEvery = 100) =>
        Start<Call, CallState, ICallCommand, ICallEvent>(Id, Settings(snapshotEvery));

    private static string Json(object state) =>
        System.Text.Json.JsonSerializer.Serialize(state, state.GetType(), JinanSerializer.Options);

    [Fact]
    public void The_test_system_serializes_every_message()
    {
        var message = new GetState(Id);

        TestActor.Tell(message, Akka.Actor.ActorRefs.NoSender);

        Assert.True(Sys.Settings.SerializeAllMessages);
        Assert.NotSame(message, ExpectMsg<GetState>(Patience));
    }

    [Fact]
    public void Only_the_named_persistence_internals_skip_real_serialization()
    {
        // If Akka renames them, the binding silently stops applying: fail here rather than in a handler.
        Assert.All(LocalOnlySerializer.Types, name =>
            Assert.IsType<LocalOnlySerializer>(Sys.Serialization.FindSerializerForType(Type.GetType(name, throwOnError: true)!)));
        Assert.IsNotType<LocalOnlySerializer>(Sys.Serialization.FindSerializerForType(typeof(Akka.Persistence.Journal.Tagged)));
    }

    [Fact]
    public async Task A_restarted_entity_recovers_the_same_state_from_the_journal()
    {
        var first = StartCall();
        await Accept(first, Id, new CreateCall(Authority, Terms(DateTimeOffset.UtcNow.AddDays(1))));
        await Accept(first, Id, new PublishCall(Authority));
        await Accept(first, Id, Apply(OperatorA, "app-1"));
        var before = await StateOf<CallState>(first, Id);

        await Stop(first);
        var second = StartCall();
        var after = await StateOf<CallState>(second, Id);

        Assert.Equal(CallStatus.Open, after.State);
        Assert.Equal(Json(before), Json(after));
        // And it goes on from there: the same operator may not apply twice (Art. 8(2)).
        Assert.IsType<CommandRejected>(await Send(second, Id, Apply(OperatorA, "app-2")));
    }

    [Fact]
    public async Task A_snapshot_is_saved_every_n_events_and_older_ones_are_deleted()
    {
        var call = StartCall(snapshotEvery: 2);
        await Accept(call, Id, new CreateCall(Authority, Terms(DateTimeOffset.UtcNow.AddDays(1))));
        await Accept(call, Id, new PublishCall(Authority));
        await Accept(call, Id, Apply(OperatorA, "app-1"));
        await Accept(call, Id, Apply(OperatorB, "app-2"));

        await AwaitAssertAsync(() => Assert.Equal([4L], SnapshotSequenceNumbers(PersistenceId)), Patience);
    }

    [Fact]
    public async Task Events_replayed_on_recovery_count_towards_the_next_snapshot()
    {
        // An entity that passivates after every few events must still snapshot every n events,
        // or its recovery would replay an ever longer history.
        var first = StartCall(snapshotEvery: 3);
        await Accept(first, Id, new CreateCall(Authority, Terms(DateTimeOffset.UtcNow.AddDays(1))));
        await Accept(first, Id, new PublishCall(Authority));
        await Stop(first);

        var second = StartCall(snapshotEvery: 3);
        await Accept(second, Id, Apply(OperatorA, "app-1"));

        await AwaitAssertAsync(() => Assert.Equal([3L], SnapshotSequenceNumbers(PersistenceId)), Patience);
    }

    [Fact]
    public async Task A_restarted_entity_recovers_from_its_snapshot_and_the_events_after_it()
    {
        var first = StartCall(snapshotEvery: 2);
        await Accept(first, Id, new CreateCall(Authority, Terms(DateTimeOffset.UtcNow.AddDays(1))));
        await Accept(first, Id, new PublishCall(Authority));
        await Accept(first, Id, Apply(OperatorA, "app-1"));
        await Accept(first, Id, Apply(OperatorB, "app-2"));
        await Accept(first, Id, new CancelCall(Authority, "budget withdrawn"));
        var before = await StateOf<CallState>(first, Id);
        await AwaitAssertAsync(() => Assert.Equal([4L], SnapshotSequenceNumbers(PersistenceId)), Patience);
        await Stop(first);

        // Remove the events the snapshot covers: only the snapshot can bring them back.
        Assert.Equal(4, Execute("DELETE FROM journal WHERE persistence_id = $id AND sequence_number <= 4", PersistenceId));
        var second = StartCall(snapshotEvery: 2);
        var after = await StateOf<CallState>(second, Id);

        Assert.Equal(CallStatus.Cancelled, after.State);
        Assert.Equal(["app-1", "app-2"], after.Applications.Select(a => a.ApplicationId));
        Assert.Equal(Json(before), Json(after));
    }
}
