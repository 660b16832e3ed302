using JinanDataOps.Domain.Agreements;
using JinanDataOps.Domain.Applications;
using JinanDataOps.Domain.Calls;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.Datasets;
using JinanDataOps.Domain.Tests.Support;
using static JinanDataOps.Domain.Tests.Support.TestData;

namespace JinanDataOps.Domain.Tests.Agreements;

public sealed class AgreementTests() : DeciderSpec<Agreement, AgreementState, IAgreementCommand, IAgreementEvent>(AgreementState.IdFor("app-1"))
{
    private static readonly DateTimeOffset NoticeEnds = AfterWindow + NoticePeriod;
    private static readonly DateTimeOffset DraftAt = T0.AddDays(20);
    private static readonly DateTimeOffset StartsAt = T0.AddDays(30);
    private static readonly DateTimeOffset EndsAt = StartsAt.AddDays(365);
    private static readonly DateTimeOffset Mid = StartsAt.AddDays(100);
    private static readonly DateTimeOffset RectifyBy = Mid.AddDays(30);

    private static readonly Scope AgreedScope = new([DataDomain.Transport], ["ds-bus-gps"]);
    private static readonly Dictionary<string, DataDomain> Domains = new() { ["ds-bus-gps"] = DataDomain.Transport };
    private static readonly AgreementClauses Clauses = new("use within scope only", "sandbox only, MLPS level 3", "exit on breach", "liquidated damages", "delete derived data");

    private static ApplicationState App(AuthorizationMode mode = AuthorizationMode.Comprehensive, bool confirmed = true)
    {
        var history = new List<IApplicationEvent>
        {
            new ApplicationSubmitted(OperatorA, DuringWindow, "call-1", OperatorA.Org, Authority.Org, Terms(mode), "{}", []),
            new ApplicationShortlisted(Platform, AfterWindow, 70m, NoticeEnds),
        };
        if (confirmed) history.Add(new ApplicationConfirmed(Platform, NoticeEnds));
        return history.Aggregate(Application.Initial("app-1"), Application.Evolve);
    }

    private static DraftAgreement Draft(Caller? by = null, ApplicationState? app = null, Scope? scope = null, DateTimeOffset? startsAt = null,
        DateTimeOffset? endsAt = null, AgreementClauses? clauses = null, IReadOnlyDictionary<string, DataDomain>? domains = null) =>
        new(by ?? Authority, app ?? App(), scope ?? AgreedScope, startsAt ?? StartsAt, endsAt ?? EndsAt, clauses ?? Clauses, domains ?? Domains);

    private static AgreementDrafted Drafted(Caller? by = null, AuthorizationMode mode = AuthorizationMode.Comprehensive, Scope? scope = null) =>
        new(by ?? Authority, DraftAt, "app-1", "call-1", OperatorA.Org, mode, scope ?? AgreedScope, StartsAt, EndsAt, Clauses, Authority.Org);

    private static readonly AgreementSigned OperatorSigned = new(OperatorA, DraftAt);
    private static readonly AgreementSigned UnitSigned = new(Authority, DraftAt);
    private static readonly AgreementActivated Activated = new(Platform, StartsAt);
    private static readonly AgreementSuspended Suspended = new(Authority, Mid, "failed evaluation", ["fix the access log"], RectifyBy);
    private static readonly RectificationReported Reported = new(OperatorA, Mid.AddDays(1), "access log fixed");
    private static readonly AgreementRestored Restored = new(Authority, Mid.AddDays(2));
    private static readonly AgreementExpired Expired = new(Platform, EndsAt);
    private static readonly AgreementTerminated Terminated = new(Authority, Mid, "exit condition met");

    private static IAgreementEvent[] Active => [Drafted(), OperatorSigned, UnitSigned, Activated];
    private static IAgreementEvent[] With(params IAgreementEvent[] more) => [.. Active, .. more];

