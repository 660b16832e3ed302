using JinanDataOps.Monitoring.Sandbox;

namespace JinanDataOps.Monitoring.Rules;

/// <summary>The rules over a stream of events, for the operators it is given: one
/// <see cref="OperatorMonitor"/> each. Not thread-safe by design — one engine per pipeline partition,
/// and every operator's events go to the same partition, so its windows see all of them in order.</summary>
public sealed class RuleEngine(Func<MonitoringRules> rules)
{
    private readonly Dictionary<string, OperatorMonitor> _operators = new(StringComparer.Ordinal);

    public int Operators => _operators.Count;

    public OperatorMonitor? Monitor(string operatorId) => _operators.GetValueOrDefault(operatorId);

    public IReadOnlyList<OperatorMonitorState> Export() => _operators.Values.Select(m => m.Export()).ToArray();

    /// <summary>Replaces what the engine knows with a snapshot's.</summary>
    public void Restore(IEnumerable<OperatorMonitorState> states)
    {
        _operators.Clear();
        var current = rules();
        foreach (var state in states) _operators[state.OperatorId] = OperatorMonitor.Restore(state, current);
    }

    /// <summary>Judges the events in order; the rules are read once per call, so a reloaded configuration
    /// takes effect from the next batch on.</summary>
    public List<AlertChange> Evaluate(IReadOnlyList<EnrichedEvent> events)
    {
        var current = rules();
        var changes = new List<AlertChange>();
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (!_operators.TryGetValue(e.Event.OperatorId, out var monitor))
                _operators[e.Event.OperatorId] = monitor = new OperatorMonitor(e.Event.OperatorId, current);
            monitor.Observe(e, current, changes);
        }
        return changes;
    }
}
