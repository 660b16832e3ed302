using JinanDataOps.Actors.Hosting;
using JinanDataOps.Host.Tests.Infrastructure;

namespace JinanDataOps.Host.Tests;

/// <summary><c>Monitoring:BulkPartsInFlight</c> (cluster-config/README.md): how many bulk batch parts a node's intake
/// has its lanes record at once; a value out of range stops the node at start, with the key named.</summary>
public sealed class IntakeSettingsTests
{
    private static HostSettings Read(params (string Key, string Value)[] values) => Settings.Read(values);

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
