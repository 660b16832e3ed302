using Akka;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using JinanDataOps.Actors.Consequences;
using JinanDataOps.Actors.Entities;
using JinanDataOps.Actors.Hosting;
using JinanDataOps.Actors.Telemetry;
using JinanDataOps.Domain.DataRequests;
using JinanDataOps.Domain.Datasets;
using JinanDataOps.Monitoring.Pipeline;
using JinanDataOps.Monitoring.Sandbox;
using Microsoft.Extensions.Logging;

namespace JinanDataOps.Actors.Monitoring;

public enum IntakeStatus { Recorded, Overloaded, Failed }

/// <summary>What became of a posted batch. Recorded: every part is durable in its lane, with the alerts
/// it raised (<see cref="Raised"/>); <see cref="Duplicates"/> parts were on record already.</summary>
public sealed record IntakeOutcome(IntakeStatus Status, int Events, int Duplicates, IReadOnlyList<AlertsRaised> Raised, string? Problem = null);

/// <summary>The node's ingestion pipeline (Akka.Streams), fed by POST /api/sandbox/events: a bounded queue
/// (full → the caller answers 503, nothing is dropped silently) → the facts each batch's events are judged
/// against, looked up → the batch split by lane → each lane's parts sent in order to the lane entity that
/// owns those operators (<see cref="MonitorLane"/>), lanes in parallel → the batch is answered once every
/// part is durable. Every stage is bounded, so a slow journal slows intake instead of growing memory.</summary>
public sealed class SandboxIntake
{
    public const int Lanes = 16;

    private readonly MonitoringContext _context;
    private readonly EntityGateway _gateway;
    private readonly IActorRef _lanes;
    private readonly TimeSpan _timeout;
    private readonly Pipeline _bulk;
    private readonly Pipeline _express;

    /// <summary>Batches of at most this many events take the express pipeline.</summary>
    public const int ExpressEvents = 64;

    /// <summary>Bulk parts being recorded, over all lanes (<see cref="PlatformOptions.BulkPartsInFlight"/>). Each lane
    /// records one part at a time, so with 16 lanes up to 16 bulk parts — a whole megabyte batch — could sit in the
    /// journal's write queue; a violation's part waits behind its lane's part and then behind all of them, and the
    /// suspension it leads to once more (docs/performance.md, "The closed loop under ingestion"). Express parts never
    /// wait here. The slots go to the oldest batch's parts first (<see cref="OldestFirstSlots"/>).</summary>
    private readonly OldestFirstSlots _bulkParts;

    private readonly ConsequenceHandler _consequences;
    private readonly ILogger _log;

    public SandboxIntake(
        ActorSystem system, IActorRef lanes, MonitoringContext context, EntityGateway gateway, ConsequenceHandler consequences, ILogger<SandboxIntake> log,
        int capacity, TimeSpan timeout, int bulkPartsInFlight = PlatformOptions.DefaultBulkPartsInFlight)
    {
        _bulkParts = new OldestFirstSlots(bulkPartsInFlight);
        _consequences = consequences;
        _log = log;
        _context = context;
        _gateway = gateway;
        _lanes = lanes;
        _timeout = timeout;
        var materializer = system.Materializer();
        // Two pipelines into the same lanes: small batches — a sandbox reporting a single attempt as it
        // happens — do not queue behind megabyte batches, so a violation reaches its lane after at most the
        // part each lane is recording (the lane keeps one bulk part in flight). An operator's events may
        // then reach its windows out of order between the two; windows count late events (SlidingCount).
        _bulk = new Pipeline(Graph(capacity), materializer);
        _express = new Pipeline(Graph(Math.Max(capacity, 256)), materializer);
    }

    private IRunnableGraph<ISourceQueueWithComplete<Intake>> Graph(int capacity) =>
        Source.Queue<Intake>(capacity, OverflowStrategy.DropNew)
            .SelectAsync(2, Enrich)
            .Via(MonitoringGraph.ByPartition<Intake, LanePart, LaneResult>(i => i.Parts, p => p.Lane, Lanes,
                Flow.Create<LanePart>().SelectAsync(1, Record)))
            .To(Sink.ForEach<LaneResult>(r => r.Part.Intake.Complete(r)))
            // Elements are whole batches: small stage buffers keep what a node holds close to its capacity.
            .WithAttributes(Attributes.CreateInputBuffer(1, 4));

    /// <summary>Null while both pipelines run. A materialised graph that has stopped (a failure, the actor system
    /// terminating) is never started again: this node then refuses every batch until the process restarts.</summary>
    public string? Stopped => _express.Stopped("express") ?? _bulk.Stopped("bulk");

