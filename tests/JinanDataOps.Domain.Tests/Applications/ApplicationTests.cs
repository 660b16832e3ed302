using JinanDataOps.Domain.Applications;
using JinanDataOps.Domain.Calls;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.Tests.Support;
using static JinanDataOps.Domain.Tests.Support.TestData;

namespace JinanDataOps.Domain.Tests.Applications;

public sealed class ApplicationTests() : DeciderSpec<Application, ApplicationState, IApplicationCommand, IApplicationEvent>("app-1")
{
    private static readonly DateTimeOffset NoticeEnds = AfterWindow + NoticePeriod;
    private static readonly DateTimeOffset DuringNotice = AfterWindow.AddDays(1);

    private static ApplicationSubmitted Submitted(decimal passScore = 60m) =>
        new(OperatorA, DuringWindow, "call-1", OperatorA.Org, Authority.Org, Terms(passScore: passScore), "{}", ["op-a-parent"]);

    private static SubmitApplication Submit() =>
        new(OperatorA, "call-1", OperatorA.Org, Authority.Org, Terms(), "{}", ["op-a-parent"]);

    /// <summary>A score sheet with weights 3 (innovation) and 1 (security).</summary>
    private static ReviewRecorded Reviewed(Caller expert, decimal innovation, decimal security, decimal weighted) =>
        new(expert, AfterWindow, Scores(innovation, security), weighted);

    private static ReviewApplication Review(Caller expert, decimal innovation, decimal security) => new(expert, Scores(innovation, security));

    private static EvaluateApplication Evaluate() => new(Platform, NoticeEnds);

    private static ApplicationShortlisted Shortlisted(decimal score = 70m) => new(Platform, AfterWindow, score, NoticeEnds);

    private static ObjectionFiled Objection(int n = 1, string reason = "undisclosed lawsuit") => new(Citizen, DuringNotice, $"app-1~o{n}", reason);

    private static readonly NoticeEnded Ended = new(Platform, NoticeEnds);

    // ---- submission ----

    [Fact]
    public void An_accepted_application_is_submitted() =>
        Assert.Equal(ApplicationStatus.Submitted, Given().When(Submit(), DuringWindow).Then(Submitted()).State.State);

    [Fact]
    public void Submitting_an_existing_application_again_changes_nothing() =>
        Given(Submitted()).When(Submit(), DuringWindow).ThenNothing();

    [Fact]
    public void Any_other_command_on_an_application_that_does_not_exist_is_not_found() =>
        Given().When(Review(Expert1, 80, 40), AfterWindow).ThenRejected(RejectionKind.NotFound);

    // ---- conflicts of interest (Art. 8(3)) ----

    [Fact]
    public void An_expert_declares_a_conflict_of_interest() =>
        Assert.Contains(Expert1.Org, Given(Submitted()).When(new DeclareConflict(Expert1, "former employee"), AfterWindow)
            .Then(new ConflictDeclared(Expert1, AfterWindow, "former employee")).State.DeclaredConflicts);

    [Fact]
    public void Only_an_expert_declares_a_conflict_citing_Art_8_3() =>
        Given(Submitted()).When(new DeclareConflict(Authority, "x"), AfterWindow).ThenRejected(RejectionKind.Forbidden, Art.A8_3);

    [Fact]
    public void A_conflict_declaration_needs_a_reason() =>
        Given(Submitted()).When(new DeclareConflict(Expert1, " "), AfterWindow).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void Declaring_the_same_conflict_again_changes_nothing() =>
        Given(Submitted(), new ConflictDeclared(Expert1, AfterWindow, "x")).When(new DeclareConflict(Expert1, "x"), AfterWindow).ThenNothing();

    [Fact]
    public void A_conflict_cannot_be_declared_once_the_application_is_shortlisted() =>
        Given(Submitted(), Reviewed(Expert1, 80, 40, 70), Shortlisted()).When(new DeclareConflict(Expert2, "x"), DuringNotice)
            .ThenRejected(RejectionKind.InvalidTransition);

    // ---- reviews ----

