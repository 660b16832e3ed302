using JinanDataOps.Domain.Agreements;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.DataRequests;
using JinanDataOps.Domain.Products;
using JinanDataOps.Domain.Tests.Support;
using static JinanDataOps.Domain.Tests.Support.TestData;

namespace JinanDataOps.Domain.Tests.Products;

public sealed class ProductTests() : DeciderSpec<Product, ProductState, IProductCommand, IProductEvent>("prd-1")
{
    private static readonly DateTimeOffset At = T0.AddDays(90);
    private const string Exchange = "Shandong Data Exchange";

    /// <summary>A comprehensive agreement: the authority is its authorizing unit and its authority.</summary>
    private static readonly ProductAgreement Active = new("agr-1", AgreementStatus.Active, OperatorA.Org, Authority, Authority.Org);

    /// <summary>A domain agreement: the transport provider is the authorizing unit, the city authority its authority.</summary>
    private static readonly ProductAgreement DomainAgreement = new("agr-1", AgreementStatus.Active, OperatorA.Org, TransportProvider, Authority.Org);

    private static readonly ProductSource Provisioned = new("req-1", OperatorA.Org, "agr-1", DataRequestStatus.Provisioned, ["ds-bus-gps", "ds-riders"]);

    private static readonly IReadOnlyList<SourceDataset> Datasets = [new("ds-bus-gps", []), new("ds-riders", ["card-number", "phone"])];

    private static CreateProduct Create(
        ProductKind kind = ProductKind.Service, bool aggregated = false, string[]? output = null, ProductAgreement? agreement = null,
        ProductSource[]? sources = null, Caller? by = null, bool noAgreement = false) =>
        new(by ?? OperatorA, "agr-1", (sources ?? [Provisioned]).Select(r => r.RequestId).ToArray(), kind, "Bus punctuality API", "On-time rate per route and hour",
            output ?? ["route", "on-time-rate"], aggregated, noAgreement ? null : agreement ?? Active, sources ?? [Provisioned], Datasets);

    private static readonly ProductCreated Created = new(
        OperatorA, At, OperatorA.Org, "agr-1", ["req-1"], ["ds-bus-gps", "ds-riders"], ProductKind.Service, "Bus punctuality API",
        "On-time rate per route and hour", ["route", "on-time-rate"], false, Authority, Authority.Org);

    private static readonly ProductSubmitted Submitted = new(OperatorA, At);
    private static readonly ProductApproved Approved = new(Authority, At, "no personal data in the output");
    private static readonly ProductReturned Returned = new(Authority, At, "describe the aggregation level");
    private static readonly ProductListed Listed = new(OperatorA, At, Exchange);
    private static readonly ProductDelisted Delisted = new(OperatorA, At, "product withdrawn");

    private static SubmitProduct Submit(Caller? by = null) => new(by ?? OperatorA, Datasets);
    private static ListProduct List(Caller? by = null, bool agreementActive = true, params string[] stopped) => new(by ?? OperatorA, Exchange, agreementActive, stopped);

    // ---- registration (Art. 3, 13, 18) ----

    [Fact]
    public void An_operator_registers_a_product_from_its_provisioned_request_as_a_draft()
    {
        var state = Given().When(Create(), At).Then(Created).State;
        Assert.Equal((ProductStatus.Draft, OperatorA.Org, Authority.Org), (state.State, state.OperatorId, state.AuthorityOrg));
        Assert.Equal(Authority, state.AuthorizingUnit);
    }

    [Fact]
    public void Registering_it_again_changes_nothing() => Given(Created).When(Create(), At).ThenNothing();

    [Fact]
    public void A_product_may_not_output_a_field_marked_sensitive_in_a_source_dataset()
    {
        var refusal = Given().When(Create(output: ["route", "phone"]), At).ThenRejected(RejectionKind.RuleViolation, Art.A13);
        Assert.Contains("phone", refusal.Detail);
        Assert.False(refusal.IsConflict);
    }