    private static SuspendAgreement Suspend(Caller? by = null, DateTimeOffset? deadline = null, IReadOnlyList<string>? items = null, string reason = "failed evaluation") =>
        new(by ?? Authority, reason, items ?? ["fix the access log"], deadline ?? RectifyBy);

    // ---- drafting (Art. 8(4), 9) ----

    [Fact]
    public void A_new_fact_while_suspended_adds_its_findings_and_deadline_to_the_order()
    {
        // Art. 18: an evaluation that fails while the agreement is suspended for an alert still orders its rectification.
        var forAlert = new AgreementSuspended(Platform, Mid, "critical alert", ["respond"], RectifyBy, "op-a/export-attempt/w1");
        var later = RectifyBy.AddDays(10);
        var merged = Given(With(forAlert, Reported)).When(new SuspendAgreement(Platform, "evaluation eval-1 failed (Art. 18)", ["no access log"], later, "evaluation:eval-1"), Mid.AddDays(2))
            .Then(new AgreementSuspended(Platform, Mid.AddDays(2), "critical alert; evaluation eval-1 failed (Art. 18)", ["respond", "no access log"], later, "evaluation:eval-1"));
        Assert.Equal(later, merged.State.Rectification!.Deadline);
        // The report filed before the new order no longer suffices.
        merged.When(new RestoreAgreement(Authority), Mid.AddDays(3)).ThenRejected(RejectionKind.RuleViolation, "Art. 18");
        // A suspension by hand while suspended is still refused.
        Given(With(forAlert)).When(Suspend(), Mid.AddDays(2)).ThenRejected(RejectionKind.InvalidTransition);
    }

    [Fact]
    public void An_agreement_restored_after_a_suspension_for_an_alert_is_not_suspended_again_for_the_same_alert()
    {
        // Art. 15, 18: the consequence of one alert may be carried out twice (at once, and again by the projection);
        // the repeat, after the unit restored the agreement, must not suspend it a second time.
        var forAlert = new AgreementSuspended(Platform, Mid, "critical alert", ["respond"], RectifyBy, "op-a/export-attempt/w1");
        var restored = Given(With(forAlert, Reported, Restored));
        restored.When(new SuspendAgreement(Platform, "critical alert", ["respond"], RectifyBy, "op-a/export-attempt/w1"), Mid.AddDays(3)).ThenNothing();
        Assert.Equal(AgreementStatus.Suspended,
            restored.When(new SuspendAgreement(Platform, "another alert", ["respond"], RectifyBy, "op-a/export-attempt/w2"), Mid.AddDays(3))
                .Then(new AgreementSuspended(Platform, Mid.AddDays(3), "another alert", ["respond"], RectifyBy, "op-a/export-attempt/w2")).State.State);
    }

    [Fact]
    public void The_authority_drafts_a_comprehensive_agreement_from_a_confirmed_application() =>
        Assert.Equal(AgreementStatus.Drafted, Given().When(Draft(), DraftAt).Then(Drafted()).State.State);

    [Fact]
    public void The_authority_drafts_a_graded_agreement() =>
        Given().When(Draft(app: App(AuthorizationMode.Graded)), DraftAt).Then(Drafted(mode: AuthorizationMode.Graded));

    [Fact]
    public void The_provider_of_a_domain_call_drafts_the_domain_agreement_and_becomes_the_authorizing_unit() =>
        Assert.Equal(TransportProvider, Given().When(Draft(TransportProvider, App(AuthorizationMode.Domain)), DraftAt)
            .Then(Drafted(TransportProvider, AuthorizationMode.Domain)).State.AuthorizingUnit);

    [Fact]
    public void The_authority_may_not_draft_a_domain_agreement_citing_Art_8_4() =>
        Given().When(Draft(Authority, App(AuthorizationMode.Domain)), DraftAt).ThenRejected(RejectionKind.Forbidden, Art.A8_4);

