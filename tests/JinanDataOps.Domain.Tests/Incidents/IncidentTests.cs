using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.Incidents;
using JinanDataOps.Domain.Tests.Support;
using static JinanDataOps.Domain.Tests.Support.TestData;

namespace JinanDataOps.Domain.Tests.Incidents;

public sealed class IncidentTests() : DeciderSpec<Incident, IncidentState, IIncidentCommand, IIncidentEvent>("inc-1")
{
    private static readonly DateTimeOffset At = T0.AddDays(60);
    private static readonly IncidentSource FromAlert = new("op-a/raw-export/20261201T060000Z", "raw-export", "critical", ["b1#3"]);

    private static OpenIncident Open(Caller? by = null) =>
        new(by ?? Platform, OperatorA.Org, "req-1", "agr-1", "Art. 13: an attempt to export raw data", Art.A13, FromAlert, Authority.Org);

    private static readonly IncidentOpened Opened = new(Platform, At, OperatorA.Org, "req-1", "agr-1", "Art. 13: an attempt to export raw data", Art.A13, FromAlert, Authority.Org);
    private static readonly EmergencyResponseStarted Started = new(Authority, At);
    private static readonly MeasureRecorded Measured = new(Authority, At, "sandbox export path closed; operator interviewed");

    [Fact]
    public void Monitoring_opens_an_incident_with_its_evidence()
    {
        var state = Given().When(Open(), At).Then(Opened).State;
        Assert.Equal((IncidentStatus.Opened, "b1#3"), (state.State, state.Source!.Evidence[0]));
    }

    [Fact]
    public void Opening_it_again_changes_nothing() => Given(Opened).When(Open(), At).ThenNothing();

    [Fact]
    public void The_authority_may_open_one_by_hand() => Given().When(Open(Authority) with { Source = null }, At).Then(Opened with { By = Authority, Source = null });

    [Fact]
    public void Another_authority_may_not_open_one_under_an_agreement_it_is_not_the_authority_of() =>
        Given().When(Open(OtherAuthority) with { Source = null }, At).ThenRejected(RejectionKind.Forbidden, Art.A15);

    [Theory]
    [InlineData(Role.Regulator)]
    [InlineData(Role.Maintainer)]
    public void Regulators_and_maintainers_may_not_open_record_or_close_incidents(Role role)
    {
        var by = new Caller(role, "any-org");
        Given().When(Open(by) with { Source = null }, At).ThenRejected(RejectionKind.Forbidden, Art.A15);
        Given(Opened).When(new RecordMeasure(by, "measure"), At).ThenRejected(RejectionKind.Forbidden, Art.A15);
        Given(Opened, Started, Measured).When(new CloseIncident(by, "report"), At).ThenRejected(RejectionKind.Forbidden, Art.A15);
    }

    [Fact]
    public void Another_authority_may_not_record_measures_or_close_it() =>
        Given(Opened, Started, Measured).When(new CloseIncident(OtherAuthority, "report"), At).ThenRejected(RejectionKind.Forbidden, Art.A15);

    [Fact]
    public void An_operator_may_not_open_an_incident_citing_Art_15() => Given().When(Open(OperatorA), At).ThenRejected(RejectionKind.Forbidden, Art.A15);

    [Fact]
    public void An_incident_needs_a_summary() => Given().When(Open() with { Summary = " " }, At).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void The_first_measure_starts_the_emergency_response() =>
        Assert.Equal(IncidentStatus.EmergencyResponse,
            Given(Opened).When(new RecordMeasure(Authority, Measured.Description), At).Then(Started, Measured).State.State);

    [Fact]
    public void Later_measures_are_added_to_the_record() =>
        Assert.Equal(2, Given(Opened, Started, Measured).When(new RecordMeasure(OperatorA, "keys rotated"), At)
            .Then(new MeasureRecorded(OperatorA, At, "keys rotated")).State.Measures.Count);

    [Fact]
    public void Another_operator_may_not_record_measures() =>
        Given(Opened).When(new RecordMeasure(OperatorB, "nothing to see"), At).ThenRejected(RejectionKind.Forbidden, Art.A15);

    [Fact]
    public void An_incident_is_closed_with_a_report_after_the_response() =>
        Assert.Equal("contained; no data left the platform",
            Given(Opened, Started, Measured).When(new CloseIncident(Authority, "contained; no data left the platform"), At)
                .Then(new IncidentClosed(Authority, At, "contained; no data left the platform")).State.Report);

    [Fact]
    public void An_incident_without_any_measure_cannot_be_closed_citing_Art_15() =>
        Given(Opened).When(new CloseIncident(Authority, "nothing happened"), At).ThenRejected(RejectionKind.RuleViolation, Art.A15);

    [Fact]
    public void Closing_needs_a_report() => Given(Opened, Started, Measured).When(new CloseIncident(Authority, ""), At).ThenRejected(RejectionKind.Validation);

    [Fact]
    public void The_operator_concerned_may_not_close_its_own_incident() =>
        Given(Opened, Started, Measured).When(new CloseIncident(OperatorA, "all fine"), At).ThenRejected(RejectionKind.Forbidden, Art.A15);

    [Fact]
    public void A_closed_incident_takes_no_more_measures() =>
        Given(Opened, Started, Measured, new IncidentClosed(Authority, At, "done")).When(new RecordMeasure(Authority, "late"), At)
            .ThenRejected(RejectionKind.InvalidTransition);

    [Fact]
    public void Closing_again_changes_nothing() =>
        Given(Opened, Started, Measured, new IncidentClosed(Authority, At, "done")).When(new CloseIncident(Authority, "done"), At).ThenNothing();

    [Fact]
    public void A_measure_on_an_incident_that_does_not_exist_is_not_found() =>
        Given().When(new RecordMeasure(Authority, "x"), At).ThenRejected(RejectionKind.NotFound);
}
