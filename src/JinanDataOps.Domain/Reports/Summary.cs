using JinanDataOps.Domain.Agreements;
using JinanDataOps.Domain.Applications;
using JinanDataOps.Domain.Calls;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.DataRequests;
using JinanDataOps.Domain.Evaluations;
using JinanDataOps.Domain.Incidents;
using JinanDataOps.Domain.Products;

namespace JinanDataOps.Domain.Reports;

/// <summary>One governance event as the journal holds it: the kind and id of the entity that recorded it.</summary>
public sealed record JournalEntry(string Kind, string EntityId, IDomainEvent Event);

/// <summary>One entity in a section of the summary: its state at the end of the period, its category (the
/// authorization mode of a call or agreement, the severity of an incident, the kind of a product, what became of a failed evaluation's agreement), when it came into being and the operator concerned.</summary>
public sealed record SummaryItem(string Id, string State, string? Category, DateTimeOffset Since, string? OperatorId);

/// <summary>The entities of one kind that came into being in the period, counted by state (and category) at its end.</summary>
public sealed record SummarySection(
    int Total, IReadOnlyDictionary<string, int> ByState, IReadOnlyDictionary<string, int> ByCategory, IReadOnlyList<SummaryItem> Items)
{
    public static SummarySection Of(IEnumerable<SummaryItem> items)
    {
        var list = items.OrderBy(i => i.Since).ThenBy(i => i.Id, StringComparer.Ordinal).ToArray();
        return new(list.Length,
            Count(list.Select(i => i.State)),
            Count(list.Where(i => i.Category is not null).Select(i => i.Category!)),
            list);
    }

    private static IReadOnlyDictionary<string, int> Count(IEnumerable<string> keys) =>
        new SortedDictionary<string, int>(keys.GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count()), StringComparer.Ordinal);
}

/// <summary>A suspension or termination of an agreement in the period: when, by whom, why.</summary>
public sealed record SummaryAction(string AgreementId, string OperatorId, DateTimeOffset At, Role ByRole, string ByOrg, string Reason);

/// <summary>The summary of authorized operation for a period (Art. 8, last paragraph: the authority files it with
/// the city government): what came into being in [<see cref="From"/>, <see cref="To"/>), each as it stood at the
/// end of the period, and the suspensions and terminations in it.</summary>
public sealed record Summary(
    DateTimeOffset From, DateTimeOffset To,
    SummarySection Calls, SummarySection Applications, SummarySection Agreements, SummarySection DataRequests,
    SummarySection Incidents, SummarySection Products, SummarySection Evaluations, IReadOnlyList<SummaryAction> Suspensions, IReadOnlyList<SummaryAction> Terminations);

