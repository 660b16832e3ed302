using JinanDataOps.Domain.Agreements;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.Evaluations;
using JinanDataOps.Domain.Tests.Support;
using static JinanDataOps.Domain.Tests.Support.TestData;

namespace JinanDataOps.Domain.Tests.Evaluations;

public sealed class EvaluationTests() : DeciderSpec<Evaluation, EvaluationState, IEvaluationCommand, IEvaluationEvent>("ev-1")
{
    private static readonly DateTimeOffset At = T0.AddDays(100);
    private static readonly DateTimeOffset Due = At.AddDays(14);
    private static readonly DateTimeOffset Rectify = At.AddDays(60);
    private static readonly TimeSpan Period = TimeSpan.FromDays(30);

    /// <summary>A domain agreement: authorized by the transport provider, under the city authority.</summary>
    private static EvaluatedAgreement Agreement(AgreementStatus state = AgreementStatus.Active) =>
        new("agr-1", state, OperatorA.Org, Authority.Org, TransportProvider);

    private static OpenEvaluation Open(Caller? by = null, AgreementStatus state = AgreementStatus.Active) =>
        new(by ?? Authority, OperatorA.Org, Agreement(state), "2026-H2", Due, Period);

    private static readonly EvaluationOpened Opened = new(Authority, At, OperatorA.Org, "agr-1", "2026-H2", Due, Period, Authority.Org, TransportProvider);
    private static readonly string[] Documents = ["operations report 2026-H2", "security self-assessment"];
    private static readonly EvaluationMaterialsSubmitted Submitted = new(OperatorA, At, Documents);
    private static readonly string[] Findings = ["access logs incomplete", "no incident drill in the period"];
    private static readonly EvaluationFailed Failed = new(Authority, At, "agr-1", Findings, Rectify, NonCooperation: false);

    // ---- opening --------------------------------------------------------------------------------

    [Fact]
    public void The_agreements_authority_opens_an_evaluation_with_its_parties()
    {
        var state = Given().When(Open(), At).Then(Opened).State;
        Assert.Equal((EvaluationStatus.Opened, "agr-1", "2026-H2", Due), (state.State, state.AgreementId, state.Period, state.MaterialsDue));
        Assert.Equal(new Parties(Operator: OperatorA.Org, AuthorizingUnit: TransportProvider, Authority: Authority.Org), state.Parties);
    }

    [Fact]
    public void A_suspended_agreement_is_evaluated_too() =>
        Given().When(Open(state: AgreementStatus.Suspended), At).Then(Opened);

    [Theory]
    [InlineData(AgreementStatus.Drafted)]
    [InlineData(AgreementStatus.Terminated)]
    [InlineData(AgreementStatus.Expired)]
    [InlineData(AgreementStatus.Closed)]
    public void Only_a_running_authorization_is_evaluated_citing_Art_17(AgreementStatus state) =>
        Given().When(Open(state: state), At).ThenRejected(RejectionKind.RuleViolation, Art.A17);

    [Fact]
    public void An_agreement_that_does_not_exist_is_not_found() =>
        Given().When(Open() with { Agreement = null }, At).ThenRejected(RejectionKind.NotFound);

    [Fact]
    public void The_operator_named_must_be_the_agreements() =>
        Given().When(Open() with { OperatorId = OperatorB.Org }, At).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void Another_authority_may_not_evaluate_an_operator_it_is_not_the_authority_of() =>
        Given().When(Open(OtherAuthority), At).ThenRejected(RejectionKind.Forbidden, Art.A17);

    [Theory]
    [InlineData(Role.Regulator)]
    [InlineData(Role.Maintainer)]
    [InlineData(Role.Operator)]
    [InlineData(Role.Provider)]
    public void No_one_but_the_authority_opens_one(Role role) =>
        Given().When(Open(new Caller(role, role == Role.Provider ? TransportProvider.Org : OperatorA.Org)), At).ThenRejected(RejectionKind.Forbidden, Art.A17);

