using System.ComponentModel;
using JinanDataOps.Actors.Operations;

namespace JinanDataOps.Api.Contracts;

// The operations endpoints (GET /cluster/members, /cluster/shards, /cluster/events; issue 13): the cluster as the node
// that answers sees it. Every answer names that node (`answeredBy`): members, up-since times and command rates are
// that node's knowledge.

/// <summary>A cluster member's status, as Akka.Cluster names it.</summary>
public enum ClusterMemberStatus { Joining, WeaklyUp, Up, Leaving, Exiting, Down, Removed, PreparingForShutdown, ReadyForShutdown }

public sealed record ClusterMemberView(
    string Address,
    [property: Description("What the node does: api, entities, monitoring (cluster-config/README.md, \"Roles and topology\").")] IReadOnlyList<string> Roles,
    ClusterMemberStatus Status,
    [property: Description("False when some member's failure detector reports this member unreachable. Akka.NET's public cluster state does not say which member observes it, so no observer is given.")]
    bool Reachable,
    [property: Description("The member's place in Akka's age order among the Up members (1 = the oldest); null when not Up. Akka.NET keeps its up-number internal.")]
    int? AgeRank,
    [property: Description("When the member came Up, as seen by the answering node: the time it saw the member become Up; for a member that was Up already when the answering node learned of it (it joined a running cluster, or started after it), the time it learned of it — see upSinceBasis. Another node may answer another time. Null while not Up.")]
    DateTimeOffset? UpSince,
    [property: Description("observed: the answering node saw the member become Up; already-up: the member was Up when the answering node learned of it, and upSince is that moment.")]
    UpSinceBasis? UpSinceBasis,
    [property: Description("Whether this member is the cluster's leader (it moves members Up and removes them).")] bool Leader,
    [property: Description("Whether this member is the oldest Up member.")] bool Oldest,
    [property: Description("The roles this member is the oldest Up member of. For 'entities' it hosts the singletons (consequences, audit-chain) and the shard coordinators.")]
    IReadOnlyList<string> OldestFor,
    [property: Description("Whether this member is the node that answered.")] bool Self);

/// <summary>The oldest Up member with a role.</summary>
public sealed record RoleOldestView(string Role, string Address);

public sealed record ClusterMembersView(
    [property: Description("The node that answered: the members, their reachability and up-since times are as it knows them.")] string AnsweredBy,
    DateTimeOffset At,
    string? Leader,
    [property: Description("The oldest Up member of the cluster.")] string? Oldest,
    [property: Description("Per role, the oldest Up member with it; the one for 'entities' hosts the singletons and the shard coordinators.")]
    IReadOnlyList<RoleOldestView> OldestByRole,
    [property: Description("The member with the role 'entities' that hosts the cluster singletons (consequences, audit-chain) and the shard coordinators; null when none is Up.")]
    string? SingletonHost,
    IReadOnlyList<ClusterMemberView> Members);

public sealed record ShardEntitiesView(string Shard, int Entities);

public sealed record NodeShardsView(
    string Address, int Shards, int Entities, IReadOnlyList<ShardEntitiesView> ShardList,
    [property: Description("Shards of this node that did not report their entities in time (not counted in 'entities').")] IReadOnlyList<string> Failed);

public sealed record RegionShardsView(
    [property: Description("The region: an entity kind, or 'monitor-lane' for the monitoring lanes.")] string Region,
    [property: Description("The role of the nodes that host the region's shards.")] string Role,
    [property: Description("Whether the region's coordinator answered in time; when not, 'problem' says why and there are no figures.")] bool Answered,
    string? Problem,
    int Shards,
    int Entities,
    [property: Description("Per hosting node: its shards and their entities. Nodes that host none are not listed.")] IReadOnlyList<NodeShardsView> Nodes);

public sealed record ClusterShardsView(
    string AnsweredBy,
    DateTimeOffset At,
    [property: Description("False when some region did not answer in time: the figures are partial, and those regions say why.")] bool Complete,
    IReadOnlyList<RegionShardsView> Regions);

public sealed record RegionCountView(string Region, bool Answered, int Shards, int Entities);

/// <summary>The <c>summary</c> event of GET /cluster/events, every few seconds.</summary>
public sealed record ClusterSummaryView(
    DateTimeOffset At,
    string AnsweredBy,
    [property: Description("Members by status (kebab-case status → count).")] IReadOnlyDictionary<string, int> MembersByStatus,
    int Unreachable,
    [property: Description("Per region, shards and entities across the cluster (cluster sharding statistics); answered=false when its coordinator did not answer in time.")]
    IReadOnlyList<RegionCountView> Regions,
    [property: Description("Commands the answering node's entity gateway sent per second (from the API and the consequence projection), over 'interval'. Per node: each node counts its own.")]
    double CommandsPerSecond,
    [property: Description("Commands the answering node's entity gateway has sent since it started.")] long CommandsExecuted,
    [property: Description("The period commandsPerSecond is measured over (ISO-8601 duration): since the node's previous summary.")] string Interval);

/// <summary>An agreement or an operator suspended (Art. 18), or — in a <c>suspension</c> event — no longer suspended.</summary>
public sealed record SuspensionView(
    SuspendedKind Kind, string Id, string? OperatorId,
    [property: Description("True when it is (now) suspended; false in an event when it no longer is (restored, terminated, expired).")] bool Suspended,
    string? Reason,
    [property: Description("When the change was recorded.")] DateTimeOffset At);

public sealed record SuspensionsView(
    [property: Description("False on a node that does not follow the record (no 'api' role): then 'current' is empty for want of knowledge, not for want of suspensions.")]
    bool Known,
    IReadOnlyList<SuspensionView> Current);

/// <summary>The <c>member</c> event: a membership change as the answering node saw it.</summary>
public sealed record MemberEventView(
    MemberChange Change,
    [property: Description("The member concerned; null for leader-changed.")] string? Address,
    IReadOnlyList<string> Roles,
    ClusterMemberStatus? Status,
    [property: Description("The leader after the change.")] string? Leader,
    DateTimeOffset At);

/// <summary>The <c>snapshot</c> event, first on every stream.</summary>
public sealed record ClusterSnapshotView(ClusterMembersView Members, ClusterSummaryView Summary, SuspensionsView Suspensions);

/// <summary>The events of GET /cluster/events (Server-Sent Events). OpenAPI cannot type an event stream's events, so
/// this object lists them: each property is one event name (the SSE <c>event:</c> field) and its schema is that
/// event's <c>data:</c> (one line of JSON). Not an object the stream sends.</summary>
[Description("The events of the stream, by name: each property is one event name (the SSE 'event:' field) and its schema is that event's 'data:' " +
             "(one line of JSON). This object itself is never sent. Comment lines (': keep-alive') come every 15 s.")]
public sealed record ClusterEventsCatalogue(
    [property: Description("event: snapshot — first, once: the members, a summary and the current suspensions.")] ClusterSnapshotView Snapshot,
    [property: Description("event: member — a member joined, came up, left, exited, was downed or removed, became unreachable or reachable again, or the leader changed.")]
    MemberEventView Member,
    [property: Description("event: summary — every 5 seconds.")] ClusterSummaryView Summary,
    [property: Description("event: alert — an alert raised or counted again by sandbox monitoring (as GET /api/alerts/stream).")] AlertView Alert,
    [property: Description("event: suspension — an agreement or an operator suspended, or no longer suspended.")] SuspensionView Suspension);
