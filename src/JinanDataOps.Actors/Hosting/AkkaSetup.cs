using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Configuration;
using Akka.Discovery.Config.Hosting;
using Akka.Event;
using Akka.Hosting;
using Akka.Management.Cluster.Bootstrap;
using Akka.Management.Dsl;
using Akka.Persistence.Hosting;
using Akka.Persistence.Sql.Config;
using Akka.Persistence.Sql.Hosting;
using Akka.Remote.Hosting;
using JinanDataOps.Actors.Audit;
using JinanDataOps.Actors.Clustering;
using JinanDataOps.Actors.Consequences;
using JinanDataOps.Actors.Entities;
using Microsoft.Extensions.Logging;
using JinanDataOps.Actors.Monitoring;
using JinanDataOps.Actors.Protocol;
using JinanDataOps.Actors.ReadModels;
using JinanDataOps.Actors.Serialization;
using JinanDataOps.Domain.Agreements;
using JinanDataOps.Domain.Applications;
using JinanDataOps.Domain.Calls;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.DataRequests;
using JinanDataOps.Domain.Datasets;
using JinanDataOps.Domain.Idempotency;
using JinanDataOps.Domain.Evaluations;
using JinanDataOps.Domain.Incidents;
using JinanDataOps.Domain.Products;
using JinanDataOps.Domain.Operators;
using JinanDataOps.Monitoring.Rules;
using JinanDataOps.Monitoring.Sandbox;
using LinqToDB;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace JinanDataOps.Actors.Hosting;

/// <summary>Key of the node-local catalog read model in the actor registry.</summary>
public sealed class CatalogViewKey;

/// <summary>Key of the node-local monitoring read model in the actor registry.</summary>
public sealed class MonitoringViewKey;

/// <summary>Composes the actor side of the platform: remoting, cluster, SQL persistence, one shard region
/// per aggregate, the consequence projection (a cluster singleton) and the read models.</summary>
public static class AkkaSetup
{
    public static IServiceCollection AddJinanActors(this IServiceCollection services, PlatformOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(EntitySettings.Default);
        // The host puts the rules of its rules file here first; without one (tests), the defaults.
        services.TryAddSingleton(new RulesSource(new MonitoringRules()));
        services.AddSingleton<MonitoringContext>();
        services.AddSingleton<AlertStore>();
        services.AddSingleton(sp => new SandboxIntake(sp.GetRequiredService<ActorSystem>(), sp.GetRequiredService<ActorRegistry>().Get<Region<MonitorLane>>(),
            sp.GetRequiredService<MonitoringContext>(), sp.GetRequiredService<EntityGateway>(), sp.GetRequiredService<ConsequenceHandler>(),
            sp.GetRequiredService<ILogger<SandboxIntake>>(), options.IntakeCapacity, options.AskTimeout, options.BulkPartsInFlight));
        services.AddSingleton<Degradation>();
        services.AddSingleton(sp => new EntityGateway(sp.GetRequiredService<ActorRegistry>(), options.AskTimeout, sp.GetRequiredService<Degradation>(), options.DegradedAskTimeout));
        services.AddSingleton<ConsequenceHandler>();
        services.AddSingleton<ProjectionLag>();
        services.AddSingleton<Procedures.ProcedureService>();
        services.AddSingleton<Procedures.Records>();
        services.AddSingleton<AuditRecords>();
        // The operations endpoints (GET /cluster/*): this node's record of the membership, the suspensions it has folded,
        // the sharding statistics and the live summary.
        services.AddSingleton<Operations.ClusterWatch>();
        services.AddSingleton<Operations.SuspensionBoard>();
        services.AddSingleton<Operations.ShardStatistics>();
        services.AddSingleton<Operations.ClusterSummaries>();
        services.AddAkka(options.ActorSystemName, (builder, sp) => Configure(builder, options, sp));
        return services;
    }

