using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using JinanDataOps.Actors.Entities;
using JinanDataOps.Actors.Hosting;

namespace JinanDataOps.Actors.Consequences;

/// <summary>How far the consequence projection is behind the journal: the <c>reactions</c> events written after its
/// stored offset — their consequences (a suspension, an incident opened) not yet carried out — and when the oldest of
/// them was written. <see cref="Pending"/> is capped at <see cref="ProjectionLag.Counted"/>.</summary>
public sealed record LagReading(long Offset, int Pending, DateTimeOffset? OldestPendingAt);

/// <summary>Reads the projection's progress from the journal, as any node can: the projection itself is a singleton on
/// one `entities` node, but its offset (a snapshot plus the events after it) and the events it follows are in the
/// shared journal. Nothing here touches the projection.</summary>
public sealed class ProjectionLag(ActorSystem system, PlatformOptions options)
{
    /// <summary>Pending events counted at most: enough to tell "a few behind" from "far behind" without reading a large
    /// backlog on every probe.</summary>
    public const int Counted = 1000;

    /// <summary>Null with the in-memory journal: the read side, the projection with it, does not run there.</summary>
    public async Task<LagReading?> Read(TimeSpan timeout, CancellationToken ct)
    {
        if (options.Provider == PersistenceProvider.Memory) return null;
        var offset = await StoredOffset(timeout, ct);
        var journal = PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);
        // Offsets are exclusive: the projection resumes after its stored offset the same way (ConsequenceProjection).
        var pending = await journal.CurrentEventsByTag(Tags.Reactions, Offset.Sequence(offset))
            .Take(Counted)
            .Select(e => e.Timestamp)
            .RunWith(Sink.Seq<long>(), system.Materializer())
            .WaitAsync(timeout, ct);
        // Akka.Persistence.Sql stores the write time as UTC ticks (the journal's `created` column); the envelopes carry it.
        DateTimeOffset? oldest = pending.Count > 0 ? new DateTimeOffset(pending.Min(), TimeSpan.Zero) : null;
        return new LagReading(offset, pending.Count, oldest);
    }

    /// <summary>The offset as the projection recovers it: its latest snapshot, then the offsets stored after it (it
    /// deletes the events a snapshot covers).</summary>
    private async Task<long> StoredOffset(TimeSpan timeout, CancellationToken ct)
    {
        var store = Persistence.Instance.Apply(system).SnapshotStoreFor(null);
        var loaded = await store.Ask<object>(new LoadSnapshot(ConsequenceProjection.Id, SnapshotSelectionCriteria.Latest, long.MaxValue), timeout, ct);
        var (offset, from) = loaded switch
        {
            LoadSnapshotResult { Snapshot: { Snapshot: OffsetStored s } selected } => (s.Offset, selected.Metadata.SequenceNr + 1),
            LoadSnapshotResult => (0L, 0L),
            LoadSnapshotFailed failed => throw new InvalidOperationException($"the projection's snapshot could not be read: {failed.Cause.Message}", failed.Cause),
            var other => throw new InvalidOperationException($"the snapshot store answered {other.GetType().Name}"),
        };
        var journal = PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);
        var stored = await journal.CurrentEventsByPersistenceId(ConsequenceProjection.Id, from, long.MaxValue)
            .Select(e => e.Event is OffsetStored o ? o.Offset : 0L)
            .RunWith(Sink.Seq<long>(), system.Materializer())
            .WaitAsync(timeout, ct);
        return stored.Count == 0 ? offset : Math.Max(offset, stored.Max());
    }
}
