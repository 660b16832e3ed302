using JinanDataOps.Api.Contracts;
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

namespace JinanDataOps.Api.Http;

/// <summary>What the API shows of each entity (the records of <see cref="Contracts"/>). States are the domain's
/// enumerations, written in kebab-case (API.md); internal bookkeeping stays inside.</summary>
public static class Views
{
    public static PartyView Party(Caller c) => new(c.Role, c.Org);

    public static DatasetView Dataset(DatasetState s) => new(
        s.Id, s.State, s.Title, s.Domain, s.Owner,
        s.Fields.Select(f => new DatasetFieldView(f.Name, f.Sensitive)).ToArray(),
        s.QualityIssues.Select(QualityIssue).ToArray());

    public static QualityIssueView QualityIssue(QualityIssue q) => new(q.Id, q.State, q.Description, q.RaisedBy, q.RaisedAt, q.Resolution);

    private static TrainingView Training(Training t) => new(t.Staff, t.CompletedOn, t.RecordedAt);

    private static SecurityReportView SecurityReport(SecurityReport r) => new(r.Period, r.Summary, r.FiledAt);

    public static OperatorView Operator(OperatorState s) => new(
        s.Id, s.State, s.Name, s.CreditCode, s.LegalRepresentative, s.SecurityContact,
        s.Trainings.Select(Training).ToArray(), s.SecurityReports.Select(SecurityReport).ToArray(),
        s.Agreements.ToDictionary(a => a.Key, a => a.Value),
        s.LiveRequests.Select(r => new LiveRequestView(r.RequestId, r.Scenario, r.AgreementId, r.Datasets)).ToArray(),
        new SecurityReportingView(s.ReportEvery is { } every ? System.Xml.XmlConvert.ToString(every) : null, s.NextReportDue, s.ReportOverdueSince,
            s.SecurityReports.Count > 0 ? s.SecurityReports[^1].FiledAt : null));

    /// <summary>The answer to a training record: the one just recorded (the last), and the count.</summary>
    public static TrainingRecordedView TrainingRecorded(OperatorState s) =>
        new(s.Id, s.State, Training(s.Trainings[^1]), s.Trainings.Count);

    /// <summary>The answer to a security report: the one just filed (the last), and the count.</summary>
    public static SecurityReportFiledView SecurityReportFiled(OperatorState s) =>
        new(s.Id, s.State, SecurityReport(s.SecurityReports[^1]), s.SecurityReports.Count);

    public static CallView Call(CallState s)
    {
        var t = s.Terms!;
        return new CallView(
            s.Id, s.State, t.Mode, t.Title, t.ProviderId, Scope(t.Scope), t.Conditions,
            t.Criteria.Select(c => new CriterionView(c.Name, c.Weight)).ToArray(), t.PassScore, t.OpensAt, t.ClosesAt,
            System.Xml.XmlConvert.ToString(t.NoticePeriod), s.NoticeEndsAt, s.AuthorityOrg,
            s.Applications.Select(a => new CallApplicationView(a.ApplicationId, a.OperatorId)).ToArray(), s.CancelReason);
    }

    public static ScopeView Scope(Scope s) => new(s.Domains, s.Datasets);

    /// <summary>Materials and score sheets are shown to the applicant and the reviewing side only.</summary>
    public static ApplicationView Application(ApplicationState s, bool full) => new(
        s.Id, s.CallId, s.OperatorId, s.State, s.Score, s.NoticeEndsAt, s.RejectionReason,
        full ? MaterialsOf(s.MaterialsJson) : null,
        full ? s.Reviews.Select(r => new ReviewView(r.Expert, r.Scores, r.Weighted, r.At)).ToArray() : null,
        s.Objections.Select(o => new ObjectionView(o.Id, o.Reason, o.State, o.FiledAt)).ToArray());

    /// <summary>Materials are checked to be Unicode text when they are taken (issue 10). Those taken before may hold
    /// a lone surrogate escape, which no JSON writer accepts: they are shown as the text they were stored as (a JSON
    /// string), rather than failing every read of the application with a 500.</summary>
    private static System.Text.Json.JsonElement MaterialsOf(string json) =>
        UnicodeJsonElementConverter.FirstNotUnicode(json) is null
            ? System.Text.Json.JsonDocument.Parse(json).RootElement.Clone()
            : System.Text.Json.JsonSerializer.SerializeToElement(json);

    public static ApplicationSubmittedView ApplicationSubmitted(ApplicationState s) => new(s.Id, s.CallId, s.OperatorId, s.State);

    public static AgreementView Agreement(AgreementState s) => new(
        s.Id, s.State, s.ApplicationId, s.CallId, s.OperatorId, s.Mode,
        s.AuthorizingUnit is { } u ? Party(u) : null, s.AuthorityOrg, Scope(s.Scope), s.StartsAt, s.EndsAt,
        s.Clauses?.RightsAndObligations, s.Clauses?.SecurityRequirements, s.Clauses?.ExitConditions,
        s.Clauses?.BreachLiability, s.Clauses?.AssetDisposal,
        new SignaturesView(s.OperatorSignedAt, s.UnitSignedAt),
        s.Rectification is { } r ? new RectificationView(r.Reason, r.Items, r.Deadline, r.OrderedAt) : null,
        s.RectificationReports.Select(r => new RectificationReportView(r.Summary, r.At)).ToArray(),
        s.EndReason, s.AssetDisposalRecord);

    public static DataRequestView DataRequest(DataRequestState s) => new(
        s.Id, s.State, s.OperatorId, s.AgreementId, s.Scenario, s.Datasets, s.Purpose,
        !string.IsNullOrWhiteSpace(s.ConsentEvidence), s.RequiresConsent,
        new[] { "authority" }.Concat(s.RequiredProviders.Select(p => $"provider:{p}")).ToArray(),
        s.Approvals.Select(a => new ApprovalView(a.Role, a.Org, a.At)).ToArray(),
        s.RejectionReason, s.SuspensionReason, s.EndReason);

    public static ProductView Product(ProductState s) => new(
        s.Id, s.OperatorId, s.AgreementId, s.Kind, s.State, s.Name, s.Description, s.DataRequestIds, s.OutputFields, s.Aggregated,
        s.Review is { } r ? new ProductReviewView(r.Approved, r.Notes, Party(r.By), r.At) : null, s.Exchange, s.DelistedBecause);

    public static IncidentView Incident(IncidentState s) => new(
        s.Id, s.State, s.OperatorId, s.DataRequestId, s.AgreementId, s.AuthorityOrg, s.Summary, s.Article,
        s.Source is { } src ? new IncidentSourceView(src.AlertId, src.Rule, src.Severity, src.Evidence) : null,
        s.OpenedBy is { } by ? Party(by) : null, s.OpenedAt,
        s.Measures.Select(m => new MeasureView(Party(m.By), m.At, m.Description)).ToArray(),
        s.Report, s.ClosedAt);

    public static EvaluationView Evaluation(EvaluationState s) => new(
        s.Id, s.OperatorId, s.AgreementId, s.Period, s.State, s.MaterialsDue, s.AuthorityOrg,
        s.AuthorizingUnit is { } unit ? Party(unit) : null, s.OpenedBy is { } by ? Party(by) : null, s.OpenedAt, s.Documents, s.MaterialsSubmittedAt,
        s.Findings, s.RectificationDeadline, s.DecidedBy is { } decided ? Party(decided) : null, s.DecidedAt, s.NonCooperation,
        s.Outcome, s.OutcomeReason, s.OutcomeAt);
}
