using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Akka.Management.Cluster.Bootstrap;
using Akka.Management.Cluster.Bootstrap.ContactPoint;
using Newtonsoft.Json;

namespace JinanDataOps.Actors.Hosting;

/// <summary>This node's answer to Cluster Bootstrap's question <c>GET /bootstrap/seed-nodes</c> (Cluster:Discovery=config):
/// the members of its cluster, in the JSON Akka.Management's prober reads. Akka.Management serves it from an HTTP server of
/// its own (Akka.Http.Shim over Ceen.Httpd), which does not start with the Ceen.Httpd served here: Akka.Http.Shim 1.5.73 is
/// built against Ceen.Httpd 0.9.9, only 0.9.10 is available, and binding fails with <c>MissingMethodException:
/// Ceen.Httpd.HttpServer.ListenAsync(IPEndPoint, Boolean, ServerConfig, CancellationToken)</c>. So the host serves this
/// route on the management port with Kestrel; the answer is built as Akka.Management's HttpClusterBootstrapRoutes builds
/// it, with its own protocol types and serializer, so the prober on the other nodes reads it unchanged.</summary>
public static class ClusterBootstrapContactPoint
{
    public const string Path = "/bootstrap/seed-nodes";

    /// <summary>The address the other nodes reach this one's management endpoint at (and list it under).</summary>
    public static Uri SelfBaseUri(PlatformOptions options) => new UriBuilder("http", options.PublicHostname ?? options.Hostname, options.ManagementPort).Uri;

    /// <summary>The members of this node's cluster that a joining node may contact: reachable, and Up, WeaklyUp or
    /// Joining; none while this node is leaving or downed, so nobody joins through it then.</summary>
    public static string SeedNodesJson(ActorSystem system, int maxSeedNodes)
    {
        var cluster = Cluster.Get(system);
        var self = cluster.SelfMember;
        if (self.Status is MemberStatus.Down or MemberStatus.Exiting or MemberStatus.Leaving or MemberStatus.Removed)
            return JsonConvert.SerializeObject(new HttpBootstrapJsonProtocol.SeedNodes(self.UniqueAddress.Address, ImmutableList<HttpBootstrapJsonProtocol.ClusterMember>.Empty));
        var state = cluster.State;
        var members = state.Members
            .Where(m => !state.Unreachable.Contains(m))
            .Where(m => m.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Joining)
            .Take(maxSeedNodes)
            .Select(m => new HttpBootstrapJsonProtocol.ClusterMember(m.UniqueAddress.Address, m.UniqueAddress.Uid, m.Status, m.Roles))
            .ToImmutableList();
        return JsonConvert.SerializeObject(new HttpBootstrapJsonProtocol.SeedNodes(self.UniqueAddress.Address, members));
    }

    /// <summary>How many members an answer names at most (akka.management.cluster.bootstrap.contact-point.max-seed-nodes-to-expose).</summary>
    public static int MaxSeedNodes(ActorSystem system) =>
        ClusterBootstrapSettings.Create(system.Settings.Config, system.Log).ContactPoint.MaxSeedNodesToExpose;
}