    [Fact]
    public void A_sensitive_field_is_found_in_any_case_and_qualified_by_its_dataset() =>
        Given().When(Create(output: ["ds-riders.Card-Number"]), At).ThenRejected(RejectionKind.RuleViolation, Art.A13);

    [Fact]
    public void A_report_must_declare_aggregated_output() =>
        Assert.Contains("report", Given().When(Create(kind: ProductKind.Report), At).ThenRejected(RejectionKind.RuleViolation, Art.A13).Detail);

    [Fact]
    public void A_verification_must_declare_aggregated_output() =>
        Assert.Contains("verification", Given().When(Create(kind: ProductKind.Verification), At).ThenRejected(RejectionKind.RuleViolation, Art.A13).Detail);

    [Fact]
    public void An_aggregated_report_is_registered() =>
        Given().When(Create(kind: ProductKind.Report, aggregated: true), At).Then(Created with { Kind = ProductKind.Report, Aggregated = true });

    [Theory]
    [InlineData(DataRequestStatus.Submitted)]
    [InlineData(DataRequestStatus.Approved)]
    [InlineData(DataRequestStatus.Suspended)]
    [InlineData(DataRequestStatus.Closed)]
    public void A_product_is_built_only_from_provisioned_requests(DataRequestStatus state) =>
        Given().When(Create(sources: [Provisioned with { State = state }]), At).ThenRejected(RejectionKind.RuleViolation, Art.A13);

    [Fact]
    public void A_product_may_not_be_built_from_another_operators_request() =>
        Given().When(Create(sources: [Provisioned with { OperatorId = OperatorB.Org }]), At).ThenRejected(RejectionKind.Forbidden, Art.A13);

    [Fact]
    public void A_product_may_not_be_built_from_a_request_under_another_agreement() =>
        Given().When(Create(sources: [Provisioned with { AgreementId = "agr-2" }]), At).ThenRejected(RejectionKind.RuleViolation, Art.A13);

    [Fact]
    public void A_product_may_not_stand_under_another_operators_agreement() =>
        Given().When(Create(agreement: Active with { OperatorId = OperatorB.Org }), At).ThenRejected(RejectionKind.Forbidden, Art.A3);

    [Theory]
    [InlineData(AgreementStatus.Drafted)]
    [InlineData(AgreementStatus.Suspended)]
    [InlineData(AgreementStatus.Terminated)]
    [InlineData(AgreementStatus.Expired)]
    public void A_product_is_built_only_under_an_active_agreement(AgreementStatus state) =>
        Given().When(Create(agreement: Active with { State = state }), At).ThenRejected(RejectionKind.RuleViolation, Art.A18);

    [Fact]
    public void An_unknown_agreement_or_request_is_not_found()
    {
        Given().When(Create(noAgreement: true), At).ThenRejected(RejectionKind.NotFound);
        Given().When(Create() with { DataRequestIds = ["req-1", "req-9"] }, At).ThenRejected(RejectionKind.NotFound);
    }

    [Fact]
    public void A_product_needs_a_name_and_output_fields()
    {
        Given().When(Create() with { Name = " " }, At).ThenRejected(RejectionKind.Validation);
        Given().When(Create(output: []), At).ThenRejected(RejectionKind.Validation);
        Given().When(Create() with { DataRequestIds = [] }, At).ThenRejected(RejectionKind.Validation);
    }

    [Theory]
    [InlineData(Role.Authority)]
    [InlineData(Role.Provider)]
    [InlineData(Role.Regulator)]
    [InlineData(Role.Public)]
    public void Only_an_operator_registers_products(Role role) =>
        Given().When(Create(by: new Caller(role, OperatorA.Org)), At).ThenRejected(RejectionKind.Forbidden, Art.A3);

    // ---- submission (Art. 13, 15) ----

    [Fact]
    public void The_operator_submits_its_draft() => Assert.Equal(ProductStatus.Submitted, Given(Created).When(Submit(), At).Then(Submitted).State.State);

