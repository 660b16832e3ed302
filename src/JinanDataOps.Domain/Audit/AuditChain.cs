using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using JinanDataOps.Domain.Common;

namespace JinanDataOps.Domain.Audit;

/// <summary>An event that creates (or belongs to) an entity about one operator: this event and every later event
/// of the same entity concern that operator in the tamper-evident record (Art. 8(5), 17). A new kind of entity
/// joins the operator's record by implementing it on its creation event.</summary>
public interface IConcernsOperator
{
    /// <summary>The operator concerned; <paramref name="entityId"/> is the id of the entity that recorded the event
    /// (an operator's own events concern the operator whose id it is).</summary>
    string OperatorOf(string entityId);
}

/// <summary>An event that may concern several operators at once (a lane's batch of alerts): it names them, and
/// shows each operator only its own part.</summary>
public interface IConcernsOperators
{
    IReadOnlyList<string> OperatorsConcerned();

    /// <summary>The event as one of the operators it concerns may see it (only what concerns that operator).</summary>
    IDomainEvent For(string operatorId);
}

/// <summary>One link of the hash chain over every governance event (Art. 8(5), 17: every state change is an
/// immutable, attributable record, kept after termination). <see cref="Hash"/> is SHA-256 over the canonical
/// serialization of every other field, <see cref="PreviousHash"/> included, so a change anywhere in the chain
/// breaks the link where it was made. <see cref="Event"/> is the event's canonical JSON (keys in ordinal order);
/// <see cref="SourceOrdering"/> is the event's place in the journal (the chain's follower resumes after it).</summary>
public sealed record AuditLink(
    long Index, string PersistenceId, long SequenceNr, long SourceOrdering, string Kind, string EntityId, string EventType,
    DateTimeOffset At, Role ByRole, string ByOrg, IReadOnlyList<string> Operators, string? Reason, string Event,
    string PreviousHash, string Hash);

/// <summary>The outcome of checking the chain: <see cref="FirstBrokenAt"/> is the index of the first link whose hash
/// does not match its content, whose previous hash does not match the link before it, that is missing, or that
/// cannot be read.</summary>
public sealed record AuditVerdict(bool Valid, long Records, long? FirstBrokenAt);

/// <summary>The hash chain's rules, pure: how a link is serialized and hashed, how the next one is made, and how a
/// stored chain is checked.</summary>
public static class AuditChain
{
    /// <summary>The previous hash of the first link.</summary>
    public static readonly string Genesis = new('0', 64);

    private static readonly JsonWriterOptions Writer = new()
    {
        Indented = false,
        // Stable, and readable for Chinese text; what is escaped never depends on the machine.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    /// <summary>The link after <paramref name="previous"/> (or the first one), with its hash.</summary>
    public static AuditLink Next(
        AuditLink? previous, string persistenceId, long sequenceNr, long sourceOrdering, string kind, string entityId, string eventType,
        IDomainEvent e, IReadOnlyList<string> operators, string eventJson)
    {
        var unhashed = new AuditLink(
            (previous?.Index ?? 0) + 1, persistenceId, sequenceNr, sourceOrdering, kind, entityId, eventType,
            e.At.ToUniversalTime(), e.By.Role, e.By.Org, operators.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray(),
            (e as IHasReason)?.Reason, CanonicalJson(eventJson), previous?.Hash ?? Genesis, "");
        return unhashed with { Hash = HashOf(unhashed) };
    }

    /// <summary>The canonical serialization of a link: a JSON array of every field but the hash, in a fixed order,
    /// times as UTC instants with seven fractional digits, the event as its canonical text.</summary>
    public static byte[] Canonical(AuditLink link)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Writer))
        {
            w.WriteStartArray();
            w.WriteStringValue("jdo-audit-link/1");
            w.WriteNumberValue(link.Index);
            w.WriteStringValue(link.PersistenceId);
            w.WriteNumberValue(link.SequenceNr);
            w.WriteNumberValue(link.SourceOrdering);
            w.WriteStringValue(link.Kind);
            w.WriteStringValue(link.EntityId);
            w.WriteStringValue(link.EventType);
            w.WriteStringValue(link.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteStringValue(Kebab.Of(link.ByRole.ToString()));
            w.WriteStringValue(link.ByOrg);
            w.WriteStartArray();
            foreach (var o in link.Operators) w.WriteStringValue(o);
            w.WriteEndArray();
            if (link.Reason is null) w.WriteNullValue();
            else w.WriteStringValue(link.Reason);
            w.WriteStringValue(link.Event);
            w.WriteStringValue(link.PreviousHash);
            w.WriteEndArray();
        }
        return buffer.ToArray();
    }

    /// <summary>Lower-case hex SHA-256 of the canonical serialization.</summary>
    public static string HashOf(AuditLink link) => Convert.ToHexStringLower(SHA256.HashData(Canonical(link)));

    /// <summary>Checks a chain as stored, in order. <paramref name="readToEnd"/> false means the link after the
    /// last one given could not be read: it is the first broken one if all before it hold.</summary>
    public static AuditVerdict Verify(IEnumerable<AuditLink> links, bool readToEnd = true)
    {
        var previousHash = Genesis;
        long expected = 1;
        foreach (var link in links)
        {
            if (link.Index != expected || link.PreviousHash != previousHash || HashOf(link) != link.Hash)
                return new AuditVerdict(false, expected - 1, expected);
            previousHash = link.Hash;
            expected++;
        }
        var records = expected - 1;
        return readToEnd ? new AuditVerdict(true, records, null) : new AuditVerdict(false, records, expected);
    }

    /// <summary>JSON with the keys of every object in ordinal order and no whitespace: the same event gives the
    /// same text whatever order its serializer wrote its properties in.</summary>
    public static string CanonicalJson(string json)
    {
        using var doc = JsonDocument.Parse(json);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Writer)) Write(w, doc.RootElement);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Write(Utf8JsonWriter w, JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                w.WriteStartObject();
                foreach (var p in e.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    w.WritePropertyName(p.Name);
                    Write(w, p.Value);
                }
                w.WriteEndObject();
                break;
            case JsonValueKind.Array:
                w.WriteStartArray();
                foreach (var item in e.EnumerateArray()) Write(w, item);
                w.WriteEndArray();
                break;
            default:
                e.WriteTo(w); // strings re-escaped by the one encoder; numbers, booleans and null as written
                break;
        }
    }
}
