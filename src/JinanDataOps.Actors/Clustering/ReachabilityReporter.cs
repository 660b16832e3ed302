using Akka.Actor;
using Akka.Cluster;

namespace JinanDataOps.Actors.Clustering;

/// <summary>Tells <see cref="Degradation"/> when a cluster member is unreachable from this node, or is leaving: in both
/// cases requests for its shards can be lost — sent to a node that has died, or dropped by a region handing its shards
/// over (Akka drops the messages it holds for a shard in hand-off rather than reorder them) — and are better refused
/// soon than waited for.</summary>
public sealed class ReachabilityReporter : ReceiveActor
{
    private const string Source = "cluster";
    private readonly HashSet<Address> _unreachable = [];
    private readonly HashSet<Address> _leaving = [];

    public ReachabilityReporter(Degradation degradation)
    {
        void Report()
        {
            var reasons = new List<string>();
            if (_unreachable.Count > 0) reasons.Add($"cluster members unreachable: {string.Join(", ", _unreachable.Select(a => a.ToString()).Order())}");
            if (_leaving.Count > 0) reasons.Add($"cluster members leaving (their shards are handed over): {string.Join(", ", _leaving.Select(a => a.ToString()).Order())}");
            if (reasons.Count == 0) degradation.Clear(Source);
            else degradation.Set(Source, string.Join("; ", reasons));
        }
        Receive<ClusterEvent.UnreachableMember>(e =>
        {
            // A member exiting after a graceful leave has handed its shards over already; it counts as leaving.
            if (e.Member.Status != MemberStatus.Exiting) _unreachable.Add(e.Member.Address);
            Report();
        });
        Receive<ClusterEvent.ReachableMember>(e =>
        {
            _unreachable.Remove(e.Member.Address);
            Report();
        });
        Receive<ClusterEvent.MemberLeft>(e =>
        {
            _leaving.Add(e.Member.Address);
            Report();
        });
        Receive<ClusterEvent.MemberExited>(e =>
        {
            _leaving.Add(e.Member.Address);
            _unreachable.Remove(e.Member.Address);
            Report();
        });
        Receive<ClusterEvent.MemberRemoved>(e =>
        {
            _unreachable.Remove(e.Member.Address);
            _leaving.Remove(e.Member.Address);
            Report();
        });
        Receive<ClusterEvent.IMemberEvent>(_ => { });
    }

    protected override void PreStart() =>
        Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IReachabilityEvent), typeof(ClusterEvent.IMemberEvent));

    protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);
}
