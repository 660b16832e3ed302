using Akka;
using Akka.Streams.Dsl;
using JinanDataOps.Monitoring.Sandbox;
using JinanDataOps.Monitoring.Rules;

namespace JinanDataOps.Monitoring.Pipeline;

/// <summary>Part of a batch: the events of the operators that one partition owns, in their order.</summary>
public sealed record PartitionBatch(string BatchId, int Partition, IReadOnlyList<SandboxEvent> Events);

/// <summary>What a partition made of its part of a batch: how many events it judged and the alert
/// changes they caused.</summary>
public sealed record Evaluated(string BatchId, int Partition, int Events, IReadOnlyList<AlertChange> Changes);

/// <summary>The rule evaluation as an Akka.Streams graph. Batches are split by operator into
/// <c>partitions</c> sub-streams; each has its own <see cref="RuleEngine"/> behind an asynchronous
/// boundary, so partitions run in parallel, while all of one operator's events pass through one engine in
/// order — its windows see everything. Elements are batches, not single events: the per-element cost of
/// the stream is paid once per batch part. Every buffer is the stream's own bounded one, so a slow
/// consumer slows the producer (backpressure) instead of growing memory.</summary>
public static class MonitoringGraph
{
    public static Flow<SandboxBatch, Evaluated, NotUsed> Evaluate(IMonitoringContext context, Func<MonitoringRules> rules, int partitions) =>
        ByPartition<SandboxBatch, PartitionBatch, Evaluated>(batch => Split(batch, partitions), part => part.Partition, partitions,
            // Materialised once per sub-stream: each partition gets its own engine.
            Flow.Create<PartitionBatch>().StatefulSelectMany<PartitionBatch, PartitionBatch, Evaluated, NotUsed>(() =>
            {
                var engine = new RuleEngine(rules);
                return part => [Judge(engine, context, part)];
            }));

    /// <summary>The shape every monitoring graph shares: split each element into parts, send each part to
    /// its partition's sub-stream (in order), run <paramref name="perPartition"/> there behind an
    /// asynchronous boundary, and merge what comes out. The judging may be local (an engine per
    /// sub-stream) or elsewhere (the sharded entity that owns the partition's operators).</summary>
    public static Flow<TIn, TOut, NotUsed> ByPartition<TIn, TPart, TOut>(
        Func<TIn, IEnumerable<TPart>> split, Func<TPart, int> partitionOf, int partitions, Flow<TPart, TOut, NotUsed> perPartition)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        var byPartition = Flow.Create<TIn>().SelectMany(split).GroupBy(partitions, partitionOf);
        var judged = (SubFlow<TOut, NotUsed, Sink<TIn, NotUsed>>)byPartition.Via(perPartition.Async());
        return (Flow<TIn, TOut, NotUsed>)judged.MergeSubstreams();
    }

    /// <summary>One partition's work on its part: enrich each event, then judge them in order.</summary>
    public static Evaluated Judge(RuleEngine engine, IMonitoringContext context, PartitionBatch part)
    {
        var enriched = new EnrichedEvent[part.Events.Count];
        for (var i = 0; i < enriched.Length; i++) enriched[i] = context.Enrich(part.Events[i]);
        return new Evaluated(part.BatchId, part.Partition, enriched.Length, engine.Evaluate(enriched));
    }

    /// <summary>The batch's events by owning partition, each part in the batch's order; empty parts are left out.</summary>
    public static IReadOnlyList<PartitionBatch> Split(SandboxBatch batch, int partitions)
    {
        if (partitions == 1) return batch.Events.Count == 0 ? [] : [new PartitionBatch(batch.BatchId, 0, batch.Events)];
        var parts = new List<SandboxEvent>?[partitions];
        foreach (var e in batch.Events) (parts[PartitionOf(e.OperatorId, partitions)] ??= []).Add(e);
        var result = new List<PartitionBatch>(partitions);
        for (var p = 0; p < partitions; p++)
            if (parts[p] is { } events) result.Add(new PartitionBatch(batch.BatchId, p, events));
        return result;
    }

    /// <summary>A stable hash (FNV-1a), the same in every process, so an operator's partition does not
    /// depend on the run.</summary>
    public static int PartitionOf(string operatorId, int partitions)
    {
        var hash = 2166136261u;
        foreach (var c in operatorId) hash = (hash ^ c) * 16777619u;
        return (int)(hash % (uint)partitions);
    }
}