/// <summary>Folds the journal into the summary with the deciders' own Evolve, so the figures are what the journal
/// holds. Only events before the end of the period count: a summary of a past period reads the same whenever it
/// is asked for. Each entity is in it only if the caller may read it (the policy's read act of its kind): an
/// authority summarizes what it is responsible for, a regulator reads everything (Art. 5).</summary>
public static class Summaries
{
    public static Summary Of(IEnumerable<JournalEntry> journal, DateTimeOffset from, DateTimeOffset to, Caller caller)
    {
        var calls = new Ledger<CallState>();
        var applications = new Ledger<ApplicationState>();
        var agreements = new Ledger<AgreementState>();
        var requests = new Ledger<DataRequestState>();
        var incidents = new Ledger<IncidentState>();
        var products = new Ledger<ProductState>();
        var evaluations = new Ledger<EvaluationState>();
        var suspensions = new List<(string Agreement, AgreementSuspended Event)>();
        var terminations = new List<(string Agreement, AgreementTerminated Event)>();

        foreach (var (_, id, e) in journal)
        {
            if (e.At >= to) continue;
            switch (e)
            {
                case ICallEvent x: calls.Fold(id, x.At, s => Call.Evolve(s ?? Call.Initial(id), x)); break;
                case IApplicationEvent x: applications.Fold(id, x.At, s => Application.Evolve(s ?? Application.Initial(id), x)); break;
                case IAgreementEvent x:
                    agreements.Fold(id, x.At, s => Agreement.Evolve(s ?? Agreement.Initial(id), x));
                    if (x.At >= from && x is AgreementSuspended suspended) suspensions.Add((id, suspended));
                    if (x.At >= from && x is AgreementTerminated terminated) terminations.Add((id, terminated));
                    break;
                case IDataRequestEvent x: requests.Fold(id, x.At, s => DataRequest.Evolve(s ?? DataRequest.Initial(id), x)); break;
                case IIncidentEvent x: incidents.Fold(id, x.At, s => Incident.Evolve(s ?? Incident.Initial(id), x)); break;
                case IProductEvent x: products.Fold(id, x.At, s => Product.Evolve(s ?? Product.Initial(id), x)); break;
                case IEvaluationEvent x: evaluations.Fold(id, x.At, s => Evaluation.Evolve(s ?? Evaluation.Initial(id), x)); break;
            }
        }

        IEnumerable<(TState State, DateTimeOffset Since)> InPeriod<TState>(Ledger<TState> ledger, Act read, Func<TState, Parties> parties) where TState : class =>
            ledger.Entries.Where(e => e.Since >= from && Policy.Allows(read, caller, parties(e.State)));

        var agreementParties = agreements.Entries.ToDictionary(e => e.State.Id, e => e.State);
        SummaryAction Action(string agreementId, IDomainEvent e, string reason) =>
            new(agreementId, agreementParties.GetValueOrDefault(agreementId)?.OperatorId ?? "", e.At, e.By.Role, e.By.Org, reason);
        bool AgreementVisible(string agreementId) => agreementParties.GetValueOrDefault(agreementId) is { } a && Policy.Allows(Act.ReadAgreement, caller, a.Parties);

        return new Summary(from, to,
            SummarySection.Of(InPeriod(calls, Act.ReadCalls, Call.PartiesOf).Select(c => new SummaryItem(c.State.Id, Kebab.Of(c.State.State), c.State.Terms is { } t ? Kebab.Of(t.Mode) : null, c.Since, null))),
            SummarySection.Of(InPeriod(applications, Act.ReadApplicationMaterials, Application.PartiesOf).Select(a => new SummaryItem(a.State.Id, Kebab.Of(a.State.State), null, a.Since, a.State.OperatorId))),
            SummarySection.Of(InPeriod(agreements, Act.ReadAgreement, a => a.Parties).Select(a => new SummaryItem(a.State.Id, Kebab.Of(a.State.State), Kebab.Of(a.State.Mode), a.Since, a.State.OperatorId))),
            SummarySection.Of(InPeriod(requests, Act.ReadDataRequest, r => r.Parties).Select(r => new SummaryItem(r.State.Id, Kebab.Of(r.State.State), null, r.Since, r.State.OperatorId))),
            SummarySection.Of(InPeriod(incidents, Act.ReadIncident, i => i.Parties).Select(i => new SummaryItem(i.State.Id, Kebab.Of(i.State.State), i.State.Source?.Severity, i.Since, i.State.OperatorId))),
            // A listed product is public, but a summary counts only what the caller answers for.
            SummarySection.Of(InPeriod(products, Act.ReadProduct, p => p.Parties with { IsPublic = false })
                .Select(p => new SummaryItem(p.State.Id, Kebab.Of(p.State.State), Kebab.Of(p.State.Kind), p.Since, p.State.OperatorId))),
            // Evaluations by result; the category is what became of the agreement after a failure (Art. 18).
            SummarySection.Of(InPeriod(evaluations, Act.ReadEvaluation, v => v.Parties)
                .Select(v => new SummaryItem(v.State.Id, Kebab.Of(v.State.State), v.State.Outcome is { } o ? Kebab.Of(o) : null, v.Since, v.State.OperatorId))),
            suspensions.Where(s => AgreementVisible(s.Agreement)).Select(s => Action(s.Agreement, s.Event, s.Event.Reason)).ToArray(),
            terminations.Where(t => AgreementVisible(t.Agreement)).Select(t => Action(t.Agreement, t.Event, t.Event.Reason)).ToArray());
    }

    /// <summary>The states of one kind folded so far, with when each came into being (its first event).</summary>
    private sealed class Ledger<TState> where TState : class
    {
        private readonly Dictionary<string, (TState State, DateTimeOffset Since)> _entries = new(StringComparer.Ordinal);

        public IEnumerable<(TState State, DateTimeOffset Since)> Entries => _entries.Values;

        public void Fold(string id, DateTimeOffset at, Func<TState?, TState> evolve) =>
            _entries[id] = _entries.TryGetValue(id, out var entry) ? (evolve(entry.State), entry.Since) : (evolve(null), at);
    }
}
