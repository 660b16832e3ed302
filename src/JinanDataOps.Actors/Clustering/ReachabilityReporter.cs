using Akka.Actor;
using Akka.Cluster;

namespace JinanDataOps.Actors.Clustering;

/// <summary>Tells <see cref="Degradation"/> whether any cluster member is unreachable from this node.</summary>
public sealed class ReachabilityReporter : ReceiveActor
{
    private const string Source = "cluster";
    private readonly HashSet<Address> _unreachable = [];

    public ReachabilityReporter(Degradation degradation)
    {
        void Report()
        {
            if (_unreachable.Count == 0) degradation.Clear(Source);
            else degradation.Set(Source, $"cluster members unreachable: {string.Join(", ", _unreachable.Select(a => a.ToString()).Order())}");
        }
        Receive<ClusterEvent.UnreachableMember>(e =>
        {
            _unreachable.Add(e.Member.Address);
            Report();
        });
        Receive<ClusterEvent.ReachableMember>(e =>
        {
            _unreachable.Remove(e.Member.Address);
            Report();
        });
        Receive<ClusterEvent.MemberRemoved>(e =>
        {
            _unreachable.Remove(e.Member.Address);
            Report();
        });
        Receive<ClusterEvent.IMemberEvent>(_ => { });
    }

    protected override void PreStart() =>
        Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IReachabilityEvent), typeof(ClusterEvent.MemberRemoved));

    protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);
}
