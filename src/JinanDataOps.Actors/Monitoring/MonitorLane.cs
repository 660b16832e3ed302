using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Akka.Persistence.Journal;
using System.Diagnostics;
using JinanDataOps.Actors.Entities;
using JinanDataOps.Actors.Telemetry;
using JinanDataOps.Domain.Common;
using JinanDataOps.Monitoring.Rules;
using JinanDataOps.Monitoring.Sandbox;

namespace JinanDataOps.Actors.Monitoring;

/// <summary>One lane of sandbox monitoring: a sharded persistent entity that owns the operators whose ids
/// hash to it (<see cref="LaneOf"/>), so each operator's windows and baseline live in exactly one place in
/// the cluster and lanes spread over the nodes. For each part of a batch it persists the events (the
/// activity log) together with the alerts they raise, in one atomic write, and only then answers —
/// a 202 to the sandbox means both are durable. Recovery judges the recorded events again to rebuild the
/// windows (the facts they were judged against are recorded with them); a snapshot every
/// <see cref="SnapshotEvery"/> parts keeps that short.</summary>
public sealed class MonitorLane : ReceivePersistentActor
{
    public const string Kind = "monitor-lane";
    public const int SnapshotEvery = 100;
    public const int RememberedBatches = 10_000;

    private static readonly Instruments.LiveCount Live = Instruments.LiveEntities(Kind);

    private readonly RuleEngine _engine;
    private readonly Func<MonitoringRules> _rules;
    private readonly TimeProvider _clock;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Queue<string> _recentOrder = new();
    private readonly HashSet<string> _recent = new(StringComparer.Ordinal);
    private int _sinceSnapshot;

    private readonly Action<AlertsRaised>? _acting;

    /// <param name="acting">Called with the alerts of a part the closed loop will act on, once judged and before its write
    /// (<see cref="ClosedLoopWarmUp"/>).</param>
    public MonitorLane(string laneId, Func<MonitoringRules> rules, TimeProvider clock, Action<AlertsRaised>? acting = null)
    {
        _acting = acting;
        _rules = rules;
        _clock = clock;
        _engine = new RuleEngine(rules);
        PersistenceId = PersistenceIds.For(Kind, laneId);

        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is not LaneSnapshot snapshot) return;
            _engine.Restore(snapshot.Monitors);
            foreach (var id in snapshot.RecentBatches) Remember(id);
        });
        // The windows are rebuilt by judging the events again; their alerts were recorded with them.
        Recover<BatchRecorded>(e =>
        {
            Remember(e.BatchId);
            Judge(e);
            _sinceSnapshot++;
        });
        Recover<AlertsRaised>(_ => { });

        Command<RecordActivity>(Record);
        Command<SaveSnapshotSuccess>(s => DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(f => _log.Warning(f.Cause, "snapshot of {0} failed; recovery judges more events again", PersistenceId));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(f => _log.Warning(f.Cause, "old snapshots of {0} were not deleted", PersistenceId));
    }

    public override string PersistenceId { get; }

    /// <summary>The lane that owns an operator: a stable hash, the same on every node.</summary>
    public static string LaneOf(string operatorId, int lanes) => $"lane-{JinanDataOps.Monitoring.Pipeline.MonitoringGraph.PartitionOf(operatorId, lanes):D2}";

    private void Record(RecordActivity m)
    {
        if (_recent.Contains(m.BatchId))
        {
            // The sandbox sent the batch again (a retry after a lost answer): it is on record already.
            Sender.Tell(new ActivityRecorded(m.BatchId, m.Events.Count, Duplicate: true, Raised: null));
            return;
        }
        var recorded = new BatchRecorded(m.BatchId, _clock.GetUtcNow(), m.Events, m.Requests, m.SensitiveFields);
        // Judged before the write: if the write fails the lane stops and recovers from the journal, which
        // does not have this batch, so nothing judged here survives the failure.
        var fresh = new List<Alert>();
        var raised = Judge(recorded, fresh);
        if (raised is { Acting.Count: > 0 }) _acting?.Invoke(raised);
        var replyTo = Sender;
        var started = Stopwatch.GetTimestamp();
        object[] events = raised is null ? [recorded] : [recorded, new Tagged(raised, Tags.ForAlerts(raised))];
        PersistAll(events, _ => { });
        DeferAsync(recorded, e =>
        {
            Instruments.Persisted(Kind, Stopwatch.GetElapsedTime(started));
            // Counted once durable, here on the lane's node only (every node's view also sees the alerts, from the journal).
            foreach (var alert in fresh) Instruments.AlertRaised(alert.Rule, alert.Severity);
            Remember(e.BatchId);
            replyTo.Tell(new ActivityRecorded(e.BatchId, e.Events.Count, Duplicate: false, raised));
            if (++_sinceSnapshot >= SnapshotEvery)
            {
                _sinceSnapshot = 0;
                SaveSnapshot(new LaneSnapshot(_engine.Export(), [.. _recentOrder]));
            }
        });
    }

    /// <summary>Judges the recorded events against the facts recorded with them; the alerts they raised or
    /// counted, or null. <paramref name="fresh"/>, when given, receives the alerts that are new or became critical (the
    /// ones jdo_alerts_total counts), each once, as it stands after the batch.</summary>
    private AlertsRaised? Judge(BatchRecorded batch, List<Alert>? fresh = null)
    {
        var requests = batch.Requests.ToDictionary(r => r.RequestId, StringComparer.Ordinal);
        var sensitive = batch.SensitiveFields.ToDictionary(kv => kv.Key, kv => (IReadOnlySet<string>)kv.Value.ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        IReadOnlySet<string> none = new HashSet<string>();
        var enriched = new EnrichedEvent[batch.Events.Count];
        for (var i = 0; i < enriched.Length; i++)
        {
            var e = batch.Events[i];
            enriched[i] = new EnrichedEvent(e, requests.GetValueOrDefault(e.DataRequestId), sensitive.GetValueOrDefault(e.Dataset) ?? none);
        }
        var changes = _engine.Evaluate(enriched);
        if (changes.Count == 0) return null;
        // One entry per alert, as it stands after the batch; the closed loop acts once per alert.
        var latest = new Dictionary<string, Alert>(StringComparer.Ordinal);
        foreach (var change in changes) latest[change.Alert.Id] = change.Alert;
        fresh?.AddRange(changes.Where(c => c.IsNew || c.BecameCritical).Select(c => c.Alert.Id).Distinct(StringComparer.Ordinal).Select(id => latest[id]));
        var acting = changes.Where(c => c.Acts).Select(c => c.Alert.Id).Distinct(StringComparer.Ordinal).ToArray();
        var rules = _rules();
        return new AlertsRaised(Caller.Platform, batch.At, batch.BatchId, [.. latest.Values], acting, rules.SuspendAgreementOnCritical, rules.RectificationPeriod);
    }

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

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        Instruments.JournalFailed(Kind, Instruments.JournalError.PersistFailure);
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        Instruments.JournalFailed(Kind, Instruments.JournalError.PersistRejected);
        base.OnPersistRejected(cause, @event, sequenceNr);
    }

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        Instruments.JournalFailed(Kind, Instruments.JournalError.RecoveryFailure);
        base.OnRecoveryFailure(reason, message);
    }

    private void Remember(string batchId)
    {
        if (!_recent.Add(batchId)) return;
        _recentOrder.Enqueue(batchId);
        if (_recentOrder.Count > RememberedBatches) _recent.Remove(_recentOrder.Dequeue());
    }
}
