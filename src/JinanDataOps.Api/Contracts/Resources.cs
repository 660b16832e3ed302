using JinanDataOps.Domain.Agreements;
using JinanDataOps.Domain.Applications;
using JinanDataOps.Domain.Calls;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.DataRequests;
using JinanDataOps.Domain.Datasets;
using JinanDataOps.Domain.Evaluations;
using JinanDataOps.Domain.Incidents;
using JinanDataOps.Domain.Operators;
using JinanDataOps.Domain.Products;

namespace JinanDataOps.Api.Contracts;

// What the API answers, one record per resource (API.md "Resources"). Enumerations are the domain's own
// types, written in kebab-case; internal bookkeeping (idempotency keys, snapshots) stays inside.

/// <summary>A party as the work log and the approvals name it: its role and its organisation.</summary>
public sealed record PartyView(Role Role, string Org);

public sealed record DatasetFieldView(string Name, bool Sensitive);

public sealed record QualityIssueView(string Id, QualityIssueStatus State, string Description, string RaisedBy, DateTimeOffset RaisedAt, string? Resolution);

public sealed record DatasetView(
    string Id, DatasetStatus State, string Title, DataDomain Domain, string Owner,
    IReadOnlyList<DatasetFieldView> Fields, IReadOnlyList<QualityIssueView> QualityIssues);

/// <summary>A quality issue as the authority and the owning provider follow it (Art. 10, 12): <see cref="OpenFor"/> is how
/// long it has been open (an ISO-8601 duration), null once resolved.</summary>
public sealed record QualityIssueEntryView(
    string Id, string DatasetId, string Owner, QualityIssueStatus State, string Description, string RaisedBy, DateTimeOffset RaisedAt,
    string? OpenFor, string? Resolution);

/// <summary>The answer to a raised quality issue.</summary>
public sealed record QualityIssueRaisedView(string Id, string DatasetId, QualityIssueStatus State);

public sealed record TrainingView(IReadOnlyList<string> Staff, DateOnly CompletedOn, DateTimeOffset RecordedAt);

public sealed record SecurityReportView(string Period, string Summary, DateTimeOffset FiledAt);

public sealed record LiveRequestView(string RequestId, string Scenario, string AgreementId, IReadOnlyList<string> Datasets);

public sealed record OperatorView(
    string Id, OperatorStatus State, string Name, string CreditCode, string LegalRepresentative, string SecurityContact,
    IReadOnlyList<TrainingView> Trainings, IReadOnlyList<SecurityReportView> SecurityReports,
    IReadOnlyDictionary<string, AgreementStanding> Agreements, IReadOnlyList<LiveRequestView> LiveRequests,
    SecurityReportingView Reporting);

/// <summary>The operator's periodic security reporting (Art. 16): the required period (ISO-8601; null before its first
/// authorization), when the next report is due, and since when one is overdue (null: none is).</summary>
public sealed record SecurityReportingView(string? Every, DateTimeOffset? NextDue, DateTimeOffset? OverdueSince, DateTimeOffset? LastFiledAt);

/// <summary>The answer to a training record: what was recorded, not the operator's whole history, which
/// grows with every record and is read with <c>GET /api/operators/{id}</c> (docs/performance.md).</summary>
public sealed record TrainingRecordedView(string OperatorId, OperatorStatus State, TrainingView Training, int TrainingsOnRecord);

/// <summary>The answer to a security report: the report as filed, and how many are on record.</summary>
public sealed record SecurityReportFiledView(string OperatorId, OperatorStatus State, SecurityReportView SecurityReport, int SecurityReportsOnRecord);

public sealed record ScopeView(IReadOnlyList<DataDomain> Domains, IReadOnlyList<string> Datasets);

public sealed record CriterionView(string Name, decimal Weight);

public sealed record CallApplicationView(string ApplicationId, string OperatorId);

public sealed record CallView(
    string Id, CallStatus State, AuthorizationMode Mode, string Title, string? ProviderId, ScopeView Scope,
    IReadOnlyList<string> Conditions, IReadOnlyList<CriterionView> Criteria, decimal PassScore,
    DateTimeOffset OpensAt, DateTimeOffset ClosesAt, string NoticePeriod, DateTimeOffset? NoticeEndsAt, string Authority,
    IReadOnlyList<CallApplicationView> Applications, string? CancelReason);

