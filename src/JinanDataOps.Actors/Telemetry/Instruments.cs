using System.Diagnostics;
using System.Diagnostics.Metrics;
using Akka.Cluster;
using JinanDataOps.Domain.Common;
using JinanDataOps.Monitoring.Rules;

namespace JinanDataOps.Actors.Telemetry;

/// <summary>Every metric and the trace source of the platform (issue 13; docs/metrics.md lists them with their Prometheus
/// names). The host exports the meter and the source named <see cref="Name"/> through OpenTelemetry; with no listener an
/// instrument call costs a check and nothing else, so the actors record unconditionally. Hot-path calls take their tags as
/// a <see cref="TagList"/> of constant strings: no allocation per call.
/// <para>Metrics are per node by nature (Prometheus scrapes every node and sums): counters are recorded where the work is
/// done — the command where it is asked, the write where it is made, the alert by the lane that recorded it — never where
/// a read model merely sees it, so a sum over nodes counts each thing once.</para></summary>
public static class Instruments
{
    public const string Name = "JinanDataOps";

    public static readonly Meter Meter = new(Name);

    /// <summary>Spans from the HTTP request (ASP.NET Core's own) through the entity ask to the journal write.</summary>
    public static readonly ActivitySource Source = new(Name);

    /// <summary>Labels, as constants: a label value is one of these or a name from a fixed set (aggregate kinds, rules).</summary>
    public static class Outcome
    {
        public const string Accepted = "accepted";
        public const string Rejected = "rejected";
        /// <summary>The entity decided but the journal did not record the events (CommandNotRecorded).</summary>
        public const string NotRecorded = "not-recorded";
        /// <summary>Refused before asking: the journal's database is known to be down (Degradation).</summary>
        public const string Unavailable = "unavailable";
        /// <summary>No answer within the ask timeout (node lost, journal slow).</summary>
        public const string Timeout = "timeout";
        /// <summary>The caller went away (the request was aborted) before the answer.</summary>
        public const string Cancelled = "cancelled";
    }

    private static readonly Counter<long> Commands = Meter.CreateCounter<long>(
        "jdo.commands", "{command}", "Commands asked of the entities by this node, by aggregate and outcome (and the rejection's code).");

    /// <summary>A command's outcome as the gateway saw it.</summary>
    public static void Command(string aggregate, string outcome) =>
        Commands.Add(1, new TagList { { "aggregate", aggregate }, { "outcome", outcome } });

    /// <summary>A refused command, with the code the API answers it with (API.md "Errors").</summary>
    public static void Command(string aggregate, RejectionKind rejection) =>
        Commands.Add(1, new TagList { { "aggregate", aggregate }, { "outcome", Outcome.Rejected }, { "code", CodeOf(rejection) } });

    /// <summary>The problem code of a rejection kind, as API.md names it.</summary>
    public static string CodeOf(RejectionKind kind) => kind switch
    {
        RejectionKind.Validation => "validation-failed",
        RejectionKind.Forbidden => "forbidden",
        RejectionKind.NotFound => "not-found",
        RejectionKind.InvalidTransition => "invalid-transition",
        RejectionKind.RuleViolation => "rule-violation",
        _ => "other",
    };

