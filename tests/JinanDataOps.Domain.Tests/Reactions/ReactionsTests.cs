using JinanDataOps.Domain.Agreements;
using JinanDataOps.Domain.Applications;
using JinanDataOps.Domain.Calls;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.DataRequests;
using JinanDataOps.Domain.Evaluations;
using JinanDataOps.Domain.Incidents;
using JinanDataOps.Domain.Operators;
using JinanDataOps.Domain.Products;
using JinanDataOps.Domain.Reactions;
using JinanDataOps.Domain.Tests.Support;
using static JinanDataOps.Domain.Tests.Reactions.ReactionSpec;
using static JinanDataOps.Domain.Tests.Support.TestData;
using Table = JinanDataOps.Domain.Reactions.Reactions;

namespace JinanDataOps.Domain.Tests.Reactions;

/// <summary>The cross-entity policy (DOMAIN.md; Art. 8, 13, 15, 16, 18): each rule of the reaction table,
/// Given the states it reads, When the event, Then the commands for the other entities.</summary>
public sealed class ReactionsTests
{
    private const string AgreementId = "agr-app-1";
    private const string OtherAgreementId = "agr-app-2";
    private static readonly DateTimeOffset Deadline = T0.AddDays(30);

    private static AgreementState Agreement(AgreementStatus state = AgreementStatus.Active, string id = AgreementId, string op = "op-a") =>
        JinanDataOps.Domain.Agreements.Agreement.Initial(id) with
        {
            State = state, OperatorId = op, AuthorityOrg = Authority.Org,
            Rectification = state == AgreementStatus.Suspended ? new RectificationOrder("failed evaluation", ["fix"], Deadline, T0) : null,
            EndReason = state == AgreementStatus.Terminated ? "exit condition met" : null,
        };

    private static DataRequestState Request(string id, DataRequestStatus state, string agreementId = AgreementId, string op = "op-a") =>
        JinanDataOps.Domain.DataRequests.DataRequest.Initial(id) with { State = state, OperatorId = op, AgreementId = agreementId, Scenario = "scenario " + id };

    private static OperatorState Operator(bool trained, params DataRequestState[] live) =>
        JinanDataOps.Domain.Operators.Operator.Initial("op-a") with
        {
            State = OperatorStatus.Authorized,
            Trainings = trained ? [new Training(["Li Lei"], DateOnly.FromDateTime(T0.UtcDateTime), T0)] : [],
            LiveRequests = live.Select(r => new LiveRequest(r.Id, r.Scenario, r.AgreementId, ["ds-bus-gps"])).ToArray(),
        };

    // ---- Agreement standing (Art. 18, 8(5)) ------------------------------------------------------------

    [Fact]
    public void A_suspended_agreement_notes_its_standing_and_stops_every_request_under_it_and_no_other()
    {
        var underIt = Request("dr-1", DataRequestStatus.Provisioned);
        var other = Request("dr-2", DataRequestStatus.Provisioned, OtherAgreementId);
        Given(Agreement(AgreementStatus.Suspended), Operator(trained: true, underIt, other))
            .When(new AgreementSuspended(Authority, T0, "failed evaluation", ["fix"], Deadline), AgreementId)
            .Then(
                To("op-a", new NoteAgreementStanding(Platform, AgreementId, AgreementStanding.Suspended)),
                To("dr-1", new SuspendDataRequest(Platform, $"agreement {AgreementId} suspended: failed evaluation (Art. 18)", WithAgreement: true)));
    }

