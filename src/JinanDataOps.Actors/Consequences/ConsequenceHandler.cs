using JinanDataOps.Actors.Entities;
using JinanDataOps.Actors.Hosting;
using JinanDataOps.Domain.Agreements;
using JinanDataOps.Domain.Applications;
using JinanDataOps.Domain.Calls;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.DataRequests;
using JinanDataOps.Domain.Incidents;
using JinanDataOps.Domain.Operators;
using Microsoft.Extensions.Logging;

namespace JinanDataOps.Actors.Consequences;

/// <summary>Carries out what an event means for other entities. Every command it sends is idempotent
/// in its decider, so handling an event twice (after a crash before the offset was stored) is harmless.
/// A rejection is a final answer and is logged; an exception (timeout) makes the projection retry.</summary>
public sealed class ConsequenceHandler(EntityGateway gateway, PlatformOptions platform, ILogger<ConsequenceHandler> log)
{
    private static readonly Caller Platform = Caller.Platform;


    /// <summary>Runs at once the consequences of events a request has just persisted, so its caller sees
    /// them in the answer; the projection repeats them later, and the repeat decides nothing.</summary>
    public async Task HandleNow(string kind, string entityId, IReadOnlyList<IDomainEvent> events, CancellationToken ct)
    {
        foreach (var e in events)
            if (ConsequenceRules.HasConsequences(e)) await Handle(PersistenceIds.For(kind, entityId), e, ct);
    }

    public async Task Handle(string persistenceId, IDomainEvent e, CancellationToken ct)
    {
        switch (e)
        {
            case ApplicationAccepted x:
                await ApplicationAccepted(PersistenceIds.EntityIdOf(Call.Kind, persistenceId), x, ct);
                break;
            case ShortlistPublished x:
                await ForEachApplication(PersistenceIds.EntityIdOf(Call.Kind, persistenceId), new EvaluateApplication(Platform, x.NoticeEndsAt), ct);
                break;
            case CallConcluded:
                await ForEachApplication(PersistenceIds.EntityIdOf(Call.Kind, persistenceId), new ConcludeNotice(Platform), ct);
                break;
            case ReviewRecorded:
                var app = await gateway.Get<Application, ApplicationState>(PersistenceIds.EntityIdOf(Application.Kind, persistenceId), ct);
                if (app is not null) await Send<Call, CallState>(app.CallId, new StartReview(Platform), ct);
                break;
            case AgreementActivated or AgreementRestored:
                await AgreementStanding(PersistenceIds.EntityIdOf(Agreement.Kind, persistenceId), Domain.Operators.AgreementStanding.Active, ct);
                break;
            case AgreementSuspended:
                await AgreementStanding(PersistenceIds.EntityIdOf(Agreement.Kind, persistenceId), Domain.Operators.AgreementStanding.Suspended, ct);
                break;
            case AgreementTerminated:
                await AgreementStanding(PersistenceIds.EntityIdOf(Agreement.Kind, persistenceId), Domain.Operators.AgreementStanding.Terminated, ct);
                break;
            case AgreementExpired:
                await AgreementStanding(PersistenceIds.EntityIdOf(Agreement.Kind, persistenceId), Domain.Operators.AgreementStanding.Expired, ct);
                break;
            case DataRequestOpened x:
                await Send<DataRequest, DataRequestState>(x.Submission.RequestId,
                    new SubmitDataRequest(x.By, PersistenceIds.EntityIdOf(Operator.Kind, persistenceId), x.Submission), ct);
                break;
            case TrainingRecorded:
                var op = await gateway.Get<Operator, OperatorState>(PersistenceIds.EntityIdOf(Operator.Kind, persistenceId), ct);
                foreach (var live in op?.LiveRequests ?? []) await TryProvision(live.RequestId, ct);
                break;
            case DataRequestApproved:
                await TryProvision(PersistenceIds.EntityIdOf(DataRequest.Kind, persistenceId), ct);
                break;
            case Monitoring.AlertsRaised x:
                foreach (var alert in x.ActingAlerts) await CriticalAlert(alert, x, ct);
                break;
            case DataRequestRejected or DataRequestRevoked or DataRequestClosed:
                var request = await gateway.Get<DataRequest, DataRequestState>(PersistenceIds.EntityIdOf(DataRequest.Kind, persistenceId), ct);
                if (request is not null) await Send<Operator, OperatorState>(request.OperatorId, new ReleaseScenario(Platform, request.Id), ct);
                break;
        }
    }

    private async Task ApplicationAccepted(string callId, ApplicationAccepted x, CancellationToken ct)
    {
        var call = await gateway.Get<Call, CallState>(callId, ct);
        if (call?.Terms is null) return;
        await Send<Application, ApplicationState>(x.ApplicationId,
            new SubmitApplication(x.By, callId, x.OperatorId, call.AuthorityOrg, call.Terms, x.MaterialsJson, x.AffiliatedOrgs), ct);
    }

    private async Task ForEachApplication(string callId, IApplicationCommand command, CancellationToken ct)
    {
        var call = await gateway.Get<Call, CallState>(callId, ct);
        foreach (var entry in call?.Applications ?? []) await Send<Application, ApplicationState>(entry.ApplicationId, command, ct);
    }

