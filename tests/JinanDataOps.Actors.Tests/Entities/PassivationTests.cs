using Akka.Actor;
using Akka.Cluster.Sharding;
using JinanDataOps.Actors.Entities;
using JinanDataOps.Actors.Tests.Support;
using JinanDataOps.Domain.Calls;
using Xunit.Abstractions;
using static JinanDataOps.Actors.Tests.Support.LiveData;

namespace JinanDataOps.Actors.Tests.Entities;

/// <summary>The test actor stands in for the shard: it is the entity's parent.</summary>
public sealed class PassivationTests(ITestOutputHelper output) : PersistentEntitySpec(output)
{
    private const string Id = "call-1";
    private static readonly EntitySettings QuickToIdle = new(100, PassivateAfter: TimeSpan.FromMilliseconds(300), LongestTimer: TimeSpan.FromHours(12));

    private IActorRef StartCallUnderTestActor() =>
        ChildActorOf(Props.Create(() => new DeciderEntity<Call, CallState, ICallCommand, ICallEvent>(Id, TimeProvider.System, QuickToIdle)));

    [Fact]
    public async Task An_idle_entity_without_deadlines_asks_its_shard_to_passivate_it_and_stops_when_told()
    {
        var call = StartCallUnderTestActor();
        await Accept(call, Id, new CreateCall(Authority, Terms(DateTimeOffset.UtcNow.AddDays(1))));

        var passivate = await ExpectMsgAsync<Passivate>(Patience);
        Watch(call);
        call.Tell(passivate.StopMessage, TestActor);

        await ExpectTerminatedAsync(call, Patience);
    }

    [Fact]
    public async Task An_idle_entity_with_a_deadline_stays_up()
    {
        var call = StartCallUnderTestActor();
        await Accept(call, Id, new CreateCall(Authority, Terms(DateTimeOffset.UtcNow.AddDays(1))));
        await Accept(call, Id, new PublishCall(Authority)); // an open window is a deadline to keep

        await ExpectNoMsgAsync(TimeSpan.FromSeconds(1));
    }
}
