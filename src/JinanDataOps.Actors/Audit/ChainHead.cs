using System.Text.Json;
using JinanDataOps.Actors.Serialization;
using JinanDataOps.Domain.Audit;
using JinanDataOps.Domain.Common;

namespace JinanDataOps.Actors.Audit;

/// <summary>The chain's snapshot: its last link, how far the journal has been followed, the operator each entity's
/// records concern (learned from its creation event), and the last event linked of every audited stream.</summary>
public sealed record AuditChainSnapshot(
    AuditLink? Last, long Offset, IReadOnlyDictionary<string, string> Operators, IReadOnlyDictionary<string, long> Linked);

/// <summary>What the chain's writer knows to make the next link: the last link (its index and hash), the journal
/// ordering it has followed to, the operator of each entity (so later events of an agreement, a request, an incident
/// concern its operator), and the last sequence number linked per stream (an event read twice is linked once).
/// <see cref="Apply"/> is the same on the live path and on recovery, so both end in the same head.</summary>
public sealed class ChainHead
{
    private readonly Dictionary<string, string> _operators;
    private readonly Dictionary<string, long> _linked;

    public ChainHead() : this(new AuditChainSnapshot(null, 0, new Dictionary<string, string>(), new Dictionary<string, long>()))
    {
    }

    public ChainHead(AuditChainSnapshot snapshot)
    {
        Last = snapshot.Last;
        Offset = snapshot.Offset;
        _operators = new Dictionary<string, string>(snapshot.Operators, StringComparer.Ordinal);
        _linked = new Dictionary<string, long>(snapshot.Linked, StringComparer.Ordinal);
    }

    public AuditLink? Last { get; private set; }

    /// <summary>The journal ordering followed to: the chain resumes after it.</summary>
    public long Offset { get; private set; }

    public long Records => Last?.Index ?? 0;

    public AuditChainSnapshot Snapshot() => new(Last, Offset, new Dictionary<string, string>(_operators), new Dictionary<string, long>(_linked));

    /// <summary>The next link for a journal entry, or null when it is not a governance event of an audited entity
    /// or has been linked already.</summary>
    public AuditLink? Link(AuditScope scope, string persistenceId, long sequenceNr, long ordering, object payload)
    {
        if (ordering <= Offset || payload is not IDomainEvent e) return null;
        if (scope.Resolve(persistenceId) is not var (kind, entityId)) return null;
        if (_linked.TryGetValue(persistenceId, out var last) && sequenceNr <= last) return null;
        var type = payload.GetType();
        if (!Manifests.ByType.TryGetValue(type, out var manifest)) return null; // not journaled by our serializer: not ours
        IReadOnlyList<string> operators = payload switch
        {
            IConcernsOperators several => several.OperatorsConcerned(),
            IConcernsOperator one => [one.OperatorOf(entityId)],
            _ when _operators.TryGetValue(persistenceId, out var known) => [known],
            _ => [],
        };
        var json = JsonSerializer.Serialize(payload, type, JinanSerializer.Options);
        return AuditChain.Next(Last, persistenceId, sequenceNr, ordering, kind, entityId, manifest, e, operators, json);
    }

    public void Apply(AuditLink link)
    {
        Last = link;
        Offset = Math.Max(Offset, link.SourceOrdering);
        _linked[link.PersistenceId] = link.SequenceNr;
        // The first event about one operator (its creation event) makes the entity that operator's.
        if (link.Operators.Count == 1) _operators.TryAdd(link.PersistenceId, link.Operators[0]);
    }

    /// <summary>Entries up to <paramref name="ordering"/> were read and none of them is linked any more.</summary>
    public void Advance(long ordering) => Offset = Math.Max(Offset, ordering);
}
