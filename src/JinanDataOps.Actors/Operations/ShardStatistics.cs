using Akka.Actor;
using Akka.Cluster.Sharding;
using JinanDataOps.Actors.Entities;
using JinanDataOps.Actors.Hosting;
using JinanDataOps.Actors.Monitoring;

namespace JinanDataOps.Actors.Operations;

/// <summary>The shards one node hosts in a region and how many entities each holds; <see cref="Failed"/> are shards
/// that did not report their entities in time.</summary>
public sealed record NodeShards(string Address, IReadOnlyDictionary<string, int> Shards, IReadOnlyList<string> Failed);

/// <summary>One region (an entity kind, or the monitoring lanes) across the cluster. <see cref="Problem"/> says why
/// there are no figures when the region did not answer in time.</summary>
public sealed record RegionShards(string Region, string Role, bool Answered, string? Problem, IReadOnlyList<NodeShards> Nodes);

/// <summary>Cluster sharding statistics per region: each region (or, on a node without its role, the region's proxy)
/// is asked <see cref="GetClusterShardingStats"/>; it forwards the question to the region's coordinator, which asks
/// every hosting region for its shards. The regions are asked together; one that does not answer within the time is
/// reported as such and the others still are.</summary>
public sealed class ShardStatistics(ActorSystem system)
{
    /// <summary>How long the coordinator waits for the hosting regions; the answer is awaited a second longer.</summary>
    public static readonly TimeSpan CoordinatorTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Every region the platform runs, with the role whose nodes host it.</summary>
    public static IReadOnlyList<(string Region, string Role)> Regions { get; } =
        [.. EntityKinds.All.Select(k => (k.Kind, PlatformOptions.EntityRole)), (MonitorLane.Kind, PlatformOptions.MonitoringRole)];

    public async Task<IReadOnlyList<RegionShards>> Query(CancellationToken ct) =>
        await Task.WhenAll(Regions.Select(r => QueryRegion(r.Region, r.Role, ct)));

    private async Task<RegionShards> QueryRegion(string region, string role, CancellationToken ct)
    {
        IActorRef shardRegion;
        try
        {
            shardRegion = ClusterSharding.Get(system).ShardRegion(region);
        }
        catch (ArgumentException ex)
        {
            return new RegionShards(region, role, false, $"no region or proxy runs on this node: {ex.Message}", []);
        }
        try
        {
            var stats = await shardRegion.Ask<ClusterShardingStats>(new GetClusterShardingStats(CoordinatorTimeout), CoordinatorTimeout + TimeSpan.FromSeconds(1), ct);
            var nodes = stats.Regions
                .Select(n => new NodeShards(n.Key.ToString(), n.Value.Stats.ToDictionary(s => s.Key, s => s.Value), n.Value.Failed.Order(StringComparer.Ordinal).ToArray()))
                .OrderBy(n => n.Address, StringComparer.Ordinal).ToArray();
            return new RegionShards(region, role, true, null, nodes);
        }
        catch (Exception ex) when (ex is AskTimeoutException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return new RegionShards(region, role, false,
                $"the region's coordinator did not answer within {(CoordinatorTimeout + TimeSpan.FromSeconds(1)).TotalSeconds:0} s (it may be moving to another node)", []);
        }
    }
}
