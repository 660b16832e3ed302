using JinanDataOps.Domain.Agreements;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.DataRequests;
using JinanDataOps.Domain.Tests.Support;
using static JinanDataOps.Domain.Tests.Support.Requests;
using static JinanDataOps.Domain.Tests.Support.TestData;

namespace JinanDataOps.Domain.Tests.DataRequests;

public sealed class DataRequestTests() : DeciderSpec<DataRequest, DataRequestState, IDataRequestCommand, IDataRequestEvent>("dr-1")
{
    private static readonly DateTimeOffset At = T0.AddDays(40);
    private static readonly DateTimeOffset Later = At.AddDays(1);

    private static DataRequestSubmitted Submitted(DataRequestSubmission? submission = null) => new(OperatorA, At, OperatorA.Org, submission ?? Submission());

    /// <summary>Transport and medical datasets, sensitive, with the data subjects' consent on record.</summary>
    private static DataRequestSubmitted TwoProviders() => Submitted(Submission(consent: "consent forms 2026-11", found: [BusGps, ClinicVisits]));

    private static DataRequestApprovalGiven ApprovedBy(Caller by) => new(by, At);
    private static readonly DataRequestApproved Approved = new(Authority, At);
    private static readonly DataRequestProvisioned Provisioned = new(Platform, At);
    private static readonly DataRequestSuspended SuspendedForViolation = new(Platform, Later, "export attempt", false);
    private static readonly DataRequestSuspended SuspendedWithAgreement = new(Platform, Later, "agreement suspended", true);

    private static IDataRequestEvent[] Live => [Submitted(), ApprovedBy(TransportProvider), ApprovedBy(Authority), Approved, Provisioned];

    // ---- submission ----

    [Fact]
    public void A_request_opened_by_its_operator_is_submitted() =>
        Assert.Equal(DataRequestStatus.Submitted, Given().When(new SubmitDataRequest(OperatorA, OperatorA.Org, Submission()), At).Then(Submitted()).State.State);

    [Fact]
    public void A_submitted_request_records_the_providers_whose_consent_it_needs() =>
        Assert.Equal([MedicalProvider.Org, TransportProvider.Org], Given(TwoProviders()).State.RequiredProviders);

    [Fact]
    public void Submitting_again_changes_nothing() =>
        Given(Submitted()).When(new SubmitDataRequest(OperatorA, OperatorA.Org, Submission()), At).ThenNothing();

    [Fact]
    public void Any_other_command_on_a_request_that_does_not_exist_is_not_found() =>
        Given().When(new ApproveDataRequest(Authority), At).ThenRejected(RejectionKind.NotFound);

    // ---- approval by both the authority and every owning provider (Art. 12) ----

    [Fact]
    public void The_authority_alone_does_not_approve_a_request_that_needs_a_provider() =>
        Assert.Equal(DataRequestStatus.Submitted, Given(Submitted()).When(new ApproveDataRequest(Authority), At).Then(ApprovedBy(Authority)).State.State);

    [Fact]
    public void Another_authority_organisation_may_not_consent_citing_Art_12() =>
        Given(Submitted()).When(new ApproveDataRequest(OtherAuthority), At).ThenRejected(RejectionKind.Forbidden, Art.A12);

    [Fact]
    public void Another_authority_organisation_may_not_reject_it_either() =>
        Given(Submitted()).When(new RejectDataRequest(OtherAuthority, "no"), At).ThenRejected(RejectionKind.Forbidden, Art.A12);

    [Fact]
    public void The_request_answers_to_the_authority_of_its_agreement() =>
        Assert.Equal(Authority.Org, Given(Submitted()).State.AuthorityOrg);

    [Fact]
    public void The_provider_alone_does_not_approve_it_either() =>
        Given(Submitted()).When(new ApproveDataRequest(TransportProvider), At).Then(ApprovedBy(TransportProvider));

    [Fact]
    public void The_authority_after_the_provider_completes_the_approval() =>
        Assert.Equal(DataRequestStatus.Approved, Given(Submitted(), ApprovedBy(TransportProvider)).When(new ApproveDataRequest(Authority), At)
            .Then(ApprovedBy(Authority), Approved).State.State);

