using System.Diagnostics;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using JinanDataOps.Monitoring.Sandbox;
using JinanDataOps.Monitoring.Pipeline;
using JinanDataOps.Monitoring.Rules;

namespace JinanDataOps.LoadTests;

/// <summary>Rule evaluation in-process (issue 4): the same batches through the Akka.Streams graph and
/// through the same rules in a plain loop, in one run, with the ratio. 1,000 operators, each with a
/// provisioned request; batches of 5,000 events; about one event in a thousand breaks a rule.</summary>
public static class MonitoringBenchmark
{
    private const int Operators = 1_000;
    private const int BatchSize = 5_000;

    public static async Task Run(int events, int rounds)
    {
        var context = new MonitoringContext();
        for (var d = 0; d < 10; d++) context.PutDataset($"ds-{d}", [$"id-number-{d}"]);
        for (var o = 0; o < Operators; o++)
            context.Put(new RequestContext($"req-{o}", $"op-{o}", "provisioned", true, [$"ds-{o % 10}"], false, $"agr-{o}"));
        var rules = new MonitoringRules();
        var batches = Batches(events);
        var total = batches.Sum(b => b.Events.Count);

        Console.WriteLine();
        Console.WriteLine($"## Rule evaluation in-process — {total:N0} events in batches of {BatchSize:N0}, {Operators:N0} operators, {Environment.ProcessorCount} cores, best of {rounds}");
        using var system = ActorSystem.Create("monitoring-benchmark", "akka.loglevel = WARNING");
        var materializer = system.Materializer();

        // Warm-up: compile every path once.
        Loop(batches.Take(20).ToList(), context, rules);
        await Graph(batches.Take(20).ToList(), context, rules, 2, materializer);

        var loop = Best(rounds, () => Task.FromResult(Loop(batches, context, rules)));
        var graph1 = Best(rounds, () => Graph(batches, context, rules, 1, materializer));
        var graph2 = Best(rounds, () => Graph(batches, context, rules, Environment.ProcessorCount, materializer));
        var (loopRate, loopAlerts) = await loop;
        var (graph1Rate, graph1Alerts) = await graph1;
        var (graphNRate, graphNAlerts) = await graph2;

        Console.WriteLine("| path | events/s | alert changes | ÷ plain loop |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine($"| plain loop, one thread | {loopRate:N0} | {loopAlerts:N0} | 1.00 |");
        Console.WriteLine($"| Akka.Streams graph, 1 partition | {graph1Rate:N0} | {graph1Alerts:N0} | {graph1Rate / loopRate:0.00} |");
        Console.WriteLine($"| Akka.Streams graph, {Environment.ProcessorCount} partitions | {graphNRate:N0} | {graphNAlerts:N0} | {graphNRate / loopRate:0.00} |");
        if (loopAlerts != graph1Alerts || loopAlerts != graphNAlerts)
            Console.WriteLine("  (the paths raised different numbers of alert changes: a defect)");
    }

    private static async Task<(double Rate, long Alerts)> Best(int rounds, Func<Task<(TimeSpan Elapsed, long Events, long Alerts)>> run)
    {
        var best = (Rate: 0.0, Alerts: 0L);
        for (var i = 0; i < rounds; i++)
        {
            var (elapsed, events, alerts) = await run();
            var rate = events / elapsed.TotalSeconds;
            if (rate > best.Rate) best = (rate, alerts);
        }
        return best;
    }

    private static (TimeSpan, long, long) Loop(IReadOnlyList<SandboxBatch> batches, IMonitoringContext context, MonitoringRules rules)
    {
        var clock = Stopwatch.StartNew();
        var engine = new RuleEngine(() => rules);
        long events = 0, alerts = 0;
        foreach (var batch in batches)
        {
            var evaluated = MonitoringGraph.Judge(engine, context, new PartitionBatch(batch.BatchId, 0, batch.Events));
            events += evaluated.Events;
            alerts += evaluated.Changes.Count;
        }
        return (clock.Elapsed, events, alerts);
    }

    private static async Task<(TimeSpan, long, long)> Graph(IReadOnlyList<SandboxBatch> batches, IMonitoringContext context, MonitoringRules rules, int partitions, IMaterializer materializer)
    {
        var clock = Stopwatch.StartNew();
        var (events, alerts) = await Source.From(batches)
            .Via(MonitoringGraph.Evaluate(context, () => rules, partitions))
            .RunWith(Sink.Aggregate<Evaluated, (long Events, long Alerts)>((0, 0), (sum, e) => (sum.Events + e.Events, sum.Alerts + e.Changes.Count)), materializer);
        return (clock.Elapsed, events, alerts);
    }

    /// <summary>Ten minutes of afternoon activity: clean queries of 1–200 rows, and now and then an export,
    /// a dataset outside the request, a sensitive field, or a refused access.</summary>
    private static List<SandboxBatch> Batches(int events)
    {
        var random = new Random(2026);
        var start = new DateTimeOffset(2026, 12, 1, 6, 0, 0, TimeSpan.Zero);
        var step = TimeSpan.FromMinutes(10).Ticks / events;
        string[] clean = ["route", "boardings", "stop"];
        var fields = Enumerable.Range(0, 10).Select(d => new[] { "route", $"id-number-{d}" }).ToArray();
        var batches = new List<SandboxBatch>();
        for (var b = 0; b * BatchSize < events; b++)
        {
            var list = new List<SandboxEvent>(BatchSize);
            for (var i = 0; i < BatchSize && b * BatchSize + i < events; i++)
            {
                var n = b * BatchSize + i;
                var o = random.Next(Operators);
                var at = start.AddTicks(n * step);
                var id = $"batch-{b}#{i + 1}";
                list.Add(random.Next(1000) switch
                {
                    0 => new SandboxEvent(id, $"op-{o}", $"req-{o}", ActionKind.Export, $"ds-{o % 10}", clean, 500, 50_000, at),
                    1 => new SandboxEvent(id, $"op-{o}", $"req-{o}", ActionKind.Query, $"ds-{(o + 1) % 10}", clean, 10, 1_000, at),
                    2 => new SandboxEvent(id, $"op-{o}", $"req-{o}", ActionKind.Query, $"ds-{o % 10}", fields[o % 10], 10, 1_000, at),
                    3 => new SandboxEvent(id, $"op-{o}", $"req-{o}", ActionKind.Query, $"ds-{o % 10}", clean, 0, 0, at, Denied: true),
                    _ => new SandboxEvent(id, $"op-{o}", $"req-{o}", ActionKind.Query, $"ds-{o % 10}", clean, random.Next(1, 200), 20_000, at),
                });
            }
            batches.Add(new SandboxBatch($"batch-{b}", list));
        }
        return batches;
    }
}