    [Fact]
    public void Another_provider_may_not_draft_a_domain_agreement_citing_Art_8_4() =>
        Given().When(Draft(MedicalProvider, App(AuthorizationMode.Domain)), DraftAt).ThenRejected(RejectionKind.Forbidden, Art.A8_4);

    [Fact]
    public void A_provider_may_not_draft_a_comprehensive_agreement_citing_Art_8_4() =>
        Given().When(Draft(TransportProvider), DraftAt).ThenRejected(RejectionKind.Forbidden, Art.A8_4);

    [Fact]
    public void Another_authority_than_the_one_that_ran_the_call_may_not_draft_citing_Art_8_4() =>
        Given().When(Draft(OtherAuthority), DraftAt).ThenRejected(RejectionKind.Forbidden, Art.A8_4);

    [Fact]
    public void The_operator_may_not_draft_its_own_agreement_citing_Art_8_4() =>
        Given().When(Draft(OperatorA), DraftAt).ThenRejected(RejectionKind.Forbidden, Art.A8_4);

    [Fact]
    public void Drafting_from_an_application_that_does_not_exist_is_not_found() =>
        Given().When(Draft() with { Application = null }, DraftAt).ThenRejected(RejectionKind.NotFound);

    [Fact]
    public void Drafting_from_an_application_never_submitted_is_not_found() =>
        Given().When(Draft(app: Application.Initial("app-1")), DraftAt).ThenRejected(RejectionKind.NotFound);

    [Fact]
    public void An_application_still_under_public_notice_is_refused_citing_Art_8_4() =>
        Given().When(Draft(app: App(confirmed: false)), DraftAt).ThenRejected(RejectionKind.RuleViolation, Art.A8_4);

    [Theory]
    [InlineData("rightsAndObligations")]
    [InlineData("securityRequirements")]
    [InlineData("exitConditions")]
    [InlineData("breachLiability")]
    [InlineData("assetDisposal")]
    public void An_agreement_missing_an_Art_9_clause_is_refused(string clause) =>
        Given().When(Draft(clauses: clause switch
        {
            "rightsAndObligations" => Clauses with { RightsAndObligations = "" },
            "securityRequirements" => Clauses with { SecurityRequirements = " " },
            "exitConditions" => Clauses with { ExitConditions = "" },
            "breachLiability" => Clauses with { BreachLiability = "" },
            _ => Clauses with { AssetDisposal = "" },
        }), DraftAt).ThenRejected(RejectionKind.RuleViolation, Art.A9);

    [Fact]
    public void A_clause_longer_than_the_limit_is_invalid() =>
        Given().When(Draft(clauses: Clauses with { ExitConditions = new string('x', Check.LongText + 1) }), DraftAt).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void An_agreement_with_an_empty_scope_is_invalid() =>
        Given().When(Draft(scope: Scope.Empty), DraftAt).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void An_agreement_naming_an_unknown_dataset_is_not_found() =>
        Given().When(Draft(scope: new Scope([], ["ds-ghost"])), DraftAt).ThenRejected(RejectionKind.NotFound);

    [Fact]
    public void A_dataset_of_a_domain_the_call_announced_is_inside_the_scope() =>
        Given().When(Draft(scope: new Scope([], ["ds-metro"]), domains: new Dictionary<string, DataDomain> { ["ds-metro"] = DataDomain.Transport }), DraftAt)
            .Then(Drafted(scope: new Scope([], ["ds-metro"])));

    [Fact]
    public void A_dataset_outside_the_call_scope_is_refused_citing_Art_8_1() =>
        Given().When(Draft(scope: new Scope([], ["ds-clinic"]), domains: new Dictionary<string, DataDomain> { ["ds-clinic"] = DataDomain.Medical }), DraftAt)
            .ThenRejected(RejectionKind.RuleViolation, Art.A8_1);

