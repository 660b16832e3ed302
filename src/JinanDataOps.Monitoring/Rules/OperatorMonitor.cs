using JinanDataOps.Domain.Common;
using JinanDataOps.Monitoring.Sandbox;

namespace JinanDataOps.Monitoring.Rules;

/// <summary>An open alert with its de-duplication key, for snapshots.</summary>
public sealed record OpenAlert(string Rule, long Window, Alert Alert);

/// <summary>An <see cref="OperatorMonitor"/> as data, for snapshots: restored, it judges the next events
/// exactly as the original would have.</summary>
public sealed record OperatorMonitorState(
    string OperatorId, SlidingCountState Rows, SlidingCountState Denied, double BaselinePerStep, long LearnedSteps, long NewestWindow,
    IReadOnlyList<OpenAlert> Open, IReadOnlyDictionary<string, IReadOnlyList<DateTimeOffset>> Warnings);

/// <summary>Everything monitoring keeps about one operator: its sliding windows, its learned baseline, the
/// alerts of the current windows (de-duplication) and its recent warnings (escalation). Deterministic:
/// the same events with the same rules give the same alerts; time is the events' own.</summary>
public sealed class OperatorMonitor
{
    private readonly string _operatorId;
    private readonly Dictionary<(string Rule, long Window), Alert> _open = [];
    private readonly Dictionary<string, List<DateTimeOffset>> _warnings = new(StringComparer.Ordinal);
    private readonly List<Finding> _findings = [];
    private MonitoringRules _rules;
    private SlidingCount _rows;
    private SlidingCount _denied;
    private double _baselinePerStep;
    private long _learnedSteps;
    private long _newestWindow = long.MinValue;

    public OperatorMonitor(string operatorId, MonitoringRules rules)
    {
        _operatorId = operatorId;
        _rules = rules;
        (_rows, _denied) = Windows(rules);
    }

