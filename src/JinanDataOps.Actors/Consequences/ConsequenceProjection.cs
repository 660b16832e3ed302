using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using JinanDataOps.Actors.Entities;
using JinanDataOps.Actors.Protocol;
using JinanDataOps.Actors.Telemetry;
using JinanDataOps.Domain.Common;

namespace JinanDataOps.Actors.Consequences;

/// <summary>The projection's progress, kept in the journal like everything else.</summary>
public sealed record OffsetStored(long Offset) : IJinanMessage;

/// <summary>Follows the journal's "reactions" tag in order and carries out each event's consequences
/// (<see cref="ConsequenceHandler"/>). Runs as a cluster singleton; its offset is persisted after the
/// consequences are done, so a node dying in between only repeats idempotent commands — a consequence
/// is never lost.</summary>
public sealed class ConsequenceProjection : ReceivePersistentActor
{
    private const int SnapshotEvery = 100;
    private readonly ConsequenceHandler _handler;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly CancellationTokenSource _stop = new();
    private long _offset;
    private int _sinceSnapshot;

    public ConsequenceProjection(ConsequenceHandler handler)
    {
        _handler = handler;
        Recover<SnapshotOffer>(o => { if (o.Snapshot is OffsetStored s) _offset = s.Offset; });
        Recover<OffsetStored>(s => _offset = Math.Max(_offset, s.Offset));
        // Started by a message, not inside recovery: the read journal waits for the write journal to be
        // initialized and may throw when it is slow; thrown from a command handler that restarts the
        // projection (and it tries again), thrown from recovery it would stop the singleton for good.
        Recover<RecoveryCompleted>(_ => Self.Tell(StartStreaming.Instance));
        Command<StartStreaming>(_ => StartStream());

        Command<Processed>(p =>
        {
            if (p.Offset <= _offset) return;
            Persist(new OffsetStored(p.Offset), s =>
            {
                _offset = s.Offset;
                if (++_sinceSnapshot < SnapshotEvery) return;
                _sinceSnapshot = 0;
                SaveSnapshot(s);
            });
        });
        Command<SaveSnapshotSuccess>(s => DeleteMessages(s.Metadata.SequenceNr));
        Command<SaveSnapshotFailure>(_ => { });
        Command<DeleteMessagesSuccess>(_ => DeleteSnapshots(new SnapshotSelectionCriteria(LastSequenceNr - 1)));
        Command<DeleteMessagesFailure>(_ => { });
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
        Command<StreamEnded>(e => throw new InvalidOperationException("the reactions stream ended; restarting from the stored offset", e.Cause));
    }

    /// <summary>Where the offset is kept; <see cref="ProjectionLag"/> reads it from there.</summary>
    public const string Id = "projection-reactions";

    public override string PersistenceId => Id;

    protected override void PreStart()
    {
        Instruments.ProjectionStarted();
        base.PreStart();
    }

    protected override void PostStop()
    {
        Instruments.ProjectionStopped();
        _stop.Cancel();
        base.PostStop();
    }

    private void StartStream()
    {
        var journal = PersistenceQuery.Get(Context.System).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);
        var self = Self;
        var ct = _stop.Token;
        journal.EventsByTag(Tags.Reactions, Offset.Sequence(_offset))
            .SelectAsync(1, async envelope =>
            {
                if (envelope.Event is IDomainEvent e)
                {
                    // jdo_consequences_lag_seconds: the age of the event being carried out (the journal's write time).
                    Instruments.ProjectionHandling(envelope.Timestamp);
                    await HandleUntilDone(envelope.PersistenceId, e, ct);
                    Instruments.ProjectionHandling(0);
                }
                return ((Sequence)envelope.Offset).Value;
            })
            .GroupedWithin(256, TimeSpan.FromMilliseconds(100))
            .RunForeach(batch => self.Tell(new Processed(batch.Max())), Context.Materializer())
            .PipeTo(self, success: () => new StreamEnded(null), failure: ex => new StreamEnded(ex));
    }

    /// <summary>Transient failures (a timeout while a node is lost, the journal briefly down) are retried
    /// with backoff for as long as it takes; skipping would lose the consequence.</summary>
    private async Task HandleUntilDone(string persistenceId, IDomainEvent e, CancellationToken ct)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _handler.Handle(persistenceId, e, ct);
                return;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                _log.Warning(ex, "consequence of {0} from {1} failed (attempt {2}); retrying in {3}", e.GetType().Name, persistenceId, attempt, delay);
                await Task.Delay(delay, ct);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
            }
        }
    }

    private sealed record Processed(long Offset) : INoSerializationVerificationNeeded;

    private sealed record StreamEnded(Exception? Cause) : INoSerializationVerificationNeeded;

    private sealed record StartStreaming : INoSerializationVerificationNeeded
    {
        public static readonly StartStreaming Instance = new();
    }
}
