using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using JinanDataOps.Domain.Audit;
using JinanDataOps.Domain.Common;

namespace JinanDataOps.Actors.Audit;

/// <summary>How the chain's writer batches and snapshots.</summary>
public sealed record AuditTrailSettings(int BatchSize, TimeSpan BatchWindow, int SnapshotEvery, long SnapshotAfterSkipped, TimeSpan WriteTimeout)
{
    // A snapshot holds every audited stream's last sequence number and every entity's operator (hundreds of KB with
    // 10,000 operators); every 20,000 links keeps recovery to about a second of replay.
    public static readonly AuditTrailSettings Default = new(500, TimeSpan.FromMilliseconds(20), 20_000, 200_000, TimeSpan.FromSeconds(60));
}

/// <summary>One batch of consecutive links, written as one journal entry (atomically).</summary>
public sealed record AuditLinks(IReadOnlyList<AuditLink> Links);

/// <summary>The tamper-evident record (Art. 8(5), 17): follows every event of the journal in order
/// (<c>AllEvents</c> by ordering) and links each governance event of an audited entity into one hash chain,
/// whose links are this actor's own persisted events — the journal is the only store. A cluster singleton, so
/// there is one chain in the cluster. Each batch of links is one atomic write (PersistAll); a link records the
/// journal ordering of its source, so after a crash the chain resumes exactly after the last event linked —
/// nothing is linked twice (the source's persistence id and sequence number are checked as well) and nothing is
/// skipped. A batch of links is one journal entry (<see cref="AuditLinks"/>): one row per event would double the
/// journal's rows, and a row is what a command costs most (docs/performance.md). Links are never deleted; snapshots
/// only shorten recovery.</summary>
public sealed class AuditTrail : ReceivePersistentActor
{
    public const string ChainPersistenceId = "audit-chain";

    private readonly AuditScope _scope;
    private readonly AuditTrailSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly CancellationTokenSource _stop = new();
    private ChainHead _head = new();
    private int _sinceSnapshot;
    private long _snapshotOffset;

    public AuditTrail(AuditScope scope, AuditTrailSettings? settings = null)
    {
        _scope = scope;
        _settings = settings ?? AuditTrailSettings.Default;
        Recover<SnapshotOffer>(o =>
        {
            if (o.Snapshot is not AuditChainSnapshot s) return;
            _head = new ChainHead(s);
            _snapshotOffset = s.Offset;
        });
        Recover<AuditLinks>(batch =>
        {
            foreach (var link in batch.Links) _head.Apply(link);
            _sinceSnapshot += batch.Links.Count;
        });
        // Started by a message, as the consequence projection: a failing read journal then restarts the actor
        // (with backoff) instead of failing its recovery for good.
        Recover<RecoveryCompleted>(_ => Self.Tell(StartFollowing.Instance));
        Command<StartFollowing>(_ => Follow());
        Command<Batch>(OnBatch);
        Command<SaveSnapshotSuccess>(s => DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(f => _log.Warning(f.Cause, "snapshot of the audit chain failed; recovery replays more links"));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
        Command<StreamEnded>(e => throw new InvalidOperationException("the journal stream of the audit chain ended; restarting from the last link", e.Cause));
    }

    public override string PersistenceId => ChainPersistenceId;

    protected override void PostStop()
    {
        _stop.Cancel();
        base.PostStop();
    }

    /// <summary>A link refused by the journal must not stay in the head: the next link would chain to a link that
    /// was never stored. Failing restarts the actor, which recovers the head from what is stored.</summary>
    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        base.OnPersistRejected(cause, @event, sequenceNr);
        throw new InvalidOperationException($"audit link {sequenceNr} was rejected by the journal", cause);
    }

    private void OnBatch(Batch batch)
    {
        var links = new List<AuditLink>();
        foreach (var e in batch.Entries)
        {
            if (_head.Link(_scope, e.PersistenceId, e.SequenceNr, ((Sequence)e.Offset).Value, e.Event) is not { } link) continue;
            _head.Apply(link); // the next link chains to this one; a failed write restarts the actor and recovers the head
            links.Add(link);
        }
        _head.Advance(batch.Through);
        var replyTo = Sender;
        if (links.Count == 0)
        {
            // Long stretches without a governance event (sandbox activity logs) are not read again after a restart.
            if (_head.Offset - _snapshotOffset >= _settings.SnapshotAfterSkipped) Snapshot();
            replyTo.Tell(Linked.Instance);
            return;
        }
        Persist(new AuditLinks(links), _ =>
        {
            _sinceSnapshot += links.Count;
            if (_sinceSnapshot >= _settings.SnapshotEvery) Snapshot();
            replyTo.Tell(Linked.Instance);
        });
    }

    private void Snapshot()
    {
        _sinceSnapshot = 0;
        _snapshotOffset = _head.Offset;
        SaveSnapshot(_head.Snapshot());
    }

    private void Follow()
    {
        var journal = PersistenceQuery.Get(Context.System).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);
        var self = Self;
        var timeout = _settings.WriteTimeout;
        var ct = _stop.Token;
        journal.AllEvents(Offset.Sequence(_head.Offset))
            .GroupedWithin(_settings.BatchSize, _settings.BatchWindow)
            .Select(group => new Batch(group.Where(e => e.Event is IDomainEvent).ToArray(), group.Max(e => ((Sequence)e.Offset).Value)))
            // One batch at a time, answered once its links are durable: the stream never runs ahead of the chain.
            .SelectAsync(1, batch => self.Ask<Linked>(batch, timeout, ct))
            .RunWith(Sink.Ignore<Linked>(), Context.Materializer())
            .PipeTo(self, success: () => new StreamEnded(null), failure: ex => new StreamEnded(ex));
    }

    private sealed record Batch(IReadOnlyList<EventEnvelope> Entries, long Through) : INoSerializationVerificationNeeded;

    private sealed record Linked : INoSerializationVerificationNeeded
    {
        public static readonly Linked Instance = new();
    }

    private sealed record StreamEnded(Exception? Cause) : INoSerializationVerificationNeeded;

    private sealed record StartFollowing : INoSerializationVerificationNeeded
    {
        public static readonly StartFollowing Instance = new();
    }
}
