using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Event;

namespace JinanDataOps.Actors.Clustering;

/// <summary>The cluster addresses this actor system has found refusing connections on their cluster port: no
/// process listens there any more, so the node that was there has crashed (or been killed). Shared by the
/// <see cref="CrashedNodeWatcher"/>, which finds them, and the <see cref="CrashAwareFailureDetector"/>, which
/// reports them unavailable — one set per actor system, found through its event stream, the one object the
/// failure detector is given.</summary>
public sealed class CrashedNodes
{
    private static readonly ConditionalWeakTable<EventStream, CrashedNodes> PerSystem = new();

    private readonly ConcurrentDictionary<string, byte> _addresses = new();

    public static CrashedNodes Of(EventStream stream) => PerSystem.GetValue(stream, _ => new CrashedNodes());

    public static CrashedNodes Of(ActorSystem system) => Of(system.EventStream);

    /// <summary>Keyed by the address as the failure detector registry names it (<see cref="Address.ToString"/>).</summary>
    public bool Contains(string address) => _addresses.ContainsKey(address);

    public bool Contains(Address address) => Contains(address.ToString());

    public void Add(Address address) => _addresses.TryAdd(address.ToString(), 0);

    public void Remove(Address address) => _addresses.TryRemove(address.ToString(), out _);

    /// <summary>True only when the host answers that nothing listens on the port (TCP reset): that is evidence the
    /// process is gone. A timeout or an unreachable network is no evidence either way — a partition, or a machine
    /// that vanished — and stays with the heartbeat failure detector and the split-brain resolver. A process that
    /// is alive but stalled (GC, a saturated machine) is never taken for dead: the kernel completes the handshake
    /// on its listening socket whether or not the process gets the CPU.</summary>
    public static async Task<bool> RefusesConnections(Address address, TimeSpan timeout)
    {
        if (address.Host is not { Length: > 0 } host || address.Port is not { } port) return false;
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await socket.ConnectAsync(host, port, cancel.Token);
            return false;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
