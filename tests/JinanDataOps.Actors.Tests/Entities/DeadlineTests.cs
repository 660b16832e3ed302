using JinanDataOps.Actors.Entities;
using JinanDataOps.Actors.Protocol;
using JinanDataOps.Actors.Tests.Support;
using JinanDataOps.Domain.Agreements;
using JinanDataOps.Domain.Calls;
using JinanDataOps.Domain.Common;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;
using static JinanDataOps.Actors.Tests.Support.LiveData;

namespace JinanDataOps.Actors.Tests.Entities;

/// <summary>Deadlines live in state, not in timers: a restart re-arms them, and one that passed while the
/// entity was down fires as soon as it is recovered. The entities read a clock that stands still until the
/// test moves it past the deadline, so no deadline can pass while a test is still setting up, however
/// slow the machine; their timers are the real scheduler's, and a timer that fires before the clock has
/// reached its deadline re-arms itself (as after a clock that runs behind the scheduler).</summary>
public sealed class CallDeadlineTests(ITestOutputHelper output) : PersistentEntitySpec(output)
{
    private const string Id = "call-1";
    private static readonly string PersistenceId = DeciderEntity<Call, CallState, ICallCommand, ICallEvent>.PersistenceIdFor(Id);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero));

    private Akka.Actor.IActorRef StartCall() => Start<Call, CallState, ICallCommand, ICallEvent>(Id, clock: _clock);

    /// <summary>Creates and publishes a call whose window closes <paramref name="after"/> from the entity's now.</summary>
    private async Task<Akka.Actor.IActorRef> OpenCallClosingIn(TimeSpan after)
    {
        var call = StartCall();
        await Accept(call, Id, new CreateCall(Authority, Terms(_clock.GetUtcNow() + after)));
        await Accept(call, Id, new PublishCall(Authority));
        return call;
    }

    [Fact]
    public async Task The_window_closes_by_itself_while_the_call_runs()
    {
        var call = await OpenCallClosingIn(TimeSpan.FromSeconds(1));

        _clock.Advance(TimeSpan.FromSeconds(1));

        // Only reads are sent: the close must come from the entity's own timer.
        await AwaitAssertAsync(async () => Assert.Equal(CallStatus.Closed, (await StateOf<CallState>(call, Id)).State), Patience, TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task The_window_deadline_is_re_armed_after_a_restart_and_closes_the_call_by_itself()
    {
        var first = await OpenCallClosingIn(TimeSpan.FromSeconds(1));
        await Stop(first);
        Assert.DoesNotContain("call.closed.v1", JournaledManifests(PersistenceId));

        var second = StartCall();
        Assert.Equal(CallStatus.Open, (await StateOf<CallState>(second, Id)).State); // recovered, its deadline still ahead
        _clock.Advance(TimeSpan.FromSeconds(1));

        // Nothing but that read is sent to the entity: the close must come from the timer it armed on recovery.
        await AwaitConditionAsync(() => JournaledManifests(PersistenceId).Contains("call.closed.v1"), Patience, TimeSpan.FromMilliseconds(200));
        var state = await StateOf<CallState>(second, Id);
        Assert.Equal(CallStatus.Closed, state.State);
        Assert.Equal(["call.created.v1", "call.published.v1", "call.closed.v1"], JournaledManifests(PersistenceId));
    }

    [Fact]
    public async Task An_overdue_window_deadline_fires_as_soon_as_the_call_is_recovered()
    {
        var first = await OpenCallClosingIn(TimeSpan.FromSeconds(1));
        await Stop(first);
        Assert.DoesNotContain("call.closed.v1", JournaledManifests(PersistenceId));
        _clock.Advance(TimeSpan.FromSeconds(2)); // the window closes while no entity is up

        var second = StartCall();

        // Nothing is sent to the entity, and the clock no longer moves: the only other timer it could arm is
        // the 12 h re-check (LongestTimer), so a close within Patience is the one fired on recovery.
        await AwaitConditionAsync(() => JournaledManifests(PersistenceId).Contains("call.closed.v1"), Patience, TimeSpan.FromMilliseconds(100));
        Assert.Equal(CallStatus.Closed, (await StateOf<CallState>(second, Id)).State);
    }
}

public sealed class AgreementDeadlineTests(ITestOutputHelper output) : PersistentEntitySpec(output)
{
    private const string ApplicationId = "app-7";
    private static readonly string Id = AgreementState.IdFor(ApplicationId);
    private static readonly string PersistenceId = DeciderEntity<Agreement, AgreementState, IAgreementCommand, IAgreementEvent>.PersistenceIdFor(Id);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero));

    private Akka.Actor.IActorRef StartAgreement() => Start<Agreement, AgreementState, IAgreementCommand, IAgreementEvent>(Id, clock: _clock);

    /// <summary>An active agreement suspended with a rectification deadline <paramref name="after"/> from the entity's now.</summary>
    private async Task<AgreementState> Suspended(Akka.Actor.IActorRef agreement, TimeSpan after)
    {
        var now = _clock.GetUtcNow();
        await Accept(agreement, Id, Draft(ConfirmedApplication(ApplicationId, now), now));
        await Accept(agreement, Id, new SignAgreement(OperatorA));
        await Accept(agreement, Id, new SignAgreement(Authority));
        var suspended = await Accept(agreement, Id, new SuspendAgreement(Authority, "failed evaluation", ["encrypt exports"], now + after));
        var state = Assert.IsType<AgreementState>(suspended.State);
        Assert.Equal(AgreementStatus.Suspended, state.State);
        return state;
    }

    [Fact]
    public async Task Both_signatures_inside_the_term_make_the_agreement_active()
    {
        var agreement = StartAgreement();
        var now = _clock.GetUtcNow();
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
        await Suspended(first, TimeSpan.FromSeconds(2));
        await Stop(first);
        Assert.DoesNotContain("agr.terminated.v1", JournaledManifests(PersistenceId));

        var second = StartAgreement();
        Assert.Equal(AgreementStatus.Suspended, (await StateOf<AgreementState>(second, Id)).State); // recovered, its deadline still ahead
        _clock.Advance(TimeSpan.FromSeconds(2));

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
        var suspended = await Suspended(agreement, TimeSpan.FromSeconds(2));
        var old = Assert.Single(Agreement.Deadlines(suspended), d => d.Command is EnforceRectificationDeadline);
        await Accept(agreement, Id, new SubmitRectificationReport(OperatorA, "exports encrypted"));
        await Accept(agreement, Id, new RestoreAgreement(Authority));

        _clock.Advance(TimeSpan.FromSeconds(3));
        // The old deadline falls due, as the timer armed at the suspension would say had it outlived the restore.
        agreement.Tell(new DeadlineDue(old.Name), TestActor);

        Assert.Equal(AgreementStatus.Active, (await StateOf<AgreementState>(agreement, Id)).State); // answered after the DeadlineDue
        Assert.DoesNotContain("agr.terminated.v1", JournaledManifests(PersistenceId));
    }
}
