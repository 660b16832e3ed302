using JinanDataOps.Actors.Entities;
using JinanDataOps.Actors.Protocol;
using JinanDataOps.Actors.Tests.Support;
using JinanDataOps.Domain.Calls;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.Datasets;
using Xunit.Abstractions;
using static JinanDataOps.Actors.Tests.Support.LiveData;

namespace JinanDataOps.Actors.Tests.Entities;

public sealed class EntityRepliesTests(ITestOutputHelper output) : PersistentEntitySpec(output)
{
    private const string Id = "call-1";
    private static readonly string PersistenceId = DeciderEntity<Call, CallState, ICallCommand, ICallEvent>.PersistenceIdFor(Id);

    private Akka.Actor.IActorRef StartCall() => Start<Call, CallState, ICallCommand, ICallEvent>(Id);

    [Fact]
    public async Task A_command_is_accepted_only_once_its_events_are_in_the_journal()
    {
        var call = StartCall();
        var terms = Terms(DateTimeOffset.UtcNow.AddDays(1));

        var accepted = await Accept(call, Id, new CreateCall(Authority, terms));

        // Read the file at the moment the reply arrives: the write is already durable.
        Assert.Equal(["call.created.v1"], JournaledManifests(PersistenceId));
        var created = Assert.IsType<CallCreated>(Assert.Single(accepted.Events));
        Assert.Equal(Authority, created.By);
        var state = Assert.IsType<CallState>(accepted.State);
        Assert.Equal((CallStatus.Draft, Authority.Org), (state.State, state.AuthorityOrg));
    }

    [Fact]
    public async Task The_reply_carries_every_event_of_the_decision_and_the_state_after_them()
    {
        var call = StartCall();
        await Accept(call, Id, new CreateCall(Authority, Terms(DateTimeOffset.UtcNow.AddDays(1))));
        await Accept(call, Id, new PublishCall(Authority));

        var accepted = await Accept(call, Id, Apply(OperatorA, "app-1"));

        Assert.IsType<ApplicationAccepted>(Assert.Single(accepted.Events));
        Assert.Equal("app-1", Assert.Single(Assert.IsType<CallState>(accepted.State).Applications).ApplicationId);
        Assert.Equal(["call.created.v1", "call.published.v1", "call.application-accepted.v1"], JournaledManifests(PersistenceId));
    }

    [Fact]
    public async Task Events_with_consequences_are_journaled_with_the_reactions_tag()
    {
        var call = StartCall();
        await Accept(call, Id, new CreateCall(Authority, Terms(DateTimeOffset.UtcNow.AddDays(1))));
        await Accept(call, Id, new PublishCall(Authority));
        await Accept(call, Id, Apply(OperatorA, "app-1"));

        Assert.Equal([Call.Kind], TagsOf(PersistenceId, 2));
        Assert.Equal([Call.Kind, Tags.Reactions], TagsOf(PersistenceId, 3));
    }

    [Fact]
    public async Task A_refused_command_is_answered_with_its_typed_rejection_and_writes_nothing()
    {
        var call = StartCall();
        await Accept(call, Id, new CreateCall(Authority, Terms(DateTimeOffset.UtcNow.AddDays(1))));

        var reply = await Send(call, Id, new PublishCall(OtherAuthority));

        var rejection = Assert.IsType<CommandRejected>(reply).Rejection;
        Assert.Equal((RejectionKind.Forbidden, Art.A8_1), (rejection.Kind, rejection.Article));
        Assert.Equal(["call.created.v1"], JournaledManifests(PersistenceId));
        Assert.Equal(CallStatus.Draft, (await StateOf<CallState>(call, Id)).State);
    }

    [Fact]
    public async Task A_command_to_an_entity_that_does_not_exist_is_rejected_as_not_found()
    {
        var call = StartCall();

        var reply = await Send(call, Id, new PublishCall(Authority));

        Assert.Equal(RejectionKind.NotFound, Assert.IsType<CommandRejected>(reply).Rejection.Kind);
        Assert.Empty(JournaledManifests(PersistenceId));
    }

    [Fact]
    public async Task A_command_of_another_aggregate_is_rejected_as_invalid()
    {
        var call = StartCall();

        var reply = await Send(call, Id, new RegisterDataset(new Caller(Role.Provider, "jn-transport"), "Bus GPS", DataDomain.Transport, [new("plate", true)]));

        var rejection = Assert.IsType<CommandRejected>(reply).Rejection;
        Assert.Equal(RejectionKind.Validation, rejection.Kind);
        Assert.Contains("not a call command", rejection.Detail);
    }

    [Fact]
    public async Task A_repeated_command_that_is_already_satisfied_is_accepted_with_no_events()
    {
        var call = StartCall();
        await Accept(call, Id, new CreateCall(Authority, Terms(DateTimeOffset.UtcNow.AddDays(1))));
        await Accept(call, Id, new PublishCall(Authority));

        var repeat = await Accept(call, Id, new PublishCall(Authority));

        Assert.Empty(repeat.Events);
        Assert.Equal(CallStatus.Open, Assert.IsType<CallState>(repeat.State).State);
        Assert.Equal(["call.created.v1", "call.published.v1"], JournaledManifests(PersistenceId));
    }

    [Fact]
    public async Task Get_state_says_whether_the_entity_exists()
    {
        var call = StartCall();

        call.Tell(new GetState(Id), TestActor);
        var before = await ExpectMsgAsync<CurrentState>(Patience);
        await Accept(call, Id, new CreateCall(Authority, Terms(DateTimeOffset.UtcNow.AddDays(1))));
        call.Tell(new GetState(Id), TestActor);
        var after = await ExpectMsgAsync<CurrentState>(Patience);

        Assert.False(before.Exists);
        Assert.Equal(CallStatus.None, Assert.IsType<CallState>(before.State).State);
        Assert.True(after.Exists);
    }
}
