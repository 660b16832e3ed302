using Akka.Actor;
using Akka.Hosting;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using JinanDataOps.Actors.Entities;
using JinanDataOps.Actors.Hosting;
using JinanDataOps.Actors.ReadModels;
using JinanDataOps.Domain.Calls;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.Datasets;
using JinanDataOps.Domain.Evaluations;
using JinanDataOps.Domain.Incidents;
using JinanDataOps.Domain.Reports;
using JinanDataOps.Domain.Products;

namespace JinanDataOps.Actors.Procedures;

/// <summary>One event of an entity's work log, with its place in the log.</summary>
public sealed record LoggedEvent(long Sequence, IDomainEvent Event);

/// <summary>The read side behind the gateway: the lists the catalog view folds from the journal, and an entity's
/// work log read straight from the journal (Art. 8(5): kept, also after the end).</summary>
public sealed class Records(ActorSystem system, ActorRegistry registry, EntityGateway gateway)
{
    public async Task<IReadOnlyList<CallState>> Calls(CancellationToken ct) =>
        (await registry.Get<CatalogViewKey>().Ask<CallList>(ListCalls.Instance, gateway.Timeout, ct)).Calls;

    public async Task<IReadOnlyList<DatasetState>> Datasets(CancellationToken ct) =>
        (await registry.Get<CatalogViewKey>().Ask<DatasetList>(ListDatasets.Instance, gateway.Timeout, ct)).Datasets;

    public async Task<IReadOnlyList<IncidentState>> Incidents(CancellationToken ct) =>
        (await registry.Get<CatalogViewKey>().Ask<IncidentList>(ListIncidents.Instance, gateway.Timeout, ct)).Incidents;

    /// <summary>Every governance event of every entity, in journal order, with the kind and id of its entity: what a
    /// report folds (Art. 8, last paragraph). Read on demand — a summary is filed per period, not polled — so it is
    /// always exactly what the journal holds.</summary>
    public async Task<IReadOnlyList<JournalEntry>> Journal(CancellationToken ct)
    {
        var journal = PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);
        // Longest kind first, so "data-request-…" is never taken for a kind named by a prefix of it.
        var kinds = EntityKinds.All.Select(k => k.Kind).OrderByDescending(k => k.Length).ToArray();
        string? KindOf(string persistenceId) => kinds.FirstOrDefault(k => persistenceId.StartsWith(k + "-", StringComparison.Ordinal));
        var entries = await journal.CurrentAllEvents(Offset.NoOffset())
            .Where(e => e.Event is IDomainEvent)
            .Select(e => (Kind: KindOf(e.PersistenceId), Envelope: e))
            .Where(x => x.Kind is not null)
            .Select(x => new JournalEntry(x.Kind!, PersistenceIds.EntityIdOf(x.Kind!, x.Envelope.PersistenceId), (IDomainEvent)x.Envelope.Event))
            .RunWith(Sink.Seq<JournalEntry>(), system.Materializer());
        ct.ThrowIfCancellationRequested();
        return entries;
    }
    public async Task<IReadOnlyList<ProductState>> Products(CancellationToken ct) =>
        (await registry.Get<CatalogViewKey>().Ask<ProductList>(ListProducts.Instance, gateway.Timeout, ct)).Products;
    public async Task<IReadOnlyList<EvaluationState>> Evaluations(CancellationToken ct) =>
        (await registry.Get<CatalogViewKey>().Ask<EvaluationList>(ListEvaluations.Instance, gateway.Timeout, ct)).Evaluations;

    /// <summary>Every event of one entity of <paramref name="kind"/>, oldest first.</summary>
    public async Task<IReadOnlyList<LoggedEvent>> WorkLog(string kind, string entityId)
    {
        var journal = PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);
        return await journal.CurrentEventsByPersistenceId(PersistenceIds.For(kind, entityId), 0, long.MaxValue)
            .Where(e => e.Event is IDomainEvent)
            .Select(e => new LoggedEvent(e.SequenceNr, (IDomainEvent)e.Event))
            .RunWith(Sink.Seq<LoggedEvent>(), system.Materializer());
    }
}