    /// <summary>Art. 18 and 8(5): the operator's data-use rights follow its agreement. Suspension stops
    /// every request under the agreement, restoration resumes them, expiry revokes them, and termination
    /// revokes the operator's access everywhere.</summary>
    private async Task AgreementStanding(string agreementId, AgreementStanding standing, CancellationToken ct)
    {
        var agreement = await gateway.Get<Agreement, AgreementState>(agreementId, ct);
        if (agreement is null) return;
        await Send<Operator, OperatorState>(agreement.OperatorId, new NoteAgreementStanding(Platform, agreementId, standing), ct);
        var op = await gateway.Get<Operator, OperatorState>(agreement.OperatorId, ct);
        var requests = (op?.LiveRequests ?? []).Where(r => standing == Domain.Operators.AgreementStanding.Terminated || r.AgreementId == agreementId).ToArray();
        foreach (var live in requests)
        {
            switch (standing)
            {
                case Domain.Operators.AgreementStanding.Active:
                    await Send<DataRequest, DataRequestState>(live.RequestId, new RestoreDataRequest(Platform, WithAgreement: true), ct);
                    await TryProvision(live.RequestId, ct);
                    break;
                case Domain.Operators.AgreementStanding.Suspended:
                    await Send<DataRequest, DataRequestState>(live.RequestId,
                        new SuspendDataRequest(Platform, $"agreement {agreementId} suspended: {agreement.Rectification?.Reason} (Art. 18)", WithAgreement: true), ct);
                    break;
                case Domain.Operators.AgreementStanding.Terminated:
                    await Send<DataRequest, DataRequestState>(live.RequestId,
                        new RevokeDataRequest(Platform, $"agreement {agreementId} terminated: {agreement.EndReason} (Art. 18)"), ct);
                    break;
                case Domain.Operators.AgreementStanding.Expired:
                    await Send<DataRequest, DataRequestState>(live.RequestId,
                        new RevokeDataRequest(Platform, $"agreement {agreementId} expired: data-use rights end with the term (Art. 8(5))"), ct);
                    break;
            }
        }
    }

    /// <summary>Art. 15 — the closed loop of sandbox monitoring: a critical alert suspends the data request
    /// at once, by policy its agreement too (which suspends the operator's other requests under it, Art.
    /// 18), and opens a security incident with the alert as evidence. Each step is idempotent, so the
    /// projection repeating what the intake already did changes nothing.</summary>
    private async Task CriticalAlert(JinanDataOps.Monitoring.Rules.Alert alert, Monitoring.AlertsRaised raised, CancellationToken ct)
    {
        var reason = $"critical alert {alert.Id}: {alert.Summary}";
        var request = await gateway.Get<DataRequest, DataRequestState>(alert.DataRequestId ?? "", ct);
        // An alert on an unknown request (or another operator's) names no request of this operator to stop.
        if (request is { State: DataRequestStatus.Provisioned } && request.OperatorId == alert.OperatorId)
            await Send<DataRequest, DataRequestState>(request.Id, new SuspendDataRequest(Platform, reason, WithAgreement: false), ct);
        var agreementId = request?.OperatorId == alert.OperatorId ? request.AgreementId : alert.AgreementId;
        var agreement = string.IsNullOrEmpty(agreementId) ? null : await gateway.Get<Agreement, AgreementState>(agreementId, ct);
        if (agreement?.OperatorId != alert.OperatorId) agreement = null;
        if (raised.SuspendAgreements && agreement is { State: AgreementStatus.Active })
            await Send<Agreement, AgreementState>(agreement.Id, new SuspendAgreement(Platform, reason,
                [$"respond to security incident {IncidentIdOf(alert.Id)} and report the measures taken", "show that the sandbox breach cannot recur"],
                raised.At + raised.RectificationPeriod), ct);
        await Send<Incident, IncidentState>(IncidentIdOf(alert.Id), new OpenIncident(Platform, alert.OperatorId, alert.DataRequestId, agreementId,
            alert.Summary, alert.Article, new IncidentSource(alert.Id, alert.Rule, Kebab.Of(alert.Severity), alert.Evidence),
            // Art. 15: the authority of the agreement responds to the incident and closes it; with no known
            // agreement (the sandbox let an unknown request through), the city authority that runs the platform.
            agreement?.AuthorityOrg ?? platform.CityAuthority), ct);
    }

    /// <summary>The incident of an alert: one per alert, whoever opens it and however often.</summary>
    public static string IncidentIdOf(string alertId) =>
        "inc-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(alertId)))[..20];

    /// <summary>Art. 16: data is provisioned only to a trained operator, and only under an active agreement.</summary>
    private async Task TryProvision(string requestId, CancellationToken ct)
    {
        var request = await gateway.Get<DataRequest, DataRequestState>(requestId, ct);
        if (request is not { State: DataRequestStatus.Approved }) return;
        var op = await gateway.Get<Operator, OperatorState>(request.OperatorId, ct);
        var agreement = await gateway.Get<Agreement, AgreementState>(request.AgreementId, ct);
        await Send<DataRequest, DataRequestState>(requestId,
            new ProvisionDataRequest(Platform, op?.HasTraining == true, agreement?.State == AgreementStatus.Active), ct);
    }

    private async Task Send<TDecider, TState>(string id, ICommand command, CancellationToken ct) where TState : class
    {
        var outcome = await gateway.Execute<TDecider, TState>(id, command, ct);
        if (outcome.Rejection is { } r)
            log.LogWarning("consequence {Command} on {Id} was refused: {Detail}", command.GetType().Name, id, r.Detail);
    }
}
