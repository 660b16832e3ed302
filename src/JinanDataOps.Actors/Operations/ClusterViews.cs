using Akka.Actor;
using Akka.Cluster;
using JinanDataOps.Domain.Common;

namespace JinanDataOps.Actors.Operations;

/// <summary>One member as this node sees it. <see cref="Reachable"/> is false when some member's failure detector
/// reports it unreachable (Akka's public cluster state says that much, not who observes it). <see cref="AgeRank"/> is
/// the member's place in Akka's age order among the Up members (1 = oldest; Akka.NET keeps the up-number it is made of
/// internal), null when it is not Up.</summary>
public sealed record MemberInfo(
    string Address, IReadOnlyList<string> Roles, MemberStatus Status, bool Reachable, int? AgeRank, UpSince? UpSince,
    bool Leader, bool Oldest, IReadOnlyList<string> OldestFor, bool Self);

/// <summary>The membership as this node knows it: <see cref="OldestByRole"/> names, per role, the oldest Up member with
/// it — for <c>entities</c>, where the singletons (consequences, audit-chain) and the shard coordinators run.</summary>
public sealed record MembershipInfo(
    string Self, string? Leader, string? Oldest, IReadOnlyDictionary<string, string> OldestByRole, IReadOnlyList<MemberInfo> Members);

public static class ClusterViews
{
    public static string StatusName(MemberStatus status) => Kebab.Of(status.ToString());

    public static MembershipInfo Membership(ActorSystem system, ClusterWatch watch)
    {
        var cluster = Cluster.Get(system);
        var state = cluster.State;
        // The age order Akka's singletons and coordinators go by: the oldest Up member (with the role) hosts them.
        var up = state.Members.Where(m => m.Status == MemberStatus.Up).OrderBy(m => m, Member.AgeOrdering).ToArray();
        var oldest = up.FirstOrDefault();
        var byRole = up.SelectMany(m => m.Roles).Distinct().Order(StringComparer.Ordinal)
            .ToDictionary(r => r, r => up.First(m => m.HasRole(r)).Address.ToString());
        var leader = state.Leader?.ToString();
        var members = state.Members.Select(m =>
        {
            var address = m.Address.ToString();
            return new MemberInfo(
                address, m.Roles.Order(StringComparer.Ordinal).ToArray(), m.Status, !state.Unreachable.Contains(m), Array.IndexOf(up, m) is var rank and >= 0 ? rank + 1 : null,
                watch.UpSinceOf(m.UniqueAddress), address == leader, oldest is not null && m.Equals(oldest),
                byRole.Where(r => r.Value == address).Select(r => r.Key).ToArray(), m.UniqueAddress.Equals(cluster.SelfUniqueAddress));
        }).ToArray();
        return new MembershipInfo(cluster.SelfAddress.ToString(), leader, oldest?.Address.ToString(), byRole, members);
    }
}
