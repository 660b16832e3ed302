using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.Datasets;
using JinanDataOps.Domain.Tests.Support;
using static JinanDataOps.Domain.Tests.Support.TestData;

namespace JinanDataOps.Domain.Tests.Datasets;

public sealed class DatasetTests() : DeciderSpec<Dataset, DatasetState, IDatasetCommand, IDatasetEvent>("ds-bus-gps")
{
    private static readonly DateTimeOffset At = T0.AddDays(50);
    private static IReadOnlyList<DatasetField> Fields() => [new("vehicle", false), new("position", false), new("driver-id", true)];

    private static RegisterDataset Register(Caller? by = null, string title = "Bus GPS traces", IReadOnlyList<DatasetField>? fields = null) =>
        new(by ?? TransportProvider, title, DataDomain.Transport, fields ?? Fields());

    private static readonly DatasetRegistered Registered = new(TransportProvider, T0, "Bus GPS traces", DataDomain.Transport, Fields());

    private static QualityIssueRaised Raised(int n = 1) => new(OperatorA, At, $"ds-bus-gps~q{n}", "timestamps drift by an hour");
    private static readonly QualityIssueAcknowledged Acknowledged = new(TransportProvider, At, "ds-bus-gps~q1");
    private static readonly QualityIssueResolved Resolved = new(TransportProvider, At, "ds-bus-gps~q1", "clock source fixed");

    // ---- registration (Art. 3) ----

    [Fact]
    public void A_provider_registers_its_dataset_and_owns_it() =>
        Assert.Equal(TransportProvider.Org, Given().When(Register(), T0).Then(Registered).State.Owner);

    [Fact]
    public void A_dataset_with_a_sensitive_field_is_marked_as_such() => Assert.True(Given(Registered).State.HasSensitiveFields);

    [Fact]
    public void A_dataset_without_sensitive_fields_is_not() =>
        Assert.False(Given(Registered with { Fields = [new("vehicle", false)] }).State.HasSensitiveFields);

    [Fact]
    public void An_operator_may_not_register_a_dataset_citing_Art_3() =>
        Given().When(Register(OperatorA), T0).ThenRejected(RejectionKind.Forbidden, Art.A3);

    [Fact]
    public void The_authority_may_not_register_a_dataset_citing_Art_3() =>
        Given().When(Register(Authority), T0).ThenRejected(RejectionKind.Forbidden, Art.A3);

    [Fact]
    public void A_dataset_without_a_title_is_invalid() =>
        Given().When(Register(title: ""), T0).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void A_dataset_without_fields_is_invalid() =>
        Given().When(Register(fields: []), T0).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void A_dataset_naming_a_field_twice_is_invalid() =>
        Given().When(Register(fields: [new("vehicle", false), new("vehicle", true)]), T0).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void A_field_without_a_name_is_invalid() =>
        Given().When(Register(fields: [new(" ", false)]), T0).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void Registering_the_same_dataset_again_changes_nothing() =>
        Given(Registered).When(Register(), T0).ThenNothing();

    [Fact]
    public void Registering_an_existing_dataset_with_other_content_is_an_invalid_transition() =>
        Given(Registered).When(Register(title: "Renamed"), T0).ThenRejected(RejectionKind.InvalidTransition);

    [Fact]
    public void Another_provider_cannot_register_the_same_dataset_id() =>
        Given(Registered).When(Register(MedicalProvider), T0).ThenRejected(RejectionKind.InvalidTransition);

    // ---- quality issues (Art. 10, 12) ----

    [Fact]
    public void An_operator_with_access_raises_a_quality_issue() =>
        Assert.Equal(QualityIssueStatus.Raised, Given(Registered).When(new RaiseQualityIssue(OperatorA, "timestamps drift by an hour", true), At)
            .Then(Raised()).State.QualityIssues.Single().State);

    [Fact]
    public void Quality_issues_are_numbered_per_dataset() =>
        Given(Registered, Raised()).When(new RaiseQualityIssue(OperatorA, "timestamps drift by an hour", true), At).Then(Raised(2));

    [Fact]
    public void Raising_again_with_the_same_idempotency_key_changes_nothing() =>
        Given(Registered, Raised() with { Key = "k-1" }).When(new RaiseQualityIssue(OperatorA, "timestamps drift by an hour", true, "k-1"), At).ThenNothing();

    [Fact]
    public void The_idempotency_key_is_kept_with_the_issue() =>
        Assert.Equal("k-1", Given(Registered).When(new RaiseQualityIssue(OperatorA, "timestamps drift by an hour", true, "k-1"), At)
            .Then(Raised() with { Key = "k-1" }).State.QualityIssues.Single().Key);

    [Fact]
    public void The_same_idempotency_key_from_another_operator_raises_a_new_issue() =>
        Given(Registered, Raised() with { Key = "k-1" }).When(new RaiseQualityIssue(OperatorB, "x", true, "k-1"), At)
            .Then(new QualityIssueRaised(OperatorB, At, "ds-bus-gps~q2", "x", "k-1"));