    [Fact]
    public void A_restored_agreement_restores_its_requests_and_provisions_the_approved_ones_of_a_trained_operator()
    {
        var suspended = Request("dr-1", DataRequestStatus.Suspended);
        var approved = Request("dr-2", DataRequestStatus.Approved);
        Given(Agreement(), Operator(trained: true, suspended, approved), suspended, approved)
            .When(new AgreementRestored(Authority, T0), AgreementId)
            .Then(
                To("op-a", new NoteAgreementStanding(Platform, AgreementId, AgreementStanding.Active)),
                To("dr-1", new RestoreDataRequest(Platform, WithAgreement: true)),
                To("dr-2", new RestoreDataRequest(Platform, WithAgreement: true)),
                To("dr-2", new ProvisionDataRequest(Platform, OperatorTrained: true, AgreementActive: true)));
    }

    [Fact]
    public void An_activated_agreement_provisions_nothing_for_an_untrained_operator_but_says_so()
    {
        var approved = Request("dr-1", DataRequestStatus.Approved);
        Given(Agreement(), Operator(trained: false, approved), approved)
            .When(new AgreementActivated(Platform, T0), AgreementId)
            .Then(
                To("op-a", new NoteAgreementStanding(Platform, AgreementId, AgreementStanding.Active)),
                To("dr-1", new RestoreDataRequest(Platform, WithAgreement: true)),
                To("dr-1", new ProvisionDataRequest(Platform, OperatorTrained: false, AgreementActive: true)));
    }

    [Fact]
    public void Activation_passes_on_the_required_security_report_period_other_standings_do_not()
    {
        var quarter = TimeSpan.FromDays(90);
        Given(Agreement(), Operator(trained: true)).When(new AgreementActivated(Platform, T0), AgreementId, quarter)
            .Then(To("op-a", new NoteAgreementStanding(Platform, AgreementId, AgreementStanding.Active, quarter)));
        Given(Agreement(AgreementStatus.Suspended), Operator(trained: true)).When(new AgreementSuspended(Authority, T0, "r", ["fix"], Deadline), AgreementId, quarter)
            .Then(To("op-a", new NoteAgreementStanding(Platform, AgreementId, AgreementStanding.Suspended)));
    }

    [Fact]
    public void Termination_revokes_the_operators_requests_under_every_agreement()
    {
        Given(Agreement(AgreementStatus.Terminated), Operator(trained: true, Request("dr-1", DataRequestStatus.Provisioned), Request("dr-2", DataRequestStatus.Submitted, OtherAgreementId)))
            .When(new AgreementTerminated(Authority, T0, "exit condition met"), AgreementId)
            .Then(
                To("op-a", new NoteAgreementStanding(Platform, AgreementId, AgreementStanding.Terminated)),
                To("dr-1", new RevokeDataRequest(Platform, $"agreement {AgreementId} terminated: exit condition met (Art. 18)")),
                To("dr-2", new RevokeDataRequest(Platform, $"agreement {AgreementId} terminated: exit condition met (Art. 18)")));
    }

    [Fact]
    public void Expiry_revokes_only_the_requests_under_the_expired_agreement()
    {
        Given(Agreement(AgreementStatus.Expired), Operator(trained: true, Request("dr-1", DataRequestStatus.Provisioned), Request("dr-2", DataRequestStatus.Provisioned, OtherAgreementId)))
            .When(new AgreementExpired(Platform, T0), AgreementId)
            .Then(
                To("op-a", new NoteAgreementStanding(Platform, AgreementId, AgreementStanding.Expired)),
                To("dr-1", new RevokeDataRequest(Platform, $"agreement {AgreementId} expired: data-use rights end with the term (Art. 8(5))")));
    }

    [Fact]
    public void An_agreement_that_does_not_exist_has_no_consequences() =>
        Given().When(new AgreementSuspended(Authority, T0, "r", ["fix"], Deadline), AgreementId).ThenNothing();

    // ---- Provisioning (Art. 16) and scenarios (Art. 13) ------------------------------------------------

    [Fact]
    public void An_approved_request_is_offered_for_provisioning_with_the_operators_training_and_the_agreements_standing()
    {
        var approved = Request("dr-1", DataRequestStatus.Approved);
        Given(approved, Operator(trained: true, approved), Agreement(AgreementStatus.Suspended))
            .When(new DataRequestApproved(Authority, T0), "dr-1")
            .Then(To("dr-1", new ProvisionDataRequest(Platform, OperatorTrained: true, AgreementActive: false)));
    }

