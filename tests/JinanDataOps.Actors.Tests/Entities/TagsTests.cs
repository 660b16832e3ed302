using JinanDataOps.Actors.Consequences;
using JinanDataOps.Actors.Entities;
using JinanDataOps.Actors.Tests.Support;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.Agreements;
using JinanDataOps.Domain.Calls;
using static JinanDataOps.Actors.Tests.Support.Samples;

namespace JinanDataOps.Actors.Tests.Entities;

public sealed class TagsTests
{
    [Fact]
    public void An_event_without_consequences_is_tagged_with_its_kind_only() =>
        Assert.Equal([Call.Kind], Tags.For(Call.Kind, new CallPublished(Authority, At)));

    [Fact]
    public void An_event_with_consequences_is_also_tagged_for_the_reactions_projection() =>
        Assert.Equal([Agreement.Kind, Tags.Reactions], Tags.For(Agreement.Kind, new AgreementSuspended(Provider, At, "failed evaluation", ["fix"], Later)));

    [Fact]
    public void The_reactions_tag_follows_the_consequence_rules_for_every_event()
    {
        var events = Samples.ByType.Values.OfType<IDomainEvent>().ToArray();
        Assert.NotEmpty(events);

        Assert.All(events, e => Assert.Equal(
            ConsequenceRules.HasConsequences(e),
            Tags.For("kind", e).Contains(Tags.Reactions)));
    }

    [Fact]
    public void The_kind_tag_always_comes_first() =>
        Assert.All(Samples.ByType.Values.OfType<IDomainEvent>(), e => Assert.Equal("kind", Tags.For("kind", e)[0]));
}