    [Fact]
    public void A_domain_outside_the_call_scope_is_refused_citing_Art_8_1() =>
        Given().When(Draft(scope: new Scope([DataDomain.Medical], [])), DraftAt).ThenRejected(RejectionKind.RuleViolation, Art.A8_1);

    [Fact]
    public void A_term_ending_before_it_starts_is_invalid() =>
        Given().When(Draft(startsAt: EndsAt, endsAt: StartsAt), DraftAt).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void A_term_that_has_already_ended_is_refused_citing_Art_9() =>
        Given().When(Draft(startsAt: T0, endsAt: DraftAt), DraftAt).ThenRejected(RejectionKind.RuleViolation, Art.A9);

    [Fact]
    public void Drafting_the_same_application_again_changes_nothing() =>
        Given(Drafted()).When(Draft(), DraftAt).ThenNothing();

    [Fact]
    public void Drafting_an_existing_agreement_from_another_application_is_an_invalid_transition() =>
        Given(Drafted() with { ApplicationId = "app-0" }).When(Draft(), DraftAt).ThenRejected(RejectionKind.InvalidTransition);

    [Fact]
    public void Any_other_command_on_an_agreement_that_does_not_exist_is_not_found() =>
        Given().When(new SignAgreement(OperatorA), DraftAt).ThenRejected(RejectionKind.NotFound);

    [Fact]
    public void The_agreement_id_derives_from_the_application_id() => Assert.Equal("agr-app-1", AgreementState.IdFor("app-1"));

    // ---- signing and activation ----

    [Fact]
    public void The_operator_signs() =>
        Assert.Equal(DraftAt, Given(Drafted()).When(new SignAgreement(OperatorA), DraftAt).Then(OperatorSigned).State.OperatorSignedAt);

    [Fact]
    public void The_authorizing_unit_signs() =>
        Assert.Equal(DraftAt, Given(Drafted()).When(new SignAgreement(Authority), DraftAt).Then(UnitSigned).State.UnitSignedAt);

    [Fact]
    public void Both_signatures_before_the_start_leave_it_drafted_until_the_term_starts() =>
        Assert.Equal(AgreementStatus.Drafted, Given(Drafted(), OperatorSigned).When(new SignAgreement(Authority), DraftAt).Then(UnitSigned).State.State);

    [Fact]
    public void The_second_signature_after_the_start_activates_it_at_once() =>
        Given(Drafted(), OperatorSigned).When(new SignAgreement(Authority), StartsAt.AddDays(1))
            .Then(new AgreementSigned(Authority, StartsAt.AddDays(1)), new AgreementActivated(Platform, StartsAt.AddDays(1)));

    [Fact]
    public void Another_operator_may_not_sign_citing_Art_8_4() =>
        Given(Drafted()).When(new SignAgreement(OperatorB), DraftAt).ThenRejected(RejectionKind.Forbidden, Art.A8_4);

    [Fact]
    public void Another_authority_may_not_sign_citing_Art_8_4() =>
        Given(Drafted()).When(new SignAgreement(OtherAuthority), DraftAt).ThenRejected(RejectionKind.Forbidden, Art.A8_4);

    [Fact]
    public void The_authority_may_not_sign_a_domain_agreement_for_the_provider() =>
        Given(Drafted(TransportProvider, AuthorizationMode.Domain)).When(new SignAgreement(Authority), DraftAt).ThenRejected(RejectionKind.Forbidden, Art.A8_4);

    [Fact]
    public void Signing_again_changes_nothing() =>
        Given(Drafted(), OperatorSigned).When(new SignAgreement(OperatorA), DraftAt).ThenNothing();

    [Fact]
    public void Signing_after_the_term_ended_is_refused_citing_Art_9() =>
        Given(Drafted()).When(new SignAgreement(OperatorA), EndsAt).ThenRejected(RejectionKind.RuleViolation, Art.A9);

