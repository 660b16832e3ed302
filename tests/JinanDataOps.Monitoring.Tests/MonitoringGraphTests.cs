using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using JinanDataOps.Monitoring.Sandbox;
using JinanDataOps.Monitoring.Pipeline;
using JinanDataOps.Monitoring.Rules;
using static JinanDataOps.Monitoring.Tests.Events;

namespace JinanDataOps.Monitoring.Tests;

public class MonitoringGraphTests : Akka.TestKit.Xunit2.TestKit
{
    private readonly IMaterializer _materializer;
    private readonly MonitoringContext _context;

    // The stream probes' ExpectRequest/ExpectNext/ExpectComplete wait for the kit's default, 3 s: too
    // tight for a graph materializing on a loaded two-core machine. An upper bound only.
    public MonitoringGraphTests() : base("akka.test.single-expect-default = 30s")
    {
        _materializer = Sys.Materializer();
        _context = Context([.. Enumerable.Range(0, 20).Select(i => Provisioned($"req-{i}", $"op-{i}"))]);
    }

    /// <summary>20 operators, a mix of clean queries, exports, datasets outside the request and
    /// refused accesses, over several minutes.</summary>
    private static List<SandboxBatch> Batches(int count, int size)
    {
        var random = new Random(7);
        return Enumerable.Range(0, count).Select(b => new SandboxBatch($"batch-{b}", Enumerable.Range(0, size).Select(i =>
        {
            var op = random.Next(20);
            var at = Afternoon.AddSeconds(b * 10 + i * 0.001);
            return random.Next(50) switch
            {
                0 => Query($"op-{op}", $"req-{op}", kind: ActionKind.Export, at: at),
                1 => Query($"op-{op}", $"req-{op}", dataset: "clinic", at: at),
                2 => Query($"op-{op}", $"req-{op}", denied: true, at: at),
                _ => Query($"op-{op}", $"req-{op}", rows: random.Next(1, 50), at: at),
            };
        }).ToList())).ToList();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task The_graph_raises_exactly_what_the_rules_raise_in_a_plain_loop(int partitions)
    {
        var batches = Batches(30, 200);
        var rules = new MonitoringRules { DeniedBurst = new DeniedBurstRule { Threshold = 5 } };

        var loop = new RuleEngine(() => rules);
        var expected = batches.SelectMany(b => loop.Evaluate(b.Events.Select(_context.Enrich).ToArray())).ToList();

        var evaluated = await Source.From(batches)
            .Via(MonitoringGraph.Evaluate(_context, () => rules, partitions))
            .RunWith(Sink.Seq<Evaluated>(), _materializer);

        Assert.Equal(30 * 200, evaluated.Sum(e => e.Events));
        var actual = evaluated.SelectMany(e => e.Changes).ToList();
        Assert.NotEmpty(expected);
        // Partitions interleave, but each alert's own history is the same as in the loop.
        Assert.Equal(
            expected.GroupBy(c => c.Alert.Id).ToDictionary(g => g.Key, g => g.Select(c => (c.Alert.Count, c.IsNew, c.Alert.Severity)).ToList()).OrderBy(kv => kv.Key),
            actual.GroupBy(c => c.Alert.Id).ToDictionary(g => g.Key, g => g.Select(c => (c.Alert.Count, c.IsNew, c.Alert.Severity)).ToList()).OrderBy(kv => kv.Key),
            new KeyValueComparer());
    }

    private sealed class KeyValueComparer : IEqualityComparer<KeyValuePair<string, List<(int, bool, Severity)>>>
    {
        public bool Equals(KeyValuePair<string, List<(int, bool, Severity)>> x, KeyValuePair<string, List<(int, bool, Severity)>> y) =>
            x.Key == y.Key && x.Value.SequenceEqual(y.Value);

        public int GetHashCode(KeyValuePair<string, List<(int, bool, Severity)>> obj) => obj.Key.GetHashCode();
    }

    [Fact]
    public void All_events_of_one_operator_go_to_one_partition_in_order()
    {
        var batch = Batches(1, 500)[0];
        var parts = MonitoringGraph.Split(batch, 3);
        Assert.Equal(500, parts.Sum(p => p.Events.Count));
        foreach (var group in batch.Events.GroupBy(e => e.OperatorId))
        {
            var part = Assert.Single(parts, p => p.Events.Any(e => e.OperatorId == group.Key));
            Assert.Equal(group.Select(e => e.Id), part.Events.Where(e => e.OperatorId == group.Key).Select(e => e.Id));
        }
        Assert.Equal(MonitoringGraph.PartitionOf("op-7", 3), MonitoringGraph.PartitionOf("op-7", 3));
    }

    [Fact]
    public void A_slow_consumer_holds_the_producer_back()
    {
        var (publisher, subscriber) = this.SourceProbe<SandboxBatch>()
            .Via(MonitoringGraph.Evaluate(_context, () => new MonitoringRules(), 2))
            .ToMaterialized(this.SinkProbe<Evaluated>(), Keep.Both)
            .Run(_materializer);
        subscriber.Request(1);
        // With one element asked for downstream, the graph asks upstream for no more than its bounded
        // buffers hold — never an unbounded amount.
        var demanded = publisher.ExpectRequest();
        Assert.InRange(demanded, 1, 256);
        publisher.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        publisher.SendNext(new SandboxBatch("b-1", [Query("op-1", "req-1", kind: ActionKind.Export)]));
        var evaluated = subscriber.ExpectNext();
        Assert.Equal("b-1", evaluated.BatchId);
        Assert.Single(evaluated.Changes);
        publisher.SendComplete();
        subscriber.Request(1);
        subscriber.ExpectComplete();
    }
}
