using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using HdrHistogram;

namespace JinanDataOps.LoadTests;

public sealed record LoadResult(string Name, int Clients, long Requests, long Failures, TimeSpan Duration, HistogramBase Latency)
{
    public double PerSecond => Requests / Duration.TotalSeconds;

    public double Ms(double percentile) => Latency.TotalCount == 0 ? double.NaN : Latency.GetValueAtPercentile(percentile) / (Stopwatch.Frequency / 1000.0);
}

/// <summary>A request the generator sends: built fresh for each call (HttpRequestMessage is single-use).</summary>
public delegate HttpRequestMessage RequestFactory(long sequence);

/// <summary>Closed-loop clients: each sends its next request when the previous one is answered, so the
/// number of requests in flight is the number of clients. Latencies go into an HdrHistogram
/// (Stopwatch ticks, 3 significant digits); only 2xx answers count as done.</summary>
public static class LoadGenerator
{
    public static async Task<LoadResult> Run(string name, HttpClient http, int clients, TimeSpan warmup, TimeSpan measure, RequestFactory next)
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
        await Task.WhenAll(workers);

        var total = new LongHistogram(TimeStamp.Minutes(1), 3);
        foreach (var h in histograms) total.Add(h);
        var result = new LoadResult(name, clients, counts.Sum(), failures.Sum(), measure, total);
        if (firstFailure is not null) Console.WriteLine($"    (first failure in {name} @ {clients}: {firstFailure})");
        return result;
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
