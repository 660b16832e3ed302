using JinanDataOps.Actors.Entities;
using JinanDataOps.Actors.Hosting;
using JinanDataOps.Actors.Monitoring;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.Reactions;
using Microsoft.Extensions.Logging;

namespace JinanDataOps.Actors.Consequences;

/// <summary>Carries out what an event means for other entities: the policy is the reaction table in Domain
/// (<see cref="Reactions"/>); this only reads the facts it asks for and sends the commands it yields, in order.
/// Every command is idempotent in its decider, so handling an event twice (after a crash before the offset was
/// stored) is harmless. A rejection is a final answer and is logged; an exception (timeout) makes the
/// projection retry.</summary>
public sealed class ConsequenceHandler(EntityGateway gateway, PlatformOptions platform, ILogger<ConsequenceHandler> log)
{
    private readonly ReactionSettings _settings = new(platform.CityAuthority, platform.SecurityReportEvery);

    /// <summary>Runs at once the consequences of events a request has just persisted, so its caller sees
    /// them in the answer; the projection repeats them later, and the repeat decides nothing.</summary>
    public async Task HandleNow(string kind, string entityId, IReadOnlyList<IDomainEvent> events, CancellationToken ct)
    {
        foreach (var e in events)
            if (Reactions.HasConsequences(e)) await Handle(PersistenceIds.For(kind, entityId), e, ct);
    }

    public async Task Handle(string persistenceId, IDomainEvent e, CancellationToken ct)
    {
        var domainEvent = e is AlertsRaised raised ? Violations(raised) : e;
        if (Reactions.KindOf(domainEvent) is not { } kind) return;
        var context = new ReactionContext(PersistenceIds.EntityIdOf(kind, persistenceId), new EntityFacts(gateway, ct), _settings);
        await foreach (var dispatch in Reactions.React(domainEvent, context).WithCancellation(ct))
        {
            var rejection = await gateway.Send(dispatch, ct);
            if (rejection is not null)
                log.LogWarning("consequence {Command} on {Id} was refused: {Detail}", dispatch.Command.GetType().Name, dispatch.EntityId, rejection.Detail);
        }
    }

    /// <summary>The alerts of a batch the closed loop acts on, as the reactions see them.</summary>
    public static ViolationsDetected Violations(AlertsRaised raised) => new(raised.By, raised.At,
        raised.ActingAlerts.Select(a => new CriticalAlert(a.Id, a.Rule, Kebab.Of(a.Severity), a.Article, a.OperatorId, a.DataRequestId, a.AgreementId,
            a.Summary, a.Evidence)).ToArray(),
        raised.SuspendAgreements, raised.At + raised.RectificationPeriod);

    /// <summary>The facts a reaction reads: the entities' current states, asked of their shards.</summary>
    private sealed class EntityFacts(EntityGateway gateway, CancellationToken ct) : IFacts
    {
        public Task<TState?> Get<TState>(string id) where TState : class => gateway.GetState<TState>(id, ct);
    }
}
