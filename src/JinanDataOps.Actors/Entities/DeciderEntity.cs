using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using Akka.Persistence.Journal;
using System.Diagnostics;
using JinanDataOps.Actors.Protocol;
using JinanDataOps.Actors.Telemetry;
using JinanDataOps.Domain.Common;

namespace JinanDataOps.Actors.Entities;

/// <summary>The thin persistent shell around one aggregate's decider (STYLE.md "Entity shape"):
/// recover → decide → persist → evolve → reply after the write is durable → snapshot every N events →
/// passivate when idle. Deadlines are derived from state, so they are re-armed after every recovery
/// and fire at once when already overdue.</summary>
public sealed class DeciderEntity<TDecider, TState, TCommand, TEvent> : ReceivePersistentActor, IWithTimers
    where TDecider : IDecider<TState, TCommand, TEvent>
    where TState : class
    where TCommand : ICommand
    where TEvent : IDomainEvent
{
    /// <summary>This kind's live entities on this node (jdo_entities_active), one counter per closed generic type.</summary>
    private static readonly Instruments.LiveCount Live = Instruments.LiveEntities(TDecider.Kind);
    private static readonly string PersistSpan = "persist " + TDecider.Kind;

    private readonly string _entityId;
    private readonly TimeProvider _clock;
    private readonly EntitySettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private TState _state;
    private int _sinceSnapshot;
    private readonly int _snapshotThreshold;
    /// <summary>Who waits for the command being written (PersistAll holds every other message back meanwhile).</summary>
    private IActorRef? _awaitingWrite;
    /// <summary>The span of the write in progress, when the command came with a trace.</summary>
    private Activity? _writing;

    public DeciderEntity(string entityId, TimeProvider clock, EntitySettings settings)
    {
        _entityId = entityId;
        _clock = clock;
        _settings = settings;
        _state = TDecider.Initial(entityId);
        PersistenceId = PersistenceIdFor(entityId);
        _snapshotThreshold = settings.SnapshotThresholdFor(PersistenceId);

        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is TState snapshot) _state = snapshot;
        });
        Recover<TEvent>(e => { _state = TDecider.Evolve(_state, e); _sinceSnapshot++; }); // replayed events count towards the next snapshot too
        Recover<RecoveryCompleted>(_ =>
        {
            ArmDeadlines();
            Context.SetReceiveTimeout(_settings.PassivateAfter);
        });

        Command<Execute>(m =>
        {
            if (m.Command is TCommand command) Handle(command, Sender, m.TraceParent);
            else Sender.Tell(new CommandRejected(Rejection.Validation($"{m.Command.GetType().Name} is not a {TDecider.Kind} command")));
        });
        Command<GetState>(_ => Sender.Tell(new CurrentState(_state, TDecider.Exists(_state))));
        Command<DeadlineDue>(OnDeadline);
        Command<ReceiveTimeout>(_ => PassivateIfIdle());
        Command<SaveSnapshotSuccess>(s => DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(f => _log.Warning(f.Cause, "snapshot of {0} failed; recovery replays more events", PersistenceId));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(f => _log.Warning(f.Cause, "old snapshots of {0} were not deleted", PersistenceId));
        Command<Idle>(_ => Context.Stop(Self));
    }

    public static string PersistenceIdFor(string entityId) => PersistenceIds.For(TDecider.Kind, entityId);

    public override string PersistenceId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        Live.Started();
        base.PreStart();
    }

    protected override void PostStop()
    {
        Live.Stopped();
        base.PostStop();
    }

    private void Handle(TCommand command, IActorRef replyTo, string? traceParent = null)
    {
        var decision = TDecider.Decide(_state, command, _clock.GetUtcNow());
        if (decision.Rejection is { } rejection)
        {
            replyTo.Reply(new CommandRejected(rejection), Self);
            return;
        }
        if (decision.Events.Count == 0)
        {
            replyTo.Reply(new CommandAccepted(_state, []), Self);
            return;
        }
        _awaitingWrite = replyTo;
        var tagged = decision.Events.Select(e => Tags.For(TDecider.Kind, e) is { Length: > 0 } tags ? new Tagged(e, tags) : (object)e).ToArray();
        var pending = tagged.Length;
        var started = Stopwatch.GetTimestamp();
        // The journal write as a span of the caller's trace: its context came with the command (Execute.TraceParent),
        // across threads and nodes. Null — no allocation — unless tracing is on (Telemetry:OtlpEndpoint) and sampled.
        var outer = Activity.Current;
        var span = traceParent is null ? null : Instruments.Source.StartActivity(PersistSpan, ActivityKind.Internal, traceParent);
        span?.SetTag("jdo.aggregate", TDecider.Kind);
        span?.SetTag("jdo.entity_id", _entityId);
        span?.SetTag("jdo.events", tagged.Length);
        // The span is ended by the last handler or by a failed write; Activity.Current must not leak into the actor's
        // thread, so it is restored at once (the handlers run later, on whichever thread the next message takes).
        if (span is not null) Activity.Current = outer;
        _writing = span;
        // The handlers run once the whole batch is durable; the caller is told in the last one — never before the
        // write, and before any other message (PersistAll holds them back until then: an idle timeout that fired
        // meanwhile cannot passivate the entity ahead of its answer).
        PersistAll(tagged, t =>
        {
            _state = TDecider.Evolve(_state, (TEvent)(t is Tagged tagged ? tagged.Payload : t));
            _sinceSnapshot++;
            if (--pending > 0) return;
            Instruments.Persisted(TDecider.Kind, Stopwatch.GetElapsedTime(started));
            _writing?.Dispose();
            _writing = null;
            _awaitingWrite = null;
            replyTo.Reply(new CommandAccepted(_state, decision.Events.Cast<IDomainEvent>().ToArray()), Self);
            if (_sinceSnapshot >= _snapshotThreshold)
            {
                _sinceSnapshot = 0;
                SaveSnapshot(_state);
            }
            ArmDeadlines();
        });
    }

    /// <summary>The write failed: the caller learns at once that nothing was recorded (instead of waiting out its ask),
    /// then the entity stops as Akka.Persistence has it stop, and comes back from the journal.</summary>
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        WriteNotRecorded("did not record", cause, Instruments.JournalError.PersistFailure);
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        WriteNotRecorded("refused", cause, Instruments.JournalError.PersistRejected);
        base.OnPersistRejected(cause, @event, sequenceNr);
    }

    private void WriteNotRecorded(string what, Exception cause, string error)
    {
        _awaitingWrite?.Reply(new CommandNotRecorded($"the journal {what} the events ({cause.GetType().Name}: {cause.Message})"), Self);
        _awaitingWrite = null;
        Instruments.JournalFailed(TDecider.Kind, error);
        EndWrite(cause);
    }

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        Instruments.JournalFailed(TDecider.Kind, Instruments.JournalError.RecoveryFailure);
        base.OnRecoveryFailure(reason, message);
    }

    private void EndWrite(Exception cause)
    {
        _writing?.SetStatus(ActivityStatusCode.Error, cause.Message);
        _writing?.Dispose();
        _writing = null;
    }

    private void ArmDeadlines()
    {
        Timers.CancelAll();
        var now = _clock.GetUtcNow();
        foreach (var deadline in TDecider.Deadlines(_state))
        {
            var delay = deadline.Due - now;
            if (delay <= TimeSpan.Zero) Self.Tell(new DeadlineDue(deadline.Name));
            else Timers.StartSingleTimer(deadline.Name, new DeadlineDue(deadline.Name), delay < _settings.LongestTimer ? delay : _settings.LongestTimer);
        }
    }

    private void OnDeadline(DeadlineDue due)
    {
        var deadline = TDecider.Deadlines(_state).FirstOrDefault(d => d.Name == due.Name);
        if (deadline is null) return; // the state moved on; nothing is due any more
        if (deadline.Due > _clock.GetUtcNow())
        {
            ArmDeadlines(); // a long timer re-checking, or a clock that runs behind the scheduler
            return;
        }
        Handle(deadline.Command, ActorRefs.Nobody);
    }

    /// <summary>An entity with a deadline stays up (its shard remembers it, so it is restarted after a
    /// crash or a rebalance); one without passivates and is recovered from the journal on demand.</summary>
    private void PassivateIfIdle()
    {
        if (TDecider.Deadlines(_state).Count > 0) return;
        Context.SetReceiveTimeout(null);
        Context.Parent.Tell(new Passivate(Idle.Instance));
    }
}
