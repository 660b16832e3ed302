using Akka.Actor;
using JinanDataOps.Domain.Common;

namespace JinanDataOps.Actors.Protocol;

/// <summary>Every message that may cross a node boundary; bound to <see cref="Serialization.JinanSerializer"/>.</summary>
public interface IJinanMessage;

/// <summary>A message for one sharded entity; the extractor routes it by <see cref="EntityId"/>.</summary>
public interface IEntityMessage : IJinanMessage
{
    string EntityId { get; }
}

/// <summary>Run a command through the entity's decider; answered by <see cref="CommandAccepted"/> or
/// <see cref="CommandRejected"/>, the former only once the events are durable. <see cref="TraceParent"/> is the W3C
/// trace context of the asking span when tracing is on (the entity's journal write joins that trace, on whichever node
/// the entity lives); absent otherwise, and then not written at all: the wire format stays msg.execute.v1, and a node
/// that does not know the field ignores it.</summary>
public sealed record Execute(string EntityId, ICommand Command, [AddedField] string? TraceParent = null) : IEntityMessage;

/// <summary>Read the entity's current state; answered by <see cref="CurrentState"/>.</summary>
public sealed record GetState(string EntityId) : IEntityMessage;

/// <summary>The command was accepted: <see cref="Events"/> (possibly none, when already satisfied) are persisted.</summary>
public sealed record CommandAccepted(object State, IReadOnlyList<IDomainEvent> Events) : IJinanMessage;

public sealed record CommandRejected(Rejection Rejection) : IJinanMessage;

/// <summary>The command was decided but its events could not be written (the journal failed): nothing was recorded,
/// and the entity stops to recover from the journal (issue 12: the database going away). Its caller answers 503 at once
/// rather than waiting out the ask timeout.</summary>
public sealed record CommandNotRecorded(string Reason) : IJinanMessage;

public sealed record CurrentState(object State, bool Exists) : IJinanMessage;

/// <summary>A deadline of the entity's state is (or may be) due: the entity re-checks it against the clock.</summary>
public sealed record DeadlineDue(string Name) : IJinanMessage;

/// <summary>Routes entity messages to shards; 100 shards leave room for ten nodes of ten shards.</summary>
public sealed class EntityMessageExtractor() : Akka.Cluster.Sharding.HashCodeMessageExtractor(MaxShards)
{
    public const int MaxShards = 100;

    public override string? EntityId(object message) => (message as IEntityMessage)?.EntityId;
}

/// <summary>The key under which a shard region is kept in Akka.Hosting's registry, one per aggregate.</summary>
public sealed class Region<TDecider>;

/// <summary>Stops an idle entity without losing anything: the journal has it all. It only travels from
/// the entity to its own shard and back, never across nodes, hence no serialization check.</summary>
internal sealed class Idle : Akka.Actor.INoSerializationVerificationNeeded
{
    public static readonly Idle Instance = new();
    private Idle() { }
}

internal static class ActorRefExtensions
{
    public static void Reply(this IActorRef target, object message, IActorRef self)
    {
        if (!target.IsNobody()) target.Tell(message, self);
    }
}
