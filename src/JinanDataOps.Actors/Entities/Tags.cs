using JinanDataOps.Actors.Consequences;
using JinanDataOps.Domain.Calls;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.DataRequests;
using JinanDataOps.Domain.Datasets;
using JinanDataOps.Domain.Evaluations;
using JinanDataOps.Domain.Incidents;

namespace JinanDataOps.Actors.Entities;

/// <summary>Journal tags, written only where something reads them: the kinds a read model follows
/// (calls, datasets) carry their kind, and events with consequences elsewhere carry
/// <see cref="Reactions"/>, which one projection follows in journal order. Tags are stored in a column
/// of the journal row (the journal's CSV tag mode, docs/performance.md); each one followed costs every
/// poll of its query, so a new read model tags what it needs or reads all events in order.</summary>
public static class Tags
{
    public const string Reactions = "reactions";

    /// <summary>Alerts of sandbox monitoring, for the alerts read model and its live stream.</summary>
    public const string Alerts = "alerts";

    /// <summary>Data requests are followed by monitoring (what a request allows), incidents and evaluations by their listings.</summary>
    private static readonly HashSet<string> FollowedKinds = [Call.Kind, Dataset.Kind, DataRequest.Kind, Incident.Kind, Evaluation.Kind];

    /// <summary>Every batch of alerts is read by the alerts view; those with acting alerts by the
    /// consequence projection too (suspension, incident).</summary>
    public static string[] ForAlerts(Monitoring.AlertsRaised raised) => raised.Acting.Count > 0 ? [Alerts, Reactions] : [Alerts];

    public static string[] For(string kind, IDomainEvent e)
    {
        var followed = FollowedKinds.Contains(kind);
        var reacts = ConsequenceRules.HasConsequences(e);
        return (followed, reacts) switch
        {
            (true, true) => [kind, Reactions],
            (true, false) => [kind],
            (false, true) => [Reactions],
            _ => [],
        };
    }
}
