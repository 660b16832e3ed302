using JinanDataOps.Actors.Entities;
using JinanDataOps.Actors.Tests.Support;
using JinanDataOps.Domain.Agreements;
using JinanDataOps.Domain.Calls;
using JinanDataOps.Domain.Common;
using Xunit.Abstractions;
using static JinanDataOps.Actors.Tests.Support.LiveData;

namespace JinanDataOps.Actors.Tests.Entities;

/// <summary>Deadlines live in state, not in timers: a restart re-arms them, and one that passed while the
/// entity was down fires as soon as it is recovered. Real clock, short windows, generous waits.</summary>
public sealed class CallDeadlineTests(ITestOutputHelper output) : PersistentEntitySpec(output)
{
    private const string Id = "call-1";
    private static readonly string PersistenceId = DeciderEntity<Call, CallState, ICallCommand, ICallEvent>.PersistenceIdFor(Id);

    private Akka.Actor.IActorRef StartCall() => Start<Call, CallState, ICallCommand, ICallEvent>(Id);

    /// <summary>Creates and publishes a call whose window closes <paramref name="after"/> from now.</summary>
    private async Task<Akka.Actor.IActorRef> OpenCallClosingIn(TimeSpan after)
    {
        var call = StartCall();
        await StateOf<CallState>(call, Id); // recovered, tables created: the window starts counting now
        await Accept(call, Id, new CreateCall(Authority, Terms(DateTimeOffset.UtcNow + after)));
        await Accept(call, Id, new PublishCall(Authority));
        return call;
    }

    [Fact]
    public async Task The_window_closes_by_itself_while_the_call_runs()
    {
        var call = await OpenCallClosingIn(TimeSpan.FromSeconds(1));

        await AwaitAssertAsync(async () => Assert.Equal(CallStatus.Closed, (await StateOf<CallState>(call, Id)).State), Patience, TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task The_window_deadline_is_re_armed_after_a_restart_and_closes_the_call_by_itself()
    {
        var first = await OpenCallClosingIn(TimeSpan.FromSeconds(2));
        await Stop(first);
        Assert.DoesNotContain("call.closed.v1", JournaledManifests(PersistenceId));

        var second = StartCall();

        // Nothing is sent to the entity: the close must come from its own timer.
        await AwaitConditionAsync(() => JournaledManifests(PersistenceId).Contains("call.closed.v1"), Patience, TimeSpan.FromMilliseconds(200));
        var state = await StateOf<CallState>(second, Id);
        Assert.Equal(CallStatus.Closed, state.State);
        Assert.Equal(["call.created.v1", "call.published.v1", "call.closed.v1"], JournaledManifests(PersistenceId));
    }

    [Fact]
    public async Task An_overdue_window_deadline_fires_as_soon_as_the_call_is_recovered()
    {
        // 1.5 s rather than 1 s: room for a slow machine between publishing and stopping.
        var first = await OpenCallClosingIn(TimeSpan.FromSeconds(1.5));
        await Stop(first);
        Assert.DoesNotContain("call.closed.v1", JournaledManifests(PersistenceId));
        await Task.Delay(TimeSpan.FromSeconds(2)); // the window closes while no entity is up

        var restartedAt = DateTimeOffset.UtcNow;
        var second = StartCall();

        await AwaitConditionAsync(() => JournaledManifests(PersistenceId).Contains("call.closed.v1"), Patience, TimeSpan.FromMilliseconds(100));
        Assert.True(DateTimeOffset.UtcNow - restartedAt < TimeSpan.FromSeconds(5), "an overdue deadline fires on recovery, not after another timer");
        Assert.Equal(CallStatus.Closed, (await StateOf<CallState>(second, Id)).State);
    }
}

public sealed class AgreementDeadlineTests(ITestOutputHelper output) : PersistentEntitySpec(output)
{
    private const string ApplicationId = "app-7";
    private static readonly string Id = AgreementState.IdFor(ApplicationId);
    private static readonly string PersistenceId = DeciderEntity<Agreement, AgreementState, IAgreementCommand, IAgreementEvent>.PersistenceIdFor(Id);

    private Akka.Actor.IActorRef StartAgreement() => Start<Agreement, AgreementState, IAgreementCommand, IAgreementEvent>(Id);

    [Fact]
    public async Task Both_signatures_inside_the_term_make_the_agreement_active()
    {
        var agreement = StartAgreement();
        var now = DateTimeOffset.UtcNow;
        await Accept(agreement, Id, Draft(ConfirmedApplication(ApplicationId, now), now));
        await Accept(agreement, Id, new SignAgreement(OperatorA));

        var signed = await Accept(agreement, Id, new SignAgreement(Authority));

        Assert.Equal([typeof(AgreementSigned), typeof(AgreementActivated)], signed.Events.Select(e => e.GetType()));
        Assert.Equal(AgreementStatus.Active, Assert.IsType<AgreementState>(signed.State).State);
    }

    [Fact]
    public async Task An_unrectified_suspension_terminates_the_agreement_by_itself_after_a_restart()
    {
        var first = StartAgreement();
        var now = DateTimeOffset.UtcNow;
        await Accept(first, Id, Draft(ConfirmedApplication(ApplicationId, now), now));
        await Accept(first, Id, new SignAgreement(OperatorA));
        await Accept(first, Id, new SignAgreement(Authority));
        var suspended = await Accept(first, Id, new SuspendAgreement(Authority, "failed evaluation", ["encrypt exports"], DateTimeOffset.UtcNow.AddSeconds(2)));
        Assert.Equal(AgreementStatus.Suspended, Assert.IsType<AgreementState>(suspended.State).State);
        await Stop(first);
        Assert.DoesNotContain("agr.terminated.v1", JournaledManifests(PersistenceId));

        var second = StartAgreement();

        // Art. 18: not rectified by the deadline → terminated, by the platform, with nobody asking.
        await AwaitConditionAsync(() => JournaledManifests(PersistenceId).Contains("agr.terminated.v1"), Patience, TimeSpan.FromMilliseconds(200));
        var state = await StateOf<AgreementState>(second, Id);
        Assert.Equal(AgreementStatus.Terminated, state.State);
        Assert.Contains(Art.A18, state.EndReason);
        Assert.Equal(
            ["agr.drafted.v1", "agr.signed.v1", "agr.signed.v1", "agr.activated.v1", "agr.suspended.v1", "agr.terminated.v1"],
            JournaledManifests(PersistenceId));
    }

    [Fact]
    public async Task A_restored_agreement_is_not_terminated_when_the_old_deadline_passes()
    {
        var agreement = StartAgreement();
        var now = DateTimeOffset.UtcNow;
        await Accept(agreement, Id, Draft(ConfirmedApplication(ApplicationId, now), now));
        await Accept(agreement, Id, new SignAgreement(OperatorA));
        await Accept(agreement, Id, new SignAgreement(Authority));
        await Accept(agreement, Id, new SuspendAgreement(Authority, "failed evaluation", ["encrypt exports"], DateTimeOffset.UtcNow.AddSeconds(2)));
        await Accept(agreement, Id, new SubmitRectificationReport(OperatorA, "exports encrypted"));
        await Accept(agreement, Id, new RestoreAgreement(Authority));

        await Task.Delay(TimeSpan.FromSeconds(2.5));

        Assert.Equal(AgreementStatus.Active, (await StateOf<AgreementState>(agreement, Id)).State);
        Assert.DoesNotContain("agr.terminated.v1", JournaledManifests(PersistenceId));
    }
}
