using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Cluster;

namespace JinanDataOps.Actors.Operations;

/// <summary>How this node knows when a member came Up: it saw the member become Up (<see cref="Observed"/>), or the
/// member was Up already when this node first heard of it (<see cref="AlreadyUp"/>: a member of the cluster this node
/// joined, whose Up time no event carries — Akka gives an order, <c>upNumber</c>, not a time).</summary>
public enum UpSinceBasis { Observed, AlreadyUp }

public sealed record UpSince(DateTimeOffset At, UpSinceBasis Basis);

/// <summary>What changed in the membership, as this node's cluster events say.</summary>
public enum MemberChange { Joined, WeaklyUp, Up, Left, Exited, Downed, Removed, Unreachable, Reachable, LeaderChanged }

/// <summary>One membership change seen by this node; <see cref="Leader"/> is the leader after it.</summary>
public sealed record MemberChanged(MemberChange Change, string? Address, IReadOnlyList<string> Roles, MemberStatus? Status, string? Leader, DateTimeOffset At);

/// <summary>This node's record of the membership beyond what <see cref="Cluster.State"/> holds: when each member came
/// Up as seen by this node, and the changes as they happen for live listeners. Per node by nature: every node answers
/// from its own record (GET /cluster/members names the node that answered).</summary>
public sealed class ClusterWatch
{
    private readonly ConcurrentDictionary<UniqueAddress, UpSince> _upSince = new();

    public Listeners<MemberChanged> Changes { get; } = new();

    public UpSince? UpSinceOf(UniqueAddress member) => _upSince.GetValueOrDefault(member);

    internal void RecordUp(UniqueAddress member, UpSince since) => _upSince.TryAdd(member, since);

    internal void Forget(UniqueAddress member) => _upSince.TryRemove(member, out _);
}

/// <summary>Follows this node's cluster events into <see cref="ClusterWatch"/>. It starts from a snapshot of the
/// membership as this node knows it (members Up in it are <see cref="UpSinceBasis.AlreadyUp"/>), then takes the changes.
/// A member that comes Up while this node itself is not Up yet — the members of the cluster it is joining, announced
/// by its first gossip — is <see cref="UpSinceBasis.AlreadyUp"/> too, at the time it was learned of: its real Up time
/// is not this node's to know. <c>selfUpWhenMade</c> is whether this node was Up already when the tracker was made (it is
/// made with the actor system, before the node joins, so normally not).</summary>
public sealed class MemberTracker : ReceiveActor
{
    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private bool _selfUp;
    private string? _leader;

    public MemberTracker(ClusterWatch watch, TimeProvider clock, bool selfUpWhenMade)
    {
        void Publish(MemberChange change, Member? member) =>
            watch.Changes.Publish(new MemberChanged(change, member?.Address.ToString(), member?.Roles.Order(StringComparer.Ordinal).ToArray() ?? [],
                member?.Status, _leader, clock.GetUtcNow()));

        Receive<ClusterEvent.CurrentClusterState>(state =>
        {
            _leader = state.Leader?.ToString();
            foreach (var member in state.Members.Where(m => m.Status == MemberStatus.Up))
            {
                // This node itself, Up already when the snapshot comes but not when the tracker was made (the startup's
                // busy dispatcher can start it after a single node's self-join has completed): it came Up while this
                // node ran, moments ago, so it counts as observed — late by the tracker's start, not by an unknown time.
                var self = member.UniqueAddress.Equals(_cluster.SelfUniqueAddress);
                if (self) _selfUp = true;
                var observed = self && !selfUpWhenMade;
                watch.RecordUp(member.UniqueAddress, new UpSince(clock.GetUtcNow(), observed ? UpSinceBasis.Observed : UpSinceBasis.AlreadyUp));
            }
        });
        Receive<ClusterEvent.MemberUp>(e =>
        {
            if (e.Member.UniqueAddress.Equals(_cluster.SelfUniqueAddress)) _selfUp = true;
            var observed = _selfUp;
            watch.RecordUp(e.Member.UniqueAddress, new UpSince(clock.GetUtcNow(), observed ? UpSinceBasis.Observed : UpSinceBasis.AlreadyUp));
            Publish(MemberChange.Up, e.Member);
        });
        Receive<ClusterEvent.MemberRemoved>(e =>
        {
            watch.Forget(e.Member.UniqueAddress);
            Publish(MemberChange.Removed, e.Member);
        });
        Receive<ClusterEvent.MemberJoined>(e => Publish(MemberChange.Joined, e.Member));
        Receive<ClusterEvent.MemberWeaklyUp>(e => Publish(MemberChange.WeaklyUp, e.Member));
        Receive<ClusterEvent.MemberLeft>(e => Publish(MemberChange.Left, e.Member));
        Receive<ClusterEvent.MemberExited>(e => Publish(MemberChange.Exited, e.Member));
        Receive<ClusterEvent.MemberDowned>(e => Publish(MemberChange.Downed, e.Member));
        Receive<ClusterEvent.UnreachableMember>(e => Publish(MemberChange.Unreachable, e.Member));
        Receive<ClusterEvent.ReachableMember>(e => Publish(MemberChange.Reachable, e.Member));
        Receive<ClusterEvent.LeaderChanged>(e =>
        {
            _leader = e.Leader?.ToString();
            Publish(MemberChange.LeaderChanged, null);
        });
        Receive<ClusterEvent.IClusterDomainEvent>(_ => { });
    }

    protected override void PreStart() =>
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent), typeof(ClusterEvent.LeaderChanged));

    protected override void PostStop() => _cluster.Unsubscribe(Self);
}
