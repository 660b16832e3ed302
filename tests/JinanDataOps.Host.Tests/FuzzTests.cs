using System.Diagnostics;
using System.Net;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using JinanDataOps.Host.Tests.Infrastructure;
using Xunit.Abstractions;
using static JinanDataOps.Host.Tests.Infrastructure.Procedure;

namespace JinanDataOps.Host.Tests;

/// <summary>Issue 10, "no 500 for anything a caller sends": a few thousand bad requests, generated from a fixed
/// seed, over every mutating route the host serves — found in its own /openapi/v1.json, so a new route is
/// fuzzed without anyone adding it here. Route ids are those of real resources (a small procedure run first:
/// a dataset, an operator, calls, applications, an active agreement, a provisioned request, a quality issue,
/// an incident) or odd ones; tokens are of the role the route is for, sometimes of another, sometimes none.
/// Bodies are valid ones mutated — wrong types, huge numbers, deep nesting, odd times and periods, huge
/// strings — or broken at the byte level: truncated, random, empty, invalid UTF-8, lone surrogates, NUL,
/// other encodings, wrong content types, chunked, over the size limit; NDJSON and arrays for the sandbox.
/// Every answer must be a 2xx, or a 4xx in problem+json with its machine code; any 5xx — 503 included, as
/// the requests go two at a time and must not overload the node — or a connection closed without an answer
/// fails the test with the route, the body's first bytes and the status. <c>JINAN_FUZZ_SEED</c> and
/// <c>JINAN_FUZZ_REQUESTS</c> run other or longer campaigns by hand.</summary>
public sealed class FuzzTests(HostFixture fixture, ITestOutputHelper output) : IClassFixture<HostFixture>
{
    private const int DefaultSeed = 10_2026;
    private const int DefaultRequests = 6_000;
    private const int Parallel = 2;

    private readonly ApiClient _api = fixture.Api;
    private readonly Procedure _p = fixture.Procedure;

