using System.Text.Json;
using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using JinanDataOps.Actors.Audit;
using JinanDataOps.Actors.Serialization;
using JinanDataOps.Domain.Agreements;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.Operators;

namespace JinanDataOps.Actors.Operations;

public enum SuspendedKind { Agreement, Operator }

/// <summary>An agreement or an operator that is suspended (Art. 18), or — in a change — no longer is.</summary>
public sealed record Suspension(SuspendedKind Kind, string Id, string? OperatorId, bool Suspended, string? Reason, DateTimeOffset At);

/// <summary>What is suspended now, as this node's <see cref="SuspensionWatch"/> has folded it, and the changes as they
/// come for live listeners.</summary>
public sealed class SuspensionBoard
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(SuspendedKind, string), Suspension> _current = [];

    public Listeners<Suspension> Changes { get; } = new();

    /// <summary>Whether this node follows the record at all (only nodes with the <c>api</c> role over a SQL journal do).</summary>
    public bool Following { get; internal set; }

    public IReadOnlyList<Suspension> Current()
    {
        lock (_gate) return _current.Values.OrderBy(s => s.Kind).ThenBy(s => s.Id, StringComparer.Ordinal).ToArray();
    }

    internal void Put(Suspension change)
    {
        lock (_gate)
        {
            var known = _current.ContainsKey((change.Kind, change.Id));
            if (change.Suspended == known) return;
            if (change.Suspended) _current[(change.Kind, change.Id)] = change;
            else _current.Remove((change.Kind, change.Id));
        }
        Changes.Publish(change);
    }
}

/// <summary>Follows the tamper-evident record (<see cref="AuditTrail"/>: every governance event, in one persistence id)
/// live from its beginning and folds the agreements' and operators' events with their deciders' own Evolve, so this
/// node knows which are suspended without a read model of their own: agreements and operators are not among the
/// journal's followed tags (<see cref="Entities.Tags"/>), and one persistence id is one cheap query per poll. The
/// record trails the journal by the audit trail's batching (well under a second).</summary>
public sealed class SuspensionWatch : ReceiveActor
{
    private readonly SuspensionBoard _board;
    private readonly Dictionary<string, AgreementState> _agreements = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OperatorState> _operators = new(StringComparer.Ordinal);

    public SuspensionWatch(SuspensionBoard board)
    {
        _board = board;
        Receive<Links>(batch =>
        {
            foreach (var link in batch.Value.Links) Fold(link);
        });
        Receive<Status.Failure>(f => throw new InvalidOperationException("the suspension watch's stream failed; rebuilding", f.Cause));
        Receive<Start>(_ =>
        {
            // Started by a message: the read journal may wait for the write journal (see ReadModels/CatalogView).
            var journal = PersistenceQuery.Get(Context.System).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);
            var self = Self;
            journal.EventsByPersistenceId(AuditTrail.ChainPersistenceId, 0, long.MaxValue)
                .RunForeach(e =>
                {
                    if (e.Event is AuditLinks batch) self.Tell(new Links(batch));
                }, Context.Materializer())
                .PipeTo(self, success: () => new Status.Failure(new InvalidOperationException("the audit-chain stream ended")), failure: ex => new Status.Failure(ex));
        });
    }

    protected override void PreStart()
    {
        _board.Following = true;
        Self.Tell(Start.Instance);
    }

    private void Fold(Domain.Audit.AuditLink link)
    {
        if (link.Kind != Agreement.Kind && link.Kind != Operator.Kind) return;
        if (!Manifests.ByManifest.TryGetValue(link.EventType, out var type)) return;
        object? e;
        try
        {
            e = JsonSerializer.Deserialize(link.Event, type, JinanSerializer.Options);
        }
        catch (JsonException)
        {
            return; // an unreadable link is for verification to name (GET /api/audit/verify), not for this view
        }
        switch (e)
        {
            case IAgreementEvent a:
                var agreement = _agreements[link.EntityId] = Agreement.Evolve(_agreements.GetValueOrDefault(link.EntityId) ?? Agreement.Initial(link.EntityId), a);
                _board.Put(new Suspension(SuspendedKind.Agreement, agreement.Id, agreement.OperatorId, agreement.State == AgreementStatus.Suspended,
                    agreement.Rectification?.Reason, link.At));
                break;
            case IOperatorEvent o:
                var op = _operators[link.EntityId] = Operator.Evolve(_operators.GetValueOrDefault(link.EntityId) ?? Operator.Initial(link.EntityId), o);
                var suspendedUnder = op.Agreements.Where(a => a.Value == AgreementStanding.Suspended).Select(a => a.Key).Order(StringComparer.Ordinal).ToArray();
                _board.Put(new Suspension(SuspendedKind.Operator, op.Id, op.Id, op.State == OperatorStatus.Suspended,
                    suspendedUnder.Length == 0 ? null : $"agreement(s) suspended: {string.Join(", ", suspendedUnder)}", link.At));
                break;
        }
    }

    protected override void PostStop() => _board.Following = false;

    private sealed record Links(AuditLinks Value) : INoSerializationVerificationNeeded;

    private sealed record Start : INoSerializationVerificationNeeded
    {
        public static readonly Start Instance = new();
    }
}
