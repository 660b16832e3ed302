using System.Diagnostics;
using Akka.Actor;
using Akka.Hosting;
using JinanDataOps.Actors.Clustering;
using JinanDataOps.Actors.Protocol;
using JinanDataOps.Actors.Telemetry;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.Reactions;

namespace JinanDataOps.Actors.Entities;

/// <summary>The outcome of a command as its caller sees it.</summary>
public sealed record Outcome<TState>(TState State, IReadOnlyList<IDomainEvent> Events, Rejection? Rejection)
{
    public bool Accepted => Rejection is null;
}

/// <summary>Asks the shard regions on behalf of the HTTP API and of the consequence projection.
/// A timeout (journal down, node lost) surfaces as <see cref="AskTimeoutException"/> or a cancellation; callers
/// map it to 503 or retry. While the node knows of trouble (<see cref="Degradation"/>) a request waits at most
/// <paramref name="degradedTimeout"/>: the messages of one sent to a node that has just died are lost, and its
/// caller does better to retry once the entity has moved than to wait out the whole timeout.</summary>
public sealed class EntityGateway(ActorRegistry registry, TimeSpan timeout, Degradation degradation, TimeSpan degradedTimeout)
{
    public TimeSpan Timeout { get; } = timeout;

    private long _executed;

    /// <summary>Commands this node's gateway has sent to entities since it started (the API's and the consequence
    /// projection's alike): the live operations summary turns it into commands per second, per node.</summary>
    public long CommandsExecuted => Interlocked.Read(ref _executed);

    /// <summary>Longest entity id routed at all: ids come from URLs and bodies, and a persistence id must
    /// fit the journal's column. Anything longer cannot exist, so it is not asked about.</summary>
    public const int MaxIdLength = 160;

    private IActorRef RegionOf<TDecider>() => registry.Get<Region<TDecider>>();

    private static bool Routable(string? id) => !string.IsNullOrWhiteSpace(id) && id.Length <= MaxIdLength;

    public async Task<Outcome<TState>> Execute<TDecider, TState>(string id, ICommand command, CancellationToken ct = default)
        where TState : class
    {
        var aggregate = AggregateName<TDecider>.Value;
        if (!Routable(id))
        {
            Instruments.Command(aggregate, RejectionKind.NotFound);
            return new Outcome<TState>(null!, [], Rejection.NotFound($"no resource has the id '{Shorten(id)}'"));
        }
        // A command must be journaled: with the journal's database known to be down it is refused at once.
        if (degradation.Reasons.TryGetValue(Degradation.Journal, out var journal))
        {
            Instruments.Command(aggregate, Instruments.Outcome.Unavailable);
            throw new JournalUnavailableException(journal);
        }
        Interlocked.Increment(ref _executed);
        // The span of the ask (null unless tracing is on); its context travels in the command, so the entity's journal
        // write — on another thread, perhaps another node — joins the same trace.
        using var span = Instruments.Source.StartActivity(AggregateName<TDecider>.ExecuteSpan, ActivityKind.Client);
        span?.SetTag("jdo.aggregate", aggregate);
        span?.SetTag("jdo.entity_id", id);
        span?.SetTag("jdo.command", command.GetType().Name);
        IJinanMessage reply;
        try
        {
            reply = await Ask<IJinanMessage>(RegionOf<TDecider>(), new Execute(id, command, span?.Id), ct);
        }
        catch (Exception ex) when (ex is AskTimeoutException or OperationCanceledException)
        {
            var outcome = ex is OperationCanceledException && ct.IsCancellationRequested ? Instruments.Outcome.Cancelled : Instruments.Outcome.Timeout;
            Instruments.Command(aggregate, outcome);
            span?.SetTag("jdo.outcome", outcome);
            span?.SetStatus(ActivityStatusCode.Error, outcome);
            throw;
        }
        switch (reply)
        {
            case CommandAccepted a:
                Instruments.Command(aggregate, Instruments.Outcome.Accepted);
                span?.SetTag("jdo.outcome", Instruments.Outcome.Accepted);
                return new Outcome<TState>((TState)a.State, a.Events, null);
            case CommandRejected r:
                Instruments.Command(aggregate, r.Rejection.Kind);
                span?.SetTag("jdo.outcome", Instruments.Outcome.Rejected);
                span?.SetTag("jdo.rejection", Instruments.CodeOf(r.Rejection.Kind));
                return new Outcome<TState>(null!, [], r.Rejection);
            case CommandNotRecorded n:
                Instruments.Command(aggregate, Instruments.Outcome.NotRecorded);
                span?.SetStatus(ActivityStatusCode.Error, Instruments.Outcome.NotRecorded);
                throw new JournalUnavailableException(n.Reason);
            default:
                throw new InvalidOperationException($"unexpected reply {reply.GetType().Name}");
        }
    }

    /// <summary>The entity's state, or null when it does not exist.</summary>
    public async Task<TState?> Get<TDecider, TState>(string id, CancellationToken ct = default) where TState : class
    {
        if (!Routable(id)) return null;
        using var span = Instruments.Source.StartActivity(AggregateName<TDecider>.GetSpan, ActivityKind.Client);
        span?.SetTag("jdo.aggregate", AggregateName<TDecider>.Value);
        span?.SetTag("jdo.entity_id", id);
        var reply = await Ask<CurrentState>(RegionOf<TDecider>(), new GetState(id), ct);
        return reply.Exists ? (TState)reply.State : null;
    }

    /// <summary>The state of the entity of whichever kind has <typeparamref name="TState"/>, or null.</summary>
    public async Task<TState?> GetState<TState>(string id, CancellationToken ct = default) where TState : class =>
        (TState?)await EntityKinds.ForState(typeof(TState)).Get(this, id, ct);

    /// <summary>Sends a reaction's command to the entity of the kind that takes it; the refusal, if any.</summary>
    public Task<Rejection?> Send(Dispatch dispatch, CancellationToken ct = default) =>
        EntityKinds.ForCommand(dispatch.Command).Execute(this, dispatch.EntityId, dispatch.Command, ct);

    private async Task<T> Ask<T>(IActorRef region, object message, CancellationToken ct)
    {
        if (degradation.IsDegraded) return await region.Ask<T>(message, Min(Timeout, degradedTimeout), ct);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var ask = region.Ask<T>(message, Timeout, cancel.Token);
        // Trouble that begins while the request waits leaves it the degraded timeout from then on.
        if (await Task.WhenAny(ask, degradation.Began) != ask) cancel.CancelAfter(Min(Timeout, degradedTimeout));
        return await ask;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static string Shorten(string? id) => id is null ? "" : id.Length <= 40 ? id : id[..40] + "…";
}

/// <summary>The name of an aggregate as its shard region and its persistence ids have it (the decider's static
/// <c>Kind</c>), looked up once per decider type: the gateway's metrics and spans label with it on every call.</summary>
internal static class AggregateName<TDecider>
{
    public static readonly string Value =
        typeof(TDecider).GetProperty("Kind", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)?.GetValue(null) as string
        ?? Kebab.Of(typeof(TDecider).Name);

    public static readonly string ExecuteSpan = "execute " + Value;

    public static readonly string GetSpan = "get " + Value;
}

/// <summary>The journal's database does not answer (<see cref="Degradation.Journal"/>): nothing can be recorded now.</summary>
public sealed class JournalUnavailableException(string problem) : Exception($"the journal is unavailable: {problem}")
{
    public string Problem { get; } = problem;
}
