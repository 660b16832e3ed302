using Akka.Actor;
using Akka.Persistence.Query;
using JinanDataOps.Actors.Consequences;
using JinanDataOps.Actors.Entities;
using JinanDataOps.Domain.Calls;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.Datasets;
using JinanDataOps.Domain.Evaluations;
using JinanDataOps.Domain.Incidents;
using JinanDataOps.Domain.Products;

namespace JinanDataOps.Actors.ReadModels;

/// <summary>Node-local queries answered by <see cref="CatalogView"/>.</summary>
public sealed record ListCalls : INoSerializationVerificationNeeded
{
    public static readonly ListCalls Instance = new();
}

public sealed record ListDatasets : INoSerializationVerificationNeeded
{
    public static readonly ListDatasets Instance = new();
}

public sealed record ListIncidents : INoSerializationVerificationNeeded
{
    public static readonly ListIncidents Instance = new();
}

public sealed record ListEvaluations : INoSerializationVerificationNeeded
{
    public static readonly ListEvaluations Instance = new();
}

public sealed record EvaluationList(IReadOnlyList<EvaluationState> Evaluations) : INoSerializationVerificationNeeded;

public sealed record IncidentList(IReadOnlyList<IncidentState> Incidents) : INoSerializationVerificationNeeded;

public sealed record ListProducts : INoSerializationVerificationNeeded
{
    public static readonly ListProducts Instance = new();
}

public sealed record ProductList(IReadOnlyList<ProductState> Products) : INoSerializationVerificationNeeded;

public sealed record CallList(IReadOnlyList<CallState> Calls) : INoSerializationVerificationNeeded;

public sealed record DatasetList(IReadOnlyList<DatasetState> Datasets) : INoSerializationVerificationNeeded;

/// <summary>The listing read side (GET /api/calls, /api/datasets, /api/incidents, /api/products, /api/evaluations): every node
/// folds the journal's "call", "dataset", "incident", "product" and "evaluation" tags with the deciders' own Evolve, live, from the beginning. Nothing here
/// needs persisting — a restart rebuilds it from the journal — and no entity is ever scanned.</summary>
public sealed class CatalogView : ReceiveActor
{
    private readonly Dictionary<string, CallState> _calls = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DatasetState> _datasets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IncidentState> _incidents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ProductState> _products = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EvaluationState> _evaluations = new(StringComparer.Ordinal);

    public CatalogView()
    {
        Receive<Observed>(o =>
        {
            switch (o.Envelope.Event)
            {
                case ICallEvent e:
                    Fold<Call, CallState, ICallCommand, ICallEvent>(_calls, o.Envelope.PersistenceId, e);
                    break;
                case IDatasetEvent e:
                    Fold<Dataset, DatasetState, IDatasetCommand, IDatasetEvent>(_datasets, o.Envelope.PersistenceId, e);
                    break;
                case IIncidentEvent e:
                    Fold<Incident, IncidentState, IIncidentCommand, IIncidentEvent>(_incidents, o.Envelope.PersistenceId, e);
                    break;
                case IProductEvent e:
                    Fold<Product, ProductState, IProductCommand, IProductEvent>(_products, o.Envelope.PersistenceId, e);
                    break;
                case IEvaluationEvent e:
                    Fold<Evaluation, EvaluationState, IEvaluationCommand, IEvaluationEvent>(_evaluations, o.Envelope.PersistenceId, e);
                    break;
            }
        });
        Receive<ListCalls>(_ => Sender.Tell(new CallList(_calls.Values.OrderBy(c => c.Id, StringComparer.Ordinal).ToArray())));
        Receive<ListIncidents>(_ => Sender.Tell(new IncidentList(_incidents.Values.OrderByDescending(i => i.OpenedAt).ThenBy(i => i.Id, StringComparer.Ordinal).ToArray())));
        Receive<ListProducts>(_ => Sender.Tell(new ProductList(_products.Values.OrderByDescending(p => p.CreatedAt).ThenBy(p => p.Id, StringComparer.Ordinal).ToArray())));
        Receive<ListEvaluations>(_ => Sender.Tell(new EvaluationList(_evaluations.Values.OrderByDescending(v => v.OpenedAt).ThenBy(v => v.Id, StringComparer.Ordinal).ToArray())));
        Receive<ListDatasets>(_ => Sender.Tell(new DatasetList(_datasets.Values.OrderBy(d => d.Id, StringComparer.Ordinal).ToArray())));
        Receive<Status.Failure>(f => throw new InvalidOperationException("a catalog stream failed; rebuilding", f.Cause));
        // Started by a message, not in PreStart: creating the read journal waits (5 s) for the write journal
        // to be initialized, and fails when it is slow (first start, busy database). A failure in PreStart
        // would stop the view for good (ActorInitializationException → Stop), leaving GET /api/calls and
        // /api/datasets at 503 forever; a failure while handling a message restarts it, and it tries again.
        Receive<StartStreams>(_ => RunStreams());
    }

    protected override void PreStart() => Self.Tell(StartStreams.Instance);

    /// <summary>One event folded into its entity's state with the decider's own Evolve.</summary>
    private static void Fold<TDecider, TState, TCommand, TEvent>(Dictionary<string, TState> states, string persistenceId, TEvent e)
        where TDecider : IDecider<TState, TCommand, TEvent>
        where TState : class
        where TCommand : ICommand
        where TEvent : IDomainEvent
    {
        var id = PersistenceIds.EntityIdOf(TDecider.Kind, persistenceId);
        states[id] = TDecider.Evolve(states.GetValueOrDefault(id) ?? TDecider.Initial(id), e);
    }

    private void RunStreams() => TaggedStreams.Follow(Context, [Call.Kind, Dataset.Kind, Incident.Kind, Product.Kind, Evaluation.Kind], e => new Observed(e));

    private sealed record Observed(EventEnvelope Envelope) : INoSerializationVerificationNeeded;

    private sealed record StartStreams : INoSerializationVerificationNeeded
    {
        public static readonly StartStreams Instance = new();
    }
}
