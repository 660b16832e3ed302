using JinanDataOps.Actors.Consequences;
using JinanDataOps.Domain.Calls;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.Datasets;

namespace JinanDataOps.Actors.Entities;

/// <summary>Journal tags, written only where something reads them: the kinds a read model follows
/// (calls, datasets) carry their kind, and events with consequences elsewhere carry
/// <see cref="Reactions"/>, which one projection follows in journal order. A tag is not free: the SQL
/// journal inserts a tagged row on its own to learn its ordering before writing the tag row
/// (docs/performance.md), while untagged rows go in as one bulk insert. A new read model tags what it
/// needs or reads all events in order.</summary>
public static class Tags
{
    public const string Reactions = "reactions";

    private static readonly HashSet<string> FollowedKinds = [Call.Kind, Dataset.Kind];

    public static string[] For(string kind, IDomainEvent e)
    {
        var followed = FollowedKinds.Contains(kind);
        var reacts = ConsequenceRules.HasConsequences(e);
        return (followed, reacts) switch
        {
            (true, true) => [kind, Reactions],
            (true, false) => [kind],
            (false, true) => [Reactions],
            _ => [],
        };
    }
}