    [Fact]
    public void A_party_that_has_not_signed_cannot_sign_once_the_agreement_left_the_draft() =>
        Given(Drafted(), new AgreementActivated(Platform, StartsAt)).When(new SignAgreement(OperatorA), StartsAt).ThenRejected(RejectionKind.InvalidTransition);

    [Fact]
    public void The_start_timer_activates_a_signed_agreement() =>
        Assert.Equal(AgreementStatus.Active, Given(Drafted(), OperatorSigned, UnitSigned).When(new ActivateAgreement(Platform), StartsAt).Then(Activated).State.State);

    [Fact]
    public void An_overdue_start_timer_still_activates_it() =>
        Given(Drafted(), OperatorSigned, UnitSigned).When(new ActivateAgreement(Platform), Mid).Then(new AgreementActivated(Platform, Mid));

    [Fact]
    public void A_start_timer_issued_early_does_nothing() =>
        Given(Drafted(), OperatorSigned, UnitSigned).When(new ActivateAgreement(Platform), StartsAt.AddSeconds(-1)).ThenNothing();

    [Fact]
    public void An_agreement_signed_by_one_party_does_not_activate() =>
        Given(Drafted(), OperatorSigned).When(new ActivateAgreement(Platform), StartsAt).ThenNothing();

    [Fact]
    public void An_agreement_whose_term_has_ended_does_not_activate() =>
        Given(Drafted(), OperatorSigned, UnitSigned).When(new ActivateAgreement(Platform), EndsAt).ThenNothing();

    [Fact]
    public void Activating_an_active_agreement_again_changes_nothing() =>
        Given(Active).When(new ActivateAgreement(Platform), StartsAt).ThenNothing();

    // ---- suspension and rectification (Art. 18) ----

    [Fact]
    public void The_authorizing_unit_suspends_an_active_agreement_with_a_rectification_order() =>
        Assert.Equal(RectifyBy, Given(Active).When(Suspend(), Mid).Then(Suspended).State.Rectification!.Deadline);

    [Fact]
    public void The_platform_suspends_an_agreement_on_a_critical_violation() =>
        Given(Active).When(Suspend(Platform), Mid).Then(Suspended with { By = Platform });

    [Fact]
    public void The_operator_may_not_suspend_citing_Art_18() =>
        Given(Active).When(Suspend(OperatorA), Mid).ThenRejected(RejectionKind.Forbidden, Art.A18);

    [Fact]
    public void Another_authority_may_not_suspend_citing_Art_18() =>
        Given(Active).When(Suspend(OtherAuthority), Mid).ThenRejected(RejectionKind.Forbidden, Art.A18);

    [Fact]
    public void A_rectification_deadline_in_the_past_is_invalid() =>
        Given(Active).When(Suspend(deadline: Mid), Mid).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void A_rectification_order_without_items_is_invalid() =>
        Given(Active).When(Suspend(items: []), Mid).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void A_suspension_without_a_reason_is_invalid() =>
        Given(Active).When(Suspend(reason: ""), Mid).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void A_drafted_agreement_cannot_be_suspended() =>
        Given(Drafted()).When(Suspend(), DraftAt).ThenRejected(RejectionKind.InvalidTransition);

    [Fact]
    public void A_suspended_agreement_cannot_be_suspended_again() =>
        Given(With(Suspended)).When(Suspend(), Mid).ThenRejected(RejectionKind.InvalidTransition);

    [Fact]
    public void The_operator_reports_its_rectification() =>
        Assert.Single(Given(With(Suspended)).When(new SubmitRectificationReport(OperatorA, "access log fixed"), Mid.AddDays(1)).Then(Reported).State.RectificationReports);

    [Fact]
    public void Another_operator_may_not_report_a_rectification_citing_Art_18() =>
        Given(With(Suspended)).When(new SubmitRectificationReport(OperatorB, "x"), Mid).ThenRejected(RejectionKind.Forbidden, Art.A18);

