using JinanDataOps.Domain.Calls;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.Datasets;
using JinanDataOps.Domain.Tests.Support;
using static JinanDataOps.Domain.Tests.Support.TestData;

namespace JinanDataOps.Domain.Tests.Calls;

public sealed class CallTests() : DeciderSpec<Call, CallState, ICallCommand, ICallEvent>("call-1")
{
    private static readonly CallTerms Std = Terms();
    private static readonly CallTerms DomainTerms = Terms(AuthorizationMode.Domain);

    private static CallCreated Created(CallTerms? terms = null) => new(Authority, T0, terms ?? Std);
    private static readonly CallPublished Published = new(Authority, T0);
    private static readonly CallClosed Closed = new(Platform, ClosesAt);
    private static readonly CallReviewStarted ReviewStarted = new(Authority, ClosesAt);
    private static readonly DateTimeOffset NoticeEnds = AfterWindow + NoticePeriod;
    private static readonly ShortlistPublished Shortlisted = new(Authority, AfterWindow, NoticeEnds);

    private static AcceptApplication Apply(Caller? by = null, string applicationId = "app-1", bool maintainer = false,
        bool registered = true, bool terminated = false, string materials = "{\"plan\":\"bus\"}") =>
        new(by ?? OperatorA, applicationId, materials, ["op-a-parent"], maintainer, registered, terminated);

    private static ApplicationAccepted Accepted(Caller? by = null, string applicationId = "app-1", DateTimeOffset? at = null) =>
        new(by ?? OperatorA, at ?? DuringWindow, applicationId, (by ?? OperatorA).Org, "{\"plan\":\"bus\"}", ["op-a-parent"]);

    // ---- create ----

    [Fact]
    public void The_authority_creates_a_call_as_a_draft() =>
        Assert.Equal(CallStatus.Draft,
            Given().When(new CreateCall(Authority, Std), T0).Then(new CallCreated(Authority, T0, Std)).State.State);

    [Fact]
    public void A_provider_may_not_create_a_call_citing_Art_8_1() =>
        Given().When(new CreateCall(TransportProvider, Std), T0).ThenRejected(RejectionKind.Forbidden, Art.A8_1);

    [Fact]
    public void An_operator_may_not_create_a_call() =>
        Given().When(new CreateCall(OperatorA, Std), T0).ThenRejected(RejectionKind.Forbidden, Art.A8_1);

    [Fact]
    public void Creating_the_same_call_again_changes_nothing() =>
        Given(Created()).When(new CreateCall(Authority, Std), T0).ThenNothing();

    [Fact]
    public void Creating_again_with_structurally_equal_terms_in_new_lists_changes_nothing() =>
        Given(Created()).When(new CreateCall(Authority, Std with
        {
            Scope = new Scope([DataDomain.Transport], ["ds-bus-gps"]),
            Conditions = ["registered in Jinan"],
            Criteria = [new("innovation", 3m), new("security", 1m)],
        }), T0).ThenNothing();

    [Fact]
    public void Creating_an_existing_call_with_other_terms_is_an_invalid_transition() =>
        Given(Created()).When(new CreateCall(Authority, Std with { Title = "Another" }), T0).ThenRejected(RejectionKind.InvalidTransition);

    [Fact]
    public void A_call_without_a_title_is_invalid() =>
        Given().When(new CreateCall(Authority, Std with { Title = " " }), T0).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void A_call_with_an_empty_scope_is_invalid() =>
        Given().When(new CreateCall(Authority, Std with { Scope = Scope.Empty }), T0).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void A_call_naming_a_domain_twice_is_invalid() =>
        Given().When(new CreateCall(Authority, Std with { Scope = new Scope([DataDomain.Transport, DataDomain.Transport], []) }), T0)
            .ThenRejected(RejectionKind.Validation);