    [Fact]
    public void The_provider_after_the_authority_completes_the_approval() =>
        Given(Submitted(), ApprovedBy(Authority)).When(new ApproveDataRequest(TransportProvider), At)
            .Then(ApprovedBy(TransportProvider), new DataRequestApproved(TransportProvider, At));

    [Fact]
    public void Every_provider_whose_datasets_are_named_must_consent() =>
        Given(TwoProviders(), ApprovedBy(Authority)).When(new ApproveDataRequest(TransportProvider), At).Then(ApprovedBy(TransportProvider));

    [Fact]
    public void The_last_of_several_providers_completes_the_approval() =>
        Given(TwoProviders(), ApprovedBy(Authority), ApprovedBy(TransportProvider)).When(new ApproveDataRequest(MedicalProvider), At)
            .Then(ApprovedBy(MedicalProvider), new DataRequestApproved(MedicalProvider, At));

    [Fact]
    public void A_provider_owning_none_of_the_datasets_may_not_approve_citing_Art_12() =>
        Given(Submitted()).When(new ApproveDataRequest(MedicalProvider), At).ThenRejected(RejectionKind.Forbidden, Art.A12);

    [Fact]
    public void The_operator_may_not_approve_its_own_request_citing_Art_12() =>
        Given(Submitted()).When(new ApproveDataRequest(OperatorA), At).ThenRejected(RejectionKind.Forbidden, Art.A12);

    [Fact]
    public void A_regulator_may_not_approve_citing_Art_12() =>
        Given(Submitted()).When(new ApproveDataRequest(Regulator), At).ThenRejected(RejectionKind.Forbidden, Art.A12);

    [Fact]
    public void Approving_twice_while_submitted_changes_nothing() =>
        Given(Submitted(), ApprovedBy(Authority)).When(new ApproveDataRequest(Authority), At).ThenNothing();

    [Fact]
    public void Approving_again_once_approved_changes_nothing() =>
        Given(Submitted(), ApprovedBy(TransportProvider), ApprovedBy(Authority), Approved).When(new ApproveDataRequest(TransportProvider), At).ThenNothing();

    [Fact]
    public void Approving_again_once_provisioned_changes_nothing() =>
        Given(Live).When(new ApproveDataRequest(Authority), At).ThenNothing();

    [Fact]
    public void An_approved_request_takes_no_approval_from_another_authority_organisation() =>
        Given(Submitted(), ApprovedBy(TransportProvider), ApprovedBy(Authority), Approved).When(new ApproveDataRequest(OtherAuthority), At)
            .ThenRejected(RejectionKind.Forbidden, Art.A12);

    [Fact]
    public void An_approved_request_takes_no_approval_from_an_owning_provider_that_did_not_give_one() =>
        Given(Submitted(Submission(found: [BusGps])), ApprovedBy(Authority), Approved).When(new ApproveDataRequest(TransportProvider), At)
            .ThenRejected(RejectionKind.InvalidTransition);

    [Fact]
    public void A_rejected_request_cannot_be_approved() =>
        Given(Submitted(), new DataRequestRejected(TransportProvider, At, "no")).When(new ApproveDataRequest(Authority), At).ThenRejected(RejectionKind.InvalidTransition);

    [Fact]
    public void Sensitive_data_without_the_data_subjects_consent_cannot_be_approved_citing_Art_6() =>
        Given(Submitted(Submission(found: [ClinicVisits]))).When(new ApproveDataRequest(Authority), At).ThenRejected(RejectionKind.RuleViolation, Art.A6);

    [Fact]
    public void Blank_consent_evidence_is_no_consent_citing_Art_6() =>
        Given(Submitted(Submission(consent: "  ", found: [ClinicVisits]))).When(new ApproveDataRequest(MedicalProvider), At).ThenRejected(RejectionKind.RuleViolation, Art.A6);

    [Fact]
    public void Sensitive_data_with_recorded_consent_can_be_approved() =>
        Given(Submitted(Submission(consent: "consent forms 2026-11", found: [ClinicVisits])), ApprovedBy(Authority))
            .When(new ApproveDataRequest(MedicalProvider), At).Then(ApprovedBy(MedicalProvider), new DataRequestApproved(MedicalProvider, At));

