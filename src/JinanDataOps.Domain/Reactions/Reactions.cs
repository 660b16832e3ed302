using System.Collections.Frozen;
using JinanDataOps.Domain.Agreements;
using JinanDataOps.Domain.Applications;
using JinanDataOps.Domain.Calls;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.DataRequests;
using JinanDataOps.Domain.Evaluations;
using JinanDataOps.Domain.Incidents;
using JinanDataOps.Domain.Operators;
using JinanDataOps.Domain.Products;

namespace JinanDataOps.Domain.Reactions;

/// <summary>The cross-entity policy of the Measures, as one table: what an event of one entity means for
/// the others (DOMAIN.md). Pure: each reaction reads facts and yields commands, which the host carries
/// out through the entities; which events are followed at all (the journal's reactions tag) is derived
/// from the same table.</summary>
public static class Reactions
{
    private static readonly Caller Platform = Caller.Platform;

    public static readonly IReadOnlyList<ReactionRule> Table =
    [
        Rule<ApplicationAccepted>(Call.Kind, "Art. 8(2)", "an application accepted by an open call is created with the call's terms", ApplicationAccepted),
        Rule<ShortlistPublished>(Call.Kind, "Art. 8(3)", "publishing the shortlist settles every application: shortlisted and under notice, or not selected",
            (e, c) => ForEachApplication(c, new EvaluateApplication(Platform, e.NoticeEndsAt))),
        Rule<CallConcluded>(Call.Kind, "Art. 8(4)", "the end of the notice confirms every noticed application with no upheld objection",
            (_, c) => ForEachApplication(c, new ConcludeNotice(Platform))),
        Rule<ReviewRecorded>(Application.Kind, "Art. 8(3)", "the first score sheet puts the call under review", ReviewRecorded),
        Rule<AgreementActivated>(Agreement.Kind, "Art. 18", "an active agreement lets its approved requests be provisioned",
            (_, c) => AgreementStanding(c, Operators.AgreementStanding.Active)),
        Rule<AgreementRestored>(Agreement.Kind, "Art. 18", "restoring the agreement restores the requests suspended with it",
            (_, c) => AgreementStanding(c, Operators.AgreementStanding.Active)),
        Rule<AgreementSuspended>(Agreement.Kind, "Art. 18", "suspending the agreement stops every data request under it at once",
            (_, c) => AgreementStanding(c, Operators.AgreementStanding.Suspended)),
        Rule<AgreementTerminated>(Agreement.Kind, "Art. 18", "termination revokes the operator's data access everywhere",
            (_, c) => AgreementStanding(c, Operators.AgreementStanding.Terminated)),
        Rule<AgreementExpired>(Agreement.Kind, "Art. 8(5)", "expiry ends the data-use rights under the agreement",
            (_, c) => AgreementStanding(c, Operators.AgreementStanding.Expired)),
        Rule<DataRequestOpened>(Operator.Kind, "Art. 13", "a scenario the operator opened becomes a data request awaiting consent",
            (e, c) => One(new Dispatch(e.Submission.RequestId, new SubmitDataRequest(e.By, c.SourceId, e.Submission)))),
        Rule<TrainingRecorded>(Operator.Kind, "Art. 16", "recorded training lets the operator's approved requests be provisioned", TrainingRecorded),
        Rule<DataRequestApproved>(DataRequest.Kind, "Art. 16", "an approved request is provisioned once the operator is trained and the agreement active",
            (_, c) => TryProvision(c, c.SourceId)),
        Rule<DataRequestRejected>(DataRequest.Kind, "Art. 13", "a rejected request frees its scenario", (_, c) => ReleaseScenario(c)),
        Rule<DataRequestRevoked>(DataRequest.Kind, "Art. 13", "a revoked request frees its scenario", (_, c) => ReleaseScenario(c)),
        Rule<DataRequestClosed>(DataRequest.Kind, "Art. 13", "a closed request frees its scenario", (_, c) => ReleaseScenario(c)),
        Rule<ProductCreated>(Product.Kind, "Art. 3", "the operator keeps track of its products, so that what stops their sources delists them",
            (e, c) => One(new Dispatch(e.OperatorId, new NoteProduct(Platform, c.SourceId, e.AgreementId, e.DataRequestIds)))),
        Rule<DataRequestSuspended>(DataRequest.Kind, "Art. 13", "a listed product built from a request that stops is delisted",
            (_, c) => DelistFromRequest(c, "suspended")),
        Rule<DataRequestRevoked>(DataRequest.Kind, "Art. 13", "a listed product built from a request that stops is delisted",
            (_, c) => DelistFromRequest(c, "revoked")),
        Rule<DataRequestClosed>(DataRequest.Kind, "Art. 13", "a listed product built from a request that stops is delisted",
            (_, c) => DelistFromRequest(c, "closed")),
        Rule<EvaluationFailed>(Evaluation.Kind, "Art. 18",
            "a failed evaluation suspends the agreement by the platform with a rectification order of its findings and deadline, the authorizing unit notified",
            EvaluationFailed),
        Rule<AgreementRestored>(Agreement.Kind, "Art. 18", "the unit reports back to the authority: the evaluations that suspended the agreement record it restored",
            (_, c) => RecordOutcome(c, Evaluations.EvaluationOutcome.Restored)),
        Rule<AgreementTerminated>(Agreement.Kind, "Art. 18", "the unit reports back to the authority: the evaluations that suspended the agreement record it terminated",
            (_, c) => RecordOutcome(c, Evaluations.EvaluationOutcome.Terminated)),
        Rule<AgreementExpired>(Agreement.Kind, "Art. 18", "the evaluations that suspended the agreement record that its term ran out",
            (_, c) => RecordOutcome(c, Evaluations.EvaluationOutcome.Expired)),
        Rule<ViolationsDetected>(ViolationsDetected.Kind, "Art. 15",
            "a critical alert suspends its data request, by policy its agreement, and opens a security incident with the alert as evidence",
            Violations, e => e.Alerts.Count > 0),
    ];