    [Fact]
    public void A_call_without_review_criteria_is_invalid() =>
        Given().When(new CreateCall(Authority, Std with { Criteria = [] }), T0).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void A_call_naming_a_criterion_twice_is_invalid() =>
        Given().When(new CreateCall(Authority, Std with { Criteria = [new("a", 1m), new("a", 2m)] }), T0).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void A_criterion_weight_of_zero_is_invalid() =>
        Given().When(new CreateCall(Authority, Std with { Criteria = [new("a", 0m)] }), T0).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void A_criterion_weight_above_1000_is_invalid() =>
        Given().When(new CreateCall(Authority, Std with { Criteria = [new("a", 1001m)] }), T0).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void A_pass_score_above_100_is_invalid() =>
        Given().When(new CreateCall(Authority, Std with { PassScore = 100.5m }), T0).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void A_negative_pass_score_is_invalid() =>
        Given().When(new CreateCall(Authority, Std with { PassScore = -1m }), T0).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void A_window_that_closes_before_it_opens_is_invalid() =>
        Given().When(new CreateCall(Authority, Std with { OpensAt = ClosesAt, ClosesAt = OpensAt }), T0).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void A_window_that_closes_as_it_opens_is_invalid() =>
        Given().When(new CreateCall(Authority, Std with { ClosesAt = OpensAt }), T0).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void A_zero_notice_period_is_invalid() =>
        Given().When(new CreateCall(Authority, Std with { NoticePeriod = TimeSpan.Zero }), T0).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void A_notice_period_longer_than_a_year_is_invalid() =>
        Given().When(new CreateCall(Authority, Std with { NoticePeriod = TimeSpan.FromDays(367) }), T0).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void A_domain_call_without_a_provider_is_refused_citing_Art_7() =>
        Given().When(new CreateCall(Authority, DomainTerms with { ProviderId = null }), T0).ThenRejected(RejectionKind.RuleViolation, Art.A7);

    [Fact]
    public void A_comprehensive_call_naming_a_provider_is_refused_citing_Art_7() =>
        Given().When(new CreateCall(Authority, Std with { ProviderId = "jn-transport" }), T0).ThenRejected(RejectionKind.RuleViolation, Art.A7);

    [Fact]
    public void A_graded_call_naming_a_provider_is_refused_citing_Art_7() =>
        Given().When(new CreateCall(Authority, Terms(AuthorizationMode.Graded) with { ProviderId = "jn-transport" }), T0)
            .ThenRejected(RejectionKind.RuleViolation, Art.A7);

    [Fact]
    public void A_domain_call_naming_its_provider_is_created() =>
        Given().When(new CreateCall(Authority, DomainTerms), T0).Then(new CallCreated(Authority, T0, DomainTerms));

    [Fact]
    public void Any_command_but_create_on_a_call_that_does_not_exist_is_not_found() =>
        Given().When(new PublishCall(Authority), T0).ThenRejected(RejectionKind.NotFound);

    // ---- publish ----

    [Fact]
    public void The_authority_that_drafted_the_call_publishes_it_and_it_opens() =>
        Assert.Equal(CallStatus.Open, Given(Created()).When(new PublishCall(Authority), T0).Then(new CallPublished(Authority, T0)).State.State);

    [Fact]
    public void Another_authority_may_not_publish_the_call() =>
        Given(Created()).When(new PublishCall(OtherAuthority), T0).ThenRejected(RejectionKind.Forbidden, Art.A8_1);

    [Fact]
    public void A_provider_may_not_publish_a_call() =>
        Given(Created()).When(new PublishCall(TransportProvider), T0).ThenRejected(RejectionKind.Forbidden, Art.A8_1);

    [Fact]
    public void Publishing_an_open_call_again_changes_nothing() =>
        Given(Created(), Published).When(new PublishCall(Authority), T0).ThenNothing();

    [Fact]
    public void A_call_cannot_be_published_after_its_window_closed_citing_Art_8_2() =>
        Given(Created()).When(new PublishCall(Authority), ClosesAt).ThenRejected(RejectionKind.RuleViolation, Art.A8_2);

    [Fact]
    public void A_cancelled_call_cannot_be_published() =>
        Given(Created(), new CallCancelled(Authority, T0, "budget")).When(new PublishCall(Authority), T0).ThenRejected(RejectionKind.InvalidTransition);

    [Fact]
    public void A_closed_call_cannot_be_published() =>
        Given(Created(), Published, Closed).When(new PublishCall(Authority), T0).ThenRejected(RejectionKind.InvalidTransition);

    // ---- cancel ----

    [Fact]
    public void A_draft_call_can_be_cancelled() =>
        Given(Created()).When(new CancelCall(Authority, "budget"), T0).Then(new CallCancelled(Authority, T0, "budget"));

    [Fact]
    public void An_open_call_can_be_cancelled_and_keeps_its_reason() =>
        Assert.Equal("budget", Given(Created(), Published).When(new CancelCall(Authority, "budget"), DuringWindow)
            .Then(new CallCancelled(Authority, DuringWindow, "budget")).State.CancelReason);