    // ---- rejection ----

    [Fact]
    public void One_provider_rejection_rejects_the_request() =>
        Assert.Equal(DataRequestStatus.Rejected, Given(Submitted()).When(new RejectDataRequest(TransportProvider, "not proportionate"), At)
            .Then(new DataRequestRejected(TransportProvider, At, "not proportionate")).State.State);

    [Fact]
    public void The_authority_rejects_even_after_the_provider_approved() =>
        Given(Submitted(), ApprovedBy(TransportProvider)).When(new RejectDataRequest(Authority, "not proportionate"), At)
            .Then(new DataRequestRejected(Authority, At, "not proportionate"));

    [Fact]
    public void A_rejection_needs_a_reason() =>
        Given(Submitted()).When(new RejectDataRequest(Authority, ""), At).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void A_provider_owning_none_of_the_datasets_may_not_reject_citing_Art_12() =>
        Given(Submitted()).When(new RejectDataRequest(MedicalProvider, "no"), At).ThenRejected(RejectionKind.Forbidden, Art.A12);

    [Fact]
    public void Rejecting_a_rejected_request_again_changes_nothing() =>
        Given(Submitted(), new DataRequestRejected(TransportProvider, At, "no")).When(new RejectDataRequest(Authority, "no"), At).ThenNothing();

    [Fact]
    public void An_approved_request_cannot_be_rejected() =>
        Given(Submitted(), ApprovedBy(TransportProvider), ApprovedBy(Authority), Approved).When(new RejectDataRequest(Authority, "no"), At)
            .ThenRejected(RejectionKind.InvalidTransition);

    // ---- provisioning (Art. 13, 16) ----

    [Fact]
    public void An_approved_request_of_a_trained_operator_under_an_active_agreement_is_provisioned() =>
        Assert.Equal(DataRequestStatus.Provisioned, Given(Submitted(), ApprovedBy(TransportProvider), ApprovedBy(Authority), Approved)
            .When(new ProvisionDataRequest(Platform, true, true), At).Then(Provisioned).State.State);

    [Fact]
    public void An_operator_with_no_recorded_training_gets_no_data_provisioned() =>
        Given(Submitted(), ApprovedBy(TransportProvider), ApprovedBy(Authority), Approved).When(new ProvisionDataRequest(Platform, false, true), At).ThenNothing();

    [Fact]
    public void Nothing_is_provisioned_while_the_agreement_is_not_active() =>
        Given(Submitted(), ApprovedBy(TransportProvider), ApprovedBy(Authority), Approved).When(new ProvisionDataRequest(Platform, true, false), At).ThenNothing();

    [Fact]
    public void A_request_not_yet_approved_is_not_provisioned() =>
        Given(Submitted(), ApprovedBy(Authority)).When(new ProvisionDataRequest(Platform, true, true), At).ThenNothing();

    [Fact]
    public void Provisioning_again_changes_nothing() =>
        Given(Live).When(new ProvisionDataRequest(Platform, true, true), At).ThenNothing();

    // ---- suspension and restoration ----

    [Fact]
    public void A_provisioned_request_is_suspended_on_a_violation() =>
        Assert.Equal(DataRequestStatus.Suspended, Given(Live).When(new SuspendDataRequest(Platform, "export attempt", false), Later)
            .Then(SuspendedForViolation).State.State);

    [Fact]
    public void A_provisioned_request_is_suspended_with_its_agreement() =>
        Assert.True(Given(Live).When(new SuspendDataRequest(Platform, "agreement suspended", true), Later).Then(SuspendedWithAgreement).State.SuspendedWithAgreement);

    [Fact]
    public void Suspending_a_suspended_request_again_changes_nothing() =>
        Given([.. Live, SuspendedForViolation]).When(new SuspendDataRequest(Platform, "again", true), Later).ThenNothing();

