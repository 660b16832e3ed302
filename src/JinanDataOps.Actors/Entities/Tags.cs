using JinanDataOps.Domain.Calls;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.DataRequests;
using JinanDataOps.Domain.Datasets;
using JinanDataOps.Domain.Evaluations;
using JinanDataOps.Domain.Incidents;
using JinanDataOps.Domain.Operators;
using JinanDataOps.Domain.Products;

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

    /// <summary>Data requests are followed by monitoring (what a request allows), incidents, products and evaluations by their listings.</summary>
    private static readonly HashSet<string> FollowedKinds = [Call.Kind, Dataset.Kind, DataRequest.Kind, Incident.Kind, Product.Kind, Evaluation.Kind];

    /// <summary>Every batch of alerts is read by the alerts view; those with acting alerts by the
    /// consequence projection too (suspension, incident).</summary>
    public static string[] ForAlerts(Monitoring.AlertsRaised raised) => raised.Acting.Count > 0 ? [Alerts, Reactions] : [Alerts];

    public static string[] For(string kind, IDomainEvent e)
    {
        var tags = new List<string>(3);
        if (FollowedKinds.Contains(kind)) tags.Add(kind);
        if (Domain.Reactions.Reactions.HasConsequences(e)) tags.Add(Reactions);
        // An overdue security report is an alert of its own (Art. 16), listed and streamed with monitoring's.
        if (e is SecurityReportOverdue) tags.Add(Alerts);
        return tags.ToArray();
    }
}