    [Fact]
    public void Another_idempotency_key_raises_a_new_issue() =>
        Given(Registered, Raised() with { Key = "k-1" }).When(new RaiseQualityIssue(OperatorA, "timestamps drift by an hour", true, "k-2"), At)
            .Then(Raised(2) with { Key = "k-2" });

    [Fact]
    public void An_operator_without_access_may_not_raise_an_issue_citing_Art_10() =>
        Given(Registered).When(new RaiseQualityIssue(OperatorA, "x", false), At).ThenRejected(RejectionKind.Forbidden, Art.A10);

    [Fact]
    public void A_provider_does_not_raise_quality_issues_citing_Art_10() =>
        Given(Registered).When(new RaiseQualityIssue(MedicalProvider, "x", true), At).ThenRejected(RejectionKind.Forbidden, Art.A10);

    [Fact]
    public void A_quality_issue_needs_a_description() =>
        Given(Registered).When(new RaiseQualityIssue(OperatorA, "", true), At).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void A_quality_issue_on_a_dataset_that_does_not_exist_is_not_found() =>
        Given().When(new RaiseQualityIssue(OperatorA, "x", true), At).ThenRejected(RejectionKind.NotFound);

    [Fact]
    public void The_owning_provider_acknowledges_an_issue() =>
        Given(Registered, Raised()).When(new AcknowledgeQualityIssue(TransportProvider, "ds-bus-gps~q1"), At).Then(Acknowledged);

    [Fact]
    public void A_provider_not_owning_the_dataset_may_not_acknowledge_citing_Art_12() =>
        Given(Registered, Raised()).When(new AcknowledgeQualityIssue(MedicalProvider, "ds-bus-gps~q1"), At).ThenRejected(RejectionKind.Forbidden, Art.A12);

    [Fact]
    public void The_operator_may_not_acknowledge_its_own_issue_citing_Art_12() =>
        Given(Registered, Raised()).When(new AcknowledgeQualityIssue(OperatorA, "ds-bus-gps~q1"), At).ThenRejected(RejectionKind.Forbidden, Art.A12);

    [Fact]
    public void Acknowledging_an_unknown_issue_is_not_found() =>
        Given(Registered, Raised()).When(new AcknowledgeQualityIssue(TransportProvider, "ds-bus-gps~q7"), At).ThenRejected(RejectionKind.NotFound);

    [Fact]
    public void Acknowledging_again_changes_nothing() =>
        Given(Registered, Raised(), Acknowledged).When(new AcknowledgeQualityIssue(TransportProvider, "ds-bus-gps~q1"), At).ThenNothing();

    [Fact]
    public void A_resolved_issue_cannot_be_acknowledged() =>
        Given(Registered, Raised(), Resolved).When(new AcknowledgeQualityIssue(TransportProvider, "ds-bus-gps~q1"), At).ThenRejected(RejectionKind.InvalidTransition);

    [Fact]
    public void The_owning_provider_resolves_an_acknowledged_issue() =>
        Assert.Equal("clock source fixed", Given(Registered, Raised(), Acknowledged).When(new ResolveQualityIssue(TransportProvider, "ds-bus-gps~q1", "clock source fixed"), At)
            .Then(Resolved).State.QualityIssues.Single().Resolution);

    [Fact]
    public void The_owning_provider_may_resolve_an_issue_straight_away() =>
        Given(Registered, Raised()).When(new ResolveQualityIssue(TransportProvider, "ds-bus-gps~q1", "clock source fixed"), At).Then(Resolved);

    [Fact]
    public void A_provider_not_owning_the_dataset_may_not_resolve_citing_Art_12() =>
        Given(Registered, Raised()).When(new ResolveQualityIssue(MedicalProvider, "ds-bus-gps~q1", "x"), At).ThenRejected(RejectionKind.Forbidden, Art.A12);

    [Fact]
    public void A_resolution_needs_content() =>
        Given(Registered, Raised()).When(new ResolveQualityIssue(TransportProvider, "ds-bus-gps~q1", " "), At).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void Resolving_again_with_the_same_resolution_changes_nothing() =>
        Given(Registered, Raised(), Resolved).When(new ResolveQualityIssue(TransportProvider, "ds-bus-gps~q1", "clock source fixed"), At).ThenNothing();

    [Fact]
    public void Resolving_again_with_another_resolution_is_an_invalid_transition() =>
        Given(Registered, Raised(), Resolved).When(new ResolveQualityIssue(TransportProvider, "ds-bus-gps~q1", "something else"), At).ThenRejected(RejectionKind.InvalidTransition);

    [Fact]
    public void A_dataset_has_no_deadlines() => Given(Registered, Raised()).ThenNoDeadlines();

    [Fact]
    public void A_quality_issue_id_names_its_dataset() =>
        Assert.True(DatasetState.TryParseQualityIssueId("ds-bus-gps~q3", out var dataset) && dataset == "ds-bus-gps");

    [Fact]
    public void A_malformed_quality_issue_id_is_not_parsed() => Assert.False(DatasetState.TryParseQualityIssueId("ds-bus-gps", out _));
}