    /// <summary>Whether the event has consequences in other entities: only those are followed.</summary>
    public static bool HasConsequences(IDomainEvent e) => RulesFor(e).Any(r => r.Applies(e));

    /// <summary>The commands the event means for other entities, in the order they are to be carried out.</summary>
    public static async IAsyncEnumerable<Dispatch> React(IDomainEvent e, ReactionContext context)
    {
        foreach (var rule in RulesFor(e).Where(r => r.Applies(e)))
            await foreach (var dispatch in rule.React(e, context))
                yield return dispatch;
    }

    /// <summary>The kind of entity whose events a rule of this event type follows (null: none).</summary>
    public static string? KindOf(IDomainEvent e) => RulesFor(e).FirstOrDefault(r => r.Applies(e))?.Kind;

    /// <summary>The rows of the table by event type, so that tagging every persisted event (the write path) is one
    /// lookup rather than a pass over the table. Events are sealed records: a rule names the exact type.</summary>
    private static readonly FrozenDictionary<Type, ReactionRule[]> ByType =
        Table.GroupBy(r => r.Event).ToDictionary(g => g.Key, g => g.ToArray()).ToFrozenDictionary();

    private static ReactionRule[] RulesFor(IDomainEvent e) => ByType.GetValueOrDefault(e.GetType()) ?? [];

    /// <summary>The incident of an alert: one per alert, whoever opens it and however often.</summary>
    public static string IncidentIdOf(string alertId) =>
        "inc-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(alertId)))[..20];

    private static ReactionRule Rule<TEvent>(string kind, string article, string consequence,
        Func<TEvent, ReactionContext, IAsyncEnumerable<Dispatch>> react, Func<TEvent, bool>? when = null) where TEvent : IDomainEvent =>
        new(typeof(TEvent), kind, article, consequence, (e, c) => react((TEvent)e, c), when is null ? null : e => when((TEvent)e));

    private static async IAsyncEnumerable<Dispatch> One(Dispatch dispatch)
    {
        await Task.CompletedTask;
        yield return dispatch;
    }

    private static async IAsyncEnumerable<Dispatch> ApplicationAccepted(ApplicationAccepted e, ReactionContext c)
    {
        var call = await c.Facts.Get<CallState>(c.SourceId);
        if (call?.Terms is null) yield break;
        yield return new Dispatch(e.ApplicationId,
            new SubmitApplication(e.By, c.SourceId, e.OperatorId, call.AuthorityOrg, call.Terms, e.MaterialsJson, e.AffiliatedOrgs));
    }

    private static async IAsyncEnumerable<Dispatch> ForEachApplication(ReactionContext c, IApplicationCommand command)
    {
        var call = await c.Facts.Get<CallState>(c.SourceId);
        foreach (var entry in call?.Applications ?? []) yield return new Dispatch(entry.ApplicationId, command);
    }

    private static async IAsyncEnumerable<Dispatch> ReviewRecorded(ReviewRecorded e, ReactionContext c)
    {
        var app = await c.Facts.Get<ApplicationState>(c.SourceId);
        if (app is not null) yield return new Dispatch(app.CallId, new StartReview(Platform));
    }

