using Akka.Actor;
using Akka.Cluster;
using JinanDataOps.Actors.Entities;

namespace JinanDataOps.Actors.Operations;

/// <summary>One region in a summary: its shards and entities across the cluster, or not answered in time.</summary>
public sealed record RegionCount(string Region, bool Answered, int Shards, int Entities);

/// <summary>The cluster at a glance, from this node: members by status, the regions' shards and entities, and the
/// commands this node's gateway executed per second over <see cref="Interval"/> (the time since the node's previous
/// summary).</summary>
public sealed record ClusterSummary(
    DateTimeOffset At, string Node, IReadOnlyDictionary<string, int> MembersByStatus, int Unreachable, IReadOnlyList<RegionCount> Regions,
    double CommandsPerSecond, long CommandsExecuted, TimeSpan Interval);

/// <summary>Makes the summaries of the live operations stream. Every open stream on this node asks every few seconds;
/// a summary younger than <see cref="Reuse"/> is shared, so the statistics query (one question per region to its
/// coordinator) runs once per period whatever the number of listeners.</summary>
public sealed class ClusterSummaries(ActorSystem system, ShardStatistics shards, EntityGateway gateway, TimeProvider clock)
{
    public static readonly TimeSpan Reuse = TimeSpan.FromSeconds(4);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private ClusterSummary? _last;
    private (DateTimeOffset At, long Count) _sample = (clock.GetUtcNow(), gateway.CommandsExecuted);

    public async Task<ClusterSummary> Current(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_last is { } last && clock.GetUtcNow() - last.At < Reuse) return last;
            var regions = await shards.Query(ct);
            var state = Cluster.Get(system).State;
            var now = clock.GetUtcNow();
            var count = gateway.CommandsExecuted;
            var interval = now - _sample.At;
            var rate = interval > TimeSpan.Zero ? (count - _sample.Count) / interval.TotalSeconds : 0;
            _sample = (now, count);
            return _last = new ClusterSummary(
                now, Cluster.Get(system).SelfAddress.ToString(),
                state.Members.GroupBy(m => ClusterViews.StatusName(m.Status)).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
                state.Unreachable.Count,
                regions.Select(r => new RegionCount(r.Region, r.Answered, r.Nodes.Sum(n => n.Shards.Count), r.Nodes.Sum(n => n.Shards.Values.Sum()))).ToArray(),
                Math.Round(rate, 2), count, interval);
        }
        finally
        {
            _gate.Release();
        }
    }
}
