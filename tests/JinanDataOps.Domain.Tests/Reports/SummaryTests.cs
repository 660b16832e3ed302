using JinanDataOps.Domain.Agreements;
using JinanDataOps.Domain.Applications;
using JinanDataOps.Domain.Calls;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.DataRequests;
using JinanDataOps.Domain.Datasets;
using JinanDataOps.Domain.Incidents;
using JinanDataOps.Domain.Products;
using JinanDataOps.Domain.Reports;
using JinanDataOps.Domain.Tests.Support;
using static JinanDataOps.Domain.Tests.Support.TestData;

namespace JinanDataOps.Domain.Tests.Reports;

/// <summary>The summary filing (Art. 8, last paragraph): what came into being in the period, as it stood at its end,
/// and the suspensions and terminations in it — folded from the journal, and only what the caller may read.</summary>
public sealed class SummaryTests
{
    private static readonly DateTimeOffset From = T0.AddDays(10);
    private static readonly DateTimeOffset To = T0.AddDays(40);
    private static readonly AgreementClauses Clauses = new("r", "s", "e", "b", "a");

    private static JournalEntry E(string kind, string id, IDomainEvent e) => new(kind, id, e);

    private static AgreementDrafted Drafted(DateTimeOffset at, string op, AuthorizationMode mode = AuthorizationMode.Comprehensive, Caller? unit = null) =>
        new(unit ?? Authority, at, "app-" + op, "call-1", op, mode, new Scope([DataDomain.Transport], []), at, at.AddDays(365), Clauses, (unit ?? Authority).Org);

    /// <summary>A small journal: one call in the period and one before it; three applications; agreements of two
    /// authorities; a suspension and a termination in the period, a suspension after it; a request and an incident.</summary>
    private static readonly JournalEntry[] Journal =
    [
        E(Call.Kind, "call-0", new CallCreated(Authority, T0, Terms())),
        E(Call.Kind, "call-1", new CallCreated(Authority, From.AddDays(1), Terms())),
        E(Call.Kind, "call-1", new CallPublished(Authority, From.AddDays(2))),
        E(Application.Kind, "app-a", new ApplicationSubmitted(OperatorA, From.AddDays(3), "call-1", "op-a", Authority.Org, Terms(), "{}", [])),
        E(Application.Kind, "app-b", new ApplicationSubmitted(OperatorB, From.AddDays(3), "call-1", "op-b", Authority.Org, Terms(), "{}", [])),
        E(Application.Kind, "app-b", new ApplicationNotSelected(Platform, From.AddDays(5), 40m, "below the pass score")),
        E(Application.Kind, "app-a", new ApplicationConfirmed(Platform, From.AddDays(8))),
        E(Agreement.Kind, "agr-a", Drafted(From.AddDays(9), "op-a")),
        E(Agreement.Kind, "agr-a", new AgreementActivated(Platform, From.AddDays(10))),
        E(Agreement.Kind, "agr-a", new AgreementSuspended(Authority, From.AddDays(12), "failed evaluation", ["fix"], From.AddDays(20))),
        E(Agreement.Kind, "agr-a", new AgreementTerminated(Platform, From.AddDays(20), "rectification not accepted by its deadline (Art. 18)")),
        E(Agreement.Kind, "agr-x", Drafted(From.AddDays(9), "op-x", AuthorizationMode.Graded, OtherAuthority)),
        E(Agreement.Kind, "agr-x", new AgreementActivated(Platform, From.AddDays(10))),
        E(Agreement.Kind, "agr-x", new AgreementSuspended(OtherAuthority, To.AddDays(1), "after the period", ["fix"], To.AddDays(20))),
        E(DataRequest.Kind, "dr-1", new DataRequestSubmitted(OperatorA, From.AddDays(11), "op-a", Requests.Submission())),
        E(Product.Kind, "prd-1", new ProductCreated(OperatorA, From.AddDays(11), "op-a", "agr-a", ["dr-1"], ["ds-bus-gps"], ProductKind.Report, "Punctuality",
            "monthly", ["route"], true, Authority, Authority.Org)),
        E(Incident.Kind, "inc-1", new IncidentOpened(Platform, From.AddDays(12), "op-a", "dr-1", "agr-a", "export attempted", "Art. 13", null, Authority.Org)),
    ];

    private static Summary Of(Caller caller) => Summaries.Of(Journal, From, To, caller);

    [Fact]
    public void What_came_into_being_in_the_period_is_counted_as_it_stood_at_its_end()
    {
        var s = Of(Regulator);
        Assert.Equal(["call-1"], s.Calls.Items.Select(i => i.Id));
        Assert.Equal("open", s.Calls.Items[0].State);
        Assert.Equal(1, s.Calls.ByCategory["comprehensive"]);
        Assert.Equal(2, s.Applications.Total);
        Assert.Equal(1, s.Applications.ByState["confirmed"]);
        Assert.Equal(1, s.Applications.ByState["not-selected"]);
        Assert.Equal(2, s.Agreements.Total);
        Assert.Equal(1, s.Agreements.ByState["terminated"]);
        // The suspension after the end of the period is not in it: agreement x stood active at the end.
        Assert.Equal(1, s.Agreements.ByState["active"]);
        Assert.Equal(1, s.Agreements.ByCategory["graded"]);
        Assert.Equal(1, s.DataRequests.ByState["submitted"]);
        Assert.Equal(1, s.Incidents.ByState["opened"]);
        Assert.Equal(1, s.Products.ByCategory["report"]);
        Assert.Equal(1, s.Products.ByState["draft"]);
    }

    [Fact]
    public void Suspensions_and_terminations_in_the_period_are_listed_with_who_and_why()
    {
        var s = Of(Regulator);
        var suspension = Assert.Single(s.Suspensions);
        Assert.Equal(("agr-a", "op-a", Role.Authority, "failed evaluation"), (suspension.AgreementId, suspension.OperatorId, suspension.ByRole, suspension.Reason));
        var termination = Assert.Single(s.Terminations);
        Assert.Equal(("agr-a", From.AddDays(20)), (termination.AgreementId, termination.At));
    }

    [Fact]
    public void An_authority_summarizes_what_it_is_responsible_for()
    {
        var mine = Of(Authority);
        Assert.Equal(["agr-a"], mine.Agreements.Items.Select(i => i.Id));
        var other = Of(OtherAuthority);
        Assert.Equal(["agr-x"], other.Agreements.Items.Select(i => i.Id));
        Assert.Empty(other.Applications.Items);
        Assert.Empty(other.DataRequests.Items);
        Assert.Empty(other.Products.Items);
        Assert.Empty(other.Suspensions);
        // Calls are public (Art. 8(1)): every authority's summary counts them.
        Assert.Single(other.Calls.Items);
    }

    [Fact]
    public void A_period_before_anything_happened_is_empty()
    {
        var s = Summaries.Of(Journal, T0.AddDays(-10), T0, Regulator);
        Assert.Equal(0, s.Calls.Total + s.Applications.Total + s.Agreements.Total + s.DataRequests.Total + s.Incidents.Total);
        Assert.Empty(s.Suspensions);
    }
}
