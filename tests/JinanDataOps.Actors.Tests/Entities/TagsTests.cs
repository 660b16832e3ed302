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
    public void An_event_with_consequences_of_a_kind_no_read_model_follows_carries_only_the_reactions_tag() =>
        Assert.Equal([Tags.Reactions], Tags.For(Agreement.Kind, new AgreementSuspended(Provider, At, "failed evaluation", ["fix"], Later)));

    [Fact]
    public void An_event_with_consequences_of_a_followed_kind_carries_both_tags_kind_first() =>
        Assert.Equal([Call.Kind, Tags.Reactions], Tags.For(Call.Kind, new ShortlistPublished(Authority, At, Later)));

    [Fact]
    public void An_event_nothing_reads_by_tag_is_written_without_tags() =>
        Assert.Empty(Tags.For(Agreement.Kind, new AgreementSigned(Provider, At)));

    [Fact]
    public void The_reactions_tag_follows_the_consequence_rules_for_every_event()
    {
        var events = Samples.ByType.Values.OfType<IDomainEvent>().ToArray();
        Assert.NotEmpty(events);

        Assert.All(events, e => Assert.Equal(
            Domain.Reactions.Reactions.HasConsequences(e),
            Tags.For("kind", e).Contains(Tags.Reactions)));
    }

    [Fact]
    public void Only_the_kinds_a_read_model_follows_are_tagged_with_their_kind()
    {
        Assert.All(Samples.ByType.Values.OfType<IDomainEvent>(), e =>
        {
            Assert.Equal("call", Tags.For(Call.Kind, e)[0]);
            Assert.DoesNotContain(Agreement.Kind, Tags.For(Agreement.Kind, e));
        });
    }
}