    [Fact]
    public void Approval_of_a_request_no_longer_approved_provisions_nothing() =>
        Given(Request("dr-1", DataRequestStatus.Rejected), Operator(trained: true), Agreement())
            .When(new DataRequestApproved(Authority, T0), "dr-1").ThenNothing();

    [Fact]
    public void Recorded_training_offers_every_approved_live_request_for_provisioning()
    {
        var approved = Request("dr-1", DataRequestStatus.Approved);
        var submitted = Request("dr-2", DataRequestStatus.Submitted);
        Given(Operator(trained: true, approved, submitted), approved, submitted, Agreement())
            .When(new TrainingRecorded(OperatorA, T0, ["Li Lei"], DateOnly.FromDateTime(T0.UtcDateTime)), "op-a")
            .Then(To("dr-1", new ProvisionDataRequest(Platform, OperatorTrained: true, AgreementActive: true)));
    }

    [Theory]
    [InlineData("rejected")]
    [InlineData("revoked")]
    [InlineData("closed")]
    public void A_request_that_ends_frees_its_scenario_for_the_operator(string how)
    {
        IDomainEvent ended = how switch
        {
            "rejected" => new DataRequestRejected(Authority, T0, "no"),
            "revoked" => new DataRequestRevoked(Platform, T0, "agreement ended"),
            _ => new DataRequestClosed(OperatorA, T0),
        };
        Given(Request("dr-1", DataRequestStatus.Closed)).When(ended, "dr-1").Then(To("op-a", new ReleaseScenario(Platform, "dr-1")));
    }

    [Fact]
    public void A_scenario_the_operator_opened_becomes_a_data_request()
    {
        var submission = Requests.Submission();
        Given().When(new DataRequestOpened(OperatorA, T0, submission), "op-a")
            .Then(To("dr-1", new SubmitDataRequest(OperatorA, "op-a", submission)));
    }

    // ---- Data products (Art. 3, 13, 18) ---------------------------------------------------------------

    private static OperatorState WithProducts(OperatorState op) => op with
    {
        Products = [new OperatorProduct("prd-1", AgreementId, ["dr-1"]), new OperatorProduct("prd-2", OtherAgreementId, ["dr-2"])],
    };

    [Fact]
    public void A_created_product_is_noted_by_its_operator() =>
        Given().When(new ProductCreated(OperatorA, T0, "op-a", AgreementId, ["dr-1"], ["ds-bus-gps"], ProductKind.Report, "Punctuality", "monthly report",
                ["route", "delay"], true, Authority, Authority.Org), "prd-1")
            .Then(To("op-a", new NoteProduct(Platform, "prd-1", AgreementId, ["dr-1"])));

    [Theory]
    [InlineData("suspended", "Art. 18")]
    [InlineData("terminated", "Art. 18")]
    [InlineData("expired", "Art. 8(5)")]
    public void An_agreement_that_stops_delists_the_products_built_under_it_first(string how, string article)
    {
        IDomainEvent stopped = how switch
        {
            "suspended" => new AgreementSuspended(Authority, T0, "r", ["fix"], Deadline),
            "terminated" => new AgreementTerminated(Authority, T0, "exit"),
            _ => new AgreementExpired(Platform, T0),
        };
        var outcome = Given(Agreement(), WithProducts(Operator(trained: true))).When(stopped, AgreementId);
        var delist = Assert.Single(outcome.Dispatches, d => d.Command is DelistProduct);
        Assert.Equal("prd-1", delist.EntityId);
        Assert.Contains($"agreement {AgreementId} {how}", ((DelistProduct)delist.Command).Reason);
        Assert.Contains(article, ((DelistProduct)delist.Command).Reason);
    }