    /// <summary>A materialised intake graph and the lock that lets one offer at a time into its queue.</summary>
    private sealed class Pipeline(IRunnableGraph<ISourceQueueWithComplete<Intake>> graph, IMaterializer materializer)
    {
        private readonly ISourceQueueWithComplete<Intake> _queue = graph.Run(materializer);
        private readonly SemaphoreSlim _offering = new(1, 1);

        public string? Stopped(string name)
        {
            // The queue's own completion task: done when the graph behind it has stopped.
            var completion = _queue.WatchCompletionAsync();
            if (!completion.IsCompleted) return null;
            return completion.Exception is { } failed
                ? $"the {name} intake pipeline failed: {failed.GetBaseException().Message}"
                : $"the {name} intake pipeline has stopped";
        }

        public async Task<IQueueOfferResult> Offer(Intake intake, CancellationToken ct)
        {
            await _offering.WaitAsync(ct);
            try
            {
                return await _queue.OfferAsync(intake);
            }
            finally
            {
                _offering.Release();
            }
        }
    }

    /// <summary>Takes the batch into the pipeline and waits until it is recorded (or refused, or the
    /// wait runs out: then it may still be recorded, and the sandbox sends it again with the same id).</summary>
    /// <summary>Takes a batch: durable in its lanes when this answers Recorded, and the closed loop (Art. 15) started at
    /// once for every acting alert — the request suspended first, by policy the agreement, the incident opened — not
    /// awaited, so the sandbox's answer does not wait on it. The events are durable already, so if this node dies
    /// meanwhile the consequence projection does it instead.</summary>
    public async Task<IntakeOutcome> Take(SandboxBatch batch, CancellationToken ct)
    {
        var outcome = await Offer(batch, ct);
        if (outcome.Status == IntakeStatus.Recorded)
            foreach (var raised in outcome.Raised.Where(r => r.Acting.Count > 0))
                _ = React(raised);
        return outcome;
    }