/// <summary>The answer to an application: its id and where it stands.</summary>
public sealed record ApplicationSubmittedView(string Id, string CallId, string OperatorId, ApplicationStatus State);

public sealed record ReviewView(string Expert, IReadOnlyDictionary<string, decimal> Scores, decimal Weighted, DateTimeOffset At);

public sealed record ObjectionView(string Id, string Reason, ObjectionStatus State, DateTimeOffset FiledAt);

/// <summary>An application. <see cref="Materials"/> and <see cref="Reviews"/> are shown to the applicant and
/// the reviewing side only (null for everyone else).</summary>
public sealed record ApplicationView(
    string Id, string CallId, string OperatorId, ApplicationStatus State, decimal? Score, DateTimeOffset? NoticeEndsAt,
    string? RejectionReason, System.Text.Json.JsonElement? Materials, IReadOnlyList<ReviewView>? Reviews, IReadOnlyList<ObjectionView> Objections);

public sealed record ShortlistEntryView(string Id, string OperatorId, ApplicationStatus State, decimal? Score);

/// <summary>The answer to a published shortlist: the call under public notice and each application's outcome.</summary>
public sealed record ShortlistView(string Id, CallStatus State, DateTimeOffset? NoticeEndsAt, IReadOnlyList<ShortlistEntryView> Applications);

/// <summary>The answer to an objection filed or resolved.</summary>
public sealed record ObjectionFiledView(string Id, string ApplicationId, ObjectionStatus State);

public sealed record ObjectionResolvedView(string Id, string ApplicationId, ObjectionStatus State, ApplicationStatus ApplicationState);

public sealed record ConflictDeclaredView(string Id, ApplicationStatus State);

public sealed record SignaturesView(DateTimeOffset? Operator, DateTimeOffset? AuthorizingUnit);

public sealed record RectificationView(string Reason, IReadOnlyList<string> Items, DateTimeOffset Deadline, DateTimeOffset OrderedAt);

public sealed record RectificationReportView(string Summary, DateTimeOffset At);

public sealed record AgreementView(
    string Id, AgreementStatus State, string ApplicationId, string CallId, string OperatorId, AuthorizationMode Mode,
    PartyView? AuthorizingUnit, string? Authority, ScopeView Scope, DateTimeOffset StartsAt, DateTimeOffset EndsAt,
    string? RightsAndObligations, string? SecurityRequirements, string? ExitConditions, string? BreachLiability, string? AssetDisposal,
    SignaturesView Signatures, RectificationView? Rectification, IReadOnlyList<RectificationReportView> RectificationReports,
    string? EndReason, string? AssetDisposalRecord);

/// <summary>One line of the work log (Art. 8(5)): the event, who, in what role, when and why, and its details.</summary>
public sealed record WorkLogEntryView(long Sequence, string Event, string By, Role Role, DateTimeOffset At, string? Why, System.Text.Json.JsonElement Details);

public sealed record WorkLogView(string AgreementId, IReadOnlyList<WorkLogEntryView> Entries);

public sealed record ApprovalView(Role Role, string Org, DateTimeOffset At);

public sealed record DataRequestView(
    string Id, DataRequestStatus State, string OperatorId, string AgreementId, string Scenario, IReadOnlyList<string> Datasets,
    string Purpose, bool ConsentRecorded, bool RequiresConsent, IReadOnlyList<string> RequiredApprovals, IReadOnlyList<ApprovalView> Approvals,
    string? RejectionReason, string? SuspensionReason, string? EndReason);

public sealed record IncidentSourceView(string AlertId, string Rule, string Severity, IReadOnlyList<string> Evidence);

public sealed record MeasureView(PartyView By, DateTimeOffset At, string Description);

public sealed record IncidentView(
    string Id, IncidentStatus State, string OperatorId, string? DataRequestId, string? AgreementId, string? Authority, string Summary,
    string? Article, IncidentSourceView? Source, PartyView? OpenedBy, DateTimeOffset? OpenedAt, IReadOnlyList<MeasureView> Measures,
    string? Report, DateTimeOffset? ClosedAt);

/// <summary>The security-compliance review of a product (Art. 15): the verdict, the notes, who and when.</summary>
public sealed record ProductReviewView(bool Approved, string? Notes, PartyView By, DateTimeOffset At);

