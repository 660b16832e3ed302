using Akka.Actor;
using Akka.Cluster;
using Akka.Hosting;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using JinanDataOps.Actors.Entities;
using JinanDataOps.Actors.Hosting;
using JinanDataOps.Actors.ReadModels;
using JinanDataOps.Domain.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace JinanDataOps.Actors.Tests.Stores;

/// <summary>One node of the platform as the host composes it — <see cref="AkkaSetup.AddJinanActors"/> on a generic
/// host: remoting, a single-node cluster, the SQL journal, snapshot store and remember-entities store, every shard
/// region, the consequence projection and the read models — over a given database, on a given clock.</summary>
public sealed class StoreNode : IAsyncDisposable
{
    /// <summary>An upper bound, never a pace: two loaded cores, a cluster forming, a database starting.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly IHost _host;
    private bool _stopped;

    private StoreNode(IHost host)
    {
        _host = host;
        System = host.Services.GetRequiredService<ActorSystem>();
        Gateway = host.Services.GetRequiredService<EntityGateway>();
        Registry = host.Services.GetRequiredService<ActorRegistry>();
    }

    public ActorSystem System { get; }

    public EntityGateway Gateway { get; }

    public ActorRegistry Registry { get; }

    public static async Task<StoreNode> Start(PersistenceProvider provider, string connectionString, TimeProvider clock, EntitySettings settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddLogging();
        builder.Services.AddJinanActors(new PlatformOptions
        {
            Provider = provider,
            ConnectionString = connectionString,
            Port = 0,
            AskTimeout = TimeSpan.FromSeconds(30),
        });
        // Registered after AddJinanActors, so these win: the test's clock and snapshot interval.
        builder.Services.AddSingleton(clock);
        builder.Services.AddSingleton(settings);
        var host = builder.Build();
        await host.StartAsync();
        var node = new StoreNode(host);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Cluster.Get(node.System).RegisterOnMemberUp(() => up.TrySetResult());
        await up.Task.WaitAsync(Patience);
        return node;
    }

    /// <summary>Sends the command through the shard region; fails the test when it is refused.</summary>
    public async Task<TState> Accept<TDecider, TState>(string id, ICommand command) where TState : class
    {
        var outcome = await Gateway.Execute<TDecider, TState>(id, command);
        return outcome.Accepted ? outcome.State : throw new Xunit.Sdk.XunitException($"{command.GetType().Name} on {id} was refused: {outcome.Rejection}");
    }

    public Task<TState?> Get<TDecider, TState>(string id) where TState : class => Gateway.Get<TDecider, TState>(id);

    /// <summary>The events journaled for a persistence id, read back through the read journal (deserialized).</summary>
    public async Task<IReadOnlyList<object>> Events(string persistenceId)
    {
        var journal = PersistenceQuery.Get(System).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);
        var events = await journal.CurrentEventsByPersistenceId(persistenceId, 0, long.MaxValue)
            .Select(e => e.Event)
            .RunWith(Sink.Seq<object>(), System.Materializer());
        return events.ToArray();
    }

    public async Task<IReadOnlyList<string>> ListedDatasets()
    {
        var list = await Registry.Get<CatalogViewKey>().Ask<DatasetList>(ListDatasets.Instance, TimeSpan.FromSeconds(10));
        return list.Datasets.Select(d => d.Id).ToArray();
    }

    /// <summary>Graceful stop, as SIGTERM: CoordinatedShutdown leaves the cluster and hands the shards off.</summary>
    public async Task Stop()
    {
        if (_stopped) return;
        _stopped = true;
        using var timeout = new CancellationTokenSource(Patience);
        await _host.StopAsync(timeout.Token);
        await System.WhenTerminated.WaitAsync(Patience);
    }

    public async ValueTask DisposeAsync()
    {
        try { await Stop(); }
        finally { _host.Dispose(); }
    }
}
