using System.Collections.Concurrent;

namespace JinanDataOps.Monitoring.Sandbox;

/// <summary>What monitoring knows of a data request: whether the sandbox may serve it at all
/// (provisioned), for which datasets (Art. 13), and whether the data subjects' consent is on record
/// (Art. 6).</summary>
public sealed record RequestContext(
    string RequestId, string OperatorId, string State, bool Provisioned,
    IReadOnlyList<string> Datasets, bool ConsentRecorded, string? AgreementId);

/// <summary>An event with what the rules need to judge it.</summary>
public sealed record EnrichedEvent(SandboxEvent Event, RequestContext? Request, IReadOnlySet<string> SensitiveFields);

/// <summary>The facts the rules judge events against, looked up per event. The platform keeps them
/// current from the journal (data requests and datasets as they change); lookups never block.</summary>
public interface IMonitoringContext
{
    RequestContext? Request(string requestId);

    IReadOnlySet<string> SensitiveFields(string dataset);
}

/// <summary>The context as a pair of concurrent maps, written by whoever follows the journal and read by
/// every pipeline stage.</summary>
public sealed class MonitoringContext : IMonitoringContext
{
    private static readonly IReadOnlySet<string> None = new HashSet<string>();

    private readonly ConcurrentDictionary<string, RequestContext> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IReadOnlySet<string>> _sensitive = new(StringComparer.Ordinal);

    public RequestContext? Request(string requestId) => _requests.GetValueOrDefault(requestId);

    public IReadOnlySet<string> SensitiveFields(string dataset) => _sensitive.GetValueOrDefault(dataset) ?? None;

    /// <summary>Whether the dataset's fields are known here at all (an unknown one may simply not have
    /// reached this node's view yet).</summary>
    public bool KnowsDataset(string dataset) => _sensitive.ContainsKey(dataset);

    public void Put(RequestContext request) => _requests[request.RequestId] = request;

    public void PutDataset(string dataset, IEnumerable<string> sensitiveFields) =>
        _sensitive[dataset] = sensitiveFields.ToHashSet(StringComparer.Ordinal);
}

public static class Enrichment
{
    public static EnrichedEvent Enrich(this IMonitoringContext context, SandboxEvent e) =>
        new(e, context.Request(e.DataRequestId), context.SensitiveFields(e.Dataset));
}