/// <summary>A data product (Art. 3): what it outputs, where it stands in its review and listing.</summary>
public sealed record ProductView(
    string Id, string OperatorId, string AgreementId, ProductKind Kind, ProductStatus State, string Name, string Description,
    IReadOnlyList<string> DataRequestIds, IReadOnlyList<string> OutputFields, bool Aggregated, ProductReviewView? Review,
    string? Exchange, string? DelistedBecause);
/// <summary>An evaluation (Art. 17–18). <see cref="NonCooperation"/>: failed because no materials came by <see cref="MaterialsDue"/>;
/// <see cref="Outcome"/>: how the agreement came out of the rectification a failure led to, once known.</summary>
public sealed record EvaluationView(
    string Id, string OperatorId, string AgreementId, string Period, EvaluationStatus State, DateTimeOffset MaterialsDue, string? Authority,
    PartyView? AuthorizingUnit, PartyView? OpenedBy, DateTimeOffset? OpenedAt, IReadOnlyList<string> Documents, DateTimeOffset? MaterialsSubmittedAt,
    IReadOnlyList<string> Findings, DateTimeOffset? RectificationDeadline, PartyView? DecidedBy, DateTimeOffset? DecidedAt, bool NonCooperation,
    EvaluationOutcome? Outcome, string? OutcomeReason, DateTimeOffset? OutcomeAt);

/// <summary>The answer to a sandbox batch: durable once answered (202); what was counted and what it raised.</summary>
public sealed record SandboxBatchAcceptedView(string BatchId, int Events, int AlreadyRecordedParts, int Alerts, int Critical, IReadOnlyList<string> Acted);

public sealed record RuleSwitchView(string Name, bool On);

public sealed record WorkingHoursView(string Start, string End, string UtcOffset);

public sealed record MonitoringRulesView(
    IReadOnlyList<RuleSwitchView> Rules, string Window, int BucketsPerWindow, JinanDataOps.Monitoring.Rules.VolumeRule Volume,
    JinanDataOps.Monitoring.Rules.DeniedBurstRule DeniedBurst, WorkingHoursView Hours, int RepeatsToCritical, string EscalationPeriod,
    int EvidencePerAlert, bool SuspendAgreementOnCritical);

public sealed record TemplateClauseView(string Field, string Name, string Guidance, string? Example);

public sealed record AgreementTemplateView(string Title, string Basis, IReadOnlyList<TemplateClauseView> Clauses);

public sealed record LiveView(string Status);

/// <summary>The node is ready. <see cref="Checks"/>: each health check's outcome, for a caller whose token holds a role
/// that may read them (authority, maintainer, regulator); null for anyone else — the probe itself needs no token.</summary>
public sealed record ReadyView(string Status, string Member, IReadOnlyCollection<string> Roles, IReadOnlyList<HealthCheckView>? Checks = null);

/// <summary>One health check of the node: <see cref="DurationMs"/> is how long it took, in milliseconds.</summary>
public sealed record HealthCheckView(string Name, CheckStatus Status, string? Description, double DurationMs);

/// <summary>Healthy; degraded (the node serves, something it does is impaired); unhealthy (the node is not ready).</summary>
public enum CheckStatus { Healthy, Degraded, Unhealthy }

public sealed record DevTokenView(string Token);

/// <summary>The tamper-evident record checked (Art. 17): every link recomputed from the stored rows. <see cref="FirstBrokenAt"/>
/// is the index of the first link whose hash does not match its content, whose previous hash does not match the link
/// before it, that is missing, or that cannot be read; absent when the chain is valid.</summary>
public sealed record AuditVerificationView(bool Valid, long Records, long? FirstBrokenAt);

/// <summary>One governance event about an operator (Art. 8(5)): its link in the hash chain (<see cref="Index"/>,
/// <see cref="Hash"/>), the entity it happened to, the event's type (its manifest), who did it, in what role, why, and the
/// event as recorded (<see cref="Details"/>; a batch of alerts shows only the operator's own).</summary>
public sealed record OperatorRecordEntryView(
    long Index, DateTimeOffset At, string Kind, string EntityId, string Event, Role ByRole, string ByOrg, string? Reason, string Hash,
    System.Text.Json.JsonElement Details);