    [Fact]
    public void Cancelling_a_cancelled_call_again_changes_nothing() =>
        Given(Created(), new CallCancelled(Authority, T0, "budget")).When(new CancelCall(Authority, "budget"), T0).ThenNothing();

    [Fact]
    public void A_closed_call_cannot_be_cancelled() =>
        Given(Created(), Published, Closed).When(new CancelCall(Authority, "budget"), AfterWindow).ThenRejected(RejectionKind.InvalidTransition);

    [Fact]
    public void Another_authority_may_not_cancel_the_call() =>
        Given(Created()).When(new CancelCall(OtherAuthority, "budget"), T0).ThenRejected(RejectionKind.Forbidden, Art.A8_1);

    [Fact]
    public void Cancelling_without_a_reason_is_invalid() =>
        Given(Created()).When(new CancelCall(Authority, ""), T0).ThenRejected(RejectionKind.Validation);

    // ---- applications (Art. 8(2), 11) ----

    [Fact]
    public void An_application_inside_the_window_is_accepted() =>
        Assert.Single(Given(Created(), Published).When(Apply(), DuringWindow).Then(Accepted()).State.Applications);

    [Fact]
    public void An_application_at_the_moment_the_window_opens_is_accepted() =>
        Given(Created(), Published).When(Apply(), OpensAt).Then(Accepted(at: OpensAt));

    [Fact]
    public void An_application_before_the_window_opens_is_refused_citing_Art_8_2() =>
        Given(Created(), Published).When(Apply(), T0).ThenRejected(RejectionKind.RuleViolation, Art.A8_2);

    [Fact]
    public void An_application_at_the_moment_the_window_closes_is_refused_citing_Art_8_2() =>
        Given(Created(), Published).When(Apply(), ClosesAt).ThenRejected(RejectionKind.RuleViolation, Art.A8_2);

    [Fact]
    public void An_application_after_the_window_closes_is_refused_citing_Art_8_2() =>
        Given(Created(), Published).When(Apply(), AfterWindow).ThenRejected(RejectionKind.RuleViolation, Art.A8_2);

    [Fact]
    public void An_application_to_a_closed_call_is_refused_citing_Art_8_2() =>
        Given(Created(), Published, Closed).When(Apply(), AfterWindow).ThenRejected(RejectionKind.RuleViolation, Art.A8_2);

    [Fact]
    public void An_application_to_a_draft_call_is_an_invalid_transition() =>
        Given(Created()).When(Apply(), DuringWindow).ThenRejected(RejectionKind.InvalidTransition);

    [Fact]
    public void An_application_to_a_cancelled_call_is_an_invalid_transition() =>
        Given(Created(), Published, new CallCancelled(Authority, T0, "budget")).When(Apply(), DuringWindow).ThenRejected(RejectionKind.InvalidTransition);

    [Fact]
    public void Only_an_operator_applies_citing_Art_8_2() =>
        Given(Created(), Published).When(Apply(by: Maintainer), DuringWindow).ThenRejected(RejectionKind.Forbidden, Art.A8_2);

    [Fact]
    public void The_platform_maintainer_may_not_apply_citing_Art_11() =>
        Given(Created(), Published).When(Apply(maintainer: true), DuringWindow).ThenRejected(RejectionKind.RuleViolation, Art.A11);

    [Fact]
    public void An_unregistered_operator_may_not_apply_citing_Art_8_2() =>
        Given(Created(), Published).When(Apply(registered: false), DuringWindow).ThenRejected(RejectionKind.RuleViolation, Art.A8_2);

    [Fact]
    public void A_terminated_operator_may_not_apply_citing_Art_18() =>
        Given(Created(), Published).When(Apply(terminated: true), DuringWindow).ThenRejected(RejectionKind.RuleViolation, Art.A18);

    [Fact]
    public void An_application_without_materials_is_invalid() =>
        Given(Created(), Published).When(Apply(materials: ""), DuringWindow).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void Repeating_the_same_application_changes_nothing() =>
        Given(Created(), Published, Accepted()).When(Apply(), DuringWindow).ThenNothing();

    [Fact]
    public void A_second_application_by_the_same_operator_is_a_conflict_citing_Art_8_2() =>
        Assert.True(Given(Created(), Published, Accepted()).When(Apply(applicationId: "app-2"), DuringWindow)
            .ThenRejected(RejectionKind.RuleViolation, Art.A8_2).IsConflict);

