using System.Diagnostics;

namespace JinanDataOps.Host.Tests.Infrastructure;

/// <summary>Polling for what happens asynchronously (timers, consequences, eventually consistent lists):
/// the probe is retried until it stops throwing, or the timeout passes and its last failure is rethrown.</summary>
public static class Wait
{
    /// <summary>Generous on purpose: a slow two-core machine runs several hosts at once.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(150);

    public static async Task<T> Eventually<T>(Func<Task<T>> probe, TimeSpan? timeout = null, Func<string>? diagnostics = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await probe();
            }
            catch (Exception ex) when (clock.Elapsed < limit)
            {
                _ = ex;
                await Task.Delay(Interval);
            }
            catch (Exception ex)
            {
                throw new TimeoutException($"not reached within {limit.TotalSeconds:F0} s: {ex.Message}\n{diagnostics?.Invoke()}", ex);
            }
        }
    }

    public static Task Eventually(Func<Task> probe, TimeSpan? timeout = null, Func<string>? diagnostics = null) =>
        Eventually(async () =>
        {
            await probe();
            return true;
        }, timeout, diagnostics);
}
