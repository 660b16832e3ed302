using JinanDataOps.Domain.Agreements;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.Operators;
using JinanDataOps.Domain.Tests.Support;
using static JinanDataOps.Domain.Tests.Support.Requests;
using static JinanDataOps.Domain.Tests.Support.TestData;

namespace JinanDataOps.Domain.Tests.Operators;

public sealed class OperatorTests() : DeciderSpec<Operator, OperatorState, IOperatorCommand, IOperatorEvent>("op-a")
{
    private const string First17 = "91370100MA3C5T7X4";
    private static readonly string Code = First17 + CreditCode.CheckCharacterFor(First17);
    private static readonly DateTimeOffset At = T0.AddDays(40);
    private static readonly DateOnly Yesterday = DateOnly.FromDateTime(At.UtcDateTime).AddDays(-1);

    private static RegisterOperator Register(Caller? by = null, string name = "Quancheng Data Co.", string? code = null, string rep = "Li Hua", string contact = "Wang Fang") =>
        new(by ?? OperatorA, name, code ?? Code, rep, contact);

    private static readonly OperatorRegistered Registered = new(OperatorA, T0, "Quancheng Data Co.", Code, "Li Hua", "Wang Fang");

    private static AgreementStandingNoted Standing(string agreementId, AgreementStanding standing) => new(Platform, At, agreementId, standing);

    private static DataRequestOpened Opened(string requestId = "dr-1", string scenario = "bus punctuality") =>
        new(OperatorA, At, Submission(requestId, scenario));

    private static readonly AgreementStandingNoted Terminated = Standing("agr-app-1", AgreementStanding.Terminated);

    // ---- registration (Art. 14, GB 32100-2015) ----

    [Fact]
    public void An_operator_registers_itself_with_a_valid_credit_code() =>
        Assert.Equal(OperatorStatus.Registered, Given().When(Register(), T0).Then(Registered).State.State);

    [Fact]
    public void An_operator_may_not_register_another_organisation() =>
        Given().When(Register(OperatorB), T0).ThenRejected(RejectionKind.Forbidden);

    [Fact]
    public void The_authority_may_not_register_an_operator() =>
        Given().When(Register(new Caller(Role.Authority, "op-a")), T0).ThenRejected(RejectionKind.Forbidden);

    [Fact]
    public void A_wrong_check_character_is_refused_citing_GB_32100() =>
        Assert.Contains(Art.Gb32100, Given().When(Register(code: First17 + (CreditCode.CheckCharacterFor(First17) == '0' ? '1' : '0')), T0)
            .ThenRejected(RejectionKind.Validation).Detail);

    [Fact]
    public void A_credit_code_of_the_wrong_length_is_invalid() =>
        Given().When(Register(code: First17), T0).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void A_registration_without_a_name_is_invalid() =>
        Given().When(Register(name: ""), T0).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void A_registration_without_a_legal_representative_is_invalid_since_Art_14_makes_them_responsible() =>
        Given().When(Register(rep: " "), T0).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void A_registration_without_a_security_contact_is_invalid() =>
        Given().When(Register(contact: ""), T0).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void Registering_again_with_the_same_details_changes_nothing() =>
        Given(Registered).When(Register(), T0).ThenNothing();

    [Fact]
    public void Registering_again_with_other_details_is_an_invalid_transition() =>
        Given(Registered).When(Register(name: "Another name"), T0).ThenRejected(RejectionKind.InvalidTransition);

    [Fact]
    public void Any_other_command_on_an_unregistered_operator_is_not_found() =>
        Given().When(new FileSecurityReport(OperatorA, "2026Q4", "ok"), At).ThenRejected(RejectionKind.NotFound);

    // ---- training and security reports (Art. 16) ----

    [Fact]
    public void The_operator_records_pre_job_security_training() =>
        Assert.True(Given(Registered).When(new RecordTraining(OperatorA, ["Zhang San", "Li Si"], Yesterday), At)
            .Then(new TrainingRecorded(OperatorA, At, ["Zhang San", "Li Si"], Yesterday)).State.HasTraining);

    [Fact]
    public void An_operator_without_recorded_training_has_none() => Assert.False(Given(Registered).State.HasTraining);

