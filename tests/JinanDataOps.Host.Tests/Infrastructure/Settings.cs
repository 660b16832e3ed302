using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;

namespace JinanDataOps.Host.Tests.Infrastructure;

/// <summary>The host's settings read in-process from the given keys (plus a signing key and the in-memory journal, which
/// every start needs), in Development: for the tests of what a node accepts and refuses at start.</summary>
public static class Settings
{
    public static HostSettings Read(params (string Key, string Value)[] values) => HostSettings.Read(
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))
            .Append(KeyValuePair.Create("Auth:SigningKey", (string?)new string('k', 32)))
            .Append(KeyValuePair.Create("Persistence:Provider", (string?)"memory"))).Build(),
        new HostingEnvironment { EnvironmentName = "Development" });
}