    [Fact]
    public void Another_operator_may_apply_to_the_same_call() =>
        Assert.Equal(2, Given(Created(), Published, Accepted()).When(Apply(by: OperatorB, applicationId: "app-2"), DuringWindow)
            .Then(Accepted(OperatorB, "app-2")).State.Applications.Count);

    // ---- closing the window ----

    [Fact]
    public void The_window_closes_when_its_timer_fires_on_time() =>
        Assert.Equal(CallStatus.Closed, Given(Created(), Published).When(new CloseCall(Platform), ClosesAt).Then(new CallClosed(Platform, ClosesAt)).State.State);

    [Fact]
    public void An_overdue_close_timer_still_closes_the_window() =>
        Given(Created(), Published).When(new CloseCall(Platform), AfterWindow).Then(new CallClosed(Platform, AfterWindow));

    [Fact]
    public void A_close_timer_issued_early_does_nothing() =>
        Given(Created(), Published).When(new CloseCall(Platform), DuringWindow).ThenNothing();

    [Fact]
    public void Closing_a_closed_call_again_changes_nothing() =>
        Given(Created(), Published, Closed).When(new CloseCall(Platform), AfterWindow).ThenNothing();

    [Fact]
    public void A_draft_call_is_not_closed_by_the_timer() =>
        Given(Created()).When(new CloseCall(Platform), AfterWindow).ThenNothing();

    // ---- review ----

    [Fact]
    public void The_review_starts_on_a_closed_call() =>
        Assert.Equal(CallStatus.UnderReview, Given(Created(), Published, Closed).When(new StartReview(Authority), ClosesAt).Then(ReviewStarted).State.State);

    [Fact]
    public void Starting_the_review_of_an_open_call_does_nothing() =>
        Given(Created(), Published).When(new StartReview(Authority), DuringWindow).ThenNothing();

    [Fact]
    public void Starting_the_review_again_changes_nothing() =>
        Given(Created(), Published, Closed, ReviewStarted).When(new StartReview(Authority), AfterWindow).ThenNothing();

    // ---- shortlist and notice (Art. 8(3)) ----

    [Fact]
    public void Publishing_the_shortlist_starts_the_notice_period() =>
        Assert.Equal(NoticeEnds, Given(Created(), Published, Closed, ReviewStarted).When(new PublishShortlist(Authority), AfterWindow)
            .Then(Shortlisted).State.NoticeEndsAt);

    [Fact]
    public void The_shortlist_can_be_published_straight_from_a_closed_call() =>
        Assert.Equal(CallStatus.Noticed, Given(Created(), Published, Closed).When(new PublishShortlist(Authority), AfterWindow).Then(Shortlisted).State.State);

    [Fact]
    public void A_shortlist_published_before_the_close_timer_fired_closes_the_call_first() =>
        Given(Created(), Published).When(new PublishShortlist(Authority), AfterWindow).Then(new CallClosed(Platform, AfterWindow), Shortlisted);

    [Fact]
    public void A_shortlist_before_the_window_closes_is_refused_citing_Art_8_3() =>
        Given(Created(), Published).When(new PublishShortlist(Authority), DuringWindow).ThenRejected(RejectionKind.RuleViolation, Art.A8_3);

    [Fact]
    public void The_provider_of_a_domain_call_co_organises_and_may_publish_the_shortlist() =>
        Given(Created(DomainTerms), Published, Closed).When(new PublishShortlist(TransportProvider), AfterWindow)
            .Then(new ShortlistPublished(TransportProvider, AfterWindow, NoticeEnds));

    [Fact]
    public void Another_provider_may_not_publish_the_shortlist_of_a_domain_call() =>
        Given(Created(DomainTerms), Published, Closed).When(new PublishShortlist(MedicalProvider), AfterWindow).ThenRejected(RejectionKind.Forbidden, Art.A8_3);

    [Fact]
    public void A_provider_may_not_publish_the_shortlist_of_a_comprehensive_call() =>
        Given(Created(), Published, Closed).When(new PublishShortlist(TransportProvider), AfterWindow).ThenRejected(RejectionKind.Forbidden, Art.A8_3);

    [Fact]
    public void Another_authority_may_not_publish_the_shortlist() =>
        Given(Created(), Published, Closed).When(new PublishShortlist(OtherAuthority), AfterWindow).ThenRejected(RejectionKind.Forbidden, Art.A8_3);