    public static string LinqToDbProvider(PersistenceProvider provider) => provider switch
    {
        PersistenceProvider.Sqlite => ProviderName.SQLiteMS,
        PersistenceProvider.PostgreSql => ProviderName.PostgreSQL15,
        PersistenceProvider.SqlServer => ProviderName.SqlServer2022,
        PersistenceProvider.Memory => throw new ArgumentException("the in-memory journal has no SQL provider", nameof(provider)),
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    public static void Configure(AkkaConfigurationBuilder builder, PlatformOptions options, IServiceProvider sp)
    {
        var clock = sp.GetRequiredService<TimeProvider>();
        var settings = sp.GetRequiredService<EntitySettings>();
        if (sp.GetService<ILoggerFactory>() is { } loggerFactory) AkkaStdoutLogger.Use(loggerFactory);

        builder
            // Akka's log events go to Microsoft.Extensions.Logging, like everything else the host logs: one format (text or
            // JSON, Logging:Format) and one set of filters. Its own console logger would write its own plain-text lines.
            .ConfigureLoggers(loggers =>
            {
                loggers.LogLevel = options.AkkaLogLevel;
                loggers.ClearLoggers();
                loggers.AddLoggerFactory();
            })
            // ... and so do the lines it writes while those loggers are not running (start-up, shutdown).
            .AddHocon($"akka.stdout-logger-class = \"{typeof(AkkaStdoutLogger).AssemblyQualifiedName}\"", HoconAddMode.Prepend)
            .AddHocon(ConfigurationFactory.ParseString(Hocon(options)), HoconAddMode.Prepend)
            .WithCustomSerializer("jinan", Manifests.ByType.Keys.Append(typeof(IJinanMessage)), system => new JinanSerializer(system))
            .WithRemoting(options.Hostname, options.Port, options.PublicHostname)
            .WithClustering(new ClusterOptions
            {
                Roles = options.Roles.ToArray(),
                SeedNodes = options.SeedNodes.ToArray(),
            });
        if (options.Provider == PersistenceProvider.Memory)
            builder.WithInMemoryJournal().WithInMemorySnapshotStore();
        else
        {
            // The connection-string overload, not the DataOptions one: with DataOptions the journal's
            // auto-initialisation creates its tables without their indexes (docs/performance.md), so
            // (persistence_id, sequence_number) would be neither unique nor indexed.
            builder.WithSqlPersistence(
                connectionString: options.ConnectionString,
                providerName: LinqToDbProvider(options.Provider),
                autoInitialize: true,
                // Tags in a column of the journal row, not in the separate tag table: the tag table's
                // events-by-tag query aggregates each row's tags with a subquery that linq2db renders as
                // a scan of the whole tag table per returned row, so every projection poll grew with the
                // journal (docs/performance.md); with the column the query is a range on the primary key,
                // and tagged rows go into the same multi-row insert as the others.
                tagStorageMode: TagMode.Csv);
            // A database server going away (docs/benchmarks.md, "the database going away"): the journal's circuit
            // breaker opens after repeated failures and, with Akka's defaults (call-timeout 10 s, reset-timeout 30 s),
            // kept refusing long after the server was back: PostgreSQL stopped for 10 s left every operator unserved
            // 40 s later in every run. With a 5 s call-timeout it tries again every 2 s. An embedded SQLite file does
            // not go away; it keeps the defaults, so a slow batch on a saturated machine is not cut short.
            // The snapshot store's breaker never opens: in Akka.NET 1.5 a half-open breaker refuses a second call by
            // throwing inside the snapshot store's receive, which restarts the store and loses the request — the entity
            // recovering waits 30 s for a snapshot that never comes (that was the "stuck" half of the outage runs). Calls
            // to a database that is down fail at once anyway, and JournalWatch keeps commands away meanwhile.
            if (options.Provider != PersistenceProvider.Sqlite)
                builder.AddHocon(ConfigurationFactory.ParseString("""
                    akka.persistence.journal.sql.circuit-breaker { call-timeout = 5s, reset-timeout = 2s }
                    akka.persistence.snapshot-store.sql.circuit-breaker { max-failures = 1000000000, call-timeout = 5s, reset-timeout = 2s }
                    """), HoconAddMode.Prepend); // after the plugin's own configuration, which sets these keys too
            if (options.Provider == PersistenceProvider.Sqlite)
                // Same connection, plus the interceptor that lets the journal batch its writes and wait for
                // SQLite's write lock without stalling (SqliteJournalConnections). Given as a setup, the
                // HOCON provider name stays, so the tables are still created with their indexes.
                builder.AddSetup(SqliteJournalSetup(options.ConnectionString));
        }

        // Roles and topology (cluster-config/README.md; issue 12): the entities' regions on role `entities`, the lanes on
        // `monitoring`. On a node without the role, ClusterSharding.StartAsync starts a region proxy instead of a region
        // (ClusterShardingSettings.ShouldHostShard; Akka.Hosting's WithShardRegion goes through it and registers the proxy
        // under the same key), so the gateway and the intake send to the same registry entries on every node.
        foreach (var kind in EntityKinds.All) kind.AddRegion(builder, clock, settings);
        // Every kind of entity is audited (its governance events join the hash chain, Art. 8(5), 17) unless it says
        // otherwise; so are the lanes' alert batches (AlertsRaised) — their activity logs are not domain events.
        var audited = EntityKinds.All.Where(k => k.Audited).Select(k => k.Kind).Append(MonitorLane.Kind).ToList();
        var rules = sp.GetRequiredService<RulesSource>();
        builder.WithShardRegion<Region<MonitorLane>>(
            MonitorLane.Kind,
            // The entities a part's acting alerts lead to are read while the part is written (ClosedLoopWarmUp).
            laneId => Props.Create(() => new MonitorLane(laneId, () => rules.Current, clock, raised => ClosedLoopWarmUp.Start(sp.GetRequiredService<EntityGateway>(), raised))),
            new EntityMessageExtractor(),
            // Lanes stay up once started (they hold the operators' windows in memory); after a node is
            // lost, a lane comes back on another node with its next part and recovers from the journal.
            new ShardOptions { Role = PlatformOptions.MonitoringRole, ShouldPassivateIdleEntities = false });

        // Last, so it wins over everything above.
        if (!string.IsNullOrWhiteSpace(options.ExtraHocon))
            builder.AddHocon(ConfigurationFactory.ParseString(options.ExtraHocon), HoconAddMode.Prepend);

        builder.AddStartup((system, _) => system.Log.Info("roles [{0}]: {1}", string.Join(", ", options.Roles), Topology(options)));
        // jdo_cluster_members reports this node's view of the cluster (docs/metrics.md).
        builder.AddStartup((system, _) => Telemetry.Instruments.ObserveCluster(Cluster.Get(system)));
        builder.AddStartup((system, _) =>
        {
            var c = system.Settings.Config;
            string Get(string path) => c.HasPath(path) ? c.GetString(path) : "(unset)";
            var summary = string.Join(", ",
                Get("akka.persistence.journal.sql.provider-name"), Get("akka.persistence.journal.sql.parallelism"), Get("akka.persistence.journal.sql.batch-size"),
                Get("akka.persistence.journal.sql.read-isolation-level"), Get("akka.persistence.journal.sql.write-isolation-level"),
                Get("akka.persistence.journal.sql.tag-write-mode"), Get("akka.persistence.query.journal.sql.tag-read-mode"),
                Get("akka.persistence.snapshot-store.sql.read-isolation-level"), Get("akka.persistence.query.journal.sql.refresh-interval"));
            system.Log.Info("journal (provider, parallelism, batch-size, read/write isolation, tag write/read mode; snapshot read isolation; query refresh): {0}", summary);
        });

        if (options.Provider != PersistenceProvider.Memory) AddReadSide(builder, sp, options, new AuditScope(audited));

        // A member whose process is gone is downed at once, without the resolver's wait (Clustering/CrashedNodeWatcher).
        builder.WithActors((system, _) =>
        {
            system.ActorOf(Props.Create(() => new CrashedNodeWatcher()), "crashed-node-watcher");
            var degradation = sp.GetRequiredService<Degradation>();
            system.ActorOf(Props.Create(() => new ReachabilityReporter(degradation)), "reachability-reporter");
            // Started with the actor system, before the node joins: it sees this node and the members that come Up after it.
            var watch = sp.GetRequiredService<Operations.ClusterWatch>();
            var selfUp = Cluster.Get(system).SelfMember.Status == MemberStatus.Up;
            system.ActorOf(Props.Create(() => new Operations.MemberTracker(watch, clock, selfUp)), "member-tracker");
        });

        if (options.Discovery == ClusterDiscovery.Config)
            AddClusterBootstrap(builder, options);
        else if (options.SeedNodes.Count == 0)
        {
            // A single node with no seeds (and possibly port 0) joins itself once its address is known.
            builder.AddStartup((system, _) =>
            {
                var cluster = Cluster.Get(system);
                cluster.Join(cluster.SelfAddress);
            });
        }
    }

    /// <summary>Cluster:Discovery=config (cluster-config/README.md, "Discovery"; issue 12): no seed nodes. Akka.Management's
    /// Cluster Bootstrap looks the cluster's service up with Akka.Discovery's config method — the configured management
    /// endpoints — asks each endpoint for the members of its cluster and joins them; when every listed endpoint has
    /// answered that it is in none, the one with the lowest address forms it. A node that restarts (downed by the
    /// resolver) hears of the others' cluster from their endpoints and joins it. This node's own endpoint — the answer
    /// to the others' question — is <see cref="ClusterBootstrapContactPoint"/>, served by the host on the management port.</summary>
    private static void AddClusterBootstrap(AkkaConfigurationBuilder builder, PlatformOptions options)
    {
        var service = options.ActorSystemName;
        builder
            .WithConfigDiscovery(new ConfigServiceDiscoveryOptions
            {
                IsDefaultPlugin = true,
                Services = [new Service { Name = service, Endpoints = options.DiscoveryEndpoints.ToArray() }],
            })
            // Not auto-started: that starts Akka.Management's own HTTP server first, which cannot start here (see
            // ClusterBootstrapContactPoint) — and when that fails, Akka.Management terminates the actor system and the host
            // exits with code 0, as if stopped on purpose.
            .WithClusterBootstrap(o =>
            {
                o.ContactPointDiscovery.ServiceName = service;
                // Every listed node must be up and answer before a new cluster is formed (contact-with-all-contact-points,
                // on by default): nodes started apart can never each form one. The list is fixed, so "enough contact
                // points" is the whole list.
                o.ContactPointDiscovery.RequiredContactPointsNr = options.DiscoveryEndpoints.Count;
                // The listed endpoints are management endpoints already. Left on, the filter keeps, among endpoints on one
                // host, only those on this node's own management port — on one machine, only itself.
                o.ContactPoint.FilterOnFallbackPort = false;
                o.ContactPoint.FallbackPort = options.ManagementPort;
            }, autoStart: false);

        builder.AddStartup((system, registry) =>
        {
            var bootstrap = ClusterBootstrap.Get(system);
            // The base address the other nodes list for this one: the lowest-addressed node recognises itself by it
            // (bootstrap calls it the self contact point, and learns it from the routes it is asked for).
            bootstrap.Routes(ManagementRouteProviderSettings.Create(ClusterBootstrapContactPoint.SelfBaseUri(options), readOnly: true));
            _ = Task.Run(async () =>
            {
                try
                {
                    await bootstrap.Start();
                }
                catch (Exception ex)
                {
                    // Without bootstrap the node would wait for a cluster forever, never ready: stop it with the reason.
                    system.Log.Error(ex, "Cluster Bootstrap did not start; the node leaves");
                    await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClusterJoinUnsuccessfulReason.Instance);
                }
            });
        });
    }