    [Fact]
    public void A_rectification_report_needs_a_summary() =>
        Given(With(Suspended)).When(new SubmitRectificationReport(OperatorA, ""), Mid).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void An_active_agreement_takes_no_rectification_report() =>
        Given(Active).When(new SubmitRectificationReport(OperatorA, "x"), Mid).ThenRejected(RejectionKind.InvalidTransition);

    [Fact]
    public void The_authorizing_unit_restores_a_rectified_agreement() =>
        Assert.Equal(AgreementStatus.Active, Given(With(Suspended, Reported)).When(new RestoreAgreement(Authority), Mid.AddDays(2)).Then(Restored).State.State);

    [Fact]
    public void Restoring_without_a_rectification_report_is_refused_citing_Art_18() =>
        Given(With(Suspended)).When(new RestoreAgreement(Authority), Mid.AddDays(2)).ThenRejected(RejectionKind.RuleViolation, Art.A18);

    [Fact]
    public void A_report_made_for_an_earlier_suspension_does_not_count_for_the_next() =>
        Given(With(Suspended, Reported, Restored, Suspended with { At = Mid.AddDays(3) }))
            .When(new RestoreAgreement(Authority), Mid.AddDays(4)).ThenRejected(RejectionKind.RuleViolation, Art.A18);

    [Fact]
    public void Restoring_after_the_term_ended_is_refused_citing_Art_8_5() =>
        Given(With(Suspended, Reported)).When(new RestoreAgreement(Authority), EndsAt).ThenRejected(RejectionKind.RuleViolation, Art.A8_5);

    [Fact]
    public void The_operator_may_not_restore_its_own_agreement_citing_Art_18() =>
        Given(With(Suspended, Reported)).When(new RestoreAgreement(OperatorA), Mid.AddDays(2)).ThenRejected(RejectionKind.Forbidden, Art.A18);

    [Fact]
    public void Restoring_an_active_agreement_changes_nothing() =>
        Given(Active).When(new RestoreAgreement(Authority), Mid).ThenNothing();

    [Fact]
    public void A_drafted_agreement_cannot_be_restored() =>
        Given(Drafted()).When(new RestoreAgreement(Authority), DraftAt).ThenRejected(RejectionKind.InvalidTransition);

    [Fact]
    public void An_unrectified_agreement_is_terminated_when_its_deadline_passes() =>
        Assert.Equal(AgreementStatus.Terminated, Given(With(Suspended)).When(new EnforceRectificationDeadline(Platform), RectifyBy)
            .Then(new AgreementTerminated(Platform, RectifyBy, $"rectification not accepted by its deadline {RectifyBy:O} (Art. 18)")).State.State);

    [Fact]
    public void A_report_not_accepted_by_the_deadline_does_not_save_the_agreement() =>
        Given(With(Suspended, Reported)).When(new EnforceRectificationDeadline(Platform), RectifyBy.AddDays(1))
            .Then(new AgreementTerminated(Platform, RectifyBy.AddDays(1), $"rectification not accepted by its deadline {RectifyBy:O} (Art. 18)"));

    [Fact]
    public void A_rectification_timer_issued_early_does_nothing() =>
        Given(With(Suspended)).When(new EnforceRectificationDeadline(Platform), RectifyBy.AddSeconds(-1)).ThenNothing();

    [Fact]
    public void A_rectification_timer_after_the_restore_does_nothing() =>
        Given(With(Suspended, Reported, Restored)).When(new EnforceRectificationDeadline(Platform), RectifyBy).ThenNothing();

    // ---- termination ----

    [Fact]
    public void The_authorizing_unit_terminates_an_active_agreement_for_an_exit_condition() =>
        Assert.Equal("exit condition met", Given(Active).When(new TerminateAgreement(Authority, "exit condition met"), Mid).Then(Terminated).State.EndReason);

