using System.Text.Json;
using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using JinanDataOps.Actors.Serialization;
using JinanDataOps.Domain.Audit;

namespace JinanDataOps.Actors.Audit;

/// <summary>One governance event about an operator, as its record shows it: the link's place and hash, what
/// happened to which entity, who did it and why, and the event as recorded (<see cref="Details"/>, canonical JSON;
/// a batch of alerts shows only the operator's own alerts).</summary>
public sealed record OperatorRecordEntry(
    long Index, DateTimeOffset At, string Kind, string EntityId, string Event, Domain.Common.Role ByRole, string ByOrg, string? Reason,
    string Hash, string Details);

/// <summary>Reads the tamper-evident record back from the journal, as stored: verification recomputes every link
/// (Art. 17); an operator's record is every link that concerns it (Art. 8(5)). Both read the whole chain — simple,
/// and measured in docs/design.md; an index per operator is the next step when the chain grows large.</summary>
public sealed class AuditRecords(ActorSystem system)
{
    /// <summary>The links in the journal, in order, and whether every row could be read.</summary>
    public async Task<(IReadOnlyList<AuditLink> Links, bool ReadToEnd)> Chain(CancellationToken ct)
    {
        var journal = PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);
        var links = new List<AuditLink>();
        try
        {
            await journal.CurrentEventsByPersistenceId(AuditTrail.ChainPersistenceId, 0, long.MaxValue)
                .Select(e => e.Event as AuditLinks ?? throw new InvalidDataException($"audit-chain entry {e.SequenceNr} is not a batch of links"))
                .RunForeach(batch => links.AddRange(batch.Links), system.Materializer()).WaitAsync(ct);
            return (links, true);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            // A row that no longer deserializes is broken from the link after the last one read.
            return (links, false);
        }
    }

    public async Task<AuditVerdict> Verify(CancellationToken ct)
    {
        var (links, readToEnd) = await Chain(ct);
        return AuditChain.Verify(links, readToEnd);
    }

    /// <summary>Every link that concerns <paramref name="operatorId"/>, oldest first.</summary>
    public async Task<IReadOnlyList<OperatorRecordEntry>> OperatorRecord(string operatorId, CancellationToken ct)
    {
        var (links, _) = await Chain(ct);
        return links.Where(l => l.Operators.Contains(operatorId, StringComparer.Ordinal))
            .Select(l => new OperatorRecordEntry(l.Index, l.At, l.Kind, l.EntityId, l.EventType, l.ByRole, l.ByOrg, l.Reason, l.Hash, DetailsFor(l, operatorId)))
            .ToArray();
    }

    /// <summary>The event as the operator may see it: an event about several operators shows only its part.</summary>
    private static string DetailsFor(AuditLink link, string operatorId)
    {
        if (!Manifests.ByManifest.TryGetValue(link.EventType, out var type) || !typeof(IConcernsOperators).IsAssignableFrom(type)) return link.Event;
        try
        {
            var several = (IConcernsOperators)JsonSerializer.Deserialize(link.Event, type, JinanSerializer.Options)!;
            var own = several.For(operatorId);
            return AuditChain.CanonicalJson(JsonSerializer.Serialize(own, own.GetType(), JinanSerializer.Options));
        }
        catch (JsonException)
        {
            return "{}"; // unreadable content is for verification to name, not for a record to show
        }
    }
}