    [Fact]
    public void An_expert_scores_every_criterion_and_the_sheet_carries_the_weighted_score() =>
        Given(Submitted()).When(Review(Expert1, 80, 40), AfterWindow).Then(Reviewed(Expert1, 80, 40, 70m));

    [Fact]
    public void A_review_puts_the_application_under_review_with_its_score()
    {
        var after = Given(Submitted()).When(Review(Expert1, 80, 40), AfterWindow).Then(Reviewed(Expert1, 80, 40, 70m)).State;
        Assert.Equal(ApplicationStatus.UnderReview, after.State);
        Assert.Equal(70m, after.Score);
    }

    [Fact]
    public void The_weighted_score_of_a_sheet_is_rounded_to_four_places() =>
        // (3 × 33.33333 + 1 × 0) / 4 = 24.9999975 → 25.0000
        Given(Submitted()).When(Review(Expert1, 33.33333m, 0m), AfterWindow).Then(Reviewed(Expert1, 33.33333m, 0m, 25m));

    [Fact]
    public void A_review_at_the_moment_the_window_closes_is_accepted() =>
        Given(Submitted()).When(Review(Expert1, 80, 40), ClosesAt).Then(new ReviewRecorded(Expert1, ClosesAt, Scores(80, 40), 70m));

    [Fact]
    public void A_review_before_the_window_closes_is_refused_citing_Art_8_3() =>
        Given(Submitted()).When(Review(Expert1, 80, 40), DuringWindow).ThenRejected(RejectionKind.RuleViolation, Art.A8_3);

    [Fact]
    public void Only_experts_score_applications_citing_Art_8_3() =>
        Given(Submitted()).When(Review(Authority, 80, 40), AfterWindow).ThenRejected(RejectionKind.Forbidden, Art.A8_3);

    [Fact]
    public void An_expert_who_declared_a_conflict_may_not_score_citing_Art_8_3() =>
        Assert.True(Given(Submitted(), new ConflictDeclared(Expert1, AfterWindow, "x")).When(Review(Expert1, 80, 40), AfterWindow)
            .ThenRejected(RejectionKind.RuleViolation, Art.A8_3).IsConflict);

    [Fact]
    public void An_expert_from_an_organisation_affiliated_with_the_applicant_may_not_score_citing_Art_8_3() =>
        Given(Submitted()).When(Review(new Caller(Role.Expert, "op-a-parent"), 80, 40), AfterWindow).ThenRejected(RejectionKind.RuleViolation, Art.A8_3);

    [Fact]
    public void The_applicant_itself_may_not_score_as_an_expert_citing_Art_8_3() =>
        Given(Submitted()).When(Review(new Caller(Role.Expert, OperatorA.Org), 80, 40), AfterWindow).ThenRejected(RejectionKind.RuleViolation, Art.A8_3);

    [Fact]
    public void A_second_score_sheet_by_the_same_expert_is_refused_citing_Art_8_3() =>
        Assert.True(Given(Submitted(), Reviewed(Expert1, 80, 40, 70)).When(Review(Expert1, 90, 90), AfterWindow)
            .ThenRejected(RejectionKind.RuleViolation, Art.A8_3).IsConflict);

    [Fact]
    public void A_second_expert_adds_a_sheet_and_the_score_is_the_mean() =>
        Assert.Equal(60m, Given(Submitted(), Reviewed(Expert1, 80, 40, 70)).When(Review(Expert2, 60, 20), AfterWindow)
            .Then(Reviewed(Expert2, 60, 20, 50)).State.Score);

    [Fact]
    public void A_sheet_scoring_a_criterion_the_call_does_not_have_is_invalid() =>
        Given(Submitted()).When(new ReviewApplication(Expert1, new Dictionary<string, decimal> { ["innovation"] = 80, ["security"] = 40, ["charm"] = 100 }), AfterWindow)
            .ThenRejected(RejectionKind.Validation);

    [Fact]
    public void A_sheet_missing_a_criterion_is_invalid() =>
        Given(Submitted()).When(new ReviewApplication(Expert1, new Dictionary<string, decimal> { ["innovation"] = 80 }), AfterWindow)
            .ThenRejected(RejectionKind.Validation);

