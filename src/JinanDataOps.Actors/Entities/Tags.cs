using JinanDataOps.Actors.Consequences;
using JinanDataOps.Domain.Common;

namespace JinanDataOps.Actors.Entities;

/// <summary>Journal tags. Every event carries its aggregate kind (read models follow a kind); events
/// that have consequences elsewhere also carry <see cref="Reactions"/>, which one projection follows
/// in journal order.</summary>
public static class Tags
{
    public const string Reactions = "reactions";

    public static string[] For(string kind, IDomainEvent e) =>
        ConsequenceRules.HasConsequences(e) ? [kind, Reactions] : [kind];
}
