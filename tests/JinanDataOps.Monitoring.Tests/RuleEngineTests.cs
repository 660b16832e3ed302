using JinanDataOps.Monitoring.Sandbox;
using JinanDataOps.Monitoring.Rules;
using static JinanDataOps.Monitoring.Tests.Events;

namespace JinanDataOps.Monitoring.Tests;

public class RuleEngineTests
{
    private readonly MonitoringContext _context = Context(Provisioned(), Provisioned("req-2", "op-2"));

    private EnrichedEvent[] Enrich(params SandboxEvent[] events) => events.Select(_context.Enrich).ToArray();

    [Fact]
    public void Each_operator_is_judged_on_its_own()
    {
        var engine = new RuleEngine(() => new MonitoringRules());
        var changes = engine.Evaluate(Enrich(Query(kind: ActionKind.Export), Query("op-2", "req-2", kind: ActionKind.Export), Query()));
        Assert.Equal(["op-1", "op-2"], changes.Select(c => c.Alert.OperatorId));
        Assert.Equal(2, engine.Operators);
    }

    [Fact]
    public void Judging_the_same_events_again_gives_the_same_alerts()
    {
        // What makes reprocessing a batch after a crash harmless: the same ids, the same counts.
        var events = Enrich(Query(kind: ActionKind.Download), Query(dataset: "clinic"), Query(kind: ActionKind.Download));
        var first = new RuleEngine(() => new MonitoringRules()).Evaluate(events);
        var again = new RuleEngine(() => new MonitoringRules()).Evaluate(events);
        Assert.Equal(first.Select(c => (c.Alert.Id, c.Alert.Count, c.IsNew)), again.Select(c => (c.Alert.Id, c.Alert.Count, c.IsNew)));
    }

    [Fact]
    public void Reloaded_rules_take_effect_from_the_next_batch()
    {
        var source = new RulesSource(new MonitoringRules());
        var engine = new RuleEngine(() => source.Current);
        Assert.Single(engine.Evaluate(Enrich(Query(kind: ActionKind.Export))));
        Assert.Empty(source.TryUpdate(new MonitoringRules { Off = [RuleNames.RawExport] }));
        Assert.Empty(engine.Evaluate(Enrich(Query(kind: ActionKind.Export, at: Afternoon.AddMinutes(5)))));
    }

    [Fact]
    public void Invalid_rules_are_refused_and_the_rules_in_force_stay()
    {
        var source = new RulesSource(new MonitoringRules());
        var before = source.Current;
        var problems = source.TryUpdate(new MonitoringRules { Off = ["no-such-rule"], Volume = new VolumeRule { Factor = 0.5 }, Window = TimeSpan.Zero });
        Assert.True(problems.Count == 3, string.Join(" | ", problems));
        Assert.Contains(problems, p => p.Contains("unknown rule 'no-such-rule'"));
        Assert.Same(before, source.Current);
        Assert.Throws<ArgumentException>(() => new RulesSource(new MonitoringRules { RepeatsToCritical = 1 }));
    }

    [Fact]
    public void A_new_window_length_restarts_the_counts_but_keeps_what_was_learned()
    {
        var rules = new MonitoringRules { Window = TimeSpan.FromMinutes(1), BucketsPerWindow = 6, Volume = new VolumeRule { WarmupWindows = 1, Smoothing = 1 } };
        var source = new RulesSource(rules);
        var engine = new RuleEngine(() => source.Current);
        for (var s = 0; s < 30; s++) engine.Evaluate(Enrich(Query(rows: 100, at: Afternoon.AddSeconds(10 * s))));
        Assert.InRange(engine.Monitor("op-1")!.Baseline!.Value, 599, 601);
        Assert.Empty(source.TryUpdate(rules with { Window = TimeSpan.FromMinutes(2) }));
        engine.Evaluate(Enrich(Query(rows: 100, at: Afternoon.AddMinutes(5))));
        Assert.Equal(100, engine.Monitor("op-1")!.RowsInWindow);
        Assert.InRange(engine.Monitor("op-1")!.Baseline!.Value, 1199, 1201); // 100 rows per 10 s, over 2 minutes
    }
}

public class RuleEngineSnapshotTests
{
    [Fact]
    public void An_engine_restored_from_a_snapshot_judges_on_as_the_original_would()
    {
        var context = Context(Provisioned(), Provisioned("req-2", "op-2"));
        var rules = new MonitoringRules
        {
            Window = TimeSpan.FromMinutes(1), BucketsPerWindow = 6, DeniedBurst = new DeniedBurstRule { Threshold = 3 },
            Volume = new VolumeRule { Factor = 3, MinRows = 100, WarmupWindows = 1 },
        };
        var events = Enumerable.Range(0, 400).Select(i => context.Enrich(Query(i % 3 == 0 ? "op-2" : "op-1", i % 3 == 0 ? "req-2" : "req-1",
            rows: i % 97 == 0 ? 5_000 : 20, denied: i % 7 == 0, kind: i % 50 == 0 ? ActionKind.Export : ActionKind.Query,
            at: Afternoon.AddSeconds(i * 2)))).ToArray();

        var original = new RuleEngine(() => rules);
        var expected = original.Evaluate(events[..150]).Count == 0 ? [] : original.Evaluate(events[150..]);

        var first = new RuleEngine(() => rules);
        first.Evaluate(events[..150]);
        var restored = new RuleEngine(() => rules);
        restored.Restore(first.Export());
        var actual = restored.Evaluate(events[150..]);

        Assert.NotEmpty(expected);
        Assert.Equal(expected.Select(c => (c.Alert.Id, c.Alert.Count, c.IsNew, c.Alert.Severity)), actual.Select(c => (c.Alert.Id, c.Alert.Count, c.IsNew, c.Alert.Severity)));
    }
}
