using JinanDataOps.Monitoring.Sandbox;
using JinanDataOps.Monitoring.Rules;
using static JinanDataOps.Monitoring.Tests.Events;

namespace JinanDataOps.Monitoring.Tests;

/// <summary>The windowed rules, de-duplication and escalation of one operator, driven by event time.</summary>
public class OperatorMonitorTests
{
    private static readonly MonitoringRules Rules = new()
    {
        Window = TimeSpan.FromMinutes(1),
        BucketsPerWindow = 6,
        Volume = new VolumeRule { Factor = 5, MinRows = 1_000, Smoothing = 0.5, WarmupWindows = 2 },
        DeniedBurst = new DeniedBurstRule { Threshold = 3 },
        RepeatsToCritical = 3,
        EscalationPeriod = TimeSpan.FromMinutes(10),
        EvidencePerAlert = 2,
        Hours = new WorkingHours { Start = TimeSpan.Zero, End = TimeSpan.FromDays(1) }, // never outside
    };

    private readonly OperatorMonitor _monitor = new("op-1", Rules);
    private readonly MonitoringContext _context = Context();
    private readonly List<AlertChange> _changes = [];

    private void Observe(SandboxEvent e, MonitoringRules? rules = null) => _monitor.Observe(_context.Enrich(e), rules ?? Rules, _changes);

    /// <summary>One event of <paramref name="rows"/> rows every 10 s for <paramref name="minutes"/> minutes.</summary>
    private DateTimeOffset Steady(DateTimeOffset from, int minutes, long rows)
    {
        for (var s = 0; s < minutes * 6; s++) Observe(Query(rows: rows, at: from.AddSeconds(10 * s)));
        return from.AddMinutes(minutes);
    }

    [Fact]
    public void The_baseline_is_learned_from_the_operators_own_windows()
    {
        Assert.Null(_monitor.Baseline);
        Steady(Afternoon, 4, rows: 100); // 600 rows per window
        Assert.NotNull(_monitor.Baseline);
        Assert.InRange(_monitor.Baseline!.Value, 590, 610);
        Assert.Empty(_changes);
    }

    [Fact]
    public void Rows_far_above_the_baseline_raise_a_warning_with_what_was_seen()
    {
        var t = Steady(Afternoon, 4, rows: 100);
        Observe(Query(rows: 5_000, at: t));
        var change = Assert.Single(_changes);
        Assert.True(change.IsNew);
        Assert.Equal((RuleNames.VolumeAboveBaseline, Severity.Warning, "Art. 15"), (change.Alert.Rule, change.Alert.Severity, change.Alert.Article));
        Assert.Equal("5", change.Alert.Observed["factor"]);
        Assert.Equal(_monitor.RowsInWindow.ToString(), change.Alert.Observed["rowsInWindow"]);
        Assert.False(change.Acts);
    }

    [Fact]
    public void Below_the_absolute_floor_a_jump_is_no_alarm()
    {
        var t = Steady(Afternoon, 4, rows: 1); // baseline ~6 rows per window
        Observe(Query(rows: 500, at: t)); // 80× the baseline, but under MinRows 1,000
        Assert.Empty(_changes);
    }

    [Fact]
    public void Rows_far_above_the_baseline_are_critical_and_act_as_DOMAIN_says()
    {
        var t = Steady(Afternoon, 4, rows: 100); // ~600 rows per window
        Observe(Query(rows: 70_000, at: t));     // above 100 × 600
        var change = Assert.Single(_changes);
        Assert.Equal((RuleNames.VolumeFarAboveBaseline, Severity.Critical, "Art. 15"), (change.Alert.Rule, change.Alert.Severity, change.Alert.Article));
        Assert.True(change.Acts);
    }

    [Fact]
    public void A_warning_already_raised_in_the_window_does_not_hold_back_the_critical()
    {
        var t = Steady(Afternoon, 4, rows: 100);
        Observe(Query(rows: 5_000, at: t));
        Observe(Query(rows: 70_000, at: t.AddSeconds(1)));
        Assert.Equal([(RuleNames.VolumeAboveBaseline, Severity.Warning), (RuleNames.VolumeFarAboveBaseline, Severity.Critical)],
            _changes.Select(c => (c.Alert.Rule, c.Alert.Severity)));
    }

