using JinanDataOps.Domain.Common;

namespace JinanDataOps.Domain.Reactions;

/// <summary>A critical alert of sandbox monitoring as the reactions see it (the monitoring's own alert,
/// without its windows and counts).</summary>
public sealed record CriticalAlert(
    string AlertId, string Rule, string Severity, string Article, string OperatorId, string? DataRequestId, string? AgreementId,
    string Summary, IReadOnlyList<string> Evidence);

/// <summary>The alerts of one sandbox batch the closed loop acts on (Art. 15): critical, new or newly
/// escalated. <paramref name="SuspendAgreements"/> is the policy of suspending the agreement too, with a
/// rectification order due at <paramref name="RectificationDeadline"/> (Art. 18).</summary>
public sealed record ViolationsDetected(
    Caller By, DateTimeOffset At, IReadOnlyList<CriticalAlert> Alerts, bool SuspendAgreements, DateTimeOffset RectificationDeadline) : IDomainEvent
{
    /// <summary>The source of these events: the monitoring lanes that judged the batch.</summary>
    public const string Kind = "sandbox-monitoring";
}
