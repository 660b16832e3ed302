using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using JinanDataOps.LoadDriver;

namespace JinanDataOps.LoadScenarios;

/// <summary>An answer of the platform: the step's reply (status code, bytes, the problem's text when refused) and its JSON body.</summary>
public sealed record Answer(StepReply Reply, JsonElement Json)
{
    public string Str(string name) => Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
        ? v.GetString()!
        : throw new InvalidOperationException($"the answer has no string '{name}': {Json}");

    public string? State => Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty("state", out var s) ? s.GetString() : null;
}

/// <summary>The platform's HTTP API as the scenarios use it: development tokens (remembered per role and
/// organisation), JSON in and out, every answer turned into a step reply. Given several nodes of a cluster, it
/// sends each request to the next one in turn, as a round-robin load balancer in front of them would.</summary>
public sealed class PlatformClient(IReadOnlyList<HttpClient> nodes)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private readonly ConcurrentDictionary<(string Role, string Org), Lazy<Task<string>>> _tokens = new();
    private long _next;

    public PlatformClient(HttpClient http) : this([http])
    {
    }

    public Uri BaseAddress => nodes[0].BaseAddress!;

    private HttpClient Next() => nodes.Count == 1 ? nodes[0] : nodes[(int)((ulong)Interlocked.Increment(ref _next) % (ulong)nodes.Count)];

    public static HttpClient Http(Uri baseAddress, int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        ConnectTimeout = TimeSpan.FromSeconds(10),
    })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>A token from <c>POST /dev/tokens</c> of the first node (served in Development only: the scenarios act as
    /// every role); the nodes of a cluster share the signing key, so it is good on each.</summary>
    public Task<string> Token(string role, string org) =>
        _tokens.GetOrAdd((role, org), k => new Lazy<Task<string>>(async () =>
        {
            using var response = await nodes[0].PostAsync("/dev/tokens",
                new StringContent(JsonSerializer.Serialize(new { role = k.Role, org = k.Org }), Encoding.UTF8, "application/json"));
            if (response.StatusCode == HttpStatusCode.NotFound)
                throw new PlatformUnavailableException($"{BaseAddress} serves no POST /dev/tokens: the scenarios need a platform started in the Development environment (the README's run command), which issues tokens for every role.");
            if (!response.IsSuccessStatusCode)
                throw new PlatformUnavailableException($"POST /dev/tokens answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return json.RootElement.GetProperty("token").GetString()!;
        })).Value;

    public Task<Answer> Post(string role, string org, string path, object? body, int expect, CancellationToken ct = default) =>
        Send(HttpMethod.Post, role, org, path, body is null ? null : JsonSerializer.Serialize(body, Web), "application/json", expect, ct);

    public Task<Answer> Get(string role, string org, string path, CancellationToken ct = default) =>
        Send(HttpMethod.Get, role, org, path, null, null, 200, ct);

    public Task<Answer> PostNdjson(string role, string org, string path, string ndjson, int expect, CancellationToken ct = default) =>
        Send(HttpMethod.Post, role, org, path, ndjson, "application/x-ndjson", expect, ct);

    private async Task<Answer> Send(HttpMethod method, string role, string org, string path, string? body, string? contentType, int expect, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await Token(role, org));
        long sent = 0;
        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            sent = bytes.Length;
            request.Content = new ByteArrayContent(bytes);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType!);
        }
        using var response = await Next().SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        var text = await response.Content.ReadAsByteArrayAsync(ct);
        var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        JsonElement json = default;
        if (text.Length > 0 && response.Content.Headers.ContentType?.MediaType is { } media && media.Contains("json", StringComparison.Ordinal))
        {
            try
            {
                json = JsonDocument.Parse(text).RootElement.Clone();
            }
            catch (JsonException)
            {
                // Kept as undefined: the status still says what happened.
            }
        }
        if ((int)response.StatusCode == expect) return new Answer(StepReply.Success(status, sent + text.Length), json);
        var detail = json.ValueKind == JsonValueKind.Object
            ? string.Join(" — ", new[] { "code", "detail", "title" }.Select(p => json.TryGetProperty(p, out var v) ? v.ToString() : null).Where(v => v is not null))
            : Encoding.UTF8.GetString(text.AsSpan(0, Math.Min(text.Length, 300)));
        return new Answer(StepReply.Failure(status, $"{method} {path}: {status} (expected {expect}) {detail}", sent + text.Length), json);
    }
}

/// <summary>The platform cannot be driven at all (unreachable, or not in Development): the run stops with exit code 3.</summary>
public sealed class PlatformUnavailableException(string message) : Exception(message);

/// <summary>A scenario's set-up was refused or timed out: no figure would mean anything, the run stops with exit code 3.</summary>
public sealed class SetUpException(string message) : Exception(message);

public static class IterationContextExtensions
{
    /// <summary>Runs an HTTP call as a step and returns its answer (a refusal ends the iteration).</summary>
    public static async Task<Answer> Call(this IterationContext ctx, string step, Func<Task<Answer>> call)
    {
        Answer? answer = null;
        await ctx.Step(step, async () => (answer = await call()).Reply);
        return answer!;
    }

    /// <summary>Waits until <paramref name="reached"/> holds (asked first at <paramref name="since"/>, then every
    /// <paramref name="every"/>) and records the step as the time from <paramref name="since"/> (a platform timer's
    /// instant, or the command that sets it off) to when it was seen: how late the platform acted, to within
    /// <paramref name="every"/>. Gives up <paramref name="patience"/> after the instant.</summary>
    public static async Task Until(this IterationContext ctx, string step, DateTimeOffset since, Func<Task<(bool Reached, string Status)>> reached,
        TimeSpan every, TimeSpan patience)
    {
        // Nothing can have happened before the instant: asking earlier would only load the platform (a thousand
        // operators polling their windows would be most of what it serves).
        var early = since - DateTimeOffset.UtcNow;
        if (early > TimeSpan.Zero) await Task.Delay(early, ctx.Cancellation);
        var giveUp = DateTimeOffset.UtcNow + patience;
        while (true)
        {
            var (ok, status) = await reached();
            var now = DateTimeOffset.UtcNow;
            if (ok)
            {
                ctx.Record(step, StepReply.Success(status), now > since ? now - since : TimeSpan.Zero);
                return;
            }
            if (now > giveUp)
            {
                ctx.Record(step, StepReply.Failure("timeout", $"still '{status}' {patience.TotalSeconds:0} s after the wait began"), now - since);
                return;
            }
            await Task.Delay(every, ctx.Cancellation);
        }
    }
}
