using JinanDataOps.Monitoring.Sandbox;

namespace JinanDataOps.Monitoring.Tests;

/// <summary>Builders for the tests: one provisioned request of operator "op-1" for the bus dataset, whose
/// field "id-number" is sensitive; times in the afternoon in Jinan (UTC+8) unless given.</summary>
public static class Events
{
    public static readonly DateTimeOffset Afternoon = new(2026, 12, 1, 6, 0, 0, TimeSpan.Zero); // 14:00 in Jinan

    public static RequestContext Provisioned(string id = "req-1", string op = "op-1", bool consent = false, params string[] datasets) =>
        new(id, op, "provisioned", true, datasets.Length == 0 ? ["bus"] : datasets, consent, "agr-1");

    public static MonitoringContext Context(params RequestContext[] requests)
    {
        var context = new MonitoringContext();
        foreach (var r in requests.Length == 0 ? [Provisioned()] : requests) context.Put(r);
        context.PutDataset("bus", ["id-number"]);
        context.PutDataset("clinic", ["diagnosis"]);
        return context;
    }

    private static long _sequence;

    public static SandboxEvent Query(string op = "op-1", string request = "req-1", string dataset = "bus", long rows = 10,
        DateTimeOffset? at = null, ActionKind kind = ActionKind.Query, string[]? fields = null, bool denied = false) =>
        new($"b#{Interlocked.Increment(ref _sequence)}", op, request, kind, dataset, fields ?? ["route", "boardings"], rows, rows * 100, at ?? Afternoon, denied);

    public static EnrichedEvent Enriched(SandboxEvent e, IMonitoringContext? context = null) => (context ?? Context()).Enrich(e);
}
