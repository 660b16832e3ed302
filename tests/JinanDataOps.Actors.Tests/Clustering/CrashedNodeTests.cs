using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using JinanDataOps.Actors.Clustering;

namespace JinanDataOps.Actors.Tests.Clustering;

/// <summary>A member whose process is gone is downed and removed at once, and only such a member: the evidence is
/// its host refusing connections on its cluster port.</summary>
public sealed class CrashedNodeTests
{
    /// <summary>An upper bound, never a pace.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_port_nobody_listens_on_refuses_and_a_listening_one_does_not()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var address = new Address("akka.tcp", "jinandataops", "127.0.0.1", port);
        Assert.False(await CrashedNodes.RefusesConnections(address, Patience));
        listener.Stop();
        Assert.True(await CrashedNodes.RefusesConnections(address, Patience));
        Assert.False(await CrashedNodes.RefusesConnections(new Address("akka.tcp", "jinandataops"), Patience)); // no host: no evidence
    }

    [Fact]
    public void The_failure_detector_reports_a_crashed_address_unavailable_whatever_its_heartbeats()
    {
        using var system = ActorSystem.Create("fd", "akka.loglevel = WARNING");
        var config = ConfigurationFactory.ParseString("""
            threshold = 8.0
            max-sample-size = 1000
            min-std-deviation = 100ms
            acceptable-heartbeat-pause = 120s
            heartbeat-interval = 1s
            """);
        var detector = new CrashAwareFailureDetector(config, system.EventStream) { Address = "akka.tcp://jinandataops@127.0.0.1:4053" };
        detector.HeartBeat();
        Assert.True(detector.IsAvailable);

        var crashed = new Address("akka.tcp", "jinandataops", "127.0.0.1", 4053);
        CrashedNodes.Of(system).Add(crashed);
        Assert.False(detector.IsAvailable);
        CrashedNodes.Of(system).Remove(crashed);
        Assert.True(detector.IsAvailable);
    }

    [Fact]
    public async Task A_member_whose_process_is_gone_is_removed_though_its_heartbeats_may_be_missing_for_minutes()
    {
        // No split-brain resolver at all and a two-minute heartbeat pause: the member can only be removed this soon
        // because its port refuses connections.
        using var first = Node();
        using var second = Node();
        var cluster = Cluster.Get(first);
        cluster.Join(cluster.SelfAddress);
        Cluster.Get(second).Join(cluster.SelfAddress);
        await Members(first, 2);
        var gone = Cluster.Get(second).SelfAddress;
        first.ActorOf(Props.Create(() => new CrashedNodeWatcher()), "crashed-node-watcher");

        var removed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        first.ActorOf(Props.Create(() => new OnRemoved(gone, removed)));
        await second.Terminate(); // closes its port without leaving the cluster, as a crash does
        await removed.Task.WaitAsync(Patience);
        // Once removed, the mark goes (the address may be taken by a new process); the watcher hears of the removal
        // on its own subscription.
        var deadline = DateTime.UtcNow + Patience;
        while (CrashedNodes.Of(first).Contains(gone) && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.False(CrashedNodes.Of(first).Contains(gone));
    }

    private static ActorSystem Node() => ActorSystem.Create("jinandataops", ConfigurationFactory.ParseString($$"""
        akka.loglevel = WARNING
        akka.actor.provider = cluster
        akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
        akka.cluster.downing-provider-class = ""
        akka.cluster.failure-detector.acceptable-heartbeat-pause = 120s
        akka.cluster.failure-detector.implementation-class = "{{typeof(CrashAwareFailureDetector).AssemblyQualifiedName}}"
        akka.coordinated-shutdown.run-by-actor-system-terminate = off
        akka.cluster.run-coordinated-shutdown-when-down = off
        """));

    private static async Task Members(ActorSystem system, int count)
    {
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        system.ActorOf(Props.Create(() => new OnUp(count, up)));
        await up.Task.WaitAsync(Patience);
    }

    private sealed class OnUp : ReceiveActor
    {
        public OnUp(int count, TaskCompletionSource done)
        {
            var up = new HashSet<Address>();
            Receive<ClusterEvent.MemberUp>(e =>
            {
                up.Add(e.Member.Address);
                if (up.Count >= count) done.TrySetResult();
            });
            Receive<object>(_ => { });
        }

        protected override void PreStart() => Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.MemberUp));
    }

    private sealed class OnRemoved : ReceiveActor
    {
        public OnRemoved(Address address, TaskCompletionSource done)
        {
            Receive<ClusterEvent.MemberRemoved>(e =>
            {
                if (e.Member.Address == address) done.TrySetResult();
            });
            Receive<object>(_ => { });
        }

        protected override void PreStart() => Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.MemberRemoved));
    }
}