    [Fact]
    public void The_materials_deadline_must_be_in_the_future() =>
        Given().When(Open() with { MaterialsDue = At }, At).ThenRejected(RejectionKind.Validation);

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void A_period_is_required(string period) => Given().When(Open() with { Period = period }, At).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void A_period_is_a_short_label() => Given().When(Open() with { Period = new string('H', 65) }, At).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void Opening_it_again_changes_nothing_even_after_its_deadline() => Given(Opened).When(Open(), Due.AddDays(1)).ThenNothing();

    [Fact]
    public void The_same_id_for_another_evaluation_is_refused() =>
        Given(Opened).When(Open() with { Period = "2027-H1" }, At).ThenRejected(RejectionKind.InvalidTransition);

    // ---- materials ----------------------------------------------------------------------------

    [Fact]
    public void The_operator_submits_its_materials_before_the_deadline()
    {
        var state = Given(Opened).When(new SubmitEvaluationMaterials(OperatorA, Documents), Due.AddSeconds(-1))
            .Then(Submitted with { At = Due.AddSeconds(-1) }).State;
        Assert.Equal((EvaluationStatus.MaterialsSubmitted, 2), (state.State, state.Documents.Count));
    }

    [Fact]
    public void Materials_at_or_after_the_deadline_are_too_late_citing_Art_17() =>
        Given(Opened).When(new SubmitEvaluationMaterials(OperatorA, Documents), Due).ThenRejected(RejectionKind.RuleViolation, Art.A17);

    [Fact]
    public void Materials_after_a_failure_for_non_cooperation_are_too_late_citing_Art_17() =>
        Given(Opened, new EvaluationFailed(Platform, Due, "agr-1", ["none"], Due + Period, NonCooperation: true))
            .When(new SubmitEvaluationMaterials(OperatorA, Documents), Due.AddMinutes(1)).ThenRejected(RejectionKind.RuleViolation, Art.A17);

    [Fact]
    public void Materials_need_at_least_one_document() =>
        Given(Opened).When(new SubmitEvaluationMaterials(OperatorA, []), At).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void A_document_entry_may_not_be_blank() =>
        Given(Opened).When(new SubmitEvaluationMaterials(OperatorA, ["report", " "]), At).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void Another_operator_may_not_submit_materials() =>
        Given(Opened).When(new SubmitEvaluationMaterials(OperatorB, Documents), At).ThenRejected(RejectionKind.Forbidden, Art.A17);

    [Theory]
    [InlineData(Role.Authority, "jinan-bdb")]
    [InlineData(Role.Regulator, "jn-cac")]
    [InlineData(Role.Provider, "jn-transport")]
    public void Only_the_operator_evaluated_submits_materials(Role role, string org) =>
        Given(Opened).When(new SubmitEvaluationMaterials(new Caller(role, org), Documents), At).ThenRejected(RejectionKind.Forbidden, Art.A17);

    [Fact]
    public void Submitting_the_same_materials_again_changes_nothing() =>
        Given(Opened, Submitted).When(new SubmitEvaluationMaterials(OperatorA, Documents), At).ThenNothing();

    [Fact]
    public void Other_materials_after_submission_are_refused() =>
        Given(Opened, Submitted).When(new SubmitEvaluationMaterials(OperatorA, ["another report"]), At).ThenRejected(RejectionKind.InvalidTransition);

    [Fact]
    public void A_decided_evaluation_takes_no_materials() =>
        Given(Opened, Submitted, Failed).When(new SubmitEvaluationMaterials(OperatorA, ["late addendum"]), At).ThenRejected(RejectionKind.InvalidTransition);

    [Fact]
    public void Materials_for_an_evaluation_that_does_not_exist_are_not_found() =>
        Given().When(new SubmitEvaluationMaterials(OperatorA, Documents), At).ThenRejected(RejectionKind.NotFound);

    // ---- result -------------------------------------------------------------------------------

    [Fact]
    public void The_authority_passes_it_findings_optional()
    {
        var state = Given(Opened, Submitted).When(new RecordEvaluationResult(Authority, true, [], null), At)
            .Then(new EvaluationPassed(Authority, At, [])).State;
        Assert.Equal((EvaluationStatus.Passed, (DateTimeOffset?)null), (state.State, state.RectificationDeadline));
    }

