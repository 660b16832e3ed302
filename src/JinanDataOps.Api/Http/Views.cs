using JinanDataOps.Domain.Agreements;
using JinanDataOps.Domain.Applications;
using JinanDataOps.Domain.Calls;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.DataRequests;
using JinanDataOps.Domain.Datasets;
using JinanDataOps.Domain.Incidents;
using JinanDataOps.Domain.Operators;

namespace JinanDataOps.Api.Http;

/// <summary>What the API shows of each entity. States are kebab-case (API.md); internal bookkeeping
/// stays inside.</summary>
public static class Views
{
    public static object Dataset(DatasetState s) => new
    {
        s.Id, State = Kebab.Of(s.State), s.Title, Domain = Kebab.Of(s.Domain), Owner = s.Owner,
        Fields = s.Fields.Select(f => new { f.Name, f.Sensitive }),
        QualityIssues = s.QualityIssues.Select(QualityIssue),
    };

    public static object QualityIssue(QualityIssue q) => new
    {
        q.Id, State = Kebab.Of(q.State), q.Description, q.RaisedBy, q.RaisedAt, q.Resolution,
    };

    public static object Operator(OperatorState s) => new
    {
        s.Id, State = Kebab.Of(s.State), s.Name, s.CreditCode, s.LegalRepresentative, s.SecurityContact,
        Trainings = s.Trainings.Select(t => new { t.Staff, t.CompletedOn, t.RecordedAt }),
        SecurityReports = s.SecurityReports.Select(r => new { r.Period, r.Summary, r.FiledAt }),
        Agreements = s.Agreements.ToDictionary(a => a.Key, a => Kebab.Of(a.Value)),
        LiveRequests = s.LiveRequests.Select(r => new { r.RequestId, r.Scenario, r.AgreementId, r.Datasets }),
    };

    /// <summary>The answer to a training record: what was recorded, not the operator's whole history, which
    /// grows with every record and is read with <c>GET /api/operators/{id}</c> (docs/performance.md).</summary>
    public static object TrainingRecorded(OperatorState s) => new
    {
        OperatorId = s.Id, State = Kebab.Of(s.State),
        Training = s.Trainings.Count > 0 && s.Trainings[^1] is var t ? new { t.Staff, t.CompletedOn, t.RecordedAt } : null,
        TrainingsOnRecord = s.Trainings.Count,
    };

    /// <summary>The answer to a security report: the report as filed, and how many are on record.</summary>
    public static object SecurityReportFiled(OperatorState s) => new
    {
        OperatorId = s.Id, State = Kebab.Of(s.State),
        SecurityReport = s.SecurityReports.Count > 0 && s.SecurityReports[^1] is var r ? new { r.Period, r.Summary, r.FiledAt } : null,
        SecurityReportsOnRecord = s.SecurityReports.Count,
    };

    public static object Call(CallState s)
    {
        var t = s.Terms!;
        return new
        {
            s.Id, State = Kebab.Of(s.State), Mode = Kebab.Of(t.Mode), t.Title, t.ProviderId,
            Scope = Scope(t.Scope), t.Conditions, Criteria = t.Criteria.Select(c => new { c.Name, c.Weight }),
            t.PassScore, t.OpensAt, t.ClosesAt, NoticePeriod = System.Xml.XmlConvert.ToString(t.NoticePeriod),
            s.NoticeEndsAt, Authority = s.AuthorityOrg, Applications = s.Applications.Select(a => new { a.ApplicationId, a.OperatorId }),
            s.CancelReason,
        };
    }

    public static object Scope(Scope s) => new { Domains = s.Domains.Select(d => Kebab.Of(d)), s.Datasets };

    /// <summary>Materials and score sheets are shown to the applicant and the reviewing side only.</summary>
    public static object Application(ApplicationState s, bool full) => new
    {
        s.Id, s.CallId, s.OperatorId, State = Kebab.Of(s.State), s.Score, s.NoticeEndsAt, s.RejectionReason,
        Materials = full ? MaterialsOf(s.MaterialsJson) : null,
        Reviews = full ? s.Reviews.Select(r => new { r.Expert, r.Scores, r.Weighted, r.At }) : null,
        Objections = s.Objections.Select(o => new { o.Id, o.Reason, State = Kebab.Of(o.State), o.FiledAt }),
    };

    /// <summary>Materials are checked to be Unicode text when they are taken (issue 10). Those taken before may hold
    /// a lone surrogate escape, which no JSON writer accepts: they are shown as the text they were stored as,
    /// rather than failing every read of the application with a 500.</summary>
    private static object MaterialsOf(string json) =>
        UnicodeJsonElementConverter.FirstNotUnicode(json) is null ? System.Text.Json.JsonDocument.Parse(json).RootElement : json;

    public static object Agreement(AgreementState s) => new
    {
        s.Id, State = Kebab.Of(s.State), s.ApplicationId, s.CallId, s.OperatorId, Mode = Kebab.Of(s.Mode),
        AuthorizingUnit = s.AuthorizingUnit is { } u ? new { Role = Kebab.Of(u.Role), u.Org } : null,
        Scope = Scope(s.Scope), s.StartsAt, s.EndsAt,
        s.Clauses?.RightsAndObligations, s.Clauses?.SecurityRequirements, s.Clauses?.ExitConditions,
        s.Clauses?.BreachLiability, s.Clauses?.AssetDisposal,
        Signatures = new { Operator = s.OperatorSignedAt, AuthorizingUnit = s.UnitSignedAt },
        Rectification = s.Rectification is { } r ? new { r.Reason, r.Items, r.Deadline, r.OrderedAt } : null,
        RectificationReports = s.RectificationReports.Select(r => new { r.Summary, r.At }),
        s.EndReason, s.AssetDisposalRecord,
    };

    public static object DataRequest(DataRequestState s) => new
    {
        s.Id, State = Kebab.Of(s.State), s.OperatorId, s.AgreementId, s.Scenario, s.Datasets, s.Purpose,
        ConsentRecorded = !string.IsNullOrWhiteSpace(s.ConsentEvidence), s.RequiresConsent,
        RequiredApprovals = new[] { "authority" }.Concat(s.RequiredProviders.Select(p => $"provider:{p}")),
        Approvals = s.Approvals.Select(a => new { Role = Kebab.Of(a.Role), a.Org, a.At }),
        s.RejectionReason, s.SuspensionReason, s.EndReason,
    };

    public static object Incident(IncidentState s) => new
    {
        s.Id, State = Kebab.Of(s.State), s.OperatorId, s.DataRequestId, s.AgreementId, s.Summary, s.Article,
        Source = s.Source is { } src ? new { src.AlertId, src.Rule, src.Severity, src.Evidence } : null,
        OpenedBy = s.OpenedBy is { } by ? new { Role = Kebab.Of(by.Role), by.Org } : null, s.OpenedAt,
        Measures = s.Measures.Select(m => new { By = new { Role = Kebab.Of(m.By.Role), m.By.Org }, m.At, m.Description }),
        s.Report, s.ClosedAt,
    };
}
