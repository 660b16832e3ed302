using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace JinanDataOps.Host.Tests.Infrastructure;

/// <summary>One HTTP answer: status, JSON body (Undefined when the body is not JSON), raw text and headers.</summary>
public sealed class Reply(string request, int status, string text, string? contentType, HttpResponseHeaders headers)
{
    public string Request { get; } = request;
    public int Status { get; } = status;
    public string Text { get; } = text;
    public string? ContentType { get; } = contentType;
    public HttpResponseHeaders Headers { get; } = headers;
    public JsonElement Json { get; } = Parse(text);

    public JsonElement this[string property] =>
        Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty(property, out var value)
            ? value
            : throw new InvalidOperationException($"{Request} → {Status}: no property '{property}' in {Text}");

    public string Str(string property) => this[property].GetString() ?? throw new InvalidOperationException($"{Request}: '{property}' is null in {Text}");

    public string Id => Str("id");

    public string State => Str("state");

    /// <summary>Asserts the status; the failure message shows the request and the body.</summary>
    public Reply Expect(int status)
    {
        if (Status != status) Assert.Fail($"{Request}: expected {status} but got {Status}: {Text}");
        return this;
    }

    /// <summary>Asserts an RFC 9457 problem+json answer with this status and machine code, and (when given)
    /// a detail that contains <paramref name="detailContains"/> (the article of the Measures, for instance).</summary>
    public Reply ExpectProblem(int status, string code, string? detailContains = null)
    {
        Expect(status);
        Assert.True(ContentType == "application/problem+json", $"{Request}: expected application/problem+json but got {ContentType}: {Text}");
        Assert.True(Json.ValueKind == JsonValueKind.Object, $"{Request}: the problem is not a JSON object: {Text}");
        Assert.Equal(status, this["status"].GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(Str("title")), $"{Request}: problem without title: {Text}");
        Assert.True(Str("code") == code, $"{Request}: expected code '{code}' but got '{Str("code")}': {Text}");
        if (detailContains is not null)
            Assert.True(Str("detail").Contains(detailContains, StringComparison.Ordinal), $"{Request}: detail should cite '{detailContains}': {Text}");
        return this;
    }

    /// <summary>Bad input: a 4xx problem+json with a machine code (validation-failed for a 400) — never a 500.</summary>
    public Reply ExpectBadInput(params int[] statuses)
    {
        Assert.True(statuses.Contains(Status), $"expected one of {string.Join('/', statuses)}: {this}");
        Assert.True(ContentType == "application/problem+json", $"expected problem+json: {this} ({ContentType})");
        Assert.False(string.IsNullOrWhiteSpace(Str("code")), $"problem without code: {this}");
        Assert.Equal(Status, this["status"].GetInt32());
        if (Status == 400) Assert.Equal("validation-failed", Str("code"));
        return this;
    }

    public override string ToString() => $"{Request} → {Status} {Text}";

    private static JsonElement Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return default;
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return default;
        }
    }
}

/// <summary>The one HTTP client of the tests: real JWTs from POST /dev/tokens, JSON in and out.</summary>
public sealed class ApiClient(HostProcess host) : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(20) }) { Timeout = TimeSpan.FromSeconds(60) };
    private readonly ConcurrentDictionary<(string Role, string Org), string> _tokens = new();

    public HostProcess Host { get; } = host;

    /// <summary>A token for (role, org), issued once by the running host and reused (tokens survive restarts).</summary>
    public async Task<string> Token(string role, string org)
    {
        if (_tokens.TryGetValue((role, org), out var cached)) return cached;
        var reply = await Post(null, "/dev/tokens", new { role, org });
        reply.Expect(200);
        var token = reply.Str("token");
        _tokens[(role, org)] = token;
        return token;
    }

    public Task<Reply> Get(string? token, string path, string? accept = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, Uri(path));
        if (accept is not null) request.Headers.Accept.ParseAdd(accept);
        return Send(token, request);
    }

    /// <summary>POSTs <paramref name="body"/> as JSON (no body at all when null).</summary>
    public Task<Reply> Post(string? token, string path, object? body = null, string? idempotencyKey = null) =>
        PostRaw(token, path, body is null ? null : JsonSerializer.Serialize(body, Json), "application/json", idempotencyKey);

    /// <summary>POSTs a create under an Idempotency-Key and sends it again, with the same key, for as long as it is
    /// refused with 503 (a cluster that is forming or failing over; the key makes the repeat safe), up to
    /// <paramref name="timeout"/>. The first other answer is returned.</summary>
    public async Task<Reply> PostCreate(string? token, string path, object body, TimeSpan? timeout = null)
    {
        var key = $"create-{Guid.NewGuid():N}";
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        while (true)
        {
            var reply = await Post(token, path, body, key);
            if (reply.Status != 503 || DateTime.UtcNow > deadline) return reply;
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, (reply.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1)).TotalMilliseconds)));
        }
    }

    /// <summary>POSTs exactly these characters with this content type (malformed input on purpose).</summary>
    public Task<Reply> PostRaw(string? token, string path, string? content, string contentType = "application/json", string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Uri(path));
        if (content is not null)
        {
            request.Content = new StringContent(content, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return Send(token, request);
    }

    public async Task<Reply> Send(string? token, HttpRequestMessage request)
    {
        using (request)
        {
            if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var label = $"{request.Method} {request.RequestUri?.PathAndQuery}";
            HttpResponseMessage sent;
            try
            {
                sent = await _http.SendAsync(request);
            }
            catch (HttpRequestException ex)
            {
                // A refused connection means the host went away: say whether it still runs, and what it said last.
                throw new HttpRequestException($"{label}: {ex.Message}; {Host.Describe()}\n{Host.Tail()}", ex);
            }
            using var response = sent;
            var text = await response.Content.ReadAsStringAsync();
            return new Reply(label, (int)response.StatusCode, text, response.Content.Headers.ContentType?.MediaType, response.Headers);
        }
    }

    /// <summary>Polls GET <paramref name="path"/> until its <c>state</c> is <paramref name="state"/>.</summary>
    public Task<Reply> UntilState(string token, string path, string state, TimeSpan? timeout = null) =>
        Eventually(async () =>
        {
            var reply = (await Get(token, path)).Expect(200);
            Assert.True(reply.State == state, $"{path} is '{reply.State}', waiting for '{state}': {reply.Text}");
            return reply;
        }, timeout);

    /// <summary><see cref="Wait.Eventually{T}"/> with the host's log tail in the failure.</summary>
    public Task<T> Eventually<T>(Func<Task<T>> probe, TimeSpan? timeout = null) => Wait.Eventually(probe, timeout, () => Host.Tail(40));

    public Task Eventually(Func<Task> probe, TimeSpan? timeout = null) => Wait.Eventually(probe, timeout, () => Host.Tail(40));

    public void Dispose() => _http.Dispose();

    private Uri Uri(string path) => new(Host.BaseAddress, path.TrimStart('/'));
}
