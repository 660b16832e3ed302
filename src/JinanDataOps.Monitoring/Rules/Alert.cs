namespace JinanDataOps.Monitoring.Rules;

public enum Severity { Info, Warning, Critical }

/// <summary>What one rule found in one event: the severity, the article it protects, and what was seen
/// against which threshold.</summary>
public sealed record Finding(string Rule, Severity Severity, string Article, string Summary, IReadOnlyDictionary<string, string> Observed);

/// <summary>One alert per operator, rule and window (de-duplication): later findings in the same window
/// raise <see cref="Count"/> and add evidence, up to the configured number of event ids. The id is made
/// from those three, so evaluating the same events again yields the same alert — which is what lets a
/// batch be processed again after a crash without raising anything twice.</summary>
public sealed record Alert(
    string Id, string Rule, Severity Severity, string Article, string OperatorId, string? DataRequestId, string? AgreementId,
    string Summary, DateTimeOffset WindowStart, int Count, IReadOnlyList<string> Evidence,
    IReadOnlyDictionary<string, string> Observed, DateTimeOffset FirstAt, DateTimeOffset LastAt, bool Escalated)
{
    public static string IdOf(string operatorId, string rule, DateTimeOffset windowStart) =>
        $"{operatorId}/{rule}/{windowStart.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}";
}

/// <summary>An alert as it changes: raised (new), raised to critical by repetition (escalated), or
/// counted again. The closed loop acts on <see cref="Acts"/> only: once per alert.</summary>
public sealed record AlertChange(Alert Alert, bool IsNew, bool BecameCritical)
{
    public bool Acts => Alert.Severity == Severity.Critical && (IsNew || BecameCritical);
}
