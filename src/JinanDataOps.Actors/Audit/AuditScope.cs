namespace JinanDataOps.Actors.Audit;

/// <summary>Which journal streams the tamper-evident record covers: the persistence ids of the entity kinds
/// registered as audited (every decider's region but the Idempotency-Key records, and the monitoring lanes,
/// whose <c>AlertsRaised</c> are governance events). A new kind of entity joins by its region's registration —
/// no list of event types to keep.</summary>
public sealed class AuditScope
{
    private readonly string[] _kinds;

    public AuditScope(IEnumerable<string> kinds) =>
        // Longest first: a kind that is a prefix of another ("data" and "data-request") never takes its ids.
        _kinds = kinds.Distinct(StringComparer.Ordinal).OrderByDescending(k => k.Length).ToArray();

    public IReadOnlyCollection<string> Kinds => _kinds;

    /// <summary>The kind and entity id of an audited persistence id (<c>"{kind}-{entity id}"</c>), or null.</summary>
    public (string Kind, string EntityId)? Resolve(string persistenceId)
    {
        foreach (var kind in _kinds)
            if (persistenceId.Length > kind.Length + 1 && persistenceId.StartsWith(kind, StringComparison.Ordinal) && persistenceId[kind.Length] == '-')
                return (kind, persistenceId[(kind.Length + 1)..]);
        return null;
    }
}