    [Fact]
    public void Before_any_baseline_one_query_above_the_ceiling_warns_from_the_first_event()
    {
        Observe(Query(rows: 5_000_000, at: Afternoon));
        var change = Assert.Single(_changes);
        Assert.Equal((RuleNames.VolumeAboveCeiling, Severity.Warning), (change.Alert.Rule, change.Alert.Severity));
        Assert.Equal("1000000", change.Alert.Observed["ceiling"]);
    }

    [Fact]
    public void Before_the_baseline_has_warmed_up_volume_is_not_judged()
    {
        Observe(Query(rows: 1_000_000, at: Afternoon));
        Assert.Empty(_changes);
    }

    [Fact]
    public void One_alert_per_rule_and_window_counts_the_repeats_and_keeps_bounded_evidence()
    {
        for (var i = 0; i < 4; i++) Observe(Query(kind: ActionKind.Export, at: Afternoon.AddSeconds(i)));
        Assert.Equal([true, false, false, false], _changes.Select(c => c.IsNew));
        var last = _changes[^1].Alert;
        Assert.Equal(4, last.Count);
        Assert.Equal(2, last.Evidence.Count);
        Assert.Single(_changes.Select(c => c.Alert.Id).Distinct());
        Assert.Equal([true, false, false, false], _changes.Select(c => c.Acts));
        Assert.Equal("op-1/raw-export/20261201T060000Z", last.Id);

        Observe(Query(kind: ActionKind.Export, at: Afternoon.AddMinutes(1)));
        Assert.True(_changes[^1].IsNew);
        Assert.NotEqual(last.Id, _changes[^1].Alert.Id);
    }

    [Fact]
    public void A_burst_of_refused_accesses_is_a_warning()
    {
        Observe(Query(denied: true, at: Afternoon));
        Observe(Query(denied: true, at: Afternoon.AddSeconds(20)));
        Assert.Empty(_changes);
        Observe(Query(denied: true, at: Afternoon.AddSeconds(40)));
        var alert = Assert.Single(_changes).Alert;
        Assert.Equal((RuleNames.DeniedBurst, Severity.Warning), (alert.Rule, alert.Severity));
        Assert.Equal("3", alert.Observed["deniedInWindow"]);
    }

    [Fact]
    public void A_warning_repeated_in_enough_windows_escalates_to_critical()
    {
        var night = Rules with { Hours = new WorkingHours { Start = TimeSpan.FromHours(7), End = TimeSpan.FromHours(22) } };
        var late = new DateTimeOffset(2026, 12, 1, 23, 0, 0, TimeSpan.FromHours(8));
        Observe(Query(at: late), night);
        Observe(Query(at: late.AddMinutes(2)), night);
        Assert.All(_changes, c => Assert.Equal(Severity.Warning, c.Alert.Severity));
        Observe(Query(at: late.AddMinutes(4)), night);
        var third = _changes[^1];
        Assert.Equal(Severity.Critical, third.Alert.Severity);
        Assert.True(third.BecameCritical && third.Alert.Escalated && third.Acts);
        Assert.Contains("raised to critical", third.Alert.Summary);
    }

    [Fact]
    public void Warnings_further_apart_than_the_escalation_period_do_not_escalate()
    {
        var night = Rules with { Hours = new WorkingHours { Start = TimeSpan.FromHours(7), End = TimeSpan.FromHours(22) } };
        var late = new DateTimeOffset(2026, 12, 1, 23, 0, 0, TimeSpan.FromHours(8));
        for (var i = 0; i < 4; i++) Observe(Query(at: late.AddMinutes(11 * i)), night);
        Assert.Equal(4, _changes.Count);
        Assert.All(_changes, c => Assert.Equal(Severity.Warning, c.Alert.Severity));
    }

    [Fact]
    public void Alerts_of_past_windows_are_forgotten_so_memory_stays_bounded()
    {
        for (var m = 0; m < 50; m++) Observe(Query(kind: ActionKind.Export, at: Afternoon.AddMinutes(m)));
        Assert.InRange(_monitor.OpenAlerts, 1, 2);
    }
}

public class VolumeRuleSettingsTests
{
    [Fact]
    public void Critical_must_lie_above_the_warning_and_the_ceiling_be_positive()
    {
        var problems = new MonitoringRules { Volume = new VolumeRule { Factor = 10, CriticalFactor = 5, CeilingRows = 0 } }.Problems();
        Assert.Contains("Volume.CriticalFactor must be above Volume.Factor", problems);
        Assert.Contains("Volume.CeilingRows must be at least 1", problems);
    }
}