    [Fact]
    public void A_suspended_agreement_can_be_terminated() =>
        Given(With(Suspended)).When(new TerminateAgreement(Authority, "exit condition met"), Mid).Then(Terminated);

    [Fact]
    public void The_platform_may_terminate_an_agreement() =>
        Given(Active).When(new TerminateAgreement(Platform, "operator terminated"), Mid).Then(new AgreementTerminated(Platform, Mid, "operator terminated"));

    [Fact]
    public void The_operator_may_not_terminate_citing_Art_18() =>
        Given(Active).When(new TerminateAgreement(OperatorA, "x"), Mid).ThenRejected(RejectionKind.Forbidden, Art.A18);

    [Fact]
    public void A_termination_needs_a_reason() =>
        Given(Active).When(new TerminateAgreement(Authority, " "), Mid).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void Terminating_again_changes_nothing() =>
        Given(With(Terminated)).When(new TerminateAgreement(Authority, "again"), Mid).ThenNothing();

    [Fact]
    public void A_drafted_agreement_cannot_be_terminated() =>
        Given(Drafted()).When(new TerminateAgreement(Authority, "x"), DraftAt).ThenRejected(RejectionKind.InvalidTransition);

    [Fact]
    public void An_expired_agreement_cannot_be_terminated() =>
        Given(With(Expired)).When(new TerminateAgreement(Authority, "x"), EndsAt).ThenRejected(RejectionKind.InvalidTransition);

    // ---- expiry (Art. 8(5)) ----

    [Fact]
    public void An_active_agreement_expires_at_the_end_of_its_term() =>
        Assert.Equal(AgreementStatus.Expired, Given(Active).When(new ExpireAgreement(Platform), EndsAt).Then(Expired).State.State);

    [Fact]
    public void A_suspended_agreement_also_expires_at_the_end_of_its_term() =>
        Given(With(Suspended)).When(new ExpireAgreement(Platform), EndsAt).Then(Expired);

    [Fact]
    public void An_overdue_expiry_timer_still_expires_it() =>
        Given(Active).When(new ExpireAgreement(Platform), EndsAt.AddDays(2)).Then(new AgreementExpired(Platform, EndsAt.AddDays(2)));

    [Fact]
    public void An_expiry_timer_issued_early_does_nothing() =>
        Given(Active).When(new ExpireAgreement(Platform), EndsAt.AddSeconds(-1)).ThenNothing();

    [Fact]
    public void A_terminated_agreement_does_not_expire() =>
        Given(With(Terminated)).When(new ExpireAgreement(Platform), EndsAt).ThenNothing();

    [Fact]
    public void A_drafted_agreement_does_not_expire() =>
        Given(Drafted()).When(new ExpireAgreement(Platform), EndsAt).ThenNothing();

    // ---- asset disposal (Art. 9) ----

    [Fact]
    public void Recording_the_asset_disposal_closes_an_expired_agreement() =>
        Assert.Equal(AgreementStatus.Closed, Given(With(Expired)).When(new RecordAssetDisposal(Authority, "derived data deleted"), EndsAt)
            .Then(new AssetDisposalRecorded(Authority, EndsAt, "derived data deleted")).State.State);

    [Fact]
    public void Recording_the_asset_disposal_closes_a_terminated_agreement() =>
        Given(With(Terminated)).When(new RecordAssetDisposal(Authority, "derived data deleted"), Mid).Then(new AssetDisposalRecorded(Authority, Mid, "derived data deleted"));

    [Fact]
    public void Recording_the_asset_disposal_again_changes_nothing() =>
        Given(With(Expired, new AssetDisposalRecorded(Authority, EndsAt, "x"))).When(new RecordAssetDisposal(Authority, "x"), EndsAt).ThenNothing();

    [Fact]
    public void Assets_of_an_active_agreement_cannot_be_disposed_of() =>
        Given(Active).When(new RecordAssetDisposal(Authority, "x"), Mid).ThenRejected(RejectionKind.InvalidTransition);