    [Fact]
    public void A_score_above_100_is_invalid() =>
        Given(Submitted()).When(Review(Expert1, 101, 40), AfterWindow).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void A_negative_score_is_invalid() =>
        Given(Submitted()).When(Review(Expert1, 80, -1), AfterWindow).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void Scores_of_0_and_100_are_valid() =>
        Given(Submitted()).When(Review(Expert1, 100, 0), AfterWindow).Then(Reviewed(Expert1, 100, 0, 75));

    [Fact]
    public void A_shortlisted_application_takes_no_more_reviews() =>
        Given(Submitted(), Reviewed(Expert1, 80, 40, 70), Shortlisted()).When(Review(Expert2, 80, 40), DuringNotice).ThenRejected(RejectionKind.InvalidTransition);

    [Fact]
    public void An_application_not_selected_takes_no_more_reviews() =>
        Given(Submitted(), new ApplicationNotSelected(Platform, AfterWindow, null, "x")).When(Review(Expert1, 80, 40), AfterWindow).ThenRejected(RejectionKind.InvalidTransition);

    // ---- evaluation: the score (Art. 8(3)) ----

    [Fact]
    public void The_score_of_no_review_is_undefined() => Assert.Null(Application.ScoreOf([]));

    [Fact]
    public void The_score_is_the_mean_of_the_weighted_sheets() =>
        Assert.Equal(65m, Application.ScoreOf([new Review("e1", Scores(80, 40), 70m, AfterWindow), new Review("e2", Scores(60, 60), 60m, AfterWindow)]));

    [Fact]
    public void The_score_is_rounded_to_two_places() =>
        Assert.Equal(66.67m, Application.ScoreOf([new Review("e1", Scores(70, 70), 70m, AfterWindow), new Review("e2", Scores(70, 70), 70m, AfterWindow), new Review("e3", Scores(60, 60), 60m, AfterWindow)]));

    [Fact]
    public void At_or_above_the_pass_score_an_application_is_shortlisted_until_the_notice_ends() =>
        Assert.Equal(NoticeEnds, Given(Submitted(), Reviewed(Expert1, 80, 40, 70)).When(Evaluate(), AfterWindow)
            .Then(new ApplicationShortlisted(Platform, AfterWindow, 70m, NoticeEnds)).State.NoticeEndsAt);

    [Fact]
    public void Exactly_the_pass_score_is_enough_to_be_shortlisted() =>
        // (3 × 60 + 60) / 4 = 60 = pass score
        Given(Submitted(), Reviewed(Expert1, 60, 60, 60)).When(Evaluate(), AfterWindow).Then(new ApplicationShortlisted(Platform, AfterWindow, 60m, NoticeEnds));

    [Fact]
    public void Below_the_pass_score_an_application_is_not_selected() =>
        // (3 × 50 + 70) / 4 = 55 < 60
        Assert.Equal(ApplicationStatus.NotSelected, Given(Submitted(), Reviewed(Expert1, 50, 70, 55)).When(Evaluate(), AfterWindow)
            .Then(new ApplicationNotSelected(Platform, AfterWindow, 55m, "score 55 is below the pass score 60")).State.State);

    [Fact]
    public void An_application_no_expert_reviewed_is_not_selected() =>
        Given(Submitted()).When(Evaluate(), AfterWindow).Then(new ApplicationNotSelected(Platform, AfterWindow, null, "no expert reviewed the application"));

    [Fact]
    public void The_score_is_the_mean_over_experts_of_each_weighted_sheet() =>
        // expert 1: (3 × 80 + 40) / 4 = 70; expert 2: (3 × 40 + 80) / 4 = 50; mean 60 = pass score
        Given(Submitted(), Reviewed(Expert1, 80, 40, 70), Reviewed(Expert2, 40, 80, 50)).When(Evaluate(), AfterWindow)
            .Then(new ApplicationShortlisted(Platform, AfterWindow, 60m, NoticeEnds));