    /// <summary>Art. 18 and 8(5): the operator's data-use rights follow its agreement. Suspension stops
    /// every request under the agreement, restoration resumes them, expiry revokes them, and termination
    /// revokes the operator's access everywhere.</summary>
    private static async IAsyncEnumerable<Dispatch> AgreementStanding(ReactionContext c, AgreementStanding standing)
    {
        var agreementId = c.SourceId;
        var agreement = await c.Facts.Get<AgreementState>(agreementId);
        if (agreement is null) yield break;
        yield return new Dispatch(agreement.OperatorId, new NoteAgreementStanding(Platform, agreementId, standing,
            standing == Operators.AgreementStanding.Active ? c.Settings.SecurityReportEvery : null));
        var op = await c.Facts.Get<OperatorState>(agreement.OperatorId);
        // Art. 13, 18: a product may be traded only while the rights it was built under stand.
        if (standing != Operators.AgreementStanding.Active)
            foreach (var product in op?.ProductsUnder(agreementId) ?? [])
                yield return new Dispatch(product.ProductId, new DelistProduct(Platform,
                    $"agreement {agreementId} {Kebab.Of(standing)}: the product may not be traded without data-use rights ({(standing == Operators.AgreementStanding.Expired ? "Art. 8(5)" : "Art. 18")})"));
        var requests = (op?.LiveRequests ?? []).Where(r => standing == Operators.AgreementStanding.Terminated || r.AgreementId == agreementId).ToArray();
        foreach (var live in requests)
        {
            switch (standing)
            {
                case Operators.AgreementStanding.Active:
                    yield return new Dispatch(live.RequestId, new RestoreDataRequest(Platform, WithAgreement: true));
                    await foreach (var provision in TryProvision(c, live.RequestId)) yield return provision;
                    break;
                case Operators.AgreementStanding.Suspended:
                    yield return new Dispatch(live.RequestId, new SuspendDataRequest(Platform,
                        $"agreement {agreementId} suspended: {agreement.Rectification?.Reason} (Art. 18)", WithAgreement: true));
                    break;
                case Operators.AgreementStanding.Terminated:
                    yield return new Dispatch(live.RequestId, new RevokeDataRequest(Platform, $"agreement {agreementId} terminated: {agreement.EndReason} (Art. 18)"));
                    break;
                case Operators.AgreementStanding.Expired:
                    yield return new Dispatch(live.RequestId, new RevokeDataRequest(Platform, $"agreement {agreementId} expired: data-use rights end with the term (Art. 8(5))"));
                    break;
            }
        }
    }

    private static async IAsyncEnumerable<Dispatch> TrainingRecorded(TrainingRecorded e, ReactionContext c)
    {
        var op = await c.Facts.Get<OperatorState>(c.SourceId);
        foreach (var live in op?.LiveRequests ?? [])
            await foreach (var provision in TryProvision(c, live.RequestId)) yield return provision;
    }

    /// <summary>Art. 16: data is provisioned only to a trained operator, and only under an active agreement.</summary>
    private static async IAsyncEnumerable<Dispatch> TryProvision(ReactionContext c, string requestId)
    {
        var request = await c.Facts.Get<DataRequestState>(requestId);
        if (request is not { State: DataRequestStatus.Approved }) yield break;
        var op = await c.Facts.Get<OperatorState>(request.OperatorId);
        var agreement = await c.Facts.Get<AgreementState>(request.AgreementId);
        yield return new Dispatch(requestId, new ProvisionDataRequest(Platform, op?.HasTraining == true, agreement?.State == AgreementStatus.Active));
    }

    /// <summary>The cause an evaluation's failure gives its suspension, so the agreement's outcome finds the evaluation again.</summary>
    public static string CauseOf(string evaluationId) => EvaluationCause + evaluationId;

    private const string EvaluationCause = "evaluation:";

    /// <summary>Art. 18: 评估结果不符合 → the authorizing unit is notified and, by the platform, the agreement suspended with the
    /// findings as the rectification's content and the evaluation's deadline. An agreement that has already ended has no
    /// rights to suspend: the evaluation records that end at once.</summary>
    private static async IAsyncEnumerable<Dispatch> EvaluationFailed(EvaluationFailed e, ReactionContext c)
    {
        var agreement = await c.Facts.Get<AgreementState>(e.AgreementId);
        switch (agreement?.State)
        {
            case AgreementStatus.Active or AgreementStatus.Suspended:
                yield return new Dispatch(agreement.Id, new SuspendAgreement(Platform, $"evaluation {c.SourceId} failed (Art. 18)", e.Findings, e.RectificationDeadline,
                    CauseOf(c.SourceId)));
                break;
            case AgreementStatus.Terminated or AgreementStatus.Closed:
                yield return new Dispatch(c.SourceId, new RecordEvaluationOutcome(Platform, Evaluations.EvaluationOutcome.Terminated, agreement.EndReason));
                break;
            case AgreementStatus.Expired:
                yield return new Dispatch(c.SourceId, new RecordEvaluationOutcome(Platform, Evaluations.EvaluationOutcome.Expired, agreement.EndReason));
                break;
        }
    }

