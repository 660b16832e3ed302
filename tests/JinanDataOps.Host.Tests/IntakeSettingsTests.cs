using JinanDataOps.Actors.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;

namespace JinanDataOps.Host.Tests;

/// <summary><c>Monitoring:BulkPartsInFlight</c> (cluster-config/README.md): how many bulk batch parts a node's intake
/// has its lanes record at once; a value out of range stops the node at start, with the key named.</summary>
public sealed class IntakeSettingsTests
{
    private static HostSettings Read(params (string Key, string Value)[] values) => HostSettings.Read(
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))
            .Append(KeyValuePair.Create("Auth:SigningKey", (string?)new string('k', 32)))
            .Append(KeyValuePair.Create("Persistence:Provider", (string?)"memory"))).Build(),
        new HostingEnvironment { EnvironmentName = "Development" });

    [Fact]
    public void Unset_it_is_the_default_and_set_it_is_taken() =>
        Assert.Equal((PlatformOptions.DefaultBulkPartsInFlight, 8),
            (Read().Platform.BulkPartsInFlight, Read(("Monitoring:BulkPartsInFlight", "8")).Platform.BulkPartsInFlight));

    [Theory]
    [InlineData("0")]
    [InlineData("1001")]
    public void Out_of_range_it_stops_the_node_naming_the_key(string value) =>
        Assert.Contains("Monitoring:BulkPartsInFlight", Assert.Throws<InvalidOperationException>(() => Read(("Monitoring:BulkPartsInFlight", value))).Message);
}