    [Fact]
    public void One_low_sheet_can_pull_the_mean_below_the_pass_score() =>
        // 70, 50 and 40 → mean 53.33 < 60
        Given(Submitted(), Reviewed(Expert1, 80, 40, 70), Reviewed(Expert2, 40, 80, 50), Reviewed(Expert3, 40, 40, 40)).When(Evaluate(), AfterWindow)
            .Then(new ApplicationNotSelected(Platform, AfterWindow, 53.33m, "score 53.33 is below the pass score 60"));

    [Fact]
    public void A_mean_just_below_the_pass_score_is_not_lifted_to_it_by_rounding() =>
        // sheets 70, 70 and 69.99 → mean 69.99666…, below 70 although it shows as 70.00
        Given(Submitted(passScore: 70m), Reviewed(Expert1, 70, 70, 70), Reviewed(Expert2, 70, 70, 70), Reviewed(Expert3, 69.99m, 69.99m, 69.99m))
            .When(Evaluate(), AfterWindow)
            .Then(new ApplicationNotSelected(Platform, AfterWindow, 70.00m, "score 69.996667 is below the pass score 70"));

    [Fact]
    public void Evaluating_a_shortlisted_application_again_changes_nothing() =>
        Given(Submitted(), Reviewed(Expert1, 80, 40, 70), Shortlisted()).When(Evaluate(), AfterWindow).ThenNothing();

    [Fact]
    public void Evaluating_an_application_not_selected_again_changes_nothing() =>
        Given(Submitted(), new ApplicationNotSelected(Platform, AfterWindow, null, "x")).When(Evaluate(), AfterWindow).ThenNothing();

    // ---- objections during the public notice ----

    [Fact]
    public void Anyone_files_an_objection_to_a_shortlisted_application() =>
        Assert.Single(Given(Submitted(), Shortlisted()).When(new FileObjection(Citizen, "undisclosed lawsuit"), DuringNotice)
            .Then(Objection()).State.Objections);

    [Fact]
    public void Objections_are_numbered_per_application() =>
        Given(Submitted(), Shortlisted(), Objection()).When(new FileObjection(OperatorB, "conflict"), DuringNotice)
            .Then(new ObjectionFiled(OperatorB, DuringNotice, "app-1~o2", "conflict"));

    [Fact]
    public void Filing_again_with_the_same_idempotency_key_changes_nothing() =>
        Given(Submitted(), Shortlisted(), Objection() with { Key = "k-1" }).When(new FileObjection(Citizen, "undisclosed lawsuit", "k-1"), DuringNotice).ThenNothing();

    [Fact]
    public void A_repeat_with_the_same_idempotency_key_after_the_notice_ended_still_changes_nothing() =>
        Given(Submitted(), Shortlisted(), Objection() with { Key = "k-1" }).When(new FileObjection(Citizen, "undisclosed lawsuit", "k-1"), NoticeEnds).ThenNothing();

    [Fact]
    public void The_same_idempotency_key_from_another_caller_files_a_new_objection() =>
        Given(Submitted(), Shortlisted(), Objection() with { Key = "k-1" }).When(new FileObjection(OperatorB, "conflict", "k-1"), DuringNotice)
            .Then(new ObjectionFiled(OperatorB, DuringNotice, "app-1~o2", "conflict", "k-1"));

    [Fact]
    public void An_objection_keeps_its_idempotency_key() =>
        Assert.Equal("k-1", Given(Submitted(), Shortlisted()).When(new FileObjection(Citizen, "undisclosed lawsuit", "k-1"), DuringNotice)
            .Then(Objection() with { Key = "k-1" }).State.Objections.Single().Key);

    [Fact]
    public void The_platform_does_not_file_objections() =>
        Given(Submitted(), Shortlisted()).When(new FileObjection(Platform, "x"), DuringNotice).ThenRejected(RejectionKind.Forbidden);

    [Fact]
    public void An_objection_needs_a_reason() =>
        Given(Submitted(), Shortlisted()).When(new FileObjection(Citizen, ""), DuringNotice).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void An_application_under_review_takes_no_objection() =>
        Given(Submitted(), Reviewed(Expert1, 80, 40, 70)).When(new FileObjection(Citizen, "x"), DuringNotice).ThenRejected(RejectionKind.InvalidTransition);