    /// <summary>Art. 18 (授权单位应当将处理情况及时反馈大数据主管部门): the outcome goes back onto every evaluation whose failure
    /// suspended the agreement; one that already has its outcome keeps it.</summary>
    private static async IAsyncEnumerable<Dispatch> RecordOutcome(ReactionContext c, EvaluationOutcome outcome)
    {
        var agreement = await c.Facts.Get<AgreementState>(c.SourceId);
        var reason = outcome == Evaluations.EvaluationOutcome.Restored ? "rectification accepted by the authorizing unit" : agreement?.EndReason;
        foreach (var cause in agreement?.SuspensionCauses ?? [])
            if (cause.StartsWith(EvaluationCause, StringComparison.Ordinal))
                yield return new Dispatch(cause[EvaluationCause.Length..], new RecordEvaluationOutcome(Platform, outcome, reason));
    }

    /// <summary>Art. 13, 15: a product built from a request that no longer has sandbox access is delisted.</summary>
    private static async IAsyncEnumerable<Dispatch> DelistFromRequest(ReactionContext c, string how)
    {
        var request = await c.Facts.Get<DataRequestState>(c.SourceId);
        if (request is null) yield break;
        var op = await c.Facts.Get<OperatorState>(request.OperatorId);
        foreach (var product in op?.ProductsFrom(request.Id) ?? [])
            yield return new Dispatch(product.ProductId, new DelistProduct(Platform, $"data request {request.Id} {how}: its product may not be traded (Art. 13)"));
    }

    private static async IAsyncEnumerable<Dispatch> ReleaseScenario(ReactionContext c)
    {
        var request = await c.Facts.Get<DataRequestState>(c.SourceId);
        if (request is not null) yield return new Dispatch(request.OperatorId, new ReleaseScenario(Platform, request.Id));
    }

    /// <summary>Art. 15 — the closed loop of sandbox monitoring: a critical alert suspends the data request
    /// at once, by policy its agreement too (which suspends the operator's other requests under it, Art.
    /// 18), and opens a security incident with the alert as evidence. Each suspension names the alert as its
    /// cause, so running the reaction again — the intake does it at once, the projection later — never
    /// suspends twice for one alert, even after the unit has restored what the first run suspended.</summary>
    private static async IAsyncEnumerable<Dispatch> Violations(ViolationsDetected e, ReactionContext c)
    {
        foreach (var alert in e.Alerts)
        {
            var reason = $"critical alert {alert.AlertId}: {alert.Summary}";
            var request = alert.DataRequestId is null ? null : await c.Facts.Get<DataRequestState>(alert.DataRequestId);
            // An alert on an unknown request (or another operator's) names no request of this operator to stop.
            var ownRequest = request?.OperatorId == alert.OperatorId ? request : null;
            if (ownRequest is { State: DataRequestStatus.Provisioned })
                yield return new Dispatch(ownRequest.Id, new SuspendDataRequest(Platform, reason, WithAgreement: false, Cause: alert.AlertId));
            var agreementId = ownRequest?.AgreementId ?? alert.AgreementId;
            var agreement = string.IsNullOrEmpty(agreementId) ? null : await c.Facts.Get<AgreementState>(agreementId);
            if (agreement?.OperatorId != alert.OperatorId) agreement = null;
            if (e.SuspendAgreements && agreement is { State: AgreementStatus.Active })
                yield return new Dispatch(agreement.Id, new SuspendAgreement(Platform, reason,
                    [$"respond to security incident {IncidentIdOf(alert.AlertId)} and report the measures taken", "show that the sandbox breach cannot recur"],
                    e.RectificationDeadline, Cause: alert.AlertId));
            yield return new Dispatch(IncidentIdOf(alert.AlertId), new OpenIncident(Platform, alert.OperatorId, alert.DataRequestId, agreementId,
                alert.Summary, alert.Article, new IncidentSource(alert.AlertId, alert.Rule, alert.Severity, alert.Evidence),
                // Art. 15: the authority of the agreement responds to the incident and closes it; with no known
                // agreement (the sandbox let an unknown request through), the city authority that runs the platform.
                agreement?.AuthorityOrg ?? c.Settings.CityAuthority));
        }
    }
}