    [Fact]
    public void A_restored_agreement_relists_nothing_by_itself() =>
        Assert.DoesNotContain(Given(Agreement(), WithProducts(Operator(trained: true))).When(new AgreementRestored(Authority, T0), AgreementId).Dispatches,
            d => d.Command is DelistProduct);

    [Theory]
    [InlineData("suspended")]
    [InlineData("revoked")]
    [InlineData("closed")]
    public void A_request_that_stops_delists_the_products_built_from_it(string how)
    {
        IDomainEvent stopped = how switch
        {
            "suspended" => new DataRequestSuspended(Platform, T0, "export attempt", false),
            "revoked" => new DataRequestRevoked(Platform, T0, "agreement ended"),
            _ => new DataRequestClosed(OperatorA, T0),
        };
        var outcome = Given(Request("dr-1", DataRequestStatus.Closed), WithProducts(Operator(trained: true))).When(stopped, "dr-1");
        Assert.Equal([To("prd-1", new DelistProduct(Platform, $"data request dr-1 {how}: its product may not be traded (Art. 13)"))],
            outcome.Dispatches.Where(d => d.Command is DelistProduct));
    }

    // ---- Evaluation (Art. 17, 18) ----------------------------------------------------------------------

    private static readonly EvaluationFailed Failed = new(Authority, T0, AgreementId, ["no access log"], Deadline, NonCooperation: false);

    [Theory]
    [InlineData(AgreementStatus.Active)]
    [InlineData(AgreementStatus.Suspended)]
    public void A_failed_evaluation_suspends_the_agreement_with_its_findings_and_deadline_naming_itself(AgreementStatus state) =>
        Given(Agreement(state)).When(Failed, "eval-1")
            .Then(To(AgreementId, new SuspendAgreement(Platform, "evaluation eval-1 failed (Art. 18)", ["no access log"], Deadline, "evaluation:eval-1")));

    [Fact]
    public void A_failed_evaluation_of_an_agreement_that_has_ended_records_that_end_at_once() =>
        Given(Agreement(AgreementStatus.Terminated)).When(Failed, "eval-1")
            .Then(To("eval-1", new RecordEvaluationOutcome(Platform, EvaluationOutcome.Terminated, "exit condition met")));

    [Theory]
    [InlineData("restored")]
    [InlineData("terminated")]
    public void The_agreements_outcome_goes_back_onto_the_evaluations_that_suspended_it_and_no_other(string how)
    {
        var agreement = Agreement(how == "restored" ? AgreementStatus.Active : AgreementStatus.Terminated) with
        {
            SuspensionCauses = ["op-a/export-attempt/w1", "evaluation:eval-1", "evaluation:eval-2"],
        };
        IDomainEvent e = how == "restored" ? new AgreementRestored(Authority, T0) : new AgreementTerminated(Platform, T0, "exit condition met");
        var (outcome, reason) = how == "restored"
            ? (EvaluationOutcome.Restored, "rectification accepted by the authorizing unit")
            : (EvaluationOutcome.Terminated, "exit condition met");
        Assert.Equal(
            [To("eval-1", new RecordEvaluationOutcome(Platform, outcome, reason)), To("eval-2", new RecordEvaluationOutcome(Platform, outcome, reason))],
            Given(agreement, Operator(trained: true)).When(e, AgreementId).Dispatches.Where(d => d.Command is RecordEvaluationOutcome),
            new DispatchComparer());
    }

    private sealed class DispatchComparer : IEqualityComparer<Dispatch>
    {
        public bool Equals(Dispatch? x, Dispatch? y) => x!.EntityId == y!.EntityId && Equals(x.Command, y.Command);
        public int GetHashCode(Dispatch d) => d.EntityId.GetHashCode();
    }

    // ---- Calls and applications (Art. 8) ---------------------------------------------------------------

