namespace JinanDataOps.Host.Tests.Infrastructure;

/// <summary>One host process per fixture, started before the first test of its class (or collection) and
/// killed after the last. Subclasses add configuration or a shared scenario.</summary>
public class HostFixture : IAsyncLifetime
{
    public HostFixture() : this(null)
    {
    }

    protected HostFixture(IReadOnlyDictionary<string, string>? environment)
    {
        Host = new HostProcess(environment);
        Api = new ApiClient(Host);
        Procedure = new Procedure(Api);
    }

    public HostProcess Host { get; }

    public ApiClient Api { get; }

    public Procedure Procedure { get; }

    public virtual async Task InitializeAsync() => await Host.StartAsync();

    public async Task DisposeAsync()
    {
        Api.Dispose();
        await Host.DisposeAsync();
    }
}

/// <summary>C, D and F share one host: their tests are quick and need no timers.</summary>
[CollectionDefinition(Name)]
public sealed class SharedHostCollection : ICollectionFixture<HostFixture>
{
    public const string Name = "shared host";
}
