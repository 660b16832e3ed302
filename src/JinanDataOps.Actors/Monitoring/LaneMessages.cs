using JinanDataOps.Actors.Protocol;
using JinanDataOps.Domain.Common;
using JinanDataOps.Monitoring.Rules;
using JinanDataOps.Monitoring.Sandbox;

namespace JinanDataOps.Actors.Monitoring;

/// <summary>Record one lane's part of a sandbox batch, with the facts its events are judged against (the
/// requests they name, the sensitive fields of their datasets), then judge them. Answered by
/// <see cref="ActivityRecorded"/> once both the events and the alerts they raised are durable.</summary>
public sealed record RecordActivity(
    string EntityId, string BatchId, IReadOnlyList<SandboxEvent> Events, IReadOnlyList<RequestContext> Requests,
    IReadOnlyDictionary<string, IReadOnlyList<string>> SensitiveFields) : IEntityMessage;

/// <summary>The part is recorded (or was already: <see cref="Duplicate"/>); <see cref="Raised"/> holds the
/// alerts it raised, if any.</summary>
public sealed record ActivityRecorded(string BatchId, int Events, bool Duplicate, AlertsRaised? Raised) : IJinanMessage;

/// <summary>The activity log (Art. 8(5), 17: evidence): the events of one lane's part of a batch as the
/// sandbox reported them, with the facts they were judged against, so judging them again gives the same
/// result.</summary>
public sealed record BatchRecorded(
    string BatchId, DateTimeOffset At, IReadOnlyList<SandboxEvent> Events, IReadOnlyList<RequestContext> Requests,
    IReadOnlyDictionary<string, IReadOnlyList<string>> SensitiveFields);

/// <summary>Alerts raised or counted by a batch: each alert as it now stands. <see cref="Acting"/> names
/// the ones the closed loop acts on (critical, new or newly escalated): suspend the data request, by
/// <see cref="SuspendAgreements"/> its agreement too (with a rectification deadline of
/// <see cref="RectificationPeriod"/>), and open a security incident (Art. 15).</summary>
public sealed record AlertsRaised(
    Caller By, DateTimeOffset At, string BatchId, IReadOnlyList<Alert> Alerts, IReadOnlyList<string> Acting,
    bool SuspendAgreements, TimeSpan RectificationPeriod) : IDomainEvent, Domain.Audit.IConcernsOperators
{
    public IEnumerable<Alert> ActingAlerts => Alerts.Where(a => Acting.Contains(a.Id));

    /// <summary>A lane judges several operators: one batch of alerts may concern more than one (Art. 8(5), 17).</summary>
    public IReadOnlyList<string> OperatorsConcerned() => Alerts.Select(a => a.OperatorId).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>Only the operator's own alerts: another operator's alerts are not its to read (Art. 15).</summary>
    public IDomainEvent For(string operatorId)
    {
        var own = Alerts.Where(a => a.OperatorId == operatorId).ToArray();
        return this with { Alerts = own, Acting = Acting.Where(id => own.Any(a => a.Id == id)).ToArray() };
    }
}

/// <summary>A lane's snapshot: what its rules have learned per operator, and the batches it has recorded
/// lately (so a batch sent again is not counted twice).</summary>
public sealed record LaneSnapshot(IReadOnlyList<OperatorMonitorState> Monitors, IReadOnlyList<string> RecentBatches);