    [Fact]
    public void Submitting_it_again_changes_nothing() => Given(Created, Submitted).When(Submit(), At).ThenNothing();

    [Fact]
    public void Another_operator_may_not_submit_it() => Given(Created).When(Submit(OperatorB), At).ThenRejected(RejectionKind.Forbidden, Art.A15);

    [Fact]
    public void The_output_is_checked_again_on_submission() =>
        Given(Created).When(new SubmitProduct(OperatorA, [new("ds-bus-gps", ["on-time-rate"])]), At).ThenRejected(RejectionKind.RuleViolation, Art.A13);

    [Fact]
    public void A_returned_product_is_submitted_again() => Given(Created, Submitted, Returned).When(Submit(), At).Then(Submitted);

    [Fact]
    public void An_approved_or_listed_product_is_not_submitted()
    {
        Given(Created, Submitted, Approved).When(Submit(), At).ThenRejected(RejectionKind.InvalidTransition);
        Given(Created, Submitted, Approved, Listed).When(Submit(), At).ThenRejected(RejectionKind.InvalidTransition);
    }

    // ---- review (Art. 15) ----

    [Fact]
    public void The_agreements_authority_approves_it_and_the_review_is_recorded()
    {
        var state = Given(Created, Submitted).When(new ReviewProduct(Authority, true, "no personal data in the output"), At).Then(Approved).State;
        Assert.Equal((ProductStatus.Approved, true, Authority, At), (state.State, state.Review!.Approved, state.Review.By, state.Review.At));
    }

    [Fact]
    public void The_authority_returns_it_with_notes() =>
        Assert.Equal("describe the aggregation level",
            Given(Created, Submitted).When(new ReviewProduct(Authority, false, "describe the aggregation level"), At).Then(Returned).State.Review!.Notes);

    [Fact]
    public void Returning_it_needs_notes() => Given(Created, Submitted).When(new ReviewProduct(Authority, false, " "), At).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void Approving_it_needs_no_notes() => Given(Created, Submitted).When(new ReviewProduct(Authority, true, null), At).Then(Approved with { Notes = null });

    [Fact]
    public void Another_authority_may_not_review_it() =>
        Given(Created, Submitted).When(new ReviewProduct(OtherAuthority, true, null), At).ThenRejected(RejectionKind.Forbidden, Art.A15);

    [Fact]
    public void The_authorizing_provider_of_a_domain_agreement_may_not_review_it_its_authority_does()
    {
        var domain = Created with { AuthorizingUnit = TransportProvider };
        Given(domain, Submitted).When(new ReviewProduct(TransportProvider, true, null), At).ThenRejected(RejectionKind.Forbidden, Art.A15);
        Given(domain, Submitted).When(new ReviewProduct(Authority, true, null), At).Then(Approved with { Notes = null });
    }

    [Fact]
    public void A_draft_is_not_reviewed() => Given(Created).When(new ReviewProduct(Authority, true, null), At).ThenRejected(RejectionKind.InvalidTransition);

    [Fact]
    public void The_same_verdict_again_changes_nothing() =>
        Given(Created, Submitted, Approved).When(new ReviewProduct(Authority, true, "again"), At).ThenNothing();

    [Fact]
    public void Another_verdict_after_the_review_is_refused() =>
        Given(Created, Submitted, Approved).When(new ReviewProduct(Authority, false, "changed my mind"), At).ThenRejected(RejectionKind.InvalidTransition);

    // ---- listing (Art. 13) ----

    [Fact]
    public void The_operator_lists_an_approved_product_on_a_data_exchange()
    {
        var state = Given(Created, Submitted, Approved).When(List(), At).Then(Listed).State;
        Assert.Equal((ProductStatus.Listed, Exchange), (state.State, state.Exchange));
        Assert.True(state.Parties.IsPublic);
    }

