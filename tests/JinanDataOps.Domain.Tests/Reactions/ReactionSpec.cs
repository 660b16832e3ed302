using System.Text.Json;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.Reactions;

namespace JinanDataOps.Domain.Tests.Reactions;

/// <summary>Given/When/Then over the reaction table: <c>Given(states).When(event, source).Then(dispatches)</c>.
/// The facts are the given states, read by their id; commands are compared with their runtime type.</summary>
public static class ReactionSpec
{
    public const string CityAuthority = "jinan-bda";

    public static Facts Given(params object[] states) => new(states);

    public sealed class Facts(IEnumerable<object> states) : IFacts
    {
        private readonly Dictionary<(Type, string), object> _states = states.ToDictionary(s => (s.GetType(), IdOf(s)));

        public Task<TState?> Get<TState>(string id) where TState : class =>
            Task.FromResult(_states.TryGetValue((typeof(TState), id), out var s) ? (TState)s : null);

        public Outcome When(IDomainEvent e, string sourceId, TimeSpan? securityReportEvery = null)
        {
            var context = new ReactionContext(sourceId, this, new ReactionSettings(CityAuthority, securityReportEvery));
            var dispatches = new List<Dispatch>();
            // Carried out one by one, as the host does.
            var reaction = JinanDataOps.Domain.Reactions.Reactions.React(e, context).GetAsyncEnumerator();
            while (reaction.MoveNextAsync().AsTask().GetAwaiter().GetResult()) dispatches.Add(reaction.Current);
            return new Outcome(dispatches);
        }

        private static string IdOf(object state) => (string)state.GetType().GetProperty("Id")!.GetValue(state)!;
    }

    public sealed class Outcome(IReadOnlyList<Dispatch> dispatches)
    {
        public IReadOnlyList<Dispatch> Dispatches { get; } = dispatches;

        /// <summary>Exactly these commands, in this order.</summary>
        public void Then(params Dispatch[] expected) => Assert.Equal(Describe(expected), Describe(Dispatches));

        public void ThenNothing() => Then();
    }

    public static Dispatch To(string entityId, ICommand command) => new(entityId, command);

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    private static string Describe(IEnumerable<Dispatch> dispatches) => string.Join("\n", dispatches.Select(d =>
        $"{d.EntityId} ← {d.Command.GetType().Name} {JsonSerializer.Serialize(d.Command, d.Command.GetType(), Options)}"));
}
