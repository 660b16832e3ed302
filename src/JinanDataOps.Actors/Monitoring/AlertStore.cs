using System.Threading.Channels;
using JinanDataOps.Monitoring.Rules;

namespace JinanDataOps.Actors.Monitoring;

/// <summary>This node's view of the alerts (GET /api/alerts): each alert as it last stood, newest last,
/// filled by <see cref="MonitoringView"/> from the journal — every node sees every alert, and a restart
/// rebuilds it. Bounded: past <see cref="Capacity"/> alerts the oldest are let go (they stay in the
/// journal). Live listeners (Server-Sent Events) each get a bounded channel; one that cannot keep up
/// loses its oldest undelivered alerts rather than slow the view.</summary>
public sealed class AlertStore
{
    public const int Capacity = 100_000;
    public const int ListenerBuffer = 1_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Alert> _byId = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _order = new();
    private readonly Dictionary<string, LinkedListNode<string>> _nodes = new(StringComparer.Ordinal);
    private readonly List<Channel<Alert>> _listeners = [];

    public int Count
    {
        get
        {
            lock (_gate) return _byId.Count;
        }
    }

    public void Put(Alert alert)
    {
        Channel<Alert>[] listeners;
        lock (_gate)
        {
            if (_nodes.Remove(alert.Id, out var node)) _order.Remove(node);
            _byId[alert.Id] = alert;
            _nodes[alert.Id] = _order.AddLast(alert.Id);
            while (_byId.Count > Capacity && _order.First is { } oldest)
            {
                _order.RemoveFirst();
                _nodes.Remove(oldest.Value);
                _byId.Remove(oldest.Value);
            }
            listeners = [.. _listeners];
        }
        foreach (var listener in listeners) listener.Writer.TryWrite(alert);
    }

    /// <summary>Newest first, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<Alert> Query(string? operatorId, Severity? severity, int limit)
    {
        lock (_gate)
        {
            var result = new List<Alert>(Math.Min(limit, _byId.Count));
            for (var node = _order.Last; node is not null && result.Count < limit; node = node.Previous)
            {
                var alert = _byId[node.Value];
                if ((operatorId is null || alert.OperatorId == operatorId) && (severity is null || alert.Severity == severity)) result.Add(alert);
            }
            return result;
        }
    }

    /// <summary>Alerts as they arrive from now on, until the token is cancelled.</summary>
    public async IAsyncEnumerable<Alert> Listen([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var channel = Channel.CreateBounded<Alert>(new BoundedChannelOptions(ListenerBuffer) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_gate) _listeners.Add(channel);
        try
        {
            while (await channel.Reader.WaitToReadAsync(ct).ConfigureAwait(false))
                while (channel.Reader.TryRead(out var alert)) yield return alert;
        }
        finally
        {
            lock (_gate) _listeners.Remove(channel);
        }
    }
}