    private static CallState Call(params CallEntry[] applications) =>
        JinanDataOps.Domain.Calls.Call.Initial("call-1") with { State = CallStatus.Open, AuthorityOrg = Authority.Org, Terms = Terms(), Applications = applications };

    [Fact]
    public void An_accepted_application_is_created_with_the_calls_terms_and_authority()
    {
        Given(Call()).When(new ApplicationAccepted(OperatorA, T0, "app-1", "op-a", "{}", ["op-a-parent"]), "call-1")
            .Then(To("app-1", new SubmitApplication(OperatorA, "call-1", "op-a", Authority.Org, Terms(), "{}", ["op-a-parent"])));
    }

    [Fact]
    public void An_application_to_a_call_that_does_not_exist_is_not_created() =>
        Given().When(new ApplicationAccepted(OperatorA, T0, "app-1", "op-a", "{}", []), "call-1").ThenNothing();

    [Fact]
    public void The_published_shortlist_settles_every_application_of_the_call() =>
        Given(Call(new CallEntry("app-1", "op-a"), new CallEntry("app-2", "op-b")))
            .When(new ShortlistPublished(Authority, T0, T0.AddDays(5)), "call-1")
            .Then(To("app-1", new EvaluateApplication(Platform, T0.AddDays(5))), To("app-2", new EvaluateApplication(Platform, T0.AddDays(5))));

    [Fact]
    public void The_end_of_the_notice_concludes_every_application_of_the_call() =>
        Given(Call(new CallEntry("app-1", "op-a")))
            .When(new CallConcluded(Platform, T0), "call-1")
            .Then(To("app-1", new ConcludeNotice(Platform)));

    [Fact]
    public void A_score_sheet_puts_the_call_under_review() =>
        Given(JinanDataOps.Domain.Applications.Application.Initial("app-1") with { State = ApplicationStatus.Submitted, CallId = "call-1" })
            .When(new ReviewRecorded(Expert1, T0, Scores(80, 70), 77.5m), "app-1")
            .Then(To("call-1", new StartReview(Platform)));

    // ---- The closed loop of sandbox monitoring (Art. 15, 18) -------------------------------------------

    private static CriticalAlert Alert(string? request = "dr-1", string op = "op-a", string? agreement = null) =>
        new("op-a/export-attempt/20261201T000000Z", "export-attempt", "critical", "Art. 13", op, request, agreement, "export attempted", ["ev-1"]);

    private static ViolationsDetected Detected(bool suspendAgreements = true, params CriticalAlert[] alerts) =>
        new(Platform, T0, alerts, suspendAgreements, Deadline);

    private static readonly string IncidentId = Table.IncidentIdOf("op-a/export-attempt/20261201T000000Z");

    private static Dispatch Incident(string? request, string? agreementId, string authority) => To(IncidentId, new OpenIncident(Platform, "op-a", request, agreementId,
        "export attempted", "Art. 13", new IncidentSource("op-a/export-attempt/20261201T000000Z", "export-attempt", "critical", ["ev-1"]), authority));

    [Fact]
    public void A_critical_alert_suspends_its_request_and_by_policy_its_agreement_for_that_alert_and_opens_an_incident()
    {
        var reason = "critical alert op-a/export-attempt/20261201T000000Z: export attempted";
        Given(Request("dr-1", DataRequestStatus.Provisioned), Agreement())
            .When(Detected(true, Alert()), "lane-3")
            .Then(
                To("dr-1", new SuspendDataRequest(Platform, reason, WithAgreement: false, Cause: "op-a/export-attempt/20261201T000000Z")),
                To(AgreementId, new SuspendAgreement(Platform, reason,
                    [$"respond to security incident {IncidentId} and report the measures taken", "show that the sandbox breach cannot recur"], Deadline,
                    Cause: "op-a/export-attempt/20261201T000000Z")),
                Incident("dr-1", AgreementId, Authority.Org));
    }

