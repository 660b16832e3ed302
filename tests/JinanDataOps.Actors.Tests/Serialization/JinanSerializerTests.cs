using System.Runtime.Serialization;
using System.Text;
using JinanDataOps.Actors.Serialization;
using JinanDataOps.Actors.Tests.Support;

namespace JinanDataOps.Actors.Tests.Serialization;

public sealed class JinanSerializerTests(SerializationFixture fixture) : IClassFixture<SerializationFixture>
{
    public static TheoryData<string> EveryManifest => new(Manifests.ByType.Values.Order(StringComparer.Ordinal));

    [Fact]
    public void Every_registered_type_has_a_sample_and_every_sample_is_registered()
    {
        Assert.Empty(Manifests.ByType.Keys.Except(Samples.ByType.Keys).Select(t => t.Name));
        Assert.Empty(Samples.ByType.Keys.Except(Manifests.ByType.Keys).Select(t => t.Name));
    }

    [Fact]
    public void Manifests_are_unique_and_versioned()
    {
        Assert.Equal(Manifests.ByType.Count, Manifests.ByType.Values.Distinct(StringComparer.Ordinal).Count());
        Assert.All(Manifests.ByType.Values, m => Assert.Matches(@"^[a-z]+(\.[a-z-]+)+\.v[0-9]+$", m));
    }

    [Theory]
    [MemberData(nameof(EveryManifest))]
    public void Every_type_survives_a_round_trip_through_its_manifest(string manifest)
    {
        var sample = Samples.For(manifest);
        var serializer = fixture.Serializer;

        Assert.Equal(manifest, serializer.Manifest(sample));
        var bytes = serializer.ToBinary(sample);
        var back = serializer.FromBinary(bytes, manifest);

        Assert.IsType(sample.GetType(), back);
        // Records holding lists compare by reference, so compare what they write instead.
        Assert.Equal(Encoding.UTF8.GetString(bytes), fixture.Json(back));
    }

    [Theory]
    [MemberData(nameof(EveryManifest))]
    public void Every_type_is_bound_to_the_jinan_serializer(string manifest) =>
        Assert.IsType<JinanSerializer>(fixture.System.Serialization.FindSerializerFor(Samples.For(manifest)));

    [Fact]
    public void A_polymorphic_field_carries_its_own_manifest_inline()
    {
        var json = fixture.Json(Samples.ByType[typeof(Protocol.Execute)]);

        Assert.Contains("\"command\":{\"$m\":\"cmd.call.accept-application.v1\",\"v\":{", json);
    }

    [Fact]
    public void Enums_are_written_in_kebab_case()
    {
        var json = fixture.Json(Samples.DatasetState);

        Assert.Contains("\"domain\":\"transport\"", json);
        Assert.Contains("\"state\":\"registered\"", json);
        Assert.Contains("\"domains\":[\"transport\",\"public-welfare\"]", fixture.Json(Samples.CallState));
    }

    [Fact]
    public void An_unknown_manifest_is_a_serialization_exception() =>
        Assert.Throws<SerializationException>(() => fixture.Serializer.FromBinary("{}"u8.ToArray(), "call.created.v999"));

    [Fact]
    public void An_unknown_manifest_inside_a_polymorphic_field_is_a_serialization_exception() =>
        Assert.Throws<SerializationException>(() => fixture.Serializer.FromBinary(
            """{"entityId":"call-1","command":{"$m":"cmd.call.nuke.v1","v":{}}}"""u8.ToArray(), "msg.execute.v1"));

    [Fact]
    public void An_unregistered_type_is_a_serialization_exception()
    {
        var unregistered = new Unregistered("x");

        Assert.Throws<SerializationException>(() => fixture.Serializer.Manifest(unregistered));
        Assert.Throws<SerializationException>(() => fixture.Serializer.ToBinary(unregistered));
    }

    [Fact]
    public void An_unregistered_type_inside_a_polymorphic_field_is_a_serialization_exception() =>
        Assert.Throws<SerializationException>(() => fixture.Serializer.ToBinary(
            new Protocol.CommandAccepted(new Unregistered("state"), [])));

    [Fact]
    public void An_integer_where_an_enum_name_belongs_is_refused() =>
        Assert.ThrowsAny<Exception>(() => fixture.Serializer.FromBinary(
            """{"by":{"role":0,"org":"x"},"at":"2024-03-01T09:30:00+08:00"}"""u8.ToArray(), "call.published.v1"));

    private sealed record Unregistered(string Name);
}

public sealed class AddedFieldTests(SerializationFixture fixture) : IClassFixture<SerializationFixture>
{
    private static readonly Domain.Agreements.AgreementDrafted Drafted = new(
        Samples.Provider, Samples.At, "app-1", "call-1", "op-quancheng", Domain.Calls.AuthorizationMode.Domain, Samples.Scope,
        Samples.At, Samples.Later, Samples.Clauses);

    [Fact]
    public void An_added_field_is_written_when_it_holds_a_value_and_read_back()
    {
        var withAuthority = Drafted with { AuthorityOrg = "jinan-bdb" };
        var json = fixture.Json(withAuthority);

        Assert.Contains("\"authorityOrg\":\"jinan-bdb\"", json);
        var back = (Domain.Agreements.AgreementDrafted)fixture.Serializer.FromBinary(Encoding.UTF8.GetBytes(json), "agr.drafted.v1");
        Assert.Equal("jinan-bdb", back.AuthorityOrg);
    }

    [Fact]
    public void An_added_field_that_is_null_is_not_written_so_older_entries_stay_as_stored() =>
        Assert.DoesNotContain("authorityOrg", fixture.Json(Drafted));

    [Fact]
    public void A_nullable_field_that_was_always_there_is_still_written_as_null() =>
        Assert.Contains("\"key\":null", fixture.Json(new Domain.Datasets.QualityIssueRaised(Samples.Quancheng, Samples.At, "ds~q1", "gaps")));
}
