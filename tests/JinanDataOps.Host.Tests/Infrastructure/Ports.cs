using System.Net;
using System.Net.Sockets;

namespace JinanDataOps.Host.Tests.Infrastructure;

/// <summary>Ports for what must be named before a process starts (Akka ports that seed nodes list, management endpoints).
/// The HTTP port needs none: each host binds port 0 and says which it got.</summary>
public static class Ports
{
    /// <summary>A port nobody listens on at this moment (another process may still take it before it is bound).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
