using Akka.Actor;
using Akka.Persistence.Query;
using JinanDataOps.Actors.Consequences;
using JinanDataOps.Actors.ReadModels;
using JinanDataOps.Actors.Entities;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.DataRequests;
using JinanDataOps.Domain.Datasets;
using JinanDataOps.Domain.Operators;
using JinanDataOps.Monitoring.Rules;
using JinanDataOps.Monitoring.Sandbox;

namespace JinanDataOps.Actors.Monitoring;

/// <summary>Monitoring's read side on every node, folded live from the journal (from the beginning, so a
/// restart rebuilds it): what each data request allows and which dataset fields are sensitive — the
/// facts events are judged against (<see cref="MonitoringContext"/>) — and the alerts
/// (<see cref="AlertStore"/>).</summary>
public sealed class MonitoringView(MonitoringContext context, AlertStore alerts) : UntypedActor
{
    private readonly Dictionary<string, DataRequestState> _requests = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DatasetState> _datasets = new(StringComparer.Ordinal);

    protected override void PreStart() => Self.Tell(Start.Instance);


    public static RequestContext ContextOf(DataRequestState s) =>
        new(s.Id, s.OperatorId, Kebab.Of(s.State), s.State == DataRequestStatus.Provisioned, s.Datasets, !string.IsNullOrWhiteSpace(s.ConsentEvidence), s.AgreementId);

    /// <summary>An overdue periodic security report as an alert (Art. 16): a warning for the authority, one per missed due date.</summary>
    public static Alert OverdueReportAlert(string operatorId, SecurityReportOverdue e) => new(
        Alert.IdOf(operatorId, "security-report-overdue", e.Due), "security-report-overdue", Severity.Warning, "Art. 16", operatorId, null, null,
        $"operator {operatorId} has not filed the security report due {e.Due:O} (Art. 16: operators report on their operational security periodically)",
        e.Due, 1, [],
        new Dictionary<string, string> { ["due"] = e.Due.ToString("O"), ["lastFiledAt"] = e.LastFiledAt?.ToString("O") ?? "never" },
        e.At, e.At, Escalated: false);

    public static IReadOnlyList<string> SensitiveOf(DatasetState s) => s.Fields.Where(f => f.Sensitive).Select(f => f.Name).ToArray();

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Observed { Envelope.Event: IDataRequestEvent e } o:
                var requestId = PersistenceIds.EntityIdOf(DataRequest.Kind, o.Envelope.PersistenceId);
                var request = _requests[requestId] = DataRequest.Evolve(_requests.GetValueOrDefault(requestId) ?? DataRequest.Initial(requestId), e);
                context.Put(ContextOf(request));
                break;
            case Observed { Envelope.Event: IDatasetEvent e } o:
                var datasetId = PersistenceIds.EntityIdOf(Dataset.Kind, o.Envelope.PersistenceId);
                var dataset = _datasets[datasetId] = Dataset.Evolve(_datasets.GetValueOrDefault(datasetId) ?? Dataset.Initial(datasetId), e);
                context.PutDataset(datasetId, SensitiveOf(dataset));
                break;
            case Observed { Envelope.Event: AlertsRaised e }:
                foreach (var alert in e.Alerts) alerts.Put(alert);
                break;
            case Observed { Envelope.Event: SecurityReportOverdue e } o:
                alerts.Put(OverdueReportAlert(PersistenceIds.EntityIdOf(Operator.Kind, o.Envelope.PersistenceId), e));
                break;
            case Observed:
                break;
            case Status.Failure f:
                throw new InvalidOperationException("a monitoring view stream failed; rebuilding", f.Cause);
            case Start:
                // Started by a message, not in PreStart: the read journal may wait for the write journal (see CatalogView).
                TaggedStreams.Follow(Context, [DataRequest.Kind, Dataset.Kind, Tags.Alerts], e => new Observed(e));
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private sealed record Observed(EventEnvelope Envelope) : INoSerializationVerificationNeeded;

    private sealed record Start : INoSerializationVerificationNeeded
    {
        public static readonly Start Instance = new();
    }
}