    [Fact]
    public void Listing_it_again_on_the_same_exchange_changes_nothing() => Given(Created, Submitted, Approved, Listed).When(List(), At).ThenNothing();

    [Fact]
    public void A_listing_names_the_exchange() =>
        Given(Created, Submitted, Approved).When(new ListProduct(OperatorA, " ", true, []), At).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void A_submitted_product_is_not_listed() => Given(Created, Submitted).When(List(), At).ThenRejected(RejectionKind.InvalidTransition);

    [Fact]
    public void A_returned_or_draft_product_is_not_listed()
    {
        Given(Created).When(List(), At).ThenRejected(RejectionKind.InvalidTransition);
        Given(Created, Submitted, Returned).When(List(), At).ThenRejected(RejectionKind.InvalidTransition);
    }

    [Fact]
    public void Another_operator_or_the_authority_may_not_list_it()
    {
        Given(Created, Submitted, Approved).When(List(OperatorB), At).ThenRejected(RejectionKind.Forbidden, Art.A13);
        Given(Created, Submitted, Approved).When(List(Authority), At).ThenRejected(RejectionKind.Forbidden, Art.A13);
    }

    [Fact]
    public void A_product_is_not_listed_once_its_agreement_is_no_longer_active() =>
        Assert.True(Given(Created, Submitted, Approved).When(List(agreementActive: false), At).ThenRejected(RejectionKind.RuleViolation, Art.A18).IsConflict);

    [Fact]
    public void A_product_is_not_listed_once_a_source_request_is_no_longer_provisioned() =>
        Assert.Contains("req-1", Given(Created, Submitted, Approved).When(List(stopped: "req-1"), At).ThenRejected(RejectionKind.RuleViolation, Art.A13).Detail);

    // ---- delisting (Art. 15, 18) ----

    [Fact]
    public void The_operator_delists_its_listed_product_with_a_reason() =>
        Assert.Equal("product withdrawn", Given(Created, Submitted, Approved, Listed).When(new DelistProduct(OperatorA, "product withdrawn"), At).Then(Delisted).State.DelistedBecause);

    [Fact]
    public void The_authorizing_unit_delists_it() =>
        Given(Created, Submitted, Approved, Listed).When(new DelistProduct(Authority, "unit's order"), At).Then(new ProductDelisted(Authority, At, "unit's order"));

    [Fact]
    public void The_authorizing_provider_of_a_domain_agreement_delists_it() =>
        Given(Created with { AuthorizingUnit = TransportProvider }, Submitted, Approved, Listed)
            .When(new DelistProduct(TransportProvider, "provider's order"), At).Then(new ProductDelisted(TransportProvider, At, "provider's order"));

    [Fact]
    public void Another_operator_another_unit_or_a_regulator_may_not_delist_it()
    {
        Given(Created, Submitted, Approved, Listed).When(new DelistProduct(OperatorB, "x"), At).ThenRejected(RejectionKind.Forbidden, Art.A15);
        Given(Created, Submitted, Approved, Listed).When(new DelistProduct(OtherAuthority, "x"), At).ThenRejected(RejectionKind.Forbidden, Art.A15);
        Given(Created, Submitted, Approved, Listed).When(new DelistProduct(Regulator, "x"), At).ThenRejected(RejectionKind.Forbidden, Art.A15);
    }

    [Fact]
    public void Delisting_needs_a_reason() =>
        Given(Created, Submitted, Approved, Listed).When(new DelistProduct(OperatorA, ""), At).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void Delisting_it_again_changes_nothing() => Given(Created, Submitted, Approved, Listed, Delisted).When(new DelistProduct(OperatorA, "again"), At).ThenNothing();

    [Fact]
    public void A_product_that_is_not_listed_is_not_delisted_by_hand() =>
        Given(Created, Submitted, Approved).When(new DelistProduct(OperatorA, "x"), At).ThenRejected(RejectionKind.InvalidTransition);

