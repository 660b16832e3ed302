using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using JinanDataOps.Domain.Common;

namespace JinanDataOps.Domain.Tests.Support;

/// <summary>Given/When/Then over a decider: <c>Given(events).When(command, now).Then(events)</c>.
/// Derive a test class from it to get <see cref="Given"/> for that decider.</summary>
public abstract class DeciderSpec<TDecider, TState, TCommand, TEvent>(string id)
    where TDecider : IDecider<TState, TCommand, TEvent>
    where TState : class
    where TCommand : ICommand
    where TEvent : IDomainEvent
{
    /// <summary>The entity id every scenario of the class uses.</summary>
    protected string Id { get; } = id;

    /// <summary>The state after replaying <paramref name="history"/> on the initial state.</summary>
    protected Scenario Given(params TEvent[] history) => new(history.Aggregate(TDecider.Initial(Id), TDecider.Evolve));

    /// <summary>A state (replayed history) to issue a command against, or to ask for its deadlines.</summary>
    public sealed class Scenario(TState state)
    {
        public TState State { get; } = state;

        public Outcome When(TCommand command, DateTimeOffset now) => new(State, TDecider.Decide(State, command, now));

        public IReadOnlyList<Deadline<TCommand>> Deadlines => TDecider.Deadlines(State);

        /// <summary>The deadlines this state implies, compared structurally (command included).</summary>
        public Scenario ThenDeadlines(params Deadline<TCommand>[] expected)
        {
            Assert.Equal(Structural.DescribeDeadlines(expected), Structural.DescribeDeadlines(TDecider.Deadlines(State)));
            return this;
        }

        public Scenario ThenNoDeadlines() => ThenDeadlines();
    }

    /// <summary>What the decider decided, with the state it decided on.</summary>
    public sealed class Outcome(TState before, Decision<TEvent> decision)
    {
        public Decision<TEvent> Decision { get; } = decision;

        /// <summary>Exactly these events, compared structurally; returns the state they lead to.</summary>
        public Scenario Then(params TEvent[] expected)
        {
            Assert.True(Decision.Rejection is null, $"expected events but the command was rejected: {Decision.Rejection}");
            Assert.NotEmpty(expected);
            Assert.Equal(Structural.Describe(expected), Structural.Describe(Decision.Events));
            return new Scenario(Decision.Events.Aggregate(before, TDecider.Evolve));
        }

        /// <summary>A refusal of this kind; when <paramref name="article"/> is given it must be the cited article
        /// and appear in the error text.</summary>
        public Rejection ThenRejected(RejectionKind kind, string? article = null)
        {
            Assert.Empty(Decision.Events);
            var rejection = Assert.IsType<Rejection>(Decision.Rejection);
            Assert.Equal(kind, rejection.Kind);
            if (article is not null)
            {
                Assert.Equal(article, rejection.Article);
                Assert.Contains(article, rejection.Detail, StringComparison.Ordinal);
            }
            return rejection;
        }

        /// <summary>No events and no refusal: an idempotent repeat, or a command that does not apply (yet).</summary>
        public void ThenNothing()
        {
            Assert.True(Decision.Rejection is null, $"expected nothing but the command was rejected: {Decision.Rejection}");
            Assert.Equal("", Structural.Describe(Decision.Events));
        }
    }
}

/// <summary>Structural comparison through JSON: records with list and dictionary members are not equal by
/// <c>Equals</c> (reference equality of the collections), so both sides are serialized with their runtime types.</summary>
public static class Structural
{
    private static readonly JsonSerializerOptions Options = new()
    {
        Converters = { new JsonStringEnumConverter(), new NormalizedDecimal() },
    };

    public static string Json(object? value) =>
        value is null ? "null" : JsonSerializer.Serialize(value, value.GetType(), Options);

    /// <summary>One line per item: its runtime type and its JSON.</summary>
    public static string Describe<T>(IEnumerable<T> items) =>
        string.Join("\n", items.Select(i => i is null ? "null" : $"{i.GetType().Name} {Json(i)}"));

    /// <summary>A deadline's command is declared as an interface, so it is serialized on its own.</summary>
    public static string DescribeDeadlines<TCommand>(IEnumerable<Deadline<TCommand>> deadlines) =>
        string.Join("\n", deadlines.Select(d => $"{d.Name} @ {d.Due:O} -> {d.Command?.GetType().Name} {Json(d.Command)}"));

    public static void Equal(object? expected, object? actual) => Assert.Equal(Json(expected), Json(actual));

    /// <summary>70m, 70.0m and 70.0000m are the same score: write decimals without trailing zeros.</summary>
    private sealed class NormalizedDecimal : JsonConverter<decimal>
    {
        public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDecimal();

        public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString("G29", CultureInfo.InvariantCulture));
    }
}