    [Fact]
    public void Training_completed_today_can_be_recorded() =>
        Given(Registered).When(new RecordTraining(OperatorA, ["Zhang San"], Yesterday.AddDays(1)), At)
            .Then(new TrainingRecorded(OperatorA, At, ["Zhang San"], Yesterday.AddDays(1)));

    [Fact]
    public void Training_completed_in_the_future_is_invalid() =>
        Given(Registered).When(new RecordTraining(OperatorA, ["Zhang San"], Yesterday.AddDays(2)), At).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void Training_without_staff_is_invalid() =>
        Given(Registered).When(new RecordTraining(OperatorA, [], Yesterday), At).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void Training_listing_a_person_twice_is_invalid() =>
        Given(Registered).When(new RecordTraining(OperatorA, ["Zhang San", "Zhang San"], Yesterday), At).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void Another_operator_may_not_record_training_for_it() =>
        Given(Registered).When(new RecordTraining(OperatorB, ["Zhang San"], Yesterday), At).ThenRejected(RejectionKind.Forbidden);

    [Fact]
    public void A_terminated_operator_records_no_training() =>
        Given(Registered, Terminated).When(new RecordTraining(OperatorA, ["Zhang San"], Yesterday), At).ThenRejected(RejectionKind.InvalidTransition);

    [Fact]
    public void The_operator_files_a_periodic_security_report() =>
        Assert.Single(Given(Registered).When(new FileSecurityReport(OperatorA, "2026Q4", "no incidents"), At)
            .Then(new SecurityReportFiled(OperatorA, At, "2026Q4", "no incidents")).State.SecurityReports);

    [Fact]
    public void A_security_report_without_a_period_is_invalid() =>
        Given(Registered).When(new FileSecurityReport(OperatorA, "", "no incidents"), At).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void A_security_report_with_an_overlong_period_is_invalid() =>
        Given(Registered).When(new FileSecurityReport(OperatorA, new string('q', 65), "no incidents"), At).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void A_security_report_without_a_summary_is_invalid() =>
        Given(Registered).When(new FileSecurityReport(OperatorA, "2026Q4", " "), At).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void Another_operator_may_not_file_its_security_report() =>
        Given(Registered).When(new FileSecurityReport(OperatorB, "2026Q4", "x"), At).ThenRejected(RejectionKind.Forbidden);

    // ---- standing follows the agreements ----

    [Fact]
    public void An_active_agreement_authorizes_the_operator() =>
        Assert.Equal(OperatorStatus.Authorized, Given(Registered).When(new NoteAgreementStanding(Platform, "agr-app-1", AgreementStanding.Active), At)
            .Then(Standing("agr-app-1", AgreementStanding.Active)).State.State);

    [Fact]
    public void Noting_the_same_standing_again_changes_nothing() =>
        Given(Registered, Standing("agr-app-1", AgreementStanding.Active)).When(new NoteAgreementStanding(Platform, "agr-app-1", AgreementStanding.Active), At).ThenNothing();

    [Fact]
    public void A_suspended_only_agreement_suspends_the_operator() =>
        Assert.Equal(OperatorStatus.Suspended, Given(Registered, Standing("agr-app-1", AgreementStanding.Active), Standing("agr-app-1", AgreementStanding.Suspended)).State.State);

    [Fact]
    public void An_operator_with_another_active_agreement_stays_authorized_when_one_is_suspended() =>
        Assert.Equal(OperatorStatus.Authorized, Given(Registered, Standing("agr-1", AgreementStanding.Active), Standing("agr-2", AgreementStanding.Active),
            Standing("agr-1", AgreementStanding.Suspended)).State.State);

    [Fact]
    public void An_operator_whose_agreements_all_expired_is_merely_registered() =>
        Assert.Equal(OperatorStatus.Registered, Given(Registered, Standing("agr-app-1", AgreementStanding.Active), Standing("agr-app-1", AgreementStanding.Expired)).State.State);

    [Fact]
    public void A_terminated_agreement_terminates_the_operator() =>
        Assert.Equal(OperatorStatus.Terminated, Given(Registered, Standing("agr-app-1", AgreementStanding.Active))
            .When(new NoteAgreementStanding(Platform, "agr-app-1", AgreementStanding.Terminated), At).Then(Terminated).State.State);

    [Fact]
    public void Termination_is_final_even_if_another_agreement_is_active() =>
        Assert.Equal(OperatorStatus.Terminated, Given(Registered, Terminated, Standing("agr-2", AgreementStanding.Active)).State.State);

