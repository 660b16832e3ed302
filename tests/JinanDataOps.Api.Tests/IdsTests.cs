using JinanDataOps.Api.Http;

namespace JinanDataOps.Api.Tests;

public class IdsTests
{
    [Fact]
    public void The_same_idempotency_key_from_the_same_caller_on_the_same_route_gives_the_same_id() =>
        Assert.Equal(Ids.New("call", "city", "calls", "k-1"), Ids.New("call", "city", "calls", "k-1"));

    [Fact]
    public void Another_caller_with_the_same_key_gets_another_id() =>
        Assert.NotEqual(Ids.New("call", "city", "calls", "k-1"), Ids.New("call", "district", "calls", "k-1"));

    [Fact]
    public void Another_route_with_the_same_key_gets_another_id() =>
        Assert.NotEqual(Ids.New("app", "op", "calls/a/applications", "k"), Ids.New("app", "op", "calls/b/applications", "k"));

    [Fact]
    public void Without_a_key_every_id_is_new() =>
        Assert.NotEqual(Ids.New("req", "op", "data-requests", null), Ids.New("req", "op", "data-requests", null));

    [Fact]
    public void Minted_ids_carry_their_prefix_and_are_url_safe()
    {
        var id = Ids.New("req", "op", "data-requests", null);
        Assert.StartsWith("req-", id);
        Assert.Matches("^req-[a-z2-7]{16}$", id);
    }

    [Theory]
    [InlineData("bus-ridership", true)]
    [InlineData("ds.2026_01", true)]
    [InlineData("a", false)]
    [InlineData("-leading-dash", false)]
    [InlineData("Upper", false)]
    [InlineData("has space", false)]
    [InlineData("slash/inside", false)]
    [InlineData(null, false)]
    public void Client_chosen_ids_are_short_lower_case_and_url_safe(string? id, bool valid) =>
        Assert.Equal(valid, Ids.IsValidClientId(id));

    [Fact]
    public void A_client_id_longer_than_64_characters_is_refused() =>
        Assert.False(Ids.IsValidClientId(new string('a', 65)));
}