    [Fact]
    public async Task No_bad_request_to_any_mutating_route_is_answered_with_a_5xx_or_without_problem_json()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("JINAN_FUZZ_SEED"), out var s) ? s : DefaultSeed;
        var count = int.TryParse(Environment.GetEnvironmentVariable("JINAN_FUZZ_REQUESTS"), out var n) ? n : DefaultRequests;
        var setup = Stopwatch.StartNew();
        var world = await World.Create(_p);
        var routes = await MutatingRoutes();
        // The document is the source of the routes; these are checked so that a document gone thin is noticed.
        foreach (var known in new[] { "POST /api/sandbox/events", "POST /api/calls/{id}/applications", "POST /api/operators/{id}/trainings", "POST /api/agreements/{id}/suspend" })
            Assert.Contains(routes, r => $"{r.Method} {r.Template}" == known);
        var tokens = new Dictionary<string, string>();
        foreach (var role in Roles) tokens[role] = await _api.Token(role, world.OrgOf(role));
        setup.Stop();

        var fuzzer = new Fuzzer(new Random(seed), world);
        var cases = Enumerable.Range(0, count).Select(i => fuzzer.Next(i, routes[i % routes.Count])).ToArray();
        var failures = new List<string>();
        var statuses = new Dictionary<string, int>();
        var failed = new Dictionary<string, int>();
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
        {
            BaseAddress = _api.Host.BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
        var clock = Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Parallel).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < cases.Length; i = Interlocked.Increment(ref next))
            {
                var (status, failure) = await Send(http, cases[i], tokens);
                lock (failures)
                {
                    var key = $"{cases[i].Method} {cases[i].Template} → {status}";
                    statuses[key] = statuses.GetValueOrDefault(key) + 1;
                    if (failure is null) continue;
                    failures.Add(failure);
                    failed[key] = failed.GetValueOrDefault(key) + 1;
                }
            }
        })));
        clock.Stop();

        output.WriteLine($"seed {seed}: {cases.Length} requests over {routes.Count} mutating routes in {clock.Elapsed.TotalSeconds:F1} s " +
                         $"(setup {setup.Elapsed.TotalSeconds:F1} s); {failures.Count} failures");
        foreach (var (key, times) in statuses.OrderBy(k => k.Key, StringComparer.Ordinal)) output.WriteLine($"  {times,5} × {key}");
        Assert.True(failures.Count == 0,
            $"{failures.Count} of {cases.Length} fuzzed requests (seed {seed}) were not answered with a 2xx or a 4xx problem+json:\n" +
            string.Join("\n", failed.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"  {f.Value,4} × {f.Key}")) + "\nthe first of them:\n" +
            string.Join("\n", failures.OrderBy(f => int.Parse(f[1..f.IndexOf(' ')], CultureInfo.InvariantCulture)).Take(25)) + $"\n{_api.Host.Tail(30)}");
    }

    /// <summary>Issue 10: Kestrel closed some over-limit uploads without an answer — the client, still sending, saw
    /// a broken pipe instead of the 413. Bodies well over the limit (more than the socket buffers hold), with a
    /// Content-Length and chunked, to a JSON route, a route that takes no body and the sandbox: each is answered
    /// 413 problem+json, and the one connection the client has is used for all of them (the rest of each body
    /// is read and discarded). A chunked body that a route never reads is never counted: that route answers
    /// as it would any request (here 404: no such call), and the body is discarded all the same.</summary>
    [Fact]
    public async Task Every_upload_over_the_limit_is_answered_413_problem_json()
    {
        var authority = await _api.Token("authority", "fz-city-limits");
        var sandbox = await _api.Token("sandbox", "fz-sandbox-limits");
        var connections = 0;
        using var http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 1,
            ConnectCallback = async (context, ct) =>
            {
                Interlocked.Increment(ref connections);
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            },
        }) { BaseAddress = _api.Host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var cases = new (string Path, string Token, int Size, int ChunkedStatus)[]
        {
            ("/api/calls", authority, 20 * 1024 * 1024, 413),
            ("/api/calls/call-none/publish", authority, 20 * 1024 * 1024, 404),
            ("/api/sandbox/events", sandbox, 24 * 1024 * 1024, 413),
        };
        foreach (var (path, token, size, chunkedStatus) in cases)
            foreach (var chunked in new[] { false, true })
                for (var attempt = 1; attempt <= 2; attempt++)
                {
                    var body = new byte[size];
                    Array.Fill(body, (byte)' ');
                    "{\"title\":\""u8.CopyTo(body);
                    var what = $"POST {path} with {size} bytes{(chunked ? " chunked" : "")} (attempt {attempt})";
                    using var request = new HttpRequestMessage(HttpMethod.Post, path.TrimStart('/'))
                    {
                        Content = chunked ? new StreamContent(new UnseekableStream(body)) : new ByteArrayContent(body),
                    };
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                    HttpResponseMessage response;
                    try
                    {
                        response = await http.SendAsync(request);
                    }
                    catch (HttpRequestException ex)
                    {
                        throw new Xunit.Sdk.XunitException($"{what}: no answer ({ex.Message} {ex.InnerException?.Message})");
                    }
                    using (response)
                    {
                        var text = await response.Content.ReadAsStringAsync();
                        var expected = chunked ? chunkedStatus : 413;
                        Assert.True((int)response.StatusCode == expected, $"{what}: {(int)response.StatusCode} {text}");
                        Assert.Null(Judge(expected, response.Content.Headers.ContentType?.MediaType, text));
                    }
                    Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("health/live")).StatusCode);
                    Assert.True(connections == 1, $"{what}: the client had to open connection {connections}");
                }
    }

    // ---- the routes, from the served document ------------------------------------------------------

    public sealed record Route(string Method, string Template, JsonNode? BodySchema, JsonObject Schemas);

    private async Task<List<Route>> MutatingRoutes()
    {
        var document = JsonNode.Parse((await _api.Get(null, "/openapi/v1.json")).Expect(200).Text)!.AsObject();
        var schemas = document["components"]?["schemas"] as JsonObject ?? [];
        var routes = new List<Route>();
        foreach (var (template, operations) in document["paths"]!.AsObject())
            foreach (var (method, operation) in operations!.AsObject())
                if (method is "post" or "put" or "patch" or "delete")
                    routes.Add(new Route(method.ToUpperInvariant(), template, operation?["requestBody"]?["content"]?["application/json"]?["schema"], schemas));
        return routes.OrderBy(r => r.Template, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal).ToList();
    }

    // ---- the resources the ids come from -----------------------------------------------------------

    private static readonly string[] Roles = ["authority", "provider", "operator", "expert", "public", "sandbox", "regulator", "maintainer"];

    public sealed record World(string Authority, string Provider, string Operator, string Dataset, string Agreement, string Request,
        string Application, IReadOnlyDictionary<string, string[]> Ids)
    {
        public string OrgOf(string role) => role switch
        {
            "authority" => Authority,
            "provider" => Provider,
            "operator" => Operator,
            _ => $"fuzz-{role}",
        };

        /// <summary>A dataset, a trained operator with an active agreement and a provisioned request under it (its
        /// call concluded, its application confirmed), a call still open with a second application, a call in
        /// draft, a quality issue, an incident and a data product.</summary>
        public static async Task<World> Create(Procedure p)
        {
            var (authority, provider, op, dataset) = (Unique("fz-city"), Unique("fz-bureau"), Unique("fz-op"), Unique("fz-bus"));
            await p.Dataset(provider, dataset, "transport", ("route", false), ("stop", false));
            var (agreement, requests) = (await p.Provisioned(authority, provider, dataset, [op], "fuzz-dashboard"))[op];
            var agreed = await p.Agreement(agreement, authority);
            var (application, call) = (agreed.Str("applicationId"), agreed.Str("callId"));
            var open = await p.OpenCall(authority, "comprehensive", DateTimeOffset.UtcNow.AddHours(1), "P5D", domains: ["transport"]);
            var second = await p.Apply(open, op);
            var now = DateTimeOffset.UtcNow;
            var draft = await p.CreateCall(authority, CallBody("comprehensive", "fuzz draft", now.AddDays(1), now.AddDays(30), "P5D", domains: ["transport"]));
            var operatorToken = await p.Token("operator", op);
            var issue = (await p.Api.Post(operatorToken, $"/api/datasets/{dataset}/quality-issues", new { description = "a gap in the night data" })).Expect(201).Id;
            var incident = (await p.Api.Post(await p.Token("authority", authority), "/api/incidents",
                new { operatorId = op, dataRequestId = requests[0], agreementId = agreement, summary = "fuzz incident" })).Expect(201).Id;
            var product = (await p.Api.Post(operatorToken, "/api/products", new
            {
                agreementId = agreement, dataRequestIds = new[] { requests[0] }, kind = "service", name = "fuzz product", description = "punctuality", outputFields = new[] { "route" },
            })).Expect(201).Id;
            var evaluation = (await p.Api.Post(await p.Token("authority", authority), "/api/evaluations",
                new { operatorId = op, agreementId = agreement, period = "2026-H2", materialsDue = Iso(DateTimeOffset.UtcNow.AddDays(14)) })).Expect(201).Id;
            var ids = new Dictionary<string, string[]>
            {
                ["datasets"] = [dataset],
                ["quality-issues"] = [issue],
                ["operators"] = [op],
                ["calls"] = [call, open, draft],
                ["applications"] = [application, second],
                ["objections"] = [$"{application}~o1", $"{second}~o1"],
                ["agreements"] = [agreement],
                ["data-requests"] = [requests[0]],
                ["incidents"] = [incident],
                ["products"] = [product],
                ["evaluations"] = [evaluation],
            };
            return new World(authority, provider, op, dataset, agreement, requests[0], application, ids);
        }
    }

    /// <summary>Who a route is for (API.md); a route not named here is sent with every role in turn.</summary>
    private static string? RoleFor(Route route, int i) => route.Template switch
    {
        "/dev/tokens" => null,
        "/api/datasets" => "provider",
        "/api/datasets/{id}/quality-issues" => "operator",
        "/api/calls/{id}/applications" => "operator",
        "/api/applications/{id}/objections" => "public",
        "/api/agreements/{id}/sign" or "/api/agreements/{id}/rectification-reports" => "operator",
        "/api/data-requests" or "/api/data-requests/{id}/close" => "operator",
        var t when t.StartsWith("/api/quality-issues/", StringComparison.Ordinal) => "provider",
        var t when t.StartsWith("/api/operators", StringComparison.Ordinal) => "operator",
        var t when t.StartsWith("/api/calls", StringComparison.Ordinal) => "authority",
        var t when t.StartsWith("/api/applications/", StringComparison.Ordinal) => "expert",
        var t when t.StartsWith("/api/objections/", StringComparison.Ordinal) => "authority",
        var t when t.StartsWith("/api/agreements", StringComparison.Ordinal) => "authority",
        var t when t.StartsWith("/api/data-requests/", StringComparison.Ordinal) => "authority",
        var t when t.StartsWith("/api/incidents", StringComparison.Ordinal) => "authority",
        "/api/evaluations/{id}/materials" => "operator",
        var t when t.StartsWith("/api/evaluations", StringComparison.Ordinal) => "authority",
        var t when t.StartsWith("/api/sandbox/", StringComparison.Ordinal) => "sandbox",
        "/api/products/{id}/review" => "authority",
        var t when t.StartsWith("/api/products", StringComparison.Ordinal) => "operator",
        _ => Roles[i % Roles.Length],
    };

    // ---- one request, and what its answer must be ---------------------------------------------------

    /// <summary>One fuzzed request. <see cref="Auth"/>: a role (its token is used), "none", or a raw header value.</summary>
    public sealed record Case(int Number, string Method, string Template, string Path, string Auth, string? ContentType, byte[]? Body, bool Chunked,
        string? IdempotencyKey, string What)
    {
        public override string ToString() =>
            $"#{Number} {Method} {Template} as {Path} ({What}; auth {(Auth.Length > 24 ? Auth[..24] + "…" : Auth)}; content-type {ContentType ?? "none"}; " +
            $"{(Body is null ? "no body" : $"{Body.Length} bytes{(Chunked ? " chunked" : "")}, hex {Convert.ToHexString(Body.AsSpan(0, Math.Min(48, Body.Length)))}")})";
    }

    private static async Task<(string Status, string? Failure)> Send(HttpClient http, Case c, IReadOnlyDictionary<string, string> tokens)
    {
        using var request = new HttpRequestMessage(new HttpMethod(c.Method), new Uri(c.Path.TrimStart('/'), UriKind.Relative));
        if (tokens.TryGetValue(c.Auth, out var token)) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        else if (c.Auth != "none") request.Headers.TryAddWithoutValidation("Authorization", c.Auth);
        if (c.IdempotencyKey is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", c.IdempotencyKey);
        if (c.Body is not null)
        {
            request.Content = c.Chunked ? new StreamContent(new UnseekableStream(c.Body)) : new ByteArrayContent(c.Body);
            if (c.ContentType is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", c.ContentType);
        }
        try
        {
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var status = (int)response.StatusCode;
            // Kestrel refuses a request target that decodes to a NUL itself, before any middleware runs, with a
            // bare 400 that closes the connection (its UrlDecoder: "the path contains null characters"); that
            // answer cannot be problem+json, and it is not the application's. Only exactly that is let pass.
            if (status == 400 && text.Length == 0 && response.Headers.ConnectionClose == true && c.Path.Split('?')[0].Contains("%00", StringComparison.Ordinal))
                return ("400 (Kestrel: NUL in the path)", null);
            return ($"{status}", Judge(status, response.Content.Headers.ContentType?.MediaType, text) is { } why ? $"{c}\n    → {status}: {why}" : null);
        }
        catch (HttpRequestException ex)
        {
            return ("no answer", $"{c}\n    → no answer: {ex.Message} {ex.InnerException?.Message}");
        }
    }

    /// <summary>Why the answer is not acceptable, or null: a 2xx, or a 4xx problem+json carrying its status and a machine
    /// code (validation-failed for a 400).</summary>
    private static string? Judge(int status, string? contentType, string text)
    {
        if (status is >= 200 and < 300) return null;
        var shortText = text.Length > 300 ? text[..300] + "…" : text;
        if (status is < 400 or >= 500) return $"a {status} for a caller's bad request: {shortText}";
        if (contentType != "application/problem+json") return $"a {status} as {contentType ?? "no content type"}, not problem+json: {shortText}";
        try
        {
            using var document = JsonDocument.Parse(text);
            var problem = document.RootElement;
            if (problem.ValueKind != JsonValueKind.Object) return $"the problem is not a JSON object: {shortText}";
            if (!problem.TryGetProperty("status", out var s) || s.ValueKind != JsonValueKind.Number || s.GetInt32() != status) return $"the problem's status is not {status}: {shortText}";
            if (!problem.TryGetProperty("code", out var code) || code.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(code.GetString()))
                return $"the problem has no machine code: {shortText}";
            if (status == 400 && code.GetString() != "validation-failed") return $"a 400 with code '{code.GetString()}', not validation-failed: {shortText}";
            return null;
        }
        catch (JsonException)
        {
            return $"the problem is not JSON: {shortText}";
        }
    }

    private sealed class UnseekableStream(byte[] data) : MemoryStream(data, writable: false)
    {
        public override bool CanSeek => false;
    }

    // ---- the generator ------------------------------------------------------------------------------

    /// <summary>Makes the requests; everything it picks comes from its seeded <see cref="Random"/>, so a seed
    /// always makes the same requests.</summary>
    private sealed class Fuzzer(Random random, World world)
    {
        private const long JsonLimit = JinanDataOps.Api.ApiSetup.MaxBodyBytes;
        private const long SandboxLimit = JinanDataOps.Api.ApiSetup.MaxSandboxBodyBytes;
        private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
        private int _sandboxOverLimit;

        public Case Next(int number, Route route)
        {
            var role = RoleFor(route, number);
            var auth = random.Next(100) switch
            {
                < 8 => Pick(Roles),                             // a role this route is not for (mostly)
                < 10 => "none",
                < 11 => Pick(["Bearer", "Bearer ", "Bearer abc.def.ghi", "Basic dXNlcjpwYXNz", "Bearer " + new string('x', 3000), "bearer", "Bearer eyJhbGciOiJub25lIn0.e30."]),
                _ => role ?? "none",
            };
            var path = Fill(route.Template);
            var key = random.Next(100) switch
            {
                < 85 => null,
                < 90 => $"fuzz-{number}",
                < 93 => new string('k', random.Next(200, 2000)),
                < 96 => " ",
                _ => Pick(["\t", "a,b", "\"quoted\"", "%FF", "key with spaces"]),
            };
            var (body, contentType, chunked, what) = route.Template.StartsWith("/api/sandbox/", StringComparison.Ordinal) ? Sandbox() : Json(route);
            return new Case(number, route.Method, route.Template, path, auth, contentType, body, chunked, key, what);
        }

        // ---- route parameters

        private static readonly string[] OddIds =
        [
            "x", "%FF", "%C0%AF", "%00", "%E4%B8", "%ED%A0%80", "%25", "%20", "a%2Fb", "..", "...", "x~o1", "x~o99999999999999999999", "~", "~o",
            "app-~o-1", "数据", "%E6%95%B0", "CON", "' OR 1=1 --", "<script>", "null", "0", "-1", "9999999999999999999999", "a;b", "a,b", "x@y",
            "%F0%9F%98%80", "%F4%90%80%80",
        ];

        private string Fill(string template)
        {
            var segments = template.Split('/');
            for (var i = 0; i < segments.Length; i++)
            {
                if (!segments[i].StartsWith('{')) continue;
                var kind = i > 0 ? segments[i - 1] : "";
                segments[i] = random.Next(100) switch
                {
                    < 75 when world.Ids.TryGetValue(kind, out var real) => Pick(real),
                    < 80 => new string('z', random.Next(100, 3000)),
                    < 85 when world.Ids.TryGetValue(kind, out var real) => Pick(real) + Pick(["x", "~o1", "%00", "%FF", "/", "."]),
                    _ => Pick(OddIds),
                };
            }
            return string.Join('/', segments) + (random.Next(100) < 3 ? Pick(["?x=%FF", "?limit=abc", "?a=1&a=2", "?" + new string('q', 1000)]) : "");
        }

        // ---- JSON bodies

        private (byte[]? Body, string? ContentType, bool Chunked, string What) Json(Route route)
        {
            var valid = route.BodySchema is null ? new JsonObject { ["reason"] = "fuzz" } : Valid(route.BodySchema, route.Schemas, null, 0) ?? new JsonObject();
            var contentType = random.Next(100) switch
            {
                < 90 => "application/json",
                _ => Pick([
                    "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=fuzz", "application/json; charset=utf-16",
                    "application/json; charset=latin1", "application/json; charset=foo", "application/json; charset=\"utf-8\"", "application/json; charset=",
                    "application/problem+json", "application/merge-patch+json", "application/jsonx", "*/*", "application/json, text/plain", "a/b/c", "json",
                    "application/json; charset=utf-32", "application/x-ndjson", null,
                ]),
            };
            var chunked = random.Next(100) < 5;
            var roll = random.Next(100);
            (byte[]? body, string what) = roll switch
            {
                < 6 => (Bytes(valid), "valid"),
                < 30 => Replaced(valid),
                < 38 => Removed(valid),
                < 43 => Renamed(valid),
                < 52 => Truncated(Bytes(valid)),
                < 62 => InvalidUtf8(Bytes(valid)),
                < 70 => LoneSurrogate(Bytes(valid)),
                < 74 => ControlBytes(Bytes(valid)),
                < 79 => (RandomBytes(random.Next(0, 600)), "random bytes"),
                < 82 => (random.Next(2) == 0 ? [] : null, "empty"),
                < 91 => Literal(valid),
                < 94 => (Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(valid.ToJsonString())).ToArray(), "UTF-16"),
                < 96 => Nested(valid),
                < 97 => OverLimit(valid, JsonLimit),
                _ => (Bytes(valid).Concat(Encoding.UTF8.GetBytes(Pick(["}", "x", "\0", " {}", "\n{}", ",", "]"]))).ToArray(), "trailing garbage"),
            };
            if (what.StartsWith("over the limit", StringComparison.Ordinal)) chunked = random.Next(2) == 0;
            return (body, body is null ? null : contentType, chunked && body is not null, what);
        }

        /// <summary>A body the route would take (as far as its schema and the names of its fields tell).</summary>
        private JsonNode? Valid(JsonNode? schema, JsonObject schemas, string? name, int depth)
        {
            if (name is not null && TryHint(name, out var hinted)) return hinted;
            schema = Resolve(schema, schemas);
            if (depth > 6 || schema is not JsonObject s) return "fuzz";
            if (s["properties"] is JsonObject properties)
            {
                var o = new JsonObject();
                foreach (var (property, propertySchema) in properties) o[property] = Valid(propertySchema, schemas, property, depth + 1);
                return o;
            }
            var types = s["type"] switch
            {
                JsonArray many => many.Select(t => t!.GetValue<string>()).ToArray(),
                JsonValue one => [one.GetValue<string>()],
                _ => [],
            };
            if (types.Contains("array")) return new JsonArray(Valid(s["items"], schemas, null, depth + 1));
            if (types.Contains("object") && s["additionalProperties"] is JsonObject values)
                return new JsonObject { ["capability"] = Valid(values, schemas, null, depth + 1), ["security"] = Valid(values, schemas, null, depth + 1) };
            if (types.Contains("string"))
                return s["format"]?.GetValue<string>() switch
                {
                    "date-time" => Iso(Now.AddDays(1)),
                    "date" => Now.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    _ => "fuzz text",
                };
            if (types.Contains("integer") || types.Contains("number")) return 70;
            if (types.Contains("boolean")) return false;
            return types.Length == 0 ? new JsonObject { ["summary"] = "fuzz materials", ["affiliatedOrgs"] = new JsonArray() } : null;
        }

        private static JsonNode? Resolve(JsonNode? schema, JsonObject schemas) =>
            schema?["$ref"]?.GetValue<string>() is { } reference ? schemas[reference.Split('/')[^1]] : schema;

        /// <summary>A value the field takes, from its name: the schema tells a string, the name which one.</summary>
        private bool TryHint(string name, out JsonNode? value)
        {
            if (name == "providerId")
            {
                value = null; // a comprehensive call has none
                return true;
            }
            value = Hint(name);
            return value is not null;
        }

        private JsonNode? Hint(string name) => name switch
        {
            "mode" => "comprehensive",
            "domain" => "transport",
            "domains" => new JsonArray("transport"),
            "noticePeriod" => "PT2S",
            "id" => $"fz-ds-{random.Next(1_000_000)}",
            "applicationId" => world.Application,
            "agreementId" => world.Agreement,
            "operatorId" => world.Operator,
            "dataRequestId" => world.Request,
            "datasets" => new JsonArray(world.Dataset),
            "creditCode" => CreditCode(),
            "role" => "operator",
            "org" => "fz-org",
            "scores" => new JsonObject { ["capability"] = 80, ["security"] = 70 },
            "materials" => new JsonObject { ["summary"] = "fuzz materials", ["affiliatedOrgs"] = new JsonArray() },
            "criteria" => new JsonArray(new JsonObject { ["name"] = "capability", ["weight"] = 60 }, new JsonObject { ["name"] = "security", ["weight"] = 40 }),
            "passScore" => 60,
            "opensAt" or "startsAt" => Iso(Now.AddMinutes(-1)),
            "closesAt" => Iso(Now.AddHours(1)),
            "endsAt" => Iso(Now.AddDays(365)),
            "deadline" => Iso(Now.AddDays(30)),
            "completedOn" => random.Next(2) == 0 ? Now.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : Iso(Now.AddDays(-1)),
            "upheld" or "sensitive" => false,
            "fields" => new JsonArray(new JsonObject { ["name"] = "route", ["sensitive"] = false }),
            "staff" => new JsonArray("Li Na"),
            "scope" => new JsonObject { ["domains"] = new JsonArray("transport"), ["datasets"] = new JsonArray(world.Dataset) },
            "period" => "2026-Q4",
            "items" => new JsonArray("fix the export filter"),
            _ => null,
        };

        private string CreditCode()
        {
            const string alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
            var first17 = "91370100" + new string(Enumerable.Range(0, 9).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            return first17 + CreditCodeCheck(first17);
        }

        // ---- mutations of a valid body

        /// <summary>JSON text that cannot be a JsonNode (1e400, NaN) goes in through a marker string.</summary>
        private const string Marker = "\u0001fuzz-value\u0001";

        private static readonly string[] EvilJson =
        [
            "null", "true", "false", "0", "-1", "1.5", "-0", "1e400", "-1e400", "1e-400", "123456789012345678901234567890", "9223372036854775808",
            "-9223372036854775809", "79228162514264337593543950336", "0.00000000000000000000000000001", "1E+2", "[]", "{}", "[null]", "[[]]",
            "{\"a\":{}}", "\"\"", "\" \"", "\"\\u0000\"", "\"a\\u0000b\"", "\"\\ud800\"", "\"\\udfff\"", "\"\\ud800\\ud800\"", "\"\\udc00\\ud800\"",
            "\"\\ud83d\\ude00\"", "\"😀\"", "\"\u202eRTL\"", "\"\\t\\n\\r\"", "\"null\"", "\"true\"", "\"0\"", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"",
            "\"2026-12-01T08:00:00Z\"", "\"2026-12-01\"", "\"0001-01-01T00:00:00Z\"", "\"9999-12-31T23:59:59Z\"", "\"9999-12-31T23:59:59.9999999-14:00\"",
            "\"0001-01-01T00:00:00+14:00\"", "\"2026-02-30T00:00:00Z\"", "\"2026-12-01T24:00:00Z\"", "\"2026-12-01T08:00:00+25:00\"",
            "\"2026-12-01T08:00:00.12345678901Z\"", "\"+002026-12-01T08:00:00Z\"", "\"2026-W48-2\"", "\"2026-335\"", "\"20261201T080000Z\"",
            "\"yesterday\"", "\"1700000000\"", "\"P5D\"", "\"PT0S\"", "\"P0D\"", "\"-P1D\"", "\"P99999999999D\"", "\"P10675199DT2H48M5.4775807S\"",
            "\"P10675199DT2H48M5.4775808S\"", "\"PT0.0000001S\"", "\"P1Y\"", "\"P1M\"", "\"P\"", "\"PT\"", "\"P1W\"", "\"../../etc/passwd\"",
            "\"a/b\"", "\"%00\"", "\"x~o1\"", "\"x~o99999999999999999999\"", "\"~\"", "\"' OR 1=1 --\"", "\"<script>\"", "\"CON\"",
            "\"comprehensive\"", "\"domain\"", "\"graded\"", "\"COMPREHENSIVE\"", "\"transport\"", "\"operator\"", "\"platform\"",
        ];

        private string Evil() => random.Next(100) switch
        {
            < 75 => Pick(EvilJson),
            < 79 => "\"" + new string('x', random.Next(1_000, 120_000)) + "\"",
            < 82 => "\"" + string.Concat(Enumerable.Repeat("长", random.Next(100, 30_000))) + "\"",
            < 85 => "[" + string.Join(",", Enumerable.Repeat("\"a\"", random.Next(100, 5_000))) + "]",
            < 88 => "{" + string.Join(",", Enumerable.Range(0, random.Next(100, 2_000)).Select(i => $"\"k{i}\":{i}")) + "}",
            < 91 => new string('[', 31) + new string(']', 31),
            < 94 => Deep(random.Next(33, 200)),
            < 97 => "[" + string.Join(",", Enumerable.Repeat(Pick(EvilJson), random.Next(2, 20))) + "]",
            _ => "{\"" + Pick(["", "a", "\\ud800", "\\u0000", "__proto__", "$type"]) + "\":" + Pick(EvilJson) + "}",
        };

        private (byte[], string) Replaced(JsonNode valid)
        {
            var slots = Slots(valid);
            if (slots.Count == 0) return (Encoding.UTF8.GetBytes(Evil()), "the body replaced");
            var (parent, slot) = Pick(slots);
            var evil = Evil();
            Set(parent, slot, Marker);
            var text = valid.ToJsonString().Replace(JsonSerializer.Serialize(Marker), evil, StringComparison.Ordinal);
            return (Encoding.UTF8.GetBytes(text), $"{Describe(slot)} = {(evil.Length > 40 ? evil[..40] + "…" : evil)}");
        }

        private (byte[], string) Removed(JsonNode valid)
        {
            var slots = Slots(valid).Where(s => s.Parent is JsonObject).ToList();
            if (slots.Count == 0) return (Bytes(valid), "nothing to remove");
            var (parent, slot) = Pick(slots);
            ((JsonObject)parent).Remove((string)slot);
            return (Bytes(valid), $"{slot} removed");
        }

        private (byte[], string) Renamed(JsonNode valid)
        {
            var slots = Slots(valid).Where(s => s.Parent is JsonObject).ToList();
            if (slots.Count == 0) return (Bytes(valid), "nothing to rename");
            var name = (string)Pick(slots).Slot;
            var renamed = Pick([name.ToUpperInvariant(), name + " ", "", name + "\u0000", "$" + name, name + name]);
            var text = Encoding.UTF8.GetString(Bytes(valid));
            // A duplicate property, or the name changed, as text: a JsonObject refuses both.
            text = random.Next(2) == 0
                ? text.Replace($"\"{name}\":", $"\"{name}\":{Pick(EvilJson)},\"{name}\":", StringComparison.Ordinal)
                : text.Replace($"\"{name}\":", $"{JsonSerializer.Serialize(renamed)}:", StringComparison.Ordinal);
            return (Encoding.UTF8.GetBytes(text), $"{name} renamed or doubled");
        }

        private (byte[], string) Truncated(byte[] body) =>
            body.Length == 0 ? (body, "truncated") : (body[..random.Next(body.Length)], "truncated");

        /// <summary>Bytes that are not UTF-8, put just after a quote: inside a string or a property name (or, after a
        /// closing quote, between tokens).</summary>
        private (byte[], string) InvalidUtf8(byte[] body)
        {
            byte[] bad = Pick<byte[]>([[0xFF], [0xFE, 0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xE4, 0xB8], [0xF4, 0x90, 0x80, 0x80],
                [0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC3], [0xE0, 0x80, 0x80], [0xF0, 0x9F, 0x98]]);
            return (Insert(body, bad), $"not UTF-8: {Convert.ToHexString(bad)}");
        }

        private (byte[], string) LoneSurrogate(byte[] body)
        {
            var escape = Pick(["\\ud800", "\\udbff", "\\udc00", "\\udfff", "\\ud800\\ud800", "\\udc00\\ud800", "\\ud800x", "\\uD800\\u0041"]);
            return (Insert(body, Encoding.ASCII.GetBytes(escape)), $"lone surrogate {escape}");
        }

        private (byte[], string) ControlBytes(byte[] body)
        {
            var control = Pick<byte[]>([[0x00], [0x00, 0x00], [0x01], [0x1F], [0x7F], [0x0B], [0x0C], [0x08]]);
            return random.Next(2) == 0
                ? (Insert(body, control), $"control byte {Convert.ToHexString(control)} in a string")
                : (body.Take(random.Next(body.Length + 1)).Concat(control).Concat(body.Skip(random.Next(body.Length + 1))).ToArray(), "control byte somewhere");
        }

        private byte[] Insert(byte[] body, byte[] what)
        {
            var quotes = Enumerable.Range(0, body.Length).Where(i => body[i] == (byte)'"').ToArray();
            var at = quotes.Length == 0 ? random.Next(body.Length + 1) : Pick(quotes) + 1;
            return [.. body[..at], .. what, .. body[at..]];
        }

        private (byte[], string) Literal(JsonNode valid)
        {
            var text = Pick([
                "null", "[]", "\"x\"", "1", "-0", "true", "{", "}", "{}", "{\"a\":", "{'a':1}", "{\"a\":1,}", "{\"a\":NaN}", "{\"a\":01}",
                "{\"a\":1e999999}", "{\"a\":\"\\u00\"}", "{\"a\":\"\\x41\"}", "{/* comment */}", "[" + valid.ToJsonString() + "]",
                "\uFEFF" + valid.ToJsonString(), valid.ToJsonString() + valid.ToJsonString(), " \t\r\n ", "{\"a\" 1}", "{a:1}",
                "{\"a\":[1,2}", "{\"a\":\"unterminated}", "\"\\ud800\"", "{\"\\ud800\":1}", "[" + new string('[', 5000) + "]",
                new string('{', 3000), "{\"a\":" + new string('9', 100_000) + "}", "{\"a\":-" + new string('9', 400) + "." + new string('9', 400) + "e-99999}",
            ]);
            return (Encoding.UTF8.GetBytes(text), $"literal {(text.Length > 30 ? text[..30] + "…" : text)}");
        }

        private (byte[], string) Nested(JsonNode valid)
        {
            var slots = Slots(valid);
            var depth = random.Next(30, 300);
            var deep = Deep(depth);
            if (slots.Count == 0) return (Encoding.UTF8.GetBytes(deep), $"nested {depth} deep");
            var (parent, slot) = Pick(slots);
            Set(parent, slot, Marker);
            return (Encoding.UTF8.GetBytes(valid.ToJsonString().Replace(JsonSerializer.Serialize(Marker), deep, StringComparison.Ordinal)), $"{Describe(slot)} nested {depth} deep");
        }

        private (byte[], string) OverLimit(JsonNode valid, long limit)
        {
            var size = limit + random.Next(1, 3) * random.Next(1, 1024 * 1024);
            var text = valid is JsonObject o && o.Count > 0
                ? "{\"" + o.First().Key + "\":\"" + new string('x', (int)size) + "\"}"
                : "\"" + new string('x', (int)size) + "\"";
            return (Encoding.UTF8.GetBytes(text), $"over the limit ({size} bytes)");
        }

        // ---- sandbox batches

        private string Event(string kind = "query", long rows = 10) =>
            $$"""{"operatorId":"{{world.Operator}}","dataRequestId":"{{world.Request}}","kind":"{{kind}}","dataset":"{{world.Dataset}}","fields":["route"],"rows":{{rows}},"bytes":{{rows * 80}},"at":"2026-12-01T06:00:00Z"}""";

        private static readonly string[] EventProperties = ["operatorId", "dataRequestId", "kind", "dataset", "fields", "rows", "bytes", "at", "denied"];

        private (byte[]? Body, string? ContentType, bool Chunked, string What) Sandbox()
        {
            var contentType = random.Next(20) == 0 ? "application/json; charset=foo" : Pick<string?>(["application/x-ndjson", "application/x-ndjson", "application/json", "text/plain", null]);
            var chunked = random.Next(100) < 10;
            var lines = Enumerable.Range(0, random.Next(1, 6)).Select(_ => Event(Pick(["query", "query", "download", "model-output"]), random.Next(1, 200))).ToList();
            var array = random.Next(3) == 0;
            var roll = random.Next(100);
            string what;
            byte[] body;
            if (roll < 8) what = "valid";
            else if (roll < 40)
            {
                var i = random.Next(lines.Count);
                var property = Pick(EventProperties);
                var evil = Evil();
                var node = JsonNode.Parse(lines[i])!.AsObject();
                node[property] = Marker;
                lines[i] = node.ToJsonString().Replace(JsonSerializer.Serialize(Marker), evil, StringComparison.Ordinal);
                what = $"line {i + 1} {property} = {(evil.Length > 40 ? evil[..40] + "…" : evil)}";
            }
            else if (roll < 46)
            {
                var i = random.Next(lines.Count);
                lines[i] = lines[i].Replace($"\"{Pick(EventProperties)}\":", $"\"{Pick(["", "\\ud800", "\\udc00x", "Kind", "kind\\u0000"])}\":", StringComparison.Ordinal);
                what = $"line {i + 1} a property renamed";
            }
            else if (roll < 52)
            {
                lines.Insert(random.Next(lines.Count + 1), Pick(["", " ", "\r", "[1]", "1", "null", "\"x\"", "{}", "[]", "{\"kind\":\"query\"}{}", "\uFEFF" + Event(),
                    "{\"x\":" + new string('[', 100) + new string(']', 100) + "}", Event() + " " + Event(), "{", "}", "[", "]", "\t\t"]));
                what = "an odd line";
            }
            else if (roll < 54)
            {
                lines = Enumerable.Repeat(Event(), random.Next(0, 10) == 0 ? 10_001 : random.Next(100, 2_000)).ToList();
                what = $"{lines.Count} events";
            }
            else what = "";

            var text = array
                ? "[" + string.Join(Pick([",", ",\n", " ,\r\n"]), lines) + Pick(["]", "]", "", ",]", "]]", "] x"])
                : string.Join(Pick(["\n", "\n", "\r\n", "\n\n"]), lines) + Pick(["", "\n", "\r\n"]);
            body = Encoding.UTF8.GetBytes(text);
            if (what.Length == 0)
            {
                (body, what) = roll switch
                {
                    < 64 => InvalidUtf8(body),
                    < 74 => LoneSurrogate(body),
                    < 78 => ControlBytes(body),
                    < 84 => Truncated(body),
                    < 88 => (RandomBytes(random.Next(0, 2_000)), "random bytes"),
                    < 91 => ([], "empty"),
                    < 94 => (Encoding.Unicode.GetBytes(text), "UTF-16"),
                    < 96 => ([0xEF, 0xBB, 0xBF, .. body], "with a BOM"),
                    < 98 when _sandboxOverLimit++ < 2 => (Encoding.UTF8.GetBytes("[" + string.Join(",", Enumerable.Repeat(Event(), (int)(SandboxLimit / Event().Length) + 10)) + "]"),
                        $"over the limit"),
                    _ => (body.Concat(RandomBytes(random.Next(1, 50))).ToArray(), "trailing bytes"),
                };
                if (what == "over the limit") chunked = _sandboxOverLimit == 2;
            }
            return (body, contentType, chunked, (array ? "array: " : "NDJSON: ") + what);
        }

        // ---- helpers

        private static List<(JsonNode Parent, object Slot)> Slots(JsonNode node)
        {
            var slots = new List<(JsonNode, object)>();
            switch (node)
            {
                case JsonObject o:
                    foreach (var (name, value) in o)
                    {
                        slots.Add((o, name));
                        if (value is not null) slots.AddRange(Slots(value));
                    }
                    break;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++)
                    {
                        slots.Add((a, i));
                        if (a[i] is { } item) slots.AddRange(Slots(item));
                    }
                    break;
            }
            return slots;
        }

        private static void Set(JsonNode parent, object slot, JsonNode? value)
        {
            if (parent is JsonObject o) o[(string)slot] = value;
            else ((JsonArray)parent)[(int)slot] = value;
        }

        private static string Deep(int depth) => new string('[', depth) + "1" + new string(']', depth);

        private static string Describe(object slot) => slot is int i ? $"[{i}]" : $"{slot}";

        private static byte[] Bytes(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());

        private byte[] RandomBytes(int length)
        {
            var bytes = new byte[length];
            random.NextBytes(bytes);
            return bytes;
        }

        private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];
    }
}
