namespace JinanDataOps.Monitoring.Rules;

/// <summary>The rules in force. Configuration reloads hand in candidates; a candidate with problems is
/// refused and the rules in force stay (a typo in the file must not switch monitoring off). Readers take
/// <see cref="Current"/> once per batch.</summary>
public sealed class RulesSource
{
    private MonitoringRules _current;

    public RulesSource(MonitoringRules initial)
    {
        if (initial.Problems() is { Count: > 0 } problems)
            throw new ArgumentException($"Monitoring rules are invalid: {string.Join("; ", problems)}", nameof(initial));
        _current = initial;
    }

    public MonitoringRules Current => Volatile.Read(ref _current);

    /// <summary>Puts the candidate in force and returns no problems, or returns its problems and keeps the
    /// rules in force.</summary>
    public IReadOnlyList<string> TryUpdate(MonitoringRules candidate)
    {
        var problems = candidate.Problems();
        if (problems.Count == 0) Volatile.Write(ref _current, candidate);
        return problems;
    }
}
