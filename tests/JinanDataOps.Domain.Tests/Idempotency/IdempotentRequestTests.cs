using JinanDataOps.Domain.Idempotency;
using JinanDataOps.Domain.Tests.Support;
using static JinanDataOps.Domain.Tests.Support.TestData;

namespace JinanDataOps.Domain.Tests.Idempotency;

public sealed class IdempotentRequestTests() : DeciderSpec<IdempotentRequest, IdempotentRequestState, IIdempotentRequestCommand, IIdempotentRequestEvent>("k-1")
{
    private static readonly DateTimeOffset At = T0;
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly StoredResponse First = new(201, "{\"id\":\"req-1\"}", "/api/data-requests/req-1");
    private static readonly RequestStarted Started = new(OperatorA, At, "h1");

    [Fact]
    public void The_first_attempt_takes_the_key() =>
        Assert.Equal(IdempotentRequestStatus.InFlight, Given().When(new BeginRequest(OperatorA, "h1", Lease), At).Then(Started).State.State);

    [Fact]
    public void A_repeat_while_the_first_runs_takes_nothing_and_waits() =>
        Given(Started).When(new BeginRequest(OperatorA, "h1", Lease), At.AddSeconds(1)).ThenNothing();

    [Fact]
    public void An_attempt_whose_node_died_is_taken_over_after_its_lease() =>
        Given(Started).When(new BeginRequest(OperatorA, "h1", Lease), At + Lease).Then(Started with { At = At + Lease });

    [Fact]
    public void Another_request_never_takes_over_a_key_in_flight() =>
        Given(Started).When(new BeginRequest(OperatorA, "h2", Lease), At + Lease + Lease).ThenNothing();

    [Fact]
    public void The_answer_of_the_attempt_is_kept_for_every_repeat()
    {
        var state = Given(Started).When(new CompleteRequest(OperatorA, "h1", First), At).Then(new RequestCompleted(OperatorA, At, "h1", First)).State;
        Assert.Equal((IdempotentRequestStatus.Completed, First), (state.State, state.Response));
    }

    [Fact]
    public void A_completed_key_starts_nothing_again() =>
        Given(Started, new RequestCompleted(OperatorA, At, "h1", First)).When(new BeginRequest(OperatorA, "h1", Lease), At.AddDays(1)).ThenNothing();

    [Fact]
    public void A_completed_key_is_taken_by_its_request_only()
    {
        var state = Given(Started, new RequestCompleted(OperatorA, At, "h1", First)).State;
        Assert.False(state.TakenByOther("h1"));
        Assert.True(state.TakenByOther("h2"));
    }

    [Fact]
    public void A_refused_attempt_frees_the_key_for_a_corrected_request()
    {
        var state = Given(Started).When(new AbandonRequest(OperatorA, "h1"), At).Then(new RequestAbandoned(OperatorA, At, "h1")).State;
        Assert.False(state.TakenByOther("h2"));
    }

    [Fact]
    public void Completing_or_abandoning_another_request_changes_nothing()
    {
        Given(Started).When(new CompleteRequest(OperatorA, "h2", First), At).ThenNothing();
        Given(Started).When(new AbandonRequest(OperatorA, "h2"), At).ThenNothing();
    }
}