    public OperatorMonitorState Export() => new(
        _operatorId, _rows.Export(), _denied.Export(), _baselinePerStep, _learnedSteps, _newestWindow,
        _open.Select(kv => new OpenAlert(kv.Key.Rule, kv.Key.Window, kv.Value)).ToArray(),
        _warnings.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<DateTimeOffset>)kv.Value.ToArray(), StringComparer.Ordinal));

    /// <summary>Continues from a snapshot. Taken under another window geometry, the counts start afresh
    /// and the baseline is rescaled, as on a reload.</summary>
    public static OperatorMonitor Restore(OperatorMonitorState state, MonitoringRules rules)
    {
        var monitor = new OperatorMonitor(state.OperatorId, rules)
        {
            _learnedSteps = state.LearnedSteps,
            _newestWindow = state.NewestWindow,
        };
        if (monitor._rows.Restore(state.Rows) && monitor._denied.Restore(state.Denied))
        {
            monitor._baselinePerStep = state.BaselinePerStep;
            foreach (var open in state.Open) monitor._open[(open.Rule, open.Window)] = open.Alert;
        }
        else
        {
            monitor._baselinePerStep = state.BaselinePerStep * monitor._rows.StepTicks / state.Rows.StepTicks;
            monitor._newestWindow = long.MinValue;
        }
        foreach (var (rule, times) in state.Warnings) monitor._warnings[rule] = [.. times];
        return monitor;
    }

    /// <summary>The learned rows per window (null until warmed up).</summary>
    public double? Baseline => Warm ? _baselinePerStep * _rows.Steps : null;

    public long RowsInWindow => _rows.Sum;

    public int OpenAlerts => _open.Count;

    private bool Warm => _learnedSteps >= (long)_rules.Volume.WarmupWindows * _rows.Steps;

    /// <summary>Judges one event; the alert changes it causes go to <paramref name="changes"/>.</summary>
    public void Observe(EnrichedEvent e, MonitoringRules rules, List<AlertChange> changes)
    {
        if (!ReferenceEquals(rules, _rules)) Reconfigure(rules);
        _findings.Clear();
        EventRules.Judge(e, rules, _findings);
        Count(e, rules, _findings);
        foreach (var finding in _findings) Raise(e, finding, rules, changes);
    }

    /// <summary>The windowed rules: rows read against the baseline, and refused accesses.</summary>
    private void Count(EnrichedEvent e, MonitoringRules rules, List<Finding> found)
    {
        var at = e.Event.At;
        if (e.Event.Rows > 0 && _rows.Add(at, e.Event.Rows) && Warm)
        {
            var baseline = _baselinePerStep * _rows.Steps;
            var farLimit = Math.Max(rules.Volume.CriticalFactor * baseline, rules.Volume.MinRows);
            var limit = Math.Max(rules.Volume.Factor * baseline, rules.Volume.MinRows);
            // Far above the baseline is critical (DOMAIN.md: it suspends); a rule of its own, so that a warning
            // already raised in this window does not hold the critical back (one alert per rule and window).
            if (_rows.Sum > farLimit && rules.IsOn(RuleNames.VolumeFarAboveBaseline))
                found.Add(new Finding(RuleNames.VolumeFarAboveBaseline, Severity.Critical, "Art. 15",
                    $"Art. 15: {_rows.Sum} rows read in the last {rules.Window.TotalSeconds:0} s, far above this operator's baseline of {baseline:0} rows per window ({rules.Volume.CriticalFactor}×)",
                    EventRules.Observed(("rowsInWindow", EventRules.Num(_rows.Sum)), ("baseline", EventRules.Num((long)baseline)),
                        ("factor", rules.Volume.CriticalFactor.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("limit", EventRules.Num((long)farLimit)))));
            else if (_rows.Sum > limit && rules.IsOn(RuleNames.VolumeAboveBaseline))
                found.Add(new Finding(RuleNames.VolumeAboveBaseline, Severity.Warning, "Art. 15",
                    $"Art. 15: {_rows.Sum} rows read in the last {rules.Window.TotalSeconds:0} s, above {rules.Volume.Factor}× this operator's baseline of {baseline:0} rows per window",
                    EventRules.Observed(("rowsInWindow", EventRules.Num(_rows.Sum)), ("baseline", EventRules.Num((long)baseline)),
                        ("factor", rules.Volume.Factor.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("limit", EventRules.Num((long)limit)))));
        }
        if (e.Event.Denied && _denied.Add(at, 1) && rules.IsOn(RuleNames.DeniedBurst) && _denied.Sum >= rules.DeniedBurst.Threshold)
            found.Add(new Finding(RuleNames.DeniedBurst, Severity.Warning, "Art. 15",
                $"Art. 15: {_denied.Sum} accesses refused by the sandbox in the last {rules.Window.TotalSeconds:0} s (threshold {rules.DeniedBurst.Threshold})",
                EventRules.Observed(("deniedInWindow", EventRules.Num(_denied.Sum)), ("threshold", EventRules.Num(rules.DeniedBurst.Threshold)))));
    }

    /// <summary>One alert per (operator, rule, window); a warning seen in <c>RepeatsToCritical</c> windows
    /// within the escalation period is raised as critical.</summary>
    private void Raise(EnrichedEvent e, Finding finding, MonitoringRules rules, List<AlertChange> changes)
    {
        var at = e.Event.At;
        var window = at.UtcTicks / rules.Window.Ticks;
        Forget(window);
        if (_open.TryGetValue((finding.Rule, window), out var alert))
        {
            var evidence = alert.Evidence.Count < rules.EvidencePerAlert ? [.. alert.Evidence, e.Event.Id] : alert.Evidence;
            var counted = alert with
            {
                Count = alert.Count + 1, Evidence = evidence, Observed = finding.Observed,
                FirstAt = at < alert.FirstAt ? at : alert.FirstAt, LastAt = at > alert.LastAt ? at : alert.LastAt,
            };
            _open[(finding.Rule, window)] = counted;
            changes.Add(new AlertChange(counted, IsNew: false, BecameCritical: false));
            return;
        }

        var severity = finding.Severity;
        var escalated = false;
        if (severity == Severity.Warning)
        {
            var seen = Warnings(finding.Rule, at, rules);
            if (seen >= rules.RepeatsToCritical)
            {
                severity = Severity.Critical;
                escalated = true;
            }
        }
        var windowStart = new DateTimeOffset(window * rules.Window.Ticks, TimeSpan.Zero);
        var summary = escalated
            ? $"{finding.Summary} — repeated in {rules.RepeatsToCritical} windows within {rules.EscalationPeriod.TotalMinutes:0} min, raised to critical"
            : finding.Summary;
        var raised = new Alert(Alert.IdOf(_operatorId, finding.Rule, windowStart), finding.Rule, severity, finding.Article,
            _operatorId, e.Event.DataRequestId, e.Request?.AgreementId, summary, windowStart, 1, [e.Event.Id], finding.Observed, at, at, escalated);
        _open[(finding.Rule, window)] = raised;
        changes.Add(new AlertChange(raised, IsNew: true, BecameCritical: escalated));
    }

    /// <summary>Records a warning's window and says in how many distinct windows of the escalation period
    /// this rule has now warned.</summary>
    private int Warnings(string rule, DateTimeOffset at, MonitoringRules rules)
    {
        if (!_warnings.TryGetValue(rule, out var times)) _warnings[rule] = times = [];
        times.RemoveAll(t => t <= at - rules.EscalationPeriod);
        times.Add(at);
        return times.Count;
    }

    /// <summary>Alerts of windows well behind the newest are final: they are dropped, so memory stays
    /// bounded by the rules, not by time.</summary>
    private void Forget(long window)
    {
        if (window <= _newestWindow) return;
        _newestWindow = window;
        if (_open.Count == 0) return;
        foreach (var key in _open.Keys.Where(k => k.Window < window - 1).ToArray()) _open.Remove(key);
    }

    private void Reconfigure(MonitoringRules rules)
    {
        var resize = rules.Window != _rules.Window || rules.BucketsPerWindow != _rules.BucketsPerWindow;
        _rules = rules;
        if (!resize) return;
        // New window geometry: the counts start afresh, and so does learning; the baseline learned so far
        // is carried over, rescaled to the new step.
        var oldStep = _rows.StepTicks;
        (_rows, _denied) = Windows(rules);
        _baselinePerStep = _baselinePerStep * _rows.StepTicks / oldStep;
        _open.Clear();
        _newestWindow = long.MinValue;
    }

    private (SlidingCount Rows, SlidingCount Denied) Windows(MonitoringRules rules)
    {
        var step = rules.Window.Ticks / rules.BucketsPerWindow;
        var rows = new SlidingCount(step, rules.BucketsPerWindow) { StepClosed = Learn };
        return (rows, new SlidingCount(step, rules.BucketsPerWindow));
    }

    /// <summary>The baseline: an exponentially weighted mean of rows per step, with the weight per step
    /// chosen so that one whole window weighs <c>Volume.Smoothing</c>.</summary>
    private void Learn(long total, long steps)
    {
        var alpha = 1 - Math.Pow(1 - _rules.Volume.Smoothing, 1.0 / _rows.Steps);
        if (_learnedSteps == 0)
        {
            _baselinePerStep = total;
            _learnedSteps = 1;
            steps--;
            if (steps == 0) return;
            total = 0;
        }
        if (steps == 1) _baselinePerStep = alpha * total + (1 - alpha) * _baselinePerStep;
        else _baselinePerStep *= Math.Pow(1 - alpha, steps);
        _learnedSteps += steps;
    }
}
