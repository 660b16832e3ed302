namespace JinanDataOps.Domain.Common;

/// <summary>The outcome of <c>Decide</c>: the events to persist (none when the command is already
/// satisfied) or a rejection.</summary>
public readonly record struct Decision<TEvent>(IReadOnlyList<TEvent> Events, Rejection? Rejection)
{
    public bool IsRejected => Rejection is not null;

    public static implicit operator Decision<TEvent>(Rejection rejection) => new([], rejection);

    /// <summary>Nothing to do: the command is already satisfied (idempotent repeat) or does not apply.</summary>
    public static Decision<TEvent> Nothing => new([], null);

    public static Decision<TEvent> Accept(params TEvent[] events) => new(events, null);

    public static Decision<TEvent> Accept(IEnumerable<TEvent> events) => new(events.ToArray(), null);
}