    [Fact]
    public void A_request_reinstated_after_an_alert_is_not_suspended_again_for_the_same_alert()
    {
        // The intake acts on an alert at once and the consequence projection repeats it later (Art. 15): the
        // repeat, arriving after the unit reinstated the request, must not undo the reinstatement.
        var forAlert = new DataRequestSuspended(Platform, Later, "export attempt", false, "op-a/export-attempt/w1");
        var reinstated = Given([.. Live, forAlert, new DataRequestRestored(Authority, Later)]);
        reinstated.When(new SuspendDataRequest(Platform, "export attempt", false, "op-a/export-attempt/w1"), Later).ThenNothing();
        Assert.Equal(DataRequestStatus.Suspended,
            reinstated.When(new SuspendDataRequest(Platform, "another export", false, "op-a/export-attempt/w2"), Later)
                .Then(new DataRequestSuspended(Platform, Later, "another export", false, "op-a/export-attempt/w2")).State.State);
    }

    [Fact]
    public void A_request_not_yet_provisioned_has_no_access_to_stop_when_its_agreement_is_suspended() =>
        Given(Submitted()).When(new SuspendDataRequest(Platform, "agreement suspended", true), Later).ThenNothing();

    [Fact]
    public void A_request_not_yet_provisioned_cannot_be_suspended_on_its_own() =>
        Given(Submitted()).When(new SuspendDataRequest(Platform, "violation", false), Later).ThenRejected(RejectionKind.InvalidTransition);

    [Fact]
    public void A_request_suspended_with_its_agreement_is_restored_with_it() =>
        Assert.Equal(DataRequestStatus.Provisioned, Given([.. Live, SuspendedWithAgreement]).When(new RestoreDataRequest(Platform, true), Later)
            .Then(new DataRequestRestored(Platform, Later)).State.State);

    [Fact]
    public void A_request_suspended_for_its_own_violation_is_not_restored_by_its_agreement_restoring() =>
        Given([.. Live, SuspendedForViolation]).When(new RestoreDataRequest(Platform, true), Later).ThenNothing();

    [Fact]
    public void A_request_suspended_for_its_own_violation_is_restored_on_its_own() =>
        Given([.. Live, SuspendedForViolation]).When(new RestoreDataRequest(Authority, false), Later).Then(new DataRequestRestored(Authority, Later));

    [Fact]
    public void Restoring_a_provisioned_request_changes_nothing() =>
        Given(Live).When(new RestoreDataRequest(Platform, true), Later).ThenNothing();

    // ---- revocation and closing ----

    [Fact]
    public void A_provisioned_request_is_revoked_when_its_agreement_ends() =>
        Assert.Equal(DataRequestStatus.Revoked, Given(Live).When(new RevokeDataRequest(Platform, "agreement expired"), Later)
            .Then(new DataRequestRevoked(Platform, Later, "agreement expired")).State.State);

    [Fact]
    public void A_submitted_request_is_revoked_too() =>
        Given(Submitted()).When(new RevokeDataRequest(Platform, "agreement terminated"), Later).Then(new DataRequestRevoked(Platform, Later, "agreement terminated"));

    [Fact]
    public void A_suspended_request_is_revoked_too() =>
        Given([.. Live, SuspendedWithAgreement]).When(new RevokeDataRequest(Platform, "agreement terminated"), Later).Then(new DataRequestRevoked(Platform, Later, "agreement terminated"));

    [Fact]
    public void Revoking_a_revoked_request_changes_nothing() =>
        Given([.. Live, new DataRequestRevoked(Platform, Later, "x")]).When(new RevokeDataRequest(Platform, "x"), Later).ThenNothing();

    [Fact]
    public void Revoking_a_closed_request_changes_nothing() =>
        Given([.. Live, new DataRequestClosed(OperatorA, Later)]).When(new RevokeDataRequest(Platform, "x"), Later).ThenNothing();

    [Fact]
    public void The_operator_closes_its_own_request() =>
        Assert.False(Given(Live).When(new CloseDataRequest(OperatorA), Later).Then(new DataRequestClosed(OperatorA, Later)).State.IsLive);

    [Fact]
    public void Another_operator_may_not_close_the_request() =>
        Given(Live).When(new CloseDataRequest(OperatorB), Later).ThenRejected(RejectionKind.Forbidden);