    [Fact]
    public void The_operator_may_not_record_the_asset_disposal_citing_Art_9() =>
        Given(With(Expired)).When(new RecordAssetDisposal(OperatorA, "x"), EndsAt).ThenRejected(RejectionKind.Forbidden, Art.A9);

    [Fact]
    public void A_domain_agreement_answers_to_the_authority_that_ran_the_call() =>
        Assert.Equal((Authority.Org, TransportProvider), Given(Drafted(TransportProvider, AuthorizationMode.Domain)).State is var s ? (s.AuthorityOrg!, s.AuthorizingUnit!) : default);

    [Fact]
    public void A_draft_recorded_before_the_authority_was_stored_answers_to_its_authorizing_authority() =>
        Assert.Equal(Authority.Org, Given(Drafted() with { AuthorityOrg = null }).State.AuthorityOrg);

    [Theory]
    [InlineData(Role.Regulator)]
    [InlineData(Role.Maintainer)]
    public void Regulators_and_maintainers_never_act_on_an_agreement(Role role)
    {
        var by = new Caller(role, Authority.Org);
        Given(With()).When(new SuspendAgreement(by, "r", ["i"], RectifyBy), Mid).ThenRejected(RejectionKind.Forbidden, Art.A18);
        Given(With()).When(new TerminateAgreement(by, "r"), Mid).ThenRejected(RejectionKind.Forbidden, Art.A18);
        Given(Drafted()).When(new SignAgreement(by), DraftAt).ThenRejected(RejectionKind.Forbidden, Art.A8_4);
    }

    [Fact]
    public void An_asset_disposal_record_needs_content() =>
        Given(With(Expired)).When(new RecordAssetDisposal(Authority, ""), EndsAt).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void The_provider_that_drafted_a_domain_agreement_records_its_asset_disposal() =>
        Given(Drafted(TransportProvider, AuthorizationMode.Domain), OperatorSigned, new AgreementSigned(TransportProvider, DraftAt), Activated, Expired)
            .When(new RecordAssetDisposal(TransportProvider, "x"), EndsAt).Then(new AssetDisposalRecorded(TransportProvider, EndsAt, "x"));

    // ---- deadlines ----

    [Fact]
    public void A_drafted_agreement_signed_by_one_party_has_no_deadlines() => Given(Drafted(), OperatorSigned).ThenNoDeadlines();

    [Fact]
    public void A_drafted_agreement_signed_by_both_has_its_term_starting_at_StartsAt() =>
        Given(Drafted(), OperatorSigned, UnitSigned).ThenDeadlines(new Deadline<IAgreementCommand>("term-starts", StartsAt, new ActivateAgreement(Platform)));

    [Fact]
    public void An_active_agreement_has_its_term_ending_at_EndsAt() =>
        Given(Active).ThenDeadlines(new Deadline<IAgreementCommand>("term-ends", EndsAt, new ExpireAgreement(Platform)));

    [Fact]
    public void A_suspended_agreement_has_its_term_end_and_its_rectification_deadline() =>
        Given(With(Suspended)).ThenDeadlines(
            new Deadline<IAgreementCommand>("term-ends", EndsAt, new ExpireAgreement(Platform)),
            new Deadline<IAgreementCommand>("rectification-deadline", RectifyBy, new EnforceRectificationDeadline(Platform)));

    [Fact]
    public void A_restored_agreement_no_longer_has_a_rectification_deadline() =>
        Given(With(Suspended, Reported, Restored)).ThenDeadlines(new Deadline<IAgreementCommand>("term-ends", EndsAt, new ExpireAgreement(Platform)));

    [Fact]
    public void A_terminated_agreement_has_no_deadlines() => Given(With(Terminated)).ThenNoDeadlines();

    [Fact]
    public void An_expired_agreement_has_no_deadlines() => Given(With(Expired)).ThenNoDeadlines();
}