    /// <summary>The parts that follow the journal through Akka.Persistence.Query.</summary>
    private static void AddReadSide(AkkaConfigurationBuilder builder, IServiceProvider sp, PlatformOptions options, AuditScope audited)
    {
        // The singletons run on `entities` nodes only: a ClusterSingletonManager refuses to start on a node without its
        // role (ArgumentException in its constructor), and nothing sends to them, so other nodes need no proxy.
        if (options.Has(PlatformOptions.EntityRole)) AddSingletons(builder, audited);
        // The views serve the API alone (listings, the monitoring facts and alerts of the intake): a node without `api`
        // does not follow the journal for them. Each `api` node folds its own from the journal, whichever node wrote it.
        if (options.Has(PlatformOptions.ApiRole)) AddViews(builder, sp);
    }

    private static void AddSingletons(AkkaConfigurationBuilder builder, AuditScope audited)
    {
        // The tamper-evident record: one hash chain in the cluster, written by one singleton that follows the journal.
        builder.WithSingleton<AuditTrail>(
            "audit-chain",
            (_, _, _) => Akka.Pattern.BackoffSupervisor.Props(Akka.Pattern.Backoff.OnFailure(
                Props.Create(() => new AuditTrail(audited, AuditTrailSettings.Default)), "chain", TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30), 0.2, maxNrOfRetries: -1)),
            new ClusterSingletonOptions { Role = PlatformOptions.EntityRole },
            createProxyToo: false);