    [Fact]
    public void The_authority_may_not_close_the_operator_s_request() =>
        Given(Live).When(new CloseDataRequest(Authority), Later).ThenRejected(RejectionKind.Forbidden);

    [Fact]
    public void Closing_again_changes_nothing() =>
        Given([.. Live, new DataRequestClosed(OperatorA, Later)]).When(new CloseDataRequest(OperatorA), Later).ThenNothing();

    [Fact]
    public void A_rejected_request_cannot_be_closed() =>
        Given(Submitted(), new DataRequestRejected(Authority, At, "no")).When(new CloseDataRequest(OperatorA), Later).ThenRejected(RejectionKind.InvalidTransition);

    [Fact]
    public void A_data_request_has_no_deadlines() => Given(Live).ThenNoDeadlines();

    // ---- the submission rules (Art. 9, 12) ----

    [Fact]
    public void A_submission_under_an_active_agreement_within_its_scope_passes() =>
        Assert.Null(DataRequestRules.CheckSubmission(OperatorA.Org, Submission(), At));

    [Fact]
    public void A_named_dataset_of_the_agreement_outside_its_domains_is_within_scope() =>
        Assert.Null(DataRequestRules.CheckSubmission(OperatorA.Org, Submission(consent: "forms", found: [ClinicVisits]), At));

    [Fact]
    public void A_submission_under_no_agreement_is_not_found() =>
        Assert.Equal(RejectionKind.NotFound, DataRequestRules.CheckSubmission(OperatorA.Org, Submission(noAgreement: true), At)?.Kind);

    [Fact]
    public void A_submission_under_another_operator_s_agreement_is_forbidden() =>
        Assert.Equal(RejectionKind.Forbidden, DataRequestRules.CheckSubmission(OperatorB.Org, Submission(), At)?.Kind);

    [Theory]
    [InlineData(AgreementStatus.Drafted)]
    [InlineData(AgreementStatus.Suspended)]
    [InlineData(AgreementStatus.Terminated)]
    [InlineData(AgreementStatus.Expired)]
    public void A_submission_under_an_agreement_that_is_not_active_is_refused_citing_Art_12(AgreementStatus state)
    {
        var refused = DataRequestRules.CheckSubmission(OperatorA.Org, Submission(agreement: ActiveAgreement with { State = state }), At);
        Assert.Equal((RejectionKind.RuleViolation, Art.A12), (refused?.Kind, refused?.Article));
    }

    [Fact]
    public void A_submission_naming_a_dataset_that_does_not_exist_is_not_found() =>
        Assert.Equal(RejectionKind.NotFound,
            DataRequestRules.CheckSubmission(OperatorA.Org, Submission() with { Datasets = ["ds-bus-gps", "ds-ghost"] }, At)?.Kind);

    [Fact]
    public void A_dataset_outside_the_agreement_scope_is_refused_citing_Art_9()
    {
        var refused = DataRequestRules.CheckSubmission(OperatorA.Org, Submission(found: [BusGps, Prescriptions]), At);
        Assert.Equal((RejectionKind.RuleViolation, Art.A9), (refused?.Kind, refused?.Article));
    }

    [Fact]
    public void A_submission_without_a_scenario_is_invalid() =>
        Assert.Equal(RejectionKind.Validation, DataRequestRules.CheckSubmission(OperatorA.Org, Submission(scenario: ""), At)?.Kind);

    [Fact]
    public void A_submission_without_a_purpose_is_invalid() =>
        Assert.Equal(RejectionKind.Validation, DataRequestRules.CheckSubmission(OperatorA.Org, Submission(purpose: " "), At)?.Kind);

    [Fact]
    public void A_submission_naming_no_dataset_is_invalid() =>
        Assert.Equal(RejectionKind.Validation, DataRequestRules.CheckSubmission(OperatorA.Org, Submission() with { Datasets = [] }, At)?.Kind);

    [Fact]
    public void A_submission_naming_a_dataset_twice_is_invalid() =>
        Assert.Equal(RejectionKind.Validation, DataRequestRules.CheckSubmission(OperatorA.Org, Submission() with { Datasets = ["ds-bus-gps", "ds-bus-gps"] }, At)?.Kind);