    // ---- one request per scenario (Art. 13) ----

    [Fact]
    public void The_operator_opens_a_data_request_under_its_active_agreement() =>
        Assert.Single(Given(Registered).When(new OpenDataRequest(OperatorA, Submission()), At).Then(Opened()).State.LiveRequests);

    [Fact]
    public void Opening_the_same_request_again_changes_nothing() =>
        Given(Registered, Opened()).When(new OpenDataRequest(OperatorA, Submission()), At).ThenNothing();

    [Fact]
    public void A_second_live_request_for_the_same_scenario_is_refused_citing_Art_13() =>
        Assert.True(Given(Registered, Opened()).When(new OpenDataRequest(OperatorA, Submission("dr-2")), At)
            .ThenRejected(RejectionKind.RuleViolation, Art.A13).IsConflict);

    [Fact]
    public void A_request_for_another_scenario_is_accepted() =>
        Given(Registered, Opened()).When(new OpenDataRequest(OperatorA, Submission("dr-2", "taxi demand")), At).Then(Opened("dr-2", "taxi demand"));

    [Fact]
    public void A_scenario_released_by_an_ended_request_can_be_requested_again() =>
        Given(Registered, Opened(), new ScenarioReleased(Platform, At, "dr-1", "bus punctuality"))
            .When(new OpenDataRequest(OperatorA, Submission("dr-2")), At).Then(Opened("dr-2"));

    [Fact]
    public void Another_operator_may_not_open_a_request_in_its_name() =>
        Given(Registered).When(new OpenDataRequest(OperatorB, Submission()), At).ThenRejected(RejectionKind.Forbidden);

    [Fact]
    public void A_terminated_operator_requests_no_public_data() =>
        Given(Registered, Terminated).When(new OpenDataRequest(OperatorA, Submission()), At).ThenRejected(RejectionKind.InvalidTransition);

    [Fact]
    public void A_request_under_a_suspended_agreement_is_refused_citing_Art_12() =>
        Given(Registered).When(new OpenDataRequest(OperatorA, Submission(agreement: ActiveAgreement with { State = AgreementStatus.Suspended })), At)
            .ThenRejected(RejectionKind.RuleViolation, Art.A12);

    [Fact]
    public void A_request_for_a_dataset_outside_the_agreement_scope_is_refused_citing_Art_9() =>
        Given(Registered).When(new OpenDataRequest(OperatorA, Submission(found: [Prescriptions])), At).ThenRejected(RejectionKind.RuleViolation, Art.A9);

    [Fact]
    public void A_request_under_another_operator_s_agreement_is_forbidden() =>
        Given(Registered).When(new OpenDataRequest(OperatorA, Submission(agreement: ActiveAgreement with { OperatorId = OperatorB.Org })), At)
            .ThenRejected(RejectionKind.Forbidden);

    [Fact]
    public void A_request_under_an_agreement_that_does_not_exist_is_not_found() =>
        Given(Registered).When(new OpenDataRequest(OperatorA, Submission(noAgreement: true)), At).ThenRejected(RejectionKind.NotFound);

    [Fact]
    public void An_invalid_request_is_refused_before_it_exists() =>
        Given(Registered).When(new OpenDataRequest(OperatorA, Submission(scenario: "")), At).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void Releasing_the_scenario_of_a_live_request_frees_it() =>
        Assert.Empty(Given(Registered, Opened()).When(new ReleaseScenario(Platform, "dr-1"), At)
            .Then(new ScenarioReleased(Platform, At, "dr-1", "bus punctuality")).State.LiveRequests);

    [Fact]
    public void Releasing_an_unknown_request_changes_nothing() =>
        Given(Registered, Opened()).When(new ReleaseScenario(Platform, "dr-9"), At).ThenNothing();

    // ---- its products, for the platform to find when an agreement or a request stops (Art. 18) ----

    private static readonly ProductNoted Noted = new(Platform, At, "prd-1", "agr-app-1", ["dr-1"]);