    [Fact]
    public void An_objection_after_the_notice_period_is_refused_citing_Art_8_3() =>
        Given(Submitted(), Shortlisted()).When(new FileObjection(Citizen, "x"), NoticeEnds).ThenRejected(RejectionKind.RuleViolation, Art.A8_3);

    [Fact]
    public void An_objection_once_the_notice_has_ended_is_refused_citing_Art_8_3() =>
        Given(Submitted(), Shortlisted(), Objection(), Ended).When(new FileObjection(Citizen, "x"), DuringNotice).ThenRejected(RejectionKind.RuleViolation, Art.A8_3);

    [Fact]
    public void The_authority_dismisses_an_objection() =>
        Given(Submitted(), Shortlisted(), Objection()).When(new ResolveObjection(Authority, "app-1~o1", false), DuringNotice)
            .Then(new ObjectionResolved(Authority, DuringNotice, "app-1~o1", false));

    [Fact]
    public void An_upheld_objection_rejects_the_application() =>
        Assert.Equal(ApplicationStatus.Rejected, Given(Submitted(), Shortlisted(), Objection()).When(new ResolveObjection(Authority, "app-1~o1", true), DuringNotice)
            .Then(new ObjectionResolved(Authority, DuringNotice, "app-1~o1", true),
                  new ApplicationRejected(Authority, DuringNotice, "objection app-1~o1 upheld: undisclosed lawsuit")).State.State);

    [Fact]
    public void Another_authority_may_not_resolve_an_objection_citing_Art_8_3() =>
        Given(Submitted(), Shortlisted(), Objection()).When(new ResolveObjection(OtherAuthority, "app-1~o1", true), DuringNotice).ThenRejected(RejectionKind.Forbidden, Art.A8_3);

    [Fact]
    public void The_public_may_not_resolve_an_objection() =>
        Given(Submitted(), Shortlisted(), Objection()).When(new ResolveObjection(Citizen, "app-1~o1", false), DuringNotice).ThenRejected(RejectionKind.Forbidden, Art.A8_3);

    [Fact]
    public void Resolving_an_unknown_objection_is_not_found() =>
        Given(Submitted(), Shortlisted(), Objection()).When(new ResolveObjection(Authority, "app-1~o9", false), DuringNotice).ThenRejected(RejectionKind.NotFound);

    [Fact]
    public void Resolving_an_objection_the_same_way_again_changes_nothing() =>
        Given(Submitted(), Shortlisted(), Objection(), new ObjectionResolved(Authority, DuringNotice, "app-1~o1", false))
            .When(new ResolveObjection(Authority, "app-1~o1", false), DuringNotice).ThenNothing();

    [Fact]
    public void A_resolved_objection_cannot_be_resolved_the_other_way() =>
        Given(Submitted(), Shortlisted(), Objection(), new ObjectionResolved(Authority, DuringNotice, "app-1~o1", false))
            .When(new ResolveObjection(Authority, "app-1~o1", true), DuringNotice).ThenRejected(RejectionKind.InvalidTransition);

    [Fact]
    public void Dismissing_the_last_pending_objection_after_the_notice_ended_confirms_the_application() =>
        Given(Submitted(), Shortlisted(), Objection(), Ended).When(new ResolveObjection(Authority, "app-1~o1", false), NoticeEnds.AddDays(1))
            .Then(new ObjectionResolved(Authority, NoticeEnds.AddDays(1), "app-1~o1", false), new ApplicationConfirmed(Platform, NoticeEnds.AddDays(1)));

    [Fact]
    public void Dismissing_one_of_two_pending_objections_after_the_notice_ended_does_not_confirm_yet() =>
        Given(Submitted(), Shortlisted(), Objection(1), Objection(2), Ended).When(new ResolveObjection(Authority, "app-1~o1", false), NoticeEnds)
            .Then(new ObjectionResolved(Authority, NoticeEnds, "app-1~o1", false));

