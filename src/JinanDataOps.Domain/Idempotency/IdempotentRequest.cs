using JinanDataOps.Domain.Common;

namespace JinanDataOps.Domain.Idempotency;

/// <summary>The first answer to a create sent with an Idempotency-Key: what every repeat answers (API.md "Identity").</summary>
public sealed record StoredResponse(int Status, string Body, string? Location);

public enum IdempotentRequestStatus { None, InFlight, Completed }

/// <summary>One Idempotency-Key of one organisation on one route. <see cref="RequestHash"/> identifies the request
/// that took the key (method, path and body); <see cref="Since"/> is when its attempt started.</summary>
public sealed record IdempotentRequestState(
    string Id, IdempotentRequestStatus State, string? RequestHash, DateTimeOffset? Since, StoredResponse? Response)
{
    /// <summary>Whether the key was taken by another request than this one: a repeat must be the same request.</summary>
    public bool TakenByOther(string requestHash) => State != IdempotentRequestStatus.None && RequestHash != requestHash;
}

public interface IIdempotentRequestCommand : ICommand;

/// <summary>An attempt starts: it takes the key unless another attempt holds it, within <paramref name="Lease"/>.
/// A lease longer than the platform's answer time lets an attempt whose node died be taken over.</summary>
public sealed record BeginRequest(Caller By, string RequestHash, TimeSpan Lease) : IIdempotentRequestCommand;

/// <summary>The attempt answered with success: its answer is kept for every repeat.</summary>
public sealed record CompleteRequest(Caller By, string RequestHash, StoredResponse Response) : IIdempotentRequestCommand;

/// <summary>The attempt was refused or failed: nothing was created, so the key is free again (a corrected request may use it).</summary>
public sealed record AbandonRequest(Caller By, string RequestHash) : IIdempotentRequestCommand;

public interface IIdempotentRequestEvent : IDomainEvent;
public sealed record RequestStarted(Caller By, DateTimeOffset At, string RequestHash) : IIdempotentRequestEvent;
public sealed record RequestCompleted(Caller By, DateTimeOffset At, string RequestHash, StoredResponse Response) : IIdempotentRequestEvent;
public sealed record RequestAbandoned(Caller By, DateTimeOffset At, string RequestHash) : IIdempotentRequestEvent;

/// <summary><c>None → InFlight → Completed</c>, or back to <c>None</c> when abandoned. One entity per (organisation,
/// route, key), so concurrent repeats are decided one after the other on whichever node holds it: exactly one
/// attempt runs, the others wait for its answer; the journal is the only store.</summary>
public sealed class IdempotentRequest : IDecider<IdempotentRequestState, IIdempotentRequestCommand, IIdempotentRequestEvent>
{
    public static string Kind => "idempotency";

    public static IdempotentRequestState Initial(string id) => new(id, IdempotentRequestStatus.None, null, null, null);

    public static bool Exists(IdempotentRequestState state) => state.State != IdempotentRequestStatus.None;

    public static IReadOnlyList<Deadline<IIdempotentRequestCommand>> Deadlines(IdempotentRequestState state) => [];

    public static Decision<IIdempotentRequestEvent> Decide(IdempotentRequestState s, IIdempotentRequestCommand command, DateTimeOffset now) => command switch
    {
        // Completed, or held by a live attempt: nothing to start; the caller reads the state (replay, wait or 422).
        BeginRequest c => s.State switch
        {
            IdempotentRequestStatus.None => Decision<IIdempotentRequestEvent>.Accept(new RequestStarted(c.By, now, c.RequestHash)),
            IdempotentRequestStatus.InFlight when now >= s.Since + c.Lease && s.RequestHash == c.RequestHash =>
                Decision<IIdempotentRequestEvent>.Accept(new RequestStarted(c.By, now, c.RequestHash)),
            _ => Decision<IIdempotentRequestEvent>.Nothing,
        },
        CompleteRequest c => s.State == IdempotentRequestStatus.InFlight && s.RequestHash == c.RequestHash
            ? Decision<IIdempotentRequestEvent>.Accept(new RequestCompleted(c.By, now, c.RequestHash, c.Response))
            : Decision<IIdempotentRequestEvent>.Nothing,
        AbandonRequest c => s.State == IdempotentRequestStatus.InFlight && s.RequestHash == c.RequestHash
            ? Decision<IIdempotentRequestEvent>.Accept(new RequestAbandoned(c.By, now, c.RequestHash))
            : Decision<IIdempotentRequestEvent>.Nothing,
        _ => Rejection.Validation($"unknown idempotency command {command.GetType().Name}"),
    };

    public static IdempotentRequestState Evolve(IdempotentRequestState s, IIdempotentRequestEvent e) => e switch
    {
        RequestStarted x => s with { State = IdempotentRequestStatus.InFlight, RequestHash = x.RequestHash, Since = x.At },
        RequestCompleted x => s with { State = IdempotentRequestStatus.Completed, RequestHash = x.RequestHash, Response = x.Response },
        RequestAbandoned => s with { State = IdempotentRequestStatus.None, RequestHash = null, Since = null },
        _ => s,
    };
}