    private async Task React(AlertsRaised raised)
    {
        try
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            await Task.Yield(); // off the caller's path: the 202 goes out first
            await _consequences.Handle(MonitorLane.Kind, raised, CancellationToken.None);
            Instruments.ClosedLoopRan(System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
        catch (Exception ex)
        {
            _log.LogWarning(ex, "suspension for batch {Batch} not done at once; the consequence projection will do it", raised.BatchId);
        }
    }

    public async Task<IntakeOutcome> Offer(SandboxBatch batch, CancellationToken ct)
    {
        var outcome = await Admit(batch, ct);
        Instruments.SandboxBatch(outcome.Status switch
        {
            IntakeStatus.Recorded => Instruments.Intake.Recorded,
            IntakeStatus.Overloaded => Instruments.Intake.Overloaded,
            _ => Instruments.Intake.Failed,
        }, outcome.Events);
        return outcome;
    }

    private async Task<IntakeOutcome> Admit(SandboxBatch batch, CancellationToken ct)
    {
        var express = batch.Events.Count <= ExpressEvents;
        var intake = new Intake(batch, express ? Instruments.Intake.Express : Instruments.Intake.Bulk);
        var offered = await (express ? _express : _bulk).Offer(intake, ct);
        if (offered is QueueOfferResult.Dropped) return new IntakeOutcome(IntakeStatus.Overloaded, batch.Events.Count, 0, [], "the monitoring pipeline is full");
        if (offered is not QueueOfferResult.Enqueued) return new IntakeOutcome(IntakeStatus.Failed, batch.Events.Count, 0, [], "the monitoring pipeline is not running");
        // In the intake until answered — by its lanes or by a failure — even when this caller stops waiting first.
        Instruments.EnteredIntake(intake.Pipeline);
        _ = intake.Done.Task.ContinueWith(static (_, pipeline) => Instruments.LeftIntake((string)pipeline!), intake.Pipeline,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            return await intake.Done.Task.WaitAsync(_timeout, ct);
        }
        catch (TimeoutException)
        {
            return new IntakeOutcome(IntakeStatus.Failed, batch.Events.Count, 0, [], $"the batch was not confirmed within {_timeout.TotalSeconds:0} s");
        }
    }

    /// <summary>The facts for the batch: what each named request allows and which fields of each dataset
    /// are sensitive, from this node's view, or from the entities themselves where the view does not
    /// know them (yet).</summary>
    private async Task<Intake> Enrich(Intake intake)
    {
        try
        {
            var events = intake.Batch.Events;
            var requests = new Dictionary<string, RequestContext>(StringComparer.Ordinal);
            foreach (var id in events.Select(e => e.DataRequestId).Distinct(StringComparer.Ordinal))
            {
                // A request the view knows as provisioned is judged by the view (the common case, no ask). Anything
                // else is asked of the request itself: the view may lag a provisioning that has just happened, and a
                // lagging "not provisioned" would be a critical alert — a suspension — for an innocent operator.
                if (_context.Request(id) is { Provisioned: true } known) requests[id] = known;
                else if (await _gateway.Get<DataRequest, DataRequestState>(id) is { } state) requests[id] = MonitoringView.ContextOf(state);
            }
            var sensitive = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            foreach (var id in events.Select(e => e.Dataset).Distinct(StringComparer.Ordinal))
            {
                if (_context.KnowsDataset(id)) sensitive[id] = [.. _context.SensitiveFields(id)];
                else if (await _gateway.Get<Dataset, DatasetState>(id) is { } dataset) sensitive[id] = MonitoringView.SensitiveOf(dataset);
            }
            intake.Parts = events.GroupBy(e => MonitoringGraph.PartitionOf(e.OperatorId, Lanes)).Select(g =>
            {
                var part = g.ToArray();
                return new LanePart(intake, g.Key, new RecordActivity($"lane-{g.Key:D2}", intake.Batch.BatchId, part,
                    part.Select(e => e.DataRequestId).Distinct(StringComparer.Ordinal).Where(requests.ContainsKey).Select(id => requests[id]).ToArray(),
                    part.Select(e => e.Dataset).Distinct(StringComparer.Ordinal).Where(sensitive.ContainsKey).ToDictionary(id => id, id => sensitive[id], StringComparer.Ordinal)));
            }).ToArray();
            intake.Expect(intake.Parts.Count);
        }
        catch (Exception ex)
        {
            intake.Parts = [];
            intake.Fail($"the batch's requests and datasets could not be looked up: {ex.Message}");
        }
        return intake;
    }

    private async Task<LaneResult> Record(LanePart part)
    {
        var bulk = part.Intake.Pipeline == Instruments.Intake.Bulk;
        if (bulk) await _bulkParts.Take(part.Intake.Enqueued);
        // The lane lag: how long the batch waited in the queue, behind the lane's previous parts and for a bulk slot.
        Instruments.WaitedForLane(part.Intake.Pipeline, System.Diagnostics.Stopwatch.GetElapsedTime(part.Intake.Enqueued));
        try
        {
            var handed = System.Diagnostics.Stopwatch.GetTimestamp();
            var recorded = await _lanes.Ask<ActivityRecorded>(part.Message, _timeout);
            Instruments.RecordedByLane(part.Intake.Pipeline, System.Diagnostics.Stopwatch.GetElapsedTime(handed));
            return new LaneResult(part, recorded, null);
        }
        catch (Exception ex)
        {
            return new LaneResult(part, null, $"{part.Message.EntityId} did not confirm the batch: {ex.Message}");
        }
        finally
        {
            if (bulk) _bulkParts.Release();
        }
    }

    private sealed record LanePart(Intake Intake, int Lane, RecordActivity Message);

    private sealed record LaneResult(LanePart Part, ActivityRecorded? Recorded, string? Problem);

    private sealed class Intake(SandboxBatch batch, string pipeline)
    {
        /// <summary>Which pipeline took it (<see cref="Instruments.Intake"/>), and when it was offered (Stopwatch timestamp).</summary>
        public string Pipeline { get; } = pipeline;

        public long Enqueued { get; } = System.Diagnostics.Stopwatch.GetTimestamp();

        private readonly Lock _gate = new();
        private readonly List<AlertsRaised> _raised = [];
        private int _remaining;
        private int _duplicates;
        private string? _problem;

        public SandboxBatch Batch { get; } = batch;

        public IReadOnlyList<LanePart> Parts { get; set; } = [];

        public TaskCompletionSource<IntakeOutcome> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Expect(int parts) => _remaining = parts;

        public void Fail(string problem) => Done.TrySetResult(new IntakeOutcome(IntakeStatus.Failed, Batch.Events.Count, 0, [], problem));

        public void Complete(LaneResult result)
        {
            lock (_gate)
            {
                if (result.Recorded is { } r)
                {
                    if (r.Duplicate) _duplicates++;
                    if (r.Raised is { } raised) _raised.Add(raised);
                }
                else _problem ??= result.Problem;
                if (--_remaining > 0) return;
            }
            Done.TrySetResult(_problem is null
                ? new IntakeOutcome(IntakeStatus.Recorded, Batch.Events.Count, _duplicates, _raised)
                : new IntakeOutcome(IntakeStatus.Failed, Batch.Events.Count, _duplicates, _raised, _problem));
        }
    }
}