    [Fact]
    public void Upholding_a_pending_objection_after_the_notice_ended_rejects_the_application() =>
        Given(Submitted(), Shortlisted(), Objection(), Ended).When(new ResolveObjection(Authority, "app-1~o1", true), NoticeEnds)
            .Then(new ObjectionResolved(Authority, NoticeEnds, "app-1~o1", true), new ApplicationRejected(Authority, NoticeEnds, "objection app-1~o1 upheld: undisclosed lawsuit"));

    [Fact]
    public void Upholding_a_second_objection_of_a_rejected_application_only_records_it() =>
        Given(Submitted(), Shortlisted(), Objection(1), Objection(2), new ObjectionResolved(Authority, DuringNotice, "app-1~o1", true), new ApplicationRejected(Authority, DuringNotice, "x"))
            .When(new ResolveObjection(Authority, "app-1~o2", true), DuringNotice).Then(new ObjectionResolved(Authority, DuringNotice, "app-1~o2", true));

    // ---- end of the notice (Art. 8(4): 公示无异议) ----

    [Fact]
    public void A_notice_without_objection_confirms_the_application() =>
        Assert.Equal(ApplicationStatus.Confirmed, Given(Submitted(), Shortlisted()).When(new ConcludeNotice(Platform), NoticeEnds)
            .Then(new NoticeEnded(Platform, NoticeEnds), new ApplicationConfirmed(Platform, NoticeEnds)).State.State);

    [Fact]
    public void A_notice_whose_objections_were_all_dismissed_confirms_the_application() =>
        Given(Submitted(), Shortlisted(), Objection(), new ObjectionResolved(Authority, DuringNotice, "app-1~o1", false)).When(new ConcludeNotice(Platform), NoticeEnds)
            .Then(new NoticeEnded(Platform, NoticeEnds), new ApplicationConfirmed(Platform, NoticeEnds));

    [Fact]
    public void A_notice_ending_with_a_pending_objection_waits_for_its_resolution() =>
        Assert.Equal(ApplicationStatus.Shortlisted, Given(Submitted(), Shortlisted(), Objection()).When(new ConcludeNotice(Platform), NoticeEnds)
            .Then(new NoticeEnded(Platform, NoticeEnds)).State.State);

    [Fact]
    public void Ending_the_notice_again_changes_nothing() =>
        Given(Submitted(), Shortlisted(), Objection(), Ended).When(new ConcludeNotice(Platform), NoticeEnds).ThenNothing();

    [Fact]
    public void The_end_of_the_notice_does_not_confirm_an_application_not_selected() =>
        Given(Submitted(), new ApplicationNotSelected(Platform, AfterWindow, 10m, "x")).When(new ConcludeNotice(Platform), NoticeEnds).ThenNothing();

    [Fact]
    public void The_end_of_the_notice_does_not_confirm_a_rejected_application() =>
        Given(Submitted(), Shortlisted(), Objection(), new ObjectionResolved(Authority, DuringNotice, "app-1~o1", true), new ApplicationRejected(Authority, DuringNotice, "x"))
            .When(new ConcludeNotice(Platform), NoticeEnds).ThenNothing();

    [Fact]
    public void The_end_of_the_notice_does_nothing_to_a_confirmed_application() =>
        Given(Submitted(), Shortlisted(), Ended, new ApplicationConfirmed(Platform, NoticeEnds)).When(new ConcludeNotice(Platform), NoticeEnds).ThenNothing();

    // ---- deadlines and ids ----

    [Fact]
    public void An_application_has_no_deadlines_of_its_own_the_call_times_its_notice() =>
        Given(Submitted(), Shortlisted()).ThenNoDeadlines();

    [Fact]
    public void An_objection_id_names_its_application() =>
        Assert.True(ApplicationState.TryParseObjectionId("app-1~o12", out var app) && app == "app-1");

    [Fact]
    public void A_malformed_objection_id_is_not_parsed() =>
        Assert.False(ApplicationState.TryParseObjectionId("app-1~oX", out _));

    [Fact]
    public void An_affiliated_organisation_is_conflicted() =>
        Assert.True(Given(Submitted()).State.IsConflicted("op-a-parent"));

    [Fact]
    public void An_independent_expert_is_not_conflicted() =>
        Assert.False(Given(Submitted()).State.IsConflicted(Expert1.Org));
}
