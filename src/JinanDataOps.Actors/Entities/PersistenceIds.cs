namespace JinanDataOps.Actors.Entities;

/// <summary>The one owner of the journal's persistence ids: <c>"{kind}-{entity id}"</c>, where the kind is a
/// decider's <c>Kind</c> (or a monitoring lane's). Every writer and reader of the journal goes through here.</summary>
public static class PersistenceIds
{
    public static string For(string kind, string entityId) => $"{kind}-{entityId}";

    /// <summary>The entity id within a persistence id of that kind (the persistence id itself when it is not one).</summary>
    public static string EntityIdOf(string kind, string persistenceId) =>
        persistenceId.StartsWith(kind + "-", StringComparison.Ordinal) ? persistenceId[(kind.Length + 1)..] : persistenceId;
}
