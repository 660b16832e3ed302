using JinanDataOps.Domain.Common;

namespace JinanDataOps.Api.Contracts;

/// <summary>One entity of a summary section: its state at the end of the period, its category (a call's or
/// agreement's mode, an incident's severity, a product's kind, a failed evaluation's outcome), when it came into being, the operator concerned.</summary>
public sealed record SummaryItemView(string Id, string State, string? Category, DateTimeOffset Since, string? OperatorId);

/// <summary>What came into being in the period, counted by state and category at its end, and listed.</summary>
public sealed record SummarySectionView(
    int Total, IReadOnlyDictionary<string, int> ByState, IReadOnlyDictionary<string, int> ByCategory, IReadOnlyList<SummaryItemView> Items);

/// <summary>A suspension or termination of an agreement in the period.</summary>
public sealed record SummaryActionView(string AgreementId, string OperatorId, DateTimeOffset At, Role ByRole, string ByOrg, string Reason);

/// <summary>The summary of authorized operation for [from, to) (Art. 8, last paragraph), of what the caller may read.</summary>
public sealed record SummaryView(
    DateTimeOffset From, DateTimeOffset To,
    SummarySectionView Calls, SummarySectionView Applications, SummarySectionView Agreements, SummarySectionView DataRequests,
    SummarySectionView Incidents, SummarySectionView Products, SummarySectionView Evaluations, IReadOnlyList<SummaryActionView> Suspensions, IReadOnlyList<SummaryActionView> Terminations);
