using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Akka.Remote;

namespace JinanDataOps.Actors.Clustering;

/// <summary>Finds cluster members whose process has crashed and downs them without waiting for the split-brain
/// resolver (issue 12: failover in seconds). When the connection to a member is lost, the member's cluster port
/// is probed; if its host refuses the connection twice in a row, nothing listens there any more — the process is
/// gone — and the address joins <see cref="CrashedNodes"/>: the failure detector reports it unavailable at its
/// next check, and once the member is marked unreachable it is downed here at once. A dead process cannot be
/// on the other side of a partition, so there is nothing for stable-after to wait for. Every other loss (a
/// partition, a stalled node, a machine that vanished) gives no refusal and stays with the heartbeats and the
/// resolver. The address is probed again every second until the member is removed or its port answers (a new
/// process on the same address), which clears the mark.</summary>
public sealed class CrashedNodeWatcher : ReceiveActor, IWithTimers
{
    /// <summary>A refusal is confirmed by a second probe this much later (a port being rebound is not a crash).</summary>
    private static readonly TimeSpan ConfirmAfter = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan ProbeAgainEvery = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);

    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private readonly CrashedNodes _crashed = CrashedNodes.Of(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HashSet<Address> _members = [];
    private readonly HashSet<Address> _unreachable = [];
    /// <summary>Members being probed, with the refusals seen in a row.</summary>
    private readonly Dictionary<Address, int> _probing = [];

    public CrashedNodeWatcher()
    {
        Receive<ClusterEvent.IMemberEvent>(e => OnMember(e));
        Receive<ClusterEvent.UnreachableMember>(e =>
        {
            _unreachable.Add(e.Member.Address);
            DownIfCrashed(e.Member.Address);
        });
        Receive<ClusterEvent.ReachableMember>(e => _unreachable.Remove(e.Member.Address));
        Receive<DisassociatedEvent>(e => StartProbing(e.RemoteAddress));
        Receive<AssociationErrorEvent>(e => StartProbing(e.RemoteAddress));
        Receive<Probe>(p => RunProbe(p.Address));
        Receive<Probed>(OnProbed);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.UnreachableMember), typeof(ClusterEvent.ReachableMember));
        Context.System.EventStream.Subscribe(Self, typeof(DisassociatedEvent));
        Context.System.EventStream.Subscribe(Self, typeof(AssociationErrorEvent));
    }

    protected override void PostStop()
    {
        _cluster.Unsubscribe(Self);
        Context.System.EventStream.Unsubscribe(Self);
    }

    private void OnMember(ClusterEvent.IMemberEvent e)
    {
        var address = e.Member.Address;
        if (address == _cluster.SelfAddress) return;
        if (e is ClusterEvent.MemberRemoved or ClusterEvent.MemberExited)
        {
            // Removed, or exiting after a graceful leave (its shards handed over): the cluster removes it by itself.
            _members.Remove(address);
            _unreachable.Remove(address);
            StopProbing(address);
            _crashed.Remove(address); // a new process may take the address; its heartbeats are judged afresh
        }
        else
        {
            _members.Add(address);
        }
    }

    private void StartProbing(Address? address)
    {
        if (address is null || !_members.Contains(address) || _probing.ContainsKey(address)) return;
        _probing[address] = 0;
        RunProbe(address);
    }

    private void StopProbing(Address address)
    {
        _probing.Remove(address);
        Timers.Cancel(address);
    }

    private void RunProbe(Address address)
    {
        if (!_probing.ContainsKey(address)) return;
        CrashedNodes.RefusesConnections(address, ProbeTimeout).PipeTo(Self, success: refused => new Probed(address, refused));
    }

    private void OnProbed(Probed probed)
    {
        if (!_probing.TryGetValue(probed.Address, out var refusals)) return;
        if (!probed.Refused)
        {
            if (_crashed.Contains(probed.Address)) _log.Info("Cluster member {0} accepts connections again; it is judged by its heartbeats", probed.Address);
            _crashed.Remove(probed.Address);
            StopProbing(probed.Address);
            return;
        }
        _probing[probed.Address] = ++refusals;
        if (refusals == 2)
        {
            _log.Warning("Cluster member {0} refuses connections on its cluster port: its process is gone. It counts as unreachable now and is downed once the cluster sees it so (issue 12)", probed.Address);
            _crashed.Add(probed.Address);
            DownIfCrashed(probed.Address);
        }
        Timers.StartSingleTimer(probed.Address, new Probe(probed.Address), refusals == 1 ? ConfirmAfter : ProbeAgainEvery);
    }

    private void DownIfCrashed(Address address)
    {
        if (!_crashed.Contains(address) || !_unreachable.Contains(address)) return;
        _log.Warning("Downing cluster member {0}: unreachable and its process is gone (no split-brain decision needed)", address);
        _cluster.Down(address);
    }

    private sealed record Probe(Address Address);

    private sealed record Probed(Address Address, bool Refused);
}