    [Fact]
    public void Without_the_policy_the_agreement_stays_active() =>
        Given(Request("dr-1", DataRequestStatus.Provisioned), Agreement())
            .When(Detected(false, Alert()), "lane-3")
            .Then(
                To("dr-1", new SuspendDataRequest(Platform, "critical alert op-a/export-attempt/20261201T000000Z: export attempted", WithAgreement: false,
                    Cause: "op-a/export-attempt/20261201T000000Z")),
                Incident("dr-1", AgreementId, Authority.Org));

    [Fact]
    public void An_alert_naming_another_operators_request_stops_nothing_and_the_city_authority_answers_its_incident() =>
        Given(Request("dr-9", DataRequestStatus.Provisioned, "agr-app-9", op: "op-b"), Agreement(id: "agr-app-9", op: "op-b"))
            .When(Detected(true, Alert(request: "dr-9")), "lane-3")
            .Then(Incident("dr-9", null, CityAuthority));

    [Fact]
    public void An_alert_on_an_unknown_request_under_the_operators_own_agreement_suspends_that_agreement()
    {
        var reason = "critical alert op-a/export-attempt/20261201T000000Z: export attempted";
        Given(Agreement())
            .When(Detected(true, Alert(request: "dr-unknown", agreement: AgreementId)), "lane-3")
            .Then(
                To(AgreementId, new SuspendAgreement(Platform, reason,
                    [$"respond to security incident {IncidentId} and report the measures taken", "show that the sandbox breach cannot recur"], Deadline,
                    Cause: "op-a/export-attempt/20261201T000000Z")),
                Incident("dr-unknown", AgreementId, Authority.Org));
    }

    [Fact]
    public void A_request_already_suspended_and_an_agreement_already_suspended_are_not_suspended_again_only_the_incident_is_opened() =>
        Given(Request("dr-1", DataRequestStatus.Suspended), Agreement(AgreementStatus.Suspended))
            .When(Detected(true, Alert()), "lane-3")
            .Then(Incident("dr-1", AgreementId, Authority.Org));

    // ---- The table itself ------------------------------------------------------------------------------

    [Fact]
    public void Every_rule_cites_an_article_and_states_its_consequence() =>
        Assert.All(Table.Table, r =>
        {
            Assert.Matches(@"^Art\. \d+(\(\d+\))?$", r.Article);
            Assert.False(string.IsNullOrWhiteSpace(r.Consequence));
            Assert.True(typeof(IDomainEvent).IsAssignableFrom(r.Event), $"{r.Event.Name} is not an event");
        });

    [Fact]
    public void Every_rule_names_a_sealed_event_type_so_rules_are_found_by_exact_type() =>
        Assert.All(Table.Table, r => Assert.True(r.Event.IsSealed, $"{r.Event.Name} is not sealed"));

    [Fact]
    public void Only_events_of_the_table_have_consequences()
    {
        Assert.True(Table.HasConsequences(new AgreementSuspended(Authority, T0, "r", ["fix"], Deadline)));
        Assert.False(Table.HasConsequences(new AgreementSigned(Authority, T0)));
        Assert.False(Table.HasConsequences(new DataRequestProvisioned(Platform, T0)));
        // A batch with no alert to act on is followed by no one.
        Assert.False(Table.HasConsequences(Detected(true)));
        Assert.True(Table.HasConsequences(Detected(true, Alert())));
    }

    [Fact]
    public void The_incident_of_an_alert_has_one_id_whoever_opens_it()
    {
        Assert.Equal(Table.IncidentIdOf("a/b/c"), Table.IncidentIdOf("a/b/c"));
        Assert.NotEqual(Table.IncidentIdOf("a/b/c"), Table.IncidentIdOf("a/b/d"));
        Assert.Matches("^inc-[0-9a-f]{20}$", Table.IncidentIdOf("a/b/c"));
    }
}
