using JinanDataOps.Domain.Common;

namespace JinanDataOps.Domain.Reactions;

/// <summary>A command for another entity: the entity is named by its id, its kind by the command's type
/// (every command belongs to one decider).</summary>
public sealed record Dispatch(string EntityId, ICommand Command);

/// <summary>The current state of other entities, as a reaction may read it. Reading is all a reaction
/// does besides returning commands: it decides nothing itself, each command is decided by its entity.</summary>
public interface IFacts
{
    /// <summary>The state of the entity with that id, or null when it does not exist.</summary>
    Task<TState?> Get<TState>(string id) where TState : class;
}

/// <summary>What a reaction knows besides the event: the entity that recorded it, the facts it may read
/// and the platform's settings.</summary>
public sealed record ReactionContext(string SourceId, IFacts Facts, ReactionSettings Settings);

/// <summary>Settings the reactions follow. <paramref name="CityAuthority"/> answers an incident that
/// stands under no known agreement (Art. 15: the city authority runs the platform);
/// <paramref name="SecurityReportEvery"/> is how often an authorized operator reports on its operational
/// security (Art. 16: 按要求定期报告), null for no required period.</summary>
public sealed record ReactionSettings(string CityAuthority, TimeSpan? SecurityReportEvery = null);

/// <summary>One row of the reaction table: an event of <paramref name="Kind"/> and what it means for
/// other entities. The commands are yielded one by one and carried out in order before the next is
/// asked for, so a reaction that reads after a command sees its effect (a restored request is then
/// provisioned). Every command is idempotent in its decider: a reaction run twice changes nothing.</summary>
public sealed record ReactionRule(
    Type Event, string Kind, string Article, string Consequence,
    Func<IDomainEvent, ReactionContext, IAsyncEnumerable<Dispatch>> React,
    Func<IDomainEvent, bool>? When = null)
{
    public bool Applies(IDomainEvent e) => Event.IsInstanceOfType(e) && (When is null || When(e));
}
