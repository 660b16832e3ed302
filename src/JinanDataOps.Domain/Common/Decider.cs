namespace JinanDataOps.Domain.Common;

/// <summary>Every event records who did what, when (Art. 8(5), 17: the work log is attributable).</summary>
public interface IDomainEvent
{
    Caller By { get; }
    DateTimeOffset At { get; }
}

/// <summary>Events that carry a stated reason; the work log shows it as "why".</summary>
public interface IHasReason
{
    string Reason { get; }
}

/// <summary>Every command names its caller so the decider can check the role and organisation.</summary>
public interface ICommand
{
    Caller By { get; }
}

/// <summary>A moment at which the platform itself must issue a command to the entity
/// (a window closing, a notice ending, an agreement expiring).</summary>
public sealed record Deadline<TCommand>(string Name, DateTimeOffset Due, TCommand Command);

/// <summary>The decider of one aggregate: pure <c>Decide</c> and total <c>Evolve</c>, plus the
/// deadlines its current state implies, so a host can re-arm them after any restart.</summary>
public interface IDecider<TState, TCommand, TEvent>
    where TState : class
    where TCommand : ICommand
    where TEvent : IDomainEvent
{
    static abstract string Kind { get; }
    static abstract TState Initial(string id);
    static abstract bool Exists(TState state);
    static abstract Decision<TEvent> Decide(TState state, TCommand command, DateTimeOffset now);
    static abstract TState Evolve(TState state, TEvent @event);
    static abstract IReadOnlyList<Deadline<TCommand>> Deadlines(TState state);
}
