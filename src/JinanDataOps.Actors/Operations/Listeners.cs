using System.Threading.Channels;

namespace JinanDataOps.Actors.Operations;

/// <summary>Live listeners of one kind of news (the operations stream, GET /cluster/events): each gets a bounded
/// channel, and one that cannot keep up loses its oldest undelivered items rather than slow the publisher — the same
/// contract as <see cref="Monitoring.AlertStore"/>'s listeners.</summary>
public sealed class Listeners<T>
{
    public const int Buffer = 1_000;

    private readonly Lock _gate = new();
    private readonly List<Channel<T>> _channels = [];

    public void Publish(T item)
    {
        Channel<T>[] channels;
        lock (_gate) channels = [.. _channels];
        foreach (var channel in channels) channel.Writer.TryWrite(item);
    }

    /// <summary>Items published from now on, until the token is cancelled.</summary>
    public async IAsyncEnumerable<T> Listen([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var channel = Channel.CreateBounded<T>(new BoundedChannelOptions(Buffer) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_gate) _channels.Add(channel);
        try
        {
            while (await channel.Reader.WaitToReadAsync(ct).ConfigureAwait(false))
                while (channel.Reader.TryRead(out var item)) yield return item;
        }
        finally
        {
            lock (_gate) _channels.Remove(channel);
        }
    }
}