    [Fact]
    public void A_pass_may_note_findings() =>
        Given(Opened, Submitted).When(new RecordEvaluationResult(Authority, true, ["minor: update the contact list"], null), At)
            .Then(new EvaluationPassed(Authority, At, ["minor: update the contact list"]));

    [Fact]
    public void The_authority_fails_it_with_findings_and_a_rectification_deadline()
    {
        var state = Given(Opened, Submitted).When(new RecordEvaluationResult(Authority, false, Findings, Rectify), At).Then(Failed).State;
        Assert.Equal((EvaluationStatus.Failed, (DateTimeOffset?)Rectify, false), (state.State, state.RectificationDeadline, state.NonCooperation));
        Assert.Equal(Findings, state.Findings);
    }

    [Fact]
    public void A_failure_needs_findings() =>
        Given(Opened, Submitted).When(new RecordEvaluationResult(Authority, false, [], Rectify), At).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void A_failure_needs_a_rectification_deadline() =>
        Given(Opened, Submitted).When(new RecordEvaluationResult(Authority, false, Findings, null), At).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void A_failures_rectification_deadline_must_be_in_the_future() =>
        Given(Opened, Submitted).When(new RecordEvaluationResult(Authority, false, Findings, At), At).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void No_result_while_the_operators_materials_are_awaited() =>
        Given(Opened).When(new RecordEvaluationResult(Authority, true, [], null), At).ThenRejected(RejectionKind.InvalidTransition);

    [Fact]
    public void Another_authority_may_not_record_the_result() =>
        Given(Opened, Submitted).When(new RecordEvaluationResult(OtherAuthority, true, [], null), At).ThenRejected(RejectionKind.Forbidden, Art.A18);

    [Theory]
    [InlineData(Role.Regulator, "jn-cac")]
    [InlineData(Role.Provider, "jn-transport")]
    [InlineData(Role.Operator, "op-a")]
    public void Only_the_agreements_authority_records_the_result(Role role, string org) =>
        Given(Opened, Submitted).When(new RecordEvaluationResult(new Caller(role, org), true, [], null), At).ThenRejected(RejectionKind.Forbidden, Art.A18);

    [Fact]
    public void Recording_the_same_pass_again_changes_nothing() =>
        Given(Opened, Submitted, new EvaluationPassed(Authority, At, [])).When(new RecordEvaluationResult(Authority, true, [], null), At).ThenNothing();

    [Fact]
    public void Recording_the_same_failure_again_changes_nothing() =>
        Given(Opened, Submitted, Failed).When(new RecordEvaluationResult(Authority, false, Findings, Rectify), At).ThenNothing();

    [Fact]
    public void A_decided_evaluation_takes_no_other_result() =>
        Given(Opened, Submitted, Failed).When(new RecordEvaluationResult(Authority, true, [], null), At).ThenRejected(RejectionKind.InvalidTransition);

    // ---- the materials deadline (Art. 17) -------------------------------------------------------

    [Fact]
    public void An_opened_evaluation_keeps_a_timer_at_its_materials_deadline() =>
        Given(Opened).ThenDeadlines(new Deadline<IEvaluationCommand>("materials-due", Due, new FailForNonCooperation(Platform)));

    [Fact]
    public void Submitted_and_decided_evaluations_keep_no_timer()
    {
        Given(Opened, Submitted).ThenNoDeadlines();
        Given(Opened, Submitted, Failed).ThenNoDeadlines();
        Given().ThenNoDeadlines();
    }

    [Fact]
    public void Before_the_deadline_the_timer_changes_nothing() =>
        Given(Opened).When(new FailForNonCooperation(Platform), Due.AddSeconds(-1)).ThenNothing();

