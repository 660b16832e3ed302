using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using HdrHistogram;

namespace JinanDataOps.LoadTests;

/// <param name="HostCpu">CPU time the host process used during the measured window (null when not sampled).</param>
/// <param name="ClientCpu">CPU time this load generator used during the same window.</param>
public sealed record LoadResult(string Name, int Clients, long Requests, long Failures, TimeSpan Duration, HistogramBase Latency,
    TimeSpan? HostCpu = null, TimeSpan? ClientCpu = null)
{
    public double PerSecond => Requests / Duration.TotalSeconds;

    /// <summary>The host's CPU per answered request, in µs: what a command costs the platform.</summary>
    public double? HostCpuUsPerRequest => HostCpu is { } c && Requests > 0 ? c.TotalMicroseconds / Requests : null;

    /// <summary>Cores the load generator kept busy: on a shared machine, taken from the host.</summary>
    public double? ClientCores => ClientCpu is { } c ? c.TotalSeconds / Duration.TotalSeconds : null;

    public double Ms(double percentile) => Latency.TotalCount == 0 ? double.NaN : Latency.GetValueAtPercentile(percentile) / (Stopwatch.Frequency / 1000.0);
}

/// <summary>A request the generator sends: built fresh for each call (HttpRequestMessage is single-use).</summary>
public delegate HttpRequestMessage RequestFactory(long sequence);

/// <summary>Closed-loop clients: each sends its next request when the previous one is answered, so the
/// number of requests in flight is the number of clients. Latencies go into an HdrHistogram
/// (Stopwatch ticks, 3 significant digits); only 2xx answers count as done.</summary>
public static class LoadGenerator
{
    public static async Task<LoadResult> Run(string name, HttpClient http, int clients, TimeSpan warmup, TimeSpan measure, RequestFactory next,
        Func<TimeSpan>? hostCpu = null)
    {
        var histograms = new LongHistogram[clients];
        var counts = new long[clients];
        var failures = new long[clients];
        long sequence = 0;
        var started = Stopwatch.GetTimestamp();
        var measureFrom = started + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var stopAt = measureFrom + (long)(measure.TotalSeconds * Stopwatch.Frequency);
        string? firstFailure = null;

        var workers = Enumerable.Range(0, clients).Select(i => Task.Run(async () =>
        {
            var histogram = histograms[i] = new LongHistogram(TimeStamp.Minutes(1), 3);
            while (true)
            {
                var t0 = Stopwatch.GetTimestamp();
                if (t0 >= stopAt) return;
                bool ok;
                try
                {
                    using var request = next(Interlocked.Increment(ref sequence));
                    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
                    ok = response.IsSuccessStatusCode;
                    if (!ok && firstFailure is null) firstFailure = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    ok = false;
                    firstFailure ??= ex.Message;
                }
                var t1 = Stopwatch.GetTimestamp();
                if (t0 < measureFrom || t1 > stopAt) continue; // warm-up, or straddling the end
                if (ok)
                {
                    histogram.RecordValue(t1 - t0);
                    counts[i]++;
                }
                else failures[i]++;
            }
        })).ToArray();
        var cpu = SampleCpu(measureFrom, stopAt, hostCpu);
        await Task.WhenAll(workers);
        var (hostUsed, clientUsed) = await cpu;

        var total = new LongHistogram(TimeStamp.Minutes(1), 3);
        foreach (var h in histograms) total.Add(h);
        var result = new LoadResult(name, clients, counts.Sum(), failures.Sum(), measure, total, hostUsed, clientUsed);
        if (firstFailure is not null) Console.WriteLine($"    (first failure in {name} @ {clients}: {firstFailure})");
        return result;
    }

    /// <summary>CPU used by the host and by this process between two instants of the run.</summary>
    private static async Task<(TimeSpan? Host, TimeSpan Client)> SampleCpu(long from, long to, Func<TimeSpan>? hostCpu)
    {
        static async Task Until(long at)
        {
            var wait = (at - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency;
            if (wait > 0) await Task.Delay(TimeSpan.FromSeconds(wait));
        }
        var self = Process.GetCurrentProcess();
        await Until(from);
        self.Refresh();
        var (host0, client0) = (hostCpu?.Invoke(), self.TotalProcessorTime);
        await Until(to);
        self.Refresh();
        var (host1, client1) = (hostCpu?.Invoke(), self.TotalProcessorTime);
        return (host1 - host0, client1 - client0);
    }

    public static HttpClient Client(Uri baseAddress, int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        EnableMultipleHttp2Connections = false,
    })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(60),
    };

    public static HttpRequestMessage Json(HttpMethod method, string path, string token, string body)
    {
        var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }
}
