namespace JinanDataOps.Actors.Clustering;

/// <summary>Whether this node currently knows of trouble that can swallow requests — a cluster member
/// unreachable (its shards' messages are lost until it is downed and they move), or the journal unavailable —
/// and since when. While it lasts, <see cref="Entities.EntityGateway"/> waits a shorter time for entities
/// (<c>Platform:DegradedAskTimeout</c>) before answering 503 with Retry-After, instead of the whole ask timeout:
/// a request sent to a node that has just died is never answered, and the caller should retry where the entity
/// comes back rather than wait out 10 s (issue 12: failover in seconds).</summary>
public sealed class Degradation
{
    /// <summary>The source under which the journal's database is reported down.</summary>
    public const string Journal = "journal";

    private readonly object _gate = new();
    private readonly Dictionary<string, string> _reasons = [];
    private TaskCompletionSource _began = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsDegraded
    {
        get
        {
            lock (_gate) return _reasons.Count > 0;
        }
    }

    /// <summary>The reasons in force, by source ("cluster", "journal").</summary>
    public IReadOnlyDictionary<string, string> Reasons
    {
        get
        {
            lock (_gate) return new Dictionary<string, string>(_reasons);
        }
    }

    /// <summary>Completes when trouble begins (at once if it has).</summary>
    public Task Began
    {
        get
        {
            lock (_gate) return _began.Task;
        }
    }

    public void Set(string source, string reason)
    {
        lock (_gate)
        {
            _reasons[source] = reason;
            _began.TrySetResult();
        }
    }

    public void Clear(string source)
    {
        lock (_gate)
        {
            if (!_reasons.Remove(source) || _reasons.Count > 0) return;
            // Healthy again: requests from now on wait the full ask timeout until the next trouble.
            if (_began.Task.IsCompleted) _began = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }
}
