namespace JinanDataOps.Actors.Hosting;

/// <summary><see cref="Memory"/> is for benchmarks only: nothing survives a restart and the read side
/// (consequences, listings) does not run, since it reads the SQL journal.</summary>
public enum PersistenceProvider { Sqlite, PostgreSql, SqlServer, Memory }

/// <summary>How a node finds its cluster (cluster-config/README.md, "Discovery"). <see cref="Seeds"/>: the configured
/// seed nodes, or itself when there are none. <see cref="Config"/>: Akka.Management's Cluster Bootstrap asks the
/// management endpoints listed in configuration (Akka.Discovery's config method) and joins the cluster one of them is in,
/// or — none being in one — the node with the lowest endpoint forms it; no seed nodes, no fixed remoting ports.</summary>
public enum ClusterDiscovery { Seeds, Config }

/// <summary>The binding configuration keys (cluster-config/README.md): <c>Persistence:*</c> and <c>Cluster:*</c>.</summary>
public sealed record PlatformOptions
{
    /// <summary>Serves the HTTP API (cluster-config/README.md, "Roles and topology"). A node without it answers
    /// only /health/*.</summary>
    public const string ApiRole = "api";
    /// <summary>Hosts the entities' shards and the two singletons (the consequence projection, the audit chain).
    /// A node without it reaches the entities through shard region proxies.</summary>
    public const string EntityRole = "entities";
    /// <summary>Hosts the monitoring lanes (the sandbox's activity, judged by the rules). A node without it sends
    /// sandbox batches to the lanes through a proxy.</summary>
    public const string MonitoringRole = "monitoring";

    /// <summary>Every role a node may hold; a node with all of them (the default) runs the whole platform alone.</summary>
    public static readonly IReadOnlyList<string> AllRoles = [ApiRole, EntityRole, MonitoringRole];

    public PersistenceProvider Provider { get; init; } = PersistenceProvider.Sqlite;
    public required string ConnectionString { get; init; }
    public string Hostname { get; init; } = "127.0.0.1";
    /// <summary>The address other nodes use to reach this one, when it differs from the bound <see cref="Hostname"/> (containers).</summary>
    public string? PublicHostname { get; init; }
    public int Port { get; init; }
    public IReadOnlyList<string> SeedNodes { get; init; } = [];
    public IReadOnlyList<string> Roles { get; init; } = AllRoles;
    public ClusterDiscovery Discovery { get; init; } = ClusterDiscovery.Seeds;
    /// <summary>With <see cref="ClusterDiscovery.Config"/>: the management endpoints (host:port) of the nodes that form
    /// the cluster. This node's own (<see cref="PublicHostname"/> or <see cref="Hostname"/> : <see cref="ManagementPort"/>)
    /// is among them unless it only ever joins a cluster the listed nodes formed.</summary>
    public IReadOnlyList<string> DiscoveryEndpoints { get; init; } = [];
    /// <summary>The port of this node's Akka.Management HTTP endpoint (Cluster Bootstrap's contact point); used only
    /// with <see cref="ClusterDiscovery.Config"/>.</summary>
    public int ManagementPort { get; init; } = DefaultManagementPort;
    public const int DefaultManagementPort = 8558;
    public string ActorSystemName { get; init; } = "jinandataops";
    /// <summary>How often the journal is polled for new tagged events (consequences, read models).</summary>
    public TimeSpan QueryRefresh { get; init; } = TimeSpan.FromMilliseconds(100);
    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>How long a request waits for an entity while this node knows of trouble (a cluster member
    /// unreachable, the journal down) before it is answered 503 with Retry-After (Clustering/Degradation).</summary>
    public TimeSpan DegradedAskTimeout { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>Sandbox batches a node holds waiting for its monitoring lanes; beyond it intake answers 503.</summary>
    public int IntakeCapacity { get; init; } = 64;
    /// <summary>Bulk batch parts this node's intake has its monitoring lanes record at once, over all lanes. What is
    /// being recorded sits in the journal's write queue ahead of a violation's small part and of the suspension it
    /// leads to (Art. 15): the bound keeps that queue short (docs/performance.md, "The closed loop under ingestion").</summary>
    public int BulkPartsInFlight { get; init; } = DefaultBulkPartsInFlight;
    public const int DefaultBulkPartsInFlight = 2;
    /// <summary>The organisation of the city big-data authority, which builds and runs the platform (Art. 11):
    /// it answers for a security incident that stands under no known agreement (Art. 15).</summary>
    public string CityAuthority { get; init; } = DefaultCityAuthority;
    public const string DefaultCityAuthority = "jinan-bda";
    /// <summary>How often an authorized operator reports on its operational security (Art. 16: 按要求定期报告); a report
    /// not filed in time is flagged. Quarterly unless configured.</summary>
    public TimeSpan SecurityReportEvery { get; init; } = DefaultSecurityReportEvery;
    public static readonly TimeSpan DefaultSecurityReportEvery = TimeSpan.FromDays(90);
    /// <summary>The lowest level Akka itself logs at (its events then go through Microsoft.Extensions.Logging, where the
    /// <c>Logging:LogLevel</c> filters apply as well). Info: Akka's debug output is copious and costs even when filtered
    /// out later, so it is produced only when <c>Logging:LogLevel:Akka</c> asks for it.</summary>
    public Akka.Event.LogLevel AkkaLogLevel { get; init; } = Akka.Event.LogLevel.InfoLevel;
    /// <summary>Extra HOCON layered over the platform's own (tuning experiments, operations overrides).</summary>
    public string? ExtraHocon { get; init; }

    public bool Has(string role) => Roles.Contains(role, StringComparer.Ordinal);
}