    [Fact]
    public void A_delisted_product_is_listed_again_only_after_a_new_review()
    {
        Given(Created, Submitted, Approved, Listed, Delisted).When(List(), At).ThenRejected(RejectionKind.InvalidTransition);
        var resubmitted = Given(Created, Submitted, Approved, Listed, Delisted).When(Submit(), At).Then(Submitted);
        Assert.Equal((null, null, null), (resubmitted.State.Review, resubmitted.State.Exchange, resubmitted.State.DelistedBecause));
        resubmitted.When(List(), At).ThenRejected(RejectionKind.InvalidTransition);
        Given(Created, Submitted, Approved, Listed, Delisted, Submitted, Approved).When(List(), At).Then(Listed);
    }

    // ---- the platform's stop (Art. 18) ----

    private static readonly DelistProduct PlatformStop = new(Platform, "agreement agr-1 suspended (Art. 18)");

    [Fact]
    public void The_platform_delists_a_listed_product_when_its_agreement_or_a_request_stops() =>
        Given(Created, Submitted, Approved, Listed).When(PlatformStop, At).Then(new ProductDelisted(Platform, At, "agreement agr-1 suspended (Art. 18)"));

    [Fact]
    public void The_platforms_stop_is_idempotent() =>
        Given(Created, Submitted, Approved, Listed, new ProductDelisted(Platform, At, "agreement agr-1 suspended (Art. 18)")).When(PlatformStop, At).ThenNothing();

    [Fact]
    public void The_platforms_stop_takes_an_approved_product_back_to_needing_a_review()
    {
        var stopped = Given(Created, Submitted, Approved).When(PlatformStop, At).Then(new ProductDelisted(Platform, At, "agreement agr-1 suspended (Art. 18)"));
        Assert.Equal(ProductStatus.Delisted, stopped.State.State);
        stopped.When(List(), At).ThenRejected(RejectionKind.InvalidTransition);
    }

    [Fact]
    public void The_platforms_stop_leaves_drafts_and_products_in_review_as_they_are()
    {
        Given(Created).When(PlatformStop, At).ThenNothing();
        Given(Created, Submitted).When(PlatformStop, At).ThenNothing();
        Given(Created, Submitted, Returned).When(PlatformStop, At).ThenNothing();
    }

    [Fact]
    public void A_product_that_does_not_exist_is_not_found() => Given().When(Submit(), At).ThenRejected(RejectionKind.NotFound);

    // ---- who reads it ----

    [Fact]
    public void Anyone_reads_a_listed_product_and_only_its_parties_and_regulators_one_that_is_not()
    {
        var draft = Given(Created).State.Parties;
        var listed = Given(Created, Submitted, Approved, Listed).State.Parties;
        Assert.True(Policy.Allows(Act.ReadProduct, OperatorA, draft));
        Assert.True(Policy.Allows(Act.ReadProduct, Authority, draft));
        Assert.True(Policy.Allows(Act.ReadProduct, Regulator, draft));
        Assert.False(Policy.Allows(Act.ReadProduct, OperatorB, draft));
        Assert.False(Policy.Allows(Act.ReadProduct, Citizen, draft));
        Assert.False(Policy.Allows(Act.ReadProduct, OtherAuthority, draft));
        Assert.True(Policy.Allows(Act.ReadProduct, Citizen, listed));
        Assert.True(Policy.Allows(Act.ReadProduct, OperatorB, listed));
    }

    [Fact]
    public void The_authorizing_provider_of_a_domain_agreement_reads_the_product() =>
        Assert.True(Policy.Allows(Act.ReadProduct, TransportProvider, Given(Created with { AuthorizingUnit = TransportProvider }).State.Parties));

    [Fact]
    public void Under_a_domain_agreement_the_provider_is_the_authorizing_unit_and_the_call_authority_reviews() =>
        Given().When(Create(agreement: DomainAgreement), At).Then(Created with { AuthorizingUnit = TransportProvider });
}
