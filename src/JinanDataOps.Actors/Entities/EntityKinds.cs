using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using JinanDataOps.Actors.Hosting;
using JinanDataOps.Actors.Protocol;
using JinanDataOps.Domain.Agreements;
using JinanDataOps.Domain.Applications;
using JinanDataOps.Domain.Calls;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.DataRequests;
using JinanDataOps.Domain.Evaluations;
using JinanDataOps.Domain.Datasets;
using JinanDataOps.Domain.Idempotency;
using JinanDataOps.Domain.Incidents;
using JinanDataOps.Domain.Operators;
using JinanDataOps.Domain.Products;

namespace JinanDataOps.Actors.Entities;

/// <summary>One kind of persistent entity: its decider, whether its shards remember their entities (kinds that keep
/// deadlines do, so their timers come back after a crash, a restart or a rebalance), and whether its events are
/// governance events that join the tamper-evident record (Art. 8(5), 17).</summary>
public interface IEntityKind
{
    string Kind { get; }
    bool RememberEntities { get; }
    bool Audited { get; }
    Type State { get; }
    Type Command { get; }

    internal void AddRegion(AkkaConfigurationBuilder builder, TimeProvider clock, EntitySettings settings);
    internal Task<object?> Get(EntityGateway gateway, string id, CancellationToken ct);
    internal Task<Rejection?> Execute(EntityGateway gateway, string id, ICommand command, CancellationToken ct);
}

public sealed class EntityKind<TDecider, TState, TCommand, TEvent>(bool rememberEntities, bool audited = true) : IEntityKind
    where TDecider : IDecider<TState, TCommand, TEvent>
    where TState : class
    where TCommand : ICommand
    where TEvent : IDomainEvent
{
    public string Kind => TDecider.Kind;
    public bool RememberEntities => rememberEntities;
    public bool Audited => audited;
    public Type State => typeof(TState);
    public Type Command => typeof(TCommand);

    void IEntityKind.AddRegion(AkkaConfigurationBuilder builder, TimeProvider clock, EntitySettings settings) =>
        builder.WithShardRegion<Region<TDecider>>(
            TDecider.Kind,
            entityId => Props.Create(() => new DeciderEntity<TDecider, TState, TCommand, TEvent>(entityId, clock, settings)),
            new EntityMessageExtractor(),
            new ShardOptions
            {
                Role = PlatformOptions.EntityRole,
                RememberEntities = rememberEntities,
                RememberEntitiesStore = RememberEntitiesStore.Eventsourced,
                // Remembering regions keep their coordinator state in the journal: after a full restart the
                // coordinator re-allocates every remembered shard, whose entities then come back by
                // themselves. (The ddata store would need LMDB durability, which is broken here.)
                StateStoreMode = rememberEntities ? StateStoreMode.Persistence : StateStoreMode.DData,
                // Entities passivate themselves (DeciderEntity) unless they hold a deadline.
                ShouldPassivateIdleEntities = false,
            });

    async Task<object?> IEntityKind.Get(EntityGateway gateway, string id, CancellationToken ct) => await gateway.Get<TDecider, TState>(id, ct);

    async Task<Rejection?> IEntityKind.Execute(EntityGateway gateway, string id, ICommand command, CancellationToken ct) =>
        (await gateway.Execute<TDecider, TState>(id, command, ct)).Rejection;
}

/// <summary>Every kind of entity the platform runs, in one list: the host starts a shard region for each, and
/// a command or a state is routed to its kind by its type (the reactions name only ids and commands).</summary>
public static class EntityKinds
{
    public static readonly IReadOnlyList<IEntityKind> All =
    [
        new EntityKind<Dataset, DatasetState, IDatasetCommand, IDatasetEvent>(rememberEntities: false),
        // Operators keep the deadline of their periodic security report (Art. 16).
        new EntityKind<Operator, OperatorState, IOperatorCommand, IOperatorEvent>(rememberEntities: true),
        new EntityKind<DataRequest, DataRequestState, IDataRequestCommand, IDataRequestEvent>(rememberEntities: false),
        new EntityKind<Application, ApplicationState, IApplicationCommand, IApplicationEvent>(rememberEntities: false),
        // Calls and agreements keep deadlines (window, notice, term, rectification).
        new EntityKind<Call, CallState, ICallCommand, ICallEvent>(rememberEntities: true),
        new EntityKind<Agreement, AgreementState, IAgreementCommand, IAgreementEvent>(rememberEntities: true),
        new EntityKind<Incident, IncidentState, IIncidentCommand, IIncidentEvent>(rememberEntities: false),
        new EntityKind<Product, ProductState, IProductCommand, IProductEvent>(rememberEntities: false),
        // Evaluations keep their materials deadline (Art. 17).
        new EntityKind<Evaluation, EvaluationState, IEvaluationCommand, IEvaluationEvent>(rememberEntities: true),
        // Idempotency-Key records are the API's bookkeeping, not governance: outside the record.
        new EntityKind<IdempotentRequest, IdempotentRequestState, IIdempotentRequestCommand, IIdempotentRequestEvent>(rememberEntities: false, audited: false),
    ];

    /// <summary>The kind whose decider takes this command.</summary>
    public static IEntityKind ForCommand(ICommand command) =>
        All.FirstOrDefault(k => k.Command.IsInstanceOfType(command))
        ?? throw new InvalidOperationException($"no entity kind takes the command {command.GetType().Name}");

    /// <summary>The kind whose state this is.</summary>
    public static IEntityKind ForState(Type state) =>
        All.FirstOrDefault(k => k.State == state) ?? throw new InvalidOperationException($"no entity kind has the state {state.Name}");
}
