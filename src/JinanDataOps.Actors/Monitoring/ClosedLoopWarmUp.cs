using JinanDataOps.Actors.Entities;
using JinanDataOps.Domain.Agreements;
using JinanDataOps.Domain.DataRequests;
using JinanDataOps.Domain.Incidents;
using JinanDataOps.Domain.Reactions;

namespace JinanDataOps.Actors.Monitoring;

/// <summary>Reads, while a lane writes a batch part whose alerts the closed loop will act on (Art. 15), the states of the
/// entities the loop reads first — the data request, the agreement, the incident-to-be — so that they are recovered from
/// the journal by the time the part is durable and the loop runs. Under sandbox ingestion each such recovery (snapshot,
/// events, highest sequence number: three queries) took ~7 ms of the loop's ~31 ms (docs/performance.md, "The closed loop
/// under ingestion"). Only reads: nothing is decided before the alerts are on record, and if the write fails the entities
/// have merely been started early. Through the gateway, so it reaches them on whichever node hosts them.</summary>
public static class ClosedLoopWarmUp
{
    public static void Start(EntityGateway gateway, AlertsRaised raised)
    {
        foreach (var alert in raised.ActingAlerts)
        {
            if (!string.IsNullOrEmpty(alert.DataRequestId)) Observe(gateway.GetState<DataRequestState>(alert.DataRequestId));
            if (!string.IsNullOrEmpty(alert.AgreementId)) Observe(gateway.GetState<AgreementState>(alert.AgreementId));
            Observe(gateway.GetState<IncidentState>(Reactions.IncidentIdOf(alert.Id)));
        }
    }

    /// <summary>A read that fails (a timeout, the journal down) costs nothing: the loop reads again and handles it.</summary>
    private static void Observe(Task read) =>
        read.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
