using System.Net;
using Akka.Actor;
using JinanDataOps.Actors.Hosting;

namespace JinanDataOps.Host;

/// <summary>Cluster:Discovery=config: this node's management endpoint on Cluster:ManagementPort, bound on
/// Cluster:Hostname like remoting. It answers Cluster Bootstrap's <c>GET /bootstrap/seed-nodes</c> from the other nodes
/// (<see cref="ClusterBootstrapContactPoint"/> says why the host serves it) and nothing else; a Kestrel server of its own,
/// so the API's listen addresses (--urls) stay as they are and the route is never on the API's port.</summary>
public sealed class ContactPointServer(ActorSystem system, PlatformOptions options, ILoggerFactory logging) : IHostedService, IAsyncDisposable
{
    private WebApplication? _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // An empty builder: no configuration sources, so ASPNETCORE_URLS and --urls, meant for the API, do not reach it;
        // and no log providers, so its "Now listening on" is not taken for the API's (operators, the host tests).
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            foreach (var address in BindAddresses(options.Hostname)) k.Listen(address, options.ManagementPort);
        });
        var server = builder.Build();
        var maxSeedNodes = ClusterBootstrapContactPoint.MaxSeedNodes(system);
        server.Run(async http =>
        {
            if (!HttpMethods.IsGet(http.Request.Method) || http.Request.Path != ClusterBootstrapContactPoint.Path)
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(ClusterBootstrapContactPoint.SeedNodesJson(system, maxSeedNodes), http.RequestAborted);
        });
        try
        {
            await server.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            await server.DisposeAsync();
            throw new InvalidOperationException($"Cluster:ManagementPort {options.ManagementPort} cannot be bound on {options.Hostname}: {ex.Message}", ex);
        }
        _server = server;
        logging.CreateLogger<ContactPointServer>().LogInformation("Cluster Bootstrap contact point on {Host}:{Port} (listed as {Self}); contact points {Endpoints}",
            options.Hostname, options.ManagementPort, ClusterBootstrapContactPoint.SelfBaseUri(options), string.Join(", ", options.DiscoveryEndpoints));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null) await _server.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    private static IPAddress[] BindAddresses(string host) =>
        IPAddress.TryParse(host, out var ip) ? [ip]
        : host == "localhost" ? [IPAddress.Loopback]
        : Dns.GetHostAddresses(host);
}
