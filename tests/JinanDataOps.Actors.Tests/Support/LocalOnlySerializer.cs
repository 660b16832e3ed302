using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Serialization;

namespace JinanDataOps.Actors.Tests.Support;

/// <summary>Hands the very object back: for the few Akka.Persistence internals that only ever travel
/// between a journal and its own actors on one node, yet lack <see cref="INoSerializationVerificationNeeded"/>.
/// With <c>serialize-messages = on</c> they would otherwise go through the default JSON serializer, which
/// throws on Akka.Persistence.Sql's <c>WriteFinished</c> (it holds a Task) and silently empties the
/// <c>Tagged</c> payload inside <c>AsyncWriteJournal+Desequenced</c> (so the persist handler got null).
/// Everything else, and every message of ours, is still serialized for real.</summary>
public sealed class LocalOnlySerializer(ExtendedActorSystem system) : Serializer(system)
{
    public const string Name = "local-only";

    public static readonly string[] Types =
    [
        "Akka.Persistence.Journal.AsyncWriteJournal+Desequenced, Akka.Persistence",
        "Akka.Persistence.Sql.Journal.Types.WriteFinished, Akka.Persistence.Sql",
        // The read journal's JournalSequenceActor tells itself the orderings it found; the default serializer
        // empties their list (FindGaps then throws), so AllEvents (the audit chain) never moved.
        "Akka.Persistence.Sql.Query.InternalProtocol.NewOrderingIds, Akka.Persistence.Sql",
    ];

    private readonly ConcurrentDictionary<long, object> _inFlight = new();
    private long _next;

    public override int Identifier => 4999;

    public override bool IncludeManifest => false;

    public override byte[] ToBinary(object obj)
    {
        var key = Interlocked.Increment(ref _next);
        _inFlight[key] = obj;
        return BitConverter.GetBytes(key);
    }

    public override object FromBinary(byte[] bytes, Type? type) =>
        _inFlight.TryRemove(BitConverter.ToInt64(bytes), out var obj)
            ? obj
            : throw new System.Runtime.Serialization.SerializationException("a local-only message was deserialized twice or on another system");
}