    [Fact]
    public void At_the_deadline_without_materials_it_fails_for_non_cooperation_with_a_rectification_period()
    {
        var finding = $"no materials were submitted by {Due:O} (Art. 17: evaluation may not be refused or obstructed)";
        var state = Given(Opened).When(new FailForNonCooperation(Platform), Due.AddSeconds(2))
            .Then(new EvaluationFailed(Platform, Due.AddSeconds(2), "agr-1", [finding], Due.AddSeconds(2) + Period, NonCooperation: true)).State;
        Assert.Equal((EvaluationStatus.Failed, true), (state.State, state.NonCooperation));
        Assert.Empty(Evaluation.Deadlines(state));
    }

    [Fact]
    public void The_timer_changes_nothing_once_materials_are_in() =>
        Given(Opened, Submitted).When(new FailForNonCooperation(Platform), Due.AddDays(1)).ThenNothing();

    [Fact]
    public void Only_the_platform_fails_an_evaluation_at_its_deadline() =>
        Given(Opened).When(new FailForNonCooperation(Authority), Due.AddDays(1)).ThenRejected(RejectionKind.Forbidden, Art.A17);

    // ---- how the agreement came out (Art. 18) ---------------------------------------------------

    [Theory]
    [InlineData(EvaluationOutcome.Restored)]
    [InlineData(EvaluationOutcome.Terminated)]
    [InlineData(EvaluationOutcome.Expired)]
    public void The_platform_records_how_the_agreement_came_out_of_the_rectification(EvaluationOutcome outcome)
    {
        var state = Given(Opened, Submitted, Failed).When(new RecordEvaluationOutcome(Platform, outcome, "agreement agr-1"), Rectify)
            .Then(new EvaluationOutcomeRecorded(Platform, Rectify, outcome, "agreement agr-1")).State;
        Assert.Equal((EvaluationStatus.Failed, (EvaluationOutcome?)outcome, (DateTimeOffset?)Rectify), (state.State, state.Outcome, state.OutcomeAt));
    }

    [Fact]
    public void The_first_outcome_stands_a_repeat_changes_nothing() =>
        Given(Opened, Submitted, Failed, new EvaluationOutcomeRecorded(Platform, Rectify, EvaluationOutcome.Restored, null))
            .When(new RecordEvaluationOutcome(Platform, EvaluationOutcome.Terminated, null), Rectify.AddDays(1)).ThenNothing();

    [Fact]
    public void An_outcome_for_an_evaluation_that_did_not_fail_changes_nothing()
    {
        Given(Opened).When(new RecordEvaluationOutcome(Platform, EvaluationOutcome.Restored, null), At).ThenNothing();
        Given(Opened, Submitted, new EvaluationPassed(Authority, At, [])).When(new RecordEvaluationOutcome(Platform, EvaluationOutcome.Expired, null), At).ThenNothing();
    }

    [Fact]
    public void Only_the_platform_records_the_outcome() =>
        Given(Opened, Submitted, Failed).When(new RecordEvaluationOutcome(TransportProvider, EvaluationOutcome.Restored, null), At)
            .ThenRejected(RejectionKind.Forbidden, Art.A18);

    // ---- the read policy -------------------------------------------------------------------------

    [Fact]
    public void The_operator_its_authority_the_authorizing_unit_and_regulators_read_it_others_do_not()
    {
        var parties = Given(Opened).State.Parties;
        Assert.All(new[] { OperatorA, Authority, TransportProvider, Regulator }, c => Assert.True(Policy.Allows(Act.ReadEvaluation, c, parties), $"{c}"));
        Assert.All(new[] { OperatorB, OtherAuthority, MedicalProvider, Maintainer, Citizen, Expert1 }, c => Assert.False(Policy.Allows(Act.ReadEvaluation, c, parties), $"{c}"));
    }

    [Fact]
    public void For_a_comprehensive_agreement_the_authorizing_unit_is_the_authority()
    {
        var parties = Given(Opened with { AuthorizingUnit = Authority }).State.Parties;
        Assert.True(Policy.Allows(Act.ReadEvaluation, Authority, parties));
        Assert.False(Policy.Allows(Act.ReadEvaluation, TransportProvider, parties));
    }
}