    [Fact]
    public void Overlong_consent_evidence_is_invalid() =>
        Assert.Equal(RejectionKind.Validation, DataRequestRules.CheckSubmission(OperatorA.Org, Submission(consent: new string('c', Check.LongText + 1)), At)?.Kind);

    [Fact]
    public void Only_datasets_with_sensitive_fields_require_consent() =>
        Assert.Equal((false, true), (Submission().RequiresConsent, Submission(found: [BusGps, ClinicVisits]).RequiresConsent));

    [Fact]
    public void The_required_providers_are_distinct_and_ordered() =>
        Assert.Equal([MedicalProvider.Org, TransportProvider.Org], Submission(found: [ClinicVisits, BusGps, Prescriptions]).RequiredProviders);

    // ---- after its own violation: reinstated or revoked by the authorizing unit (Art. 15, 18) ----

    private static ReinstateDataRequest Reinstate(Caller? by = null, string[]? open = null, bool active = true) =>
        new(by ?? Authority, Authority, open ?? [], active);

    [Fact]
    public void The_authorizing_unit_reinstates_a_request_suspended_for_its_own_violation_once_the_incident_is_closed() =>
        Assert.Equal(DataRequestStatus.Provisioned, Given([.. Live, SuspendedForViolation]).When(Reinstate(), Later)
            .Then(new DataRequestRestored(Authority, Later)).State.State);

    [Fact]
    public void An_open_incident_holds_the_request_suspended_citing_Art_15() =>
        Given([.. Live, SuspendedForViolation]).When(Reinstate(open: ["inc-1"]), Later).ThenRejected(RejectionKind.RuleViolation, Art.A15);

    [Fact]
    public void A_suspended_agreement_holds_the_request_suspended_citing_Art_18() =>
        Given([.. Live, SuspendedForViolation]).When(Reinstate(active: false), Later).ThenRejected(RejectionKind.RuleViolation, Art.A18);

    [Fact]
    public void A_request_suspended_with_its_agreement_returns_with_the_agreement_not_by_hand() =>
        Given([.. Live, SuspendedWithAgreement]).When(Reinstate(), Later).ThenRejected(RejectionKind.RuleViolation, Art.A18);

    [Fact]
    public void Another_authority_or_the_operator_may_not_reinstate_it()
    {
        Given([.. Live, SuspendedForViolation]).When(Reinstate(OtherAuthority), Later).ThenRejected(RejectionKind.Forbidden, Art.A15);
        Given([.. Live, SuspendedForViolation]).When(Reinstate(OperatorA), Later).ThenRejected(RejectionKind.Forbidden, Art.A15);
    }

    [Fact]
    public void Reinstating_a_provisioned_request_changes_nothing() => Given(Live).When(Reinstate(), Later).ThenNothing();

    [Fact]
    public void The_authorizing_unit_revokes_a_request_suspended_for_its_own_violation() =>
        Assert.Equal(DataRequestStatus.Revoked, Given([.. Live, SuspendedForViolation]).When(new RevokeDataRequest(Authority, "repeated export attempts", Authority), Later)
            .Then(new DataRequestRevoked(Authority, Later, "repeated export attempts")).State.State);

    [Fact]
    public void The_unit_revokes_only_a_request_suspended_for_its_own_violation() =>
        Given(Live).When(new RevokeDataRequest(Authority, "no reason to keep it", Authority), Later).ThenRejected(RejectionKind.InvalidTransition);

    [Fact]
    public void Another_authority_may_not_revoke_it_citing_Art_18() =>
        Given([.. Live, SuspendedForViolation]).When(new RevokeDataRequest(OtherAuthority, "x", Authority), Later).ThenRejected(RejectionKind.Forbidden, Art.A18);

    [Fact]
    public void The_platform_still_revokes_any_live_request_when_the_agreement_ends() =>
        Given(Live).When(new RevokeDataRequest(Platform, "agreement expired"), Later).Then(new DataRequestRevoked(Platform, Later, "agreement expired"));
}