        builder.WithSingleton<ConsequenceProjection>(
            "consequences",
            // A failing stream (journal down) restarts the projection from its stored offset, with backoff.
            (_, _, resolver) => Akka.Pattern.BackoffSupervisor.Props(Akka.Pattern.Backoff.OnFailure(
                resolver.Props<ConsequenceProjection>(), "projection", TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30), 0.2, maxNrOfRetries: -1)),
            new ClusterSingletonOptions { Role = PlatformOptions.EntityRole },
            createProxyToo: false);
    }

    private static void AddViews(AkkaConfigurationBuilder builder, IServiceProvider sp)
    {
        // The views rebuild from the journal when a stream fails (the database gone). Restarted at once, they did so
        // thousands of times in a 10 s outage — every attempt a query and an error line (docs/benchmarks.md); with
        // backoff they try again after 0.5 s, doubling up to 10 s, and a query in between answers 503.
        static Props Rebuilt(Props view) =>
            Akka.Pattern.BackoffSupervisor.Props(Akka.Pattern.Backoff.OnFailure(view, "view", TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(10), 0.2, maxNrOfRetries: -1));
        builder.WithActors((system, registry) =>
        {
            registry.Register<CatalogViewKey>(system.ActorOf(Rebuilt(Props.Create(() => new CatalogView())), "catalog-view"));
            var context = sp.GetRequiredService<MonitoringContext>();
            var alerts = sp.GetRequiredService<AlertStore>();
            registry.Register<MonitoringViewKey>(system.ActorOf(Rebuilt(Props.Create(() => new MonitoringView(context, alerts))), "monitoring-view"));
            var suspensions = sp.GetRequiredService<Operations.SuspensionBoard>();
            system.ActorOf(Rebuilt(Props.Create(() => new Operations.SuspensionWatch(suspensions))), "suspension-watch");
        });
    }

    /// <summary>What this node runs, for the start log: an operator reading it knows where entities live.</summary>
    public static string Topology(PlatformOptions o) => string.Join("; ",
        o.Has(PlatformOptions.EntityRole)
            ? "hosts the entities' shards and may run the singletons (consequences, audit-chain)"
            : "reaches the entities through region proxies (no entity runs here)",
        o.Has(PlatformOptions.MonitoringRole) ? "hosts monitoring lanes" : "reaches the monitoring lanes through a proxy",
        o.Has(PlatformOptions.ApiRole) ? "serves the HTTP API" : "serves no HTTP API (only /health/live and /health/ready)");

    /// <summary>The SQLite journal's linq2db options as an actor-system setup. Tests that build their own
    /// actor system use it too.</summary>
    public static DataOptionsSetup SqliteJournalSetup(string connectionString) => new(SqliteJournalOptions(connectionString));

    /// <summary>The configured connection plus <see cref="SqliteJournalConnections"/>.</summary>
    public static DataOptions SqliteJournalOptions(string connectionString) =>
        new DataOptions()
            .UseConnectionString(LinqToDbProvider(PersistenceProvider.Sqlite), connectionString)
            .UseInterceptor(SqliteJournalConnections.Instance);

    private static string Hocon(PlatformOptions o)
    {
        var refresh = $"{(int)o.QueryRefresh.TotalMilliseconds}ms";
        // SQLite: reads open deferred transactions instead of BEGIN IMMEDIATE, so they do not take the
        // write lock (docs/performance.md); WAL is switched on by the host.
        var isolation = o.Provider == PersistenceProvider.Sqlite ? "read-uncommitted" : "unspecified";
        // One write transaction at a time per node, carrying every write that arrived meanwhile (group
        // commit): on SQLite, with its single write lock, three writers only collide; on PostgreSQL one
        // writer gave 4,156 commands/s against 2,730 with three and 2,463 with eight (docs/performance.md).
        const int parallelism = 1;
        // Multi-row inserts bind the event payload as a parameter instead of writing it into the SQL text as
        // a hex literal, which the database then parses back: with sandbox batches (rows of tens of KB) that
        // took most of the write path's CPU — 66,000 → 136,000 events/s; no difference for small command
        // events (docs/performance.md).
        // Failover (cluster-config/README.md, "Failure detection and split brain"; issue 12): a node that is gone is
        // downed by the split-brain resolver (keep-majority) once the unreachable set has been stable for
        // stable-after, removed, and after down-removal-margin its shards and singletons start on the survivors.
        // The defaults (3 s pause, 20 s stable-after, removal margin = stable-after) made that ~45 s. A 5 s heartbeat
        // pause keeps a node that stalls for seconds (GC, a saturated 2-core machine) reachable, and a stall that
        // outlasts it must also outlast stable-after before anyone is downed. A crashed process does not wait for either:
        // its port refuses connections, so the crash-aware failure detector reports it at once and it is downed without
        // the resolver (Clustering/CrashedNodeWatcher); it is served elsewhere ≈ 5 s after the kill (detection, removal,
        // margin, coordinator allocation).
        return $$"""
            akka.cluster.sharding.distributed-data.durable.keys = []
            akka.cluster.downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
            akka.cluster.split-brain-resolver.active-strategy = keep-majority
            akka.cluster.split-brain-resolver.stable-after = 3s
            akka.cluster.down-removal-margin = 2s
            akka.cluster.failure-detector.acceptable-heartbeat-pause = 5s
            akka.cluster.failure-detector.implementation-class = "{{typeof(CrashAwareFailureDetector).AssemblyQualifiedName}}"
            akka.cluster.sharding.retry-interval = 1s
            akka.persistence.journal.sql.parallelism = {{parallelism}}
            akka.persistence.journal.sql.prefer-parameters-on-multirow-insert = on
            akka.persistence.journal.sql.read-isolation-level = {{isolation}}
            akka.persistence.snapshot-store.sql.read-isolation-level = {{isolation}}
            akka.persistence.query.journal.sql.read-isolation-level = {{isolation}}
            akka.persistence.query.journal.sql.refresh-interval = {{refresh}}
            akka.persistence.query.journal.sql.journal-sequence-retrieval.query-delay = {{refresh}}
            akka.coordinated-shutdown.exit-clr = off
            """;
    }
}