    [Fact]
    public void Publishing_the_shortlist_again_changes_nothing() =>
        Given(Created(), Published, Closed, Shortlisted).When(new PublishShortlist(Authority), AfterWindow).ThenNothing();

    [Fact]
    public void Publishing_the_shortlist_of_a_concluded_call_changes_nothing() =>
        Given(Created(), Published, Closed, Shortlisted, new CallConcluded(Platform, NoticeEnds)).When(new PublishShortlist(Authority), NoticeEnds).ThenNothing();

    [Fact]
    public void A_draft_call_has_no_shortlist() =>
        Given(Created()).When(new PublishShortlist(Authority), AfterWindow).ThenRejected(RejectionKind.InvalidTransition);

    [Fact]
    public void A_cancelled_call_has_no_shortlist() =>
        Given(Created(), new CallCancelled(Authority, T0, "budget")).When(new PublishShortlist(Authority), AfterWindow).ThenRejected(RejectionKind.InvalidTransition);

    // ---- conclusion ----

    [Fact]
    public void The_call_concludes_when_the_notice_ends() =>
        Assert.Equal(CallStatus.Concluded, Given(Created(), Published, Closed, Shortlisted).When(new ConcludeCall(Platform), NoticeEnds)
            .Then(new CallConcluded(Platform, NoticeEnds)).State.State);

    [Fact]
    public void An_overdue_notice_timer_still_concludes_the_call() =>
        Given(Created(), Published, Closed, Shortlisted).When(new ConcludeCall(Platform), NoticeEnds.AddDays(3)).Then(new CallConcluded(Platform, NoticeEnds.AddDays(3)));

    [Fact]
    public void A_notice_timer_issued_early_does_nothing() =>
        Given(Created(), Published, Closed, Shortlisted).When(new ConcludeCall(Platform), NoticeEnds.AddSeconds(-1)).ThenNothing();

    [Fact]
    public void Concluding_a_concluded_call_again_changes_nothing() =>
        Given(Created(), Published, Closed, Shortlisted, new CallConcluded(Platform, NoticeEnds)).When(new ConcludeCall(Platform), NoticeEnds).ThenNothing();

    [Fact]
    public void A_call_not_under_notice_does_not_conclude() =>
        Given(Created(), Published, Closed).When(new ConcludeCall(Platform), NoticeEnds).ThenNothing();

    // ---- deadlines ----

    [Fact]
    public void A_call_that_does_not_exist_has_no_deadlines() => Given().ThenNoDeadlines();

    [Fact]
    public void A_draft_call_has_no_deadlines() => Given(Created()).ThenNoDeadlines();

    [Fact]
    public void An_open_call_has_its_window_closing_at_ClosesAt() =>
        Given(Created(), Published).ThenDeadlines(new Deadline<ICallCommand>("window-closes", ClosesAt, new CloseCall(Platform)));

    [Fact]
    public void A_closed_call_has_no_deadlines() => Given(Created(), Published, Closed).ThenNoDeadlines();

    [Fact]
    public void A_call_under_review_has_no_deadlines() => Given(Created(), Published, Closed, ReviewStarted).ThenNoDeadlines();

    [Fact]
    public void A_noticed_call_has_its_notice_ending_at_NoticeEndsAt() =>
        Given(Created(), Published, Closed, Shortlisted).ThenDeadlines(new Deadline<ICallCommand>("notice-ends", NoticeEnds, new ConcludeCall(Platform)));

    [Fact]
    public void A_concluded_call_has_no_deadlines() =>
        Given(Created(), Published, Closed, Shortlisted, new CallConcluded(Platform, NoticeEnds)).ThenNoDeadlines();

    [Fact]
    public void A_cancelled_call_has_no_deadlines() => Given(Created(), Published, new CallCancelled(Authority, T0, "budget")).ThenNoDeadlines();

    // ---- terms ----

    [Fact]
    public void A_domain_call_is_authorized_by_its_provider() =>
        Assert.Equal(TransportProvider, DomainTerms.AuthorizingUnit(Authority.Org));

    [Fact]
    public void A_comprehensive_call_is_authorized_by_the_authority() =>
        Assert.Equal(Authority, Std.AuthorizingUnit(Authority.Org));

    [Fact]
    public void The_kind_of_a_call_entity_is_call() => Assert.Equal("call", Call.Kind);
}
