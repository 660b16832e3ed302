using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.TestKit;
using JinanDataOps.Actors.Entities;
using JinanDataOps.Actors.Protocol;
using JinanDataOps.Actors.Tests.Support;
using JinanDataOps.Domain.Calls;
using Xunit.Abstractions;
using static JinanDataOps.Actors.Tests.Support.LiveData;

namespace JinanDataOps.Actors.Tests.Entities;

/// <summary>The test actor stands in for the shard: it is the entity's parent, so the entity's Passivate
/// arrives there. Replies go to a probe of their own: the idle timer is short and may fire while a write is
/// still in flight, so a Passivate may come before or after a reply and neither order may fail the test.</summary>
public sealed class PassivationTests(ITestOutputHelper output) : PersistentEntitySpec(output)
{
    private const string Id = "call-1";
    private static readonly string PersistenceId = DeciderEntity<Call, CallState, ICallCommand, ICallEvent>.PersistenceIdFor(Id);
    private static readonly TimeSpan IdleAfter = TimeSpan.FromMilliseconds(300);

    private static EntitySettings QuickToIdle(TimeSpan idleAfter) => new(100, PassivateAfter: idleAfter, LongestTimer: TimeSpan.FromHours(12));

    private IActorRef StartCallUnderTestActor(TimeSpan idleAfter, string id = Id) =>
        ChildActorOf(Props.Create(() => new DeciderEntity<Call, CallState, ICallCommand, ICallEvent>(id, TimeProvider.System, QuickToIdle(idleAfter))));

    private async Task<T> Ask<T>(TestProbe replies, IActorRef entity, object message)
    {
        entity.Tell(message, replies.Ref);
        return await replies.ExpectMsgAsync<T>(Patience);
    }

    [Fact]
    public async Task An_idle_entity_without_deadlines_asks_its_shard_to_passivate_it_and_stops_when_told()
    {
        var replies = CreateTestProbe();
        var call = StartCallUnderTestActor(IdleAfter);
        await Ask<CommandAccepted>(replies, call, new Execute(Id, new CreateCall(Authority, Terms(DateTimeOffset.UtcNow.AddDays(1)))));

        var passivate = await ExpectMsgAsync<Passivate>(Patience);
        Assert.Equal(call, LastSender);
        Watch(call);
        call.Tell(passivate.StopMessage, TestActor);

        await ExpectTerminatedAsync(call, Patience);
    }

    [Fact]
    public async Task An_idle_entity_with_a_deadline_stays_up()
    {
        // The open call is journaled first, so the entity under test is recovered with its deadline: it is
        // never idle without one, whatever the timing of the commands.
        var replies = CreateTestProbe();
        var first = Start<Call, CallState, ICallCommand, ICallEvent>(Id);
        await Ask<CommandAccepted>(replies, first, new Execute(Id, new CreateCall(Authority, Terms(DateTimeOffset.UtcNow.AddDays(1)))));
        await Ask<CommandAccepted>(replies, first, new Execute(Id, new PublishCall(Authority))); // an open window is a deadline to keep
        await Stop(first);

        var call = StartCallUnderTestActor(IdleAfter);
        Assert.Equal(CallStatus.Open, Assert.IsType<CallState>((await Ask<CurrentState>(replies, call, new GetState(Id))).State).State);
        // A control without a deadline, started after the call's last message and idle for twice as long: when
        // its Passivate arrives, the call's own idle timer has long fired.
        var control = StartCallUnderTestActor(IdleAfter * 2, "call-control");
        await Ask<CurrentState>(replies, control, new GetState("call-control"));
        await ExpectMsgAsync<Passivate>(Patience);
        Assert.Equal(control, LastSender);

        // A Passivate the call sent on that timer would be ahead of this reply in the test actor's mailbox.
        call.Tell(new GetState(Id), TestActor);
        var current = await ExpectMsgAsync<CurrentState>(Patience);
        Assert.Equal(CallStatus.Open, Assert.IsType<CallState>(current.State).State);
        Assert.Equal(["call.created.v1", "call.published.v1"], JournaledManifests(PersistenceId));
    }
}