    /// <summary>Bucket bounds for journal writes, in seconds: a single SQLite commit is ~1 ms, a loaded PostgreSQL tens of
    /// ms, and anything past a few seconds is an outage (the ask times out at 10 s).</summary>
    private static readonly double[] WriteBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private static readonly Histogram<double> PersistDuration = Meter.CreateHistogram(
        "jdo.persist.duration", "s", "Time from handing a command's events to the journal until they are durable, by aggregate.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = WriteBuckets });

    public static void Persisted(string aggregate, TimeSpan took) =>
        PersistDuration.Record(took.TotalSeconds, new TagList { { "aggregate", aggregate } });

    public static class JournalError
    {
        public const string PersistFailure = "persist-failure";
        public const string PersistRejected = "persist-rejected";
        public const string RecoveryFailure = "recovery-failure";
    }

    private static readonly Counter<long> JournalErrors = Meter.CreateCounter<long>(
        "jdo.journal.errors", "{error}", "Journal failures seen by entities hosted on this node: writes that failed or were refused, recoveries that failed.");

    public static void JournalFailed(string aggregate, string kind) =>
        JournalErrors.Add(1, new TagList { { "aggregate", aggregate }, { "kind", kind } });

    // --- sandbox monitoring ---

    public static class Intake
    {
        public const string Recorded = "recorded";
        public const string Overloaded = "overloaded";
        public const string Failed = "failed";
        public const string Express = "express";
        public const string Bulk = "bulk";
    }

    private static readonly Counter<long> SandboxEvents = Meter.CreateCounter<long>(
        "jdo.sandbox.events", "{event}", "Sandbox events taken by this node's intake, by outcome: rate() of the recorded ones is events/s.");

    public static void SandboxBatch(string outcome, int events) =>
        SandboxEvents.Add(events, new TagList { { "outcome", outcome } });

    private static readonly Histogram<double> LaneWait = Meter.CreateHistogram(
        "jdo.sandbox.lane.wait", "s", "Time a batch waits in this node's intake before its part is handed to its monitoring lane, by pipeline.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = WriteBuckets });

    public static void WaitedForLane(string pipeline, TimeSpan waited) =>
        LaneWait.Record(waited.TotalSeconds, new TagList { { "pipeline", pipeline } });

    private static readonly Histogram<double> LaneRecord = Meter.CreateHistogram(
        "jdo.sandbox.lane.record", "s", "Time from handing a batch part to its monitoring lane until the lane confirms it durable and judged (waiting behind the lane's previous part included), by pipeline.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = WriteBuckets });

    public static void RecordedByLane(string pipeline, TimeSpan took) =>
        LaneRecord.Record(took.TotalSeconds, new TagList { { "pipeline", pipeline } });

    private static readonly Histogram<double> ClosedLoop = Meter.CreateHistogram(
        "jdo.sandbox.closed_loop", "s", "Time from a batch being recorded with acting alerts until the closed loop run at once (Art. 15) has its commands answered — the request suspended, by policy the agreement, the incident opened — on the node that took the batch.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = WriteBuckets });

    public static void ClosedLoopRan(TimeSpan took) => ClosedLoop.Record(took.TotalSeconds);

    private static long _expressInFlight;
    private static long _bulkInFlight;

    /// <summary>A batch entered the intake's queue of <paramref name="pipeline"/>; <see cref="LeftIntake"/> when it is answered.</summary>
    public static void EnteredIntake(string pipeline) =>
        Interlocked.Increment(ref pipeline == Intake.Express ? ref _expressInFlight : ref _bulkInFlight);

    public static void LeftIntake(string pipeline) =>
        Interlocked.Decrement(ref pipeline == Intake.Express ? ref _expressInFlight : ref _bulkInFlight);

    private static readonly ObservableGauge<long> IntakeInFlight = Meter.CreateObservableGauge(
        "jdo.sandbox.intake.in_flight",
        () => new[]
        {
            new Measurement<long>(Interlocked.Read(ref _expressInFlight), new KeyValuePair<string, object?>("pipeline", Intake.Express)),
            new Measurement<long>(Interlocked.Read(ref _bulkInFlight), new KeyValuePair<string, object?>("pipeline", Intake.Bulk)),
        },
        "{batch}", "Batches in this node's intake (queued or being recorded) and not yet answered, by pipeline.");

    private static readonly Counter<long> Alerts = Meter.CreateCounter<long>(
        "jdo.alerts", "{alert}", "Alerts raised (new, or escalated to critical) by the monitoring lanes on this node, by rule and severity.");

    public static void AlertRaised(string rule, Severity severity) =>
        Alerts.Add(1, new TagList { { "rule", rule }, { "severity", SeverityName(severity) } });

    private static string SeverityName(Severity severity) => severity switch
    {
        Severity.Info => "info",
        Severity.Warning => "warning",
        Severity.Critical => "critical",
        _ => "unknown",
    };

    // --- entities, cluster, projection: observed when scraped ---

    /// <summary>The live entity actors of one region on this node, kept by the entities themselves (PreStart/PostStop).</summary>
    public sealed class LiveCount
    {
        private long _value;

        public long Value => Interlocked.Read(ref _value);

        public void Started() => Interlocked.Increment(ref _value);

        public void Stopped() => Interlocked.Decrement(ref _value);
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, LiveCount> Live = new(StringComparer.Ordinal);

    /// <summary>The count of one region's live entities; each entity type holds its own in a static field.</summary>
    public static LiveCount LiveEntities(string region) => Live.GetOrAdd(region, _ => new LiveCount());

    private static readonly ObservableGauge<long> ActiveEntities = Meter.CreateObservableGauge(
        "jdo.entities.active",
        () => Live.Select(kv => new Measurement<long>(kv.Value.Value, new KeyValuePair<string, object?>("region", kv.Key))),
        "{entity}", "Entity actors alive on this node, by region (shard region = aggregate kind, or monitor-lane).");

    private static Cluster? _cluster;

    /// <summary>This node's actor system's cluster, whose view <c>jdo_cluster_members</c> reports (one actor system per host
    /// process; released when the system terminates).</summary>
    public static void ObserveCluster(Cluster cluster)
    {
        _cluster = cluster;
        cluster.System.WhenTerminated.ContinueWith(_ => Interlocked.CompareExchange(ref _cluster, null, cluster), TaskScheduler.Default);
    }

    private static readonly MemberStatus[] Statuses = Enum.GetValues<MemberStatus>();

    private static readonly string[] StatusNames = Statuses.Select(s => Kebab.Of(s)).ToArray();

    private static readonly ObservableGauge<long> ClusterMembers = Meter.CreateObservableGauge(
        "jdo.cluster.members", ObserveMembers, "{member}",
        "Cluster members by status as this node sees them (every status is reported, 0 when none), and those it cannot reach (status=\"unreachable\").");

    private static IEnumerable<Measurement<long>> ObserveMembers()
    {
        if (_cluster is not { } cluster) return [];
        var state = cluster.State;
        var counts = new long[Statuses.Length];
        foreach (var member in state.Members) counts[Array.IndexOf(Statuses, member.Status)]++;
        var result = new Measurement<long>[Statuses.Length + 1];
        for (var i = 0; i < Statuses.Length; i++) result[i] = new Measurement<long>(counts[i], new KeyValuePair<string, object?>("status", StatusNames[i]));
        result[^1] = new Measurement<long>(state.Unreachable.Count, new KeyValuePair<string, object?>("status", "unreachable"));
        return result;
    }

    /// <summary>The journal timestamp (UTC ticks) of the event the consequence projection is handling, 0 when it is idle.</summary>
    private static long _projectionHandling;
    /// <summary>Whether the projection (a cluster singleton) runs on this node at all.</summary>
    private static int _projectionRunning;

    public static void ProjectionStarted() => Volatile.Write(ref _projectionRunning, 1);

    public static void ProjectionStopped()
    {
        Volatile.Write(ref _projectionRunning, 0);
        Volatile.Write(ref _projectionHandling, 0);
    }

    /// <summary>The projection starts on an event written at <paramref name="writtenTicks"/> (UTC ticks); 0 once it is done.</summary>
    public static void ProjectionHandling(long writtenTicks) => Volatile.Write(ref _projectionHandling, writtenTicks);

    private static readonly ObservableGauge<double> ProjectionLag = Meter.CreateObservableGauge(
        "jdo.consequences.lag", ObserveProjectionLag, "s",
        "How long ago the event the consequence projection is carrying out was written (0 while it has caught up); only the node running the projection reports it.");

    private static IEnumerable<Measurement<double>> ObserveProjectionLag()
    {
        if (Volatile.Read(ref _projectionRunning) == 0) return [];
        var handling = Volatile.Read(ref _projectionHandling);
        var lag = handling == 0 ? 0 : Math.Max(0, (DateTime.UtcNow.Ticks - handling) / (double)TimeSpan.TicksPerSecond);
        return [new Measurement<double>(lag)];
    }
}