    [Fact]
    public void The_platform_notes_a_product_under_its_agreement_and_requests()
    {
        var state = Given(Registered, Opened()).When(new NoteProduct(Platform, "prd-1", "agr-app-1", ["dr-1"]), At).Then(Noted).State;
        Assert.Equal(["prd-1"], state.ProductsUnder("agr-app-1").Select(p => p.ProductId));
        Assert.Equal(["prd-1"], state.ProductsFrom("dr-1").Select(p => p.ProductId));
        Assert.Empty(state.ProductsUnder("agr-other"));
        Assert.Empty(state.ProductsFrom("dr-9"));
    }

    [Fact]
    public void Noting_a_product_again_changes_nothing() =>
        Given(Registered, Noted).When(new NoteProduct(Platform, "prd-1", "agr-app-1", ["dr-1"]), At).ThenNothing();

    [Fact]
    public void Only_the_platform_notes_products() =>
        Given(Registered).When(new NoteProduct(OperatorA, "prd-1", "agr-app-1", ["dr-1"]), At).ThenRejected(RejectionKind.Forbidden, Art.A15);

    [Fact]
    public void An_operator_has_no_deadlines() => Given(Registered, Opened()).ThenNoDeadlines();

    // ---- Periodic security reports (Art. 16) ----

    private static readonly TimeSpan Quarter = TimeSpan.FromDays(90);
    private static readonly AgreementStandingNoted Authorized = new(Platform, At, "agr-app-1", AgreementStanding.Active, Quarter);
    private static readonly FlagOverdueSecurityReport Flag = new(Platform);

    [Fact]
    public void A_registered_operator_with_no_agreement_owes_no_security_report() =>
        Given(Registered).ThenNoDeadlines();

    [Fact]
    public void The_first_report_is_due_one_period_after_the_first_authorization() =>
        Given(Registered, Authorized).ThenDeadlines(new Deadline<IOperatorCommand>("security-report-due", At + Quarter, Flag));

    [Fact]
    public void The_next_report_is_due_one_period_after_the_last_one()
    {
        var filed = new SecurityReportFiled(OperatorA, At.AddDays(30), "2026-Q4", "no incidents");
        Given(Registered, Authorized, filed).ThenDeadlines(new Deadline<IOperatorCommand>("security-report-due", At.AddDays(30) + Quarter, Flag));
    }

    [Fact]
    public void A_report_not_filed_by_its_due_date_is_flagged_once()
    {
        var flagged = Given(Registered, Authorized).When(Flag, At + Quarter).Then(new SecurityReportOverdue(Platform, At + Quarter, At + Quarter, null));
        Assert.Equal(At + Quarter, flagged.State.ReportOverdueSince);
        flagged.ThenNoDeadlines();
        flagged.When(Flag, At + Quarter + Quarter).ThenNothing();
    }

    [Fact]
    public void Before_its_due_date_nothing_is_flagged() =>
        Given(Registered, Authorized).When(Flag, At + Quarter - TimeSpan.FromSeconds(1)).ThenNothing();

    [Fact]
    public void Filing_the_overdue_report_clears_the_flag_and_sets_the_next_due_date()
    {
        var filedAt = At + Quarter + TimeSpan.FromDays(3);
        var filed = Given(Registered, Authorized, new SecurityReportOverdue(Platform, At + Quarter, At + Quarter, null))
            .When(new FileSecurityReport(OperatorA, "2027-Q1", "late, no incidents"), filedAt)
            .Then(new SecurityReportFiled(OperatorA, filedAt, "2027-Q1", "late, no incidents"));
        Assert.Null(filed.State.ReportOverdueSince);
        filed.ThenDeadlines(new Deadline<IOperatorCommand>("security-report-due", filedAt + Quarter, Flag));
    }

    [Fact]
    public void A_suspended_operator_still_reports_but_one_whose_agreements_all_expired_does_not()
    {
        Given(Registered, Authorized, Standing("agr-app-1", AgreementStanding.Suspended))
            .ThenDeadlines(new Deadline<IOperatorCommand>("security-report-due", At + Quarter, Flag));
        Given(Registered, Authorized, Standing("agr-app-1", AgreementStanding.Expired)).ThenNoDeadlines();
        Given(Registered, Authorized, Standing("agr-app-1", AgreementStanding.Expired)).When(Flag, At + Quarter).ThenNothing();
    }

    [Fact]
    public void Without_a_required_period_no_report_is_ever_due() =>
        Given(Registered, Standing("agr-app-1", AgreementStanding.Active)).ThenNoDeadlines();
}
