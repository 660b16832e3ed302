using System.Text.Json;
using JinanDataOps.Host.Tests.Infrastructure;
using static JinanDataOps.Host.Tests.Infrastructure.Procedure;

namespace JinanDataOps.Host.Tests;

/// <summary>Issue 13, logs: Akka's own log goes through Microsoft.Extensions.Logging, so <c>Logging:Format=json</c> makes
/// every line the host writes one JSON object — Akka's start-up lines included — with the request's trace id in its
/// scope; an exception answered 503 is logged once, by the platform's handler, not again by ASP.NET's.</summary>
public sealed class LoggingTests
{
    /// <summary>Lines the harness writes into host.log itself (HostProcess): not the host's output.</summary>
    private const string Harness = "[e2e] ";
    private const string Stderr = "[stderr] ";

    [Fact]
    public async Task With_json_format_every_output_line_is_one_JSON_object_with_Akka_and_the_request_trace_id()
    {
        await using var host = new HostProcess(new Dictionary<string, string>
        {
            ["Logging__Format"] = "json",
            // Request-related lines to find the trace id in: ASP.NET Core's request start/finish lines, and the
            // handler's line for a refused request (Debug).
            ["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
            ["Logging__LogLevel__JinanDataOps.Api.Http"] = "Debug",
            // Every ask to an entity runs out at once: a 503 through the exception handler (an AskTimeoutException),
            // the path on which ASP.NET Core's middleware logged "An unhandled exception has occurred" as well.
            ["Platform__AskTimeout"] = "PT0.001S",
        });
        using var api = new ApiClient(host);
        await host.StartAsync();

        (await api.Get(null, "/health/ready")).Expect(200);
        var token = await api.Token("authority", "log-city");
        // An entity that answers within the millisecond (one already running) would be a 404: a fresh id each time.
        var refused = await api.Eventually(async () => (await api.Get(token, $"/api/operators/{Unique("log-op")}")).ExpectProblem(503, "overloaded"));
        Assert.Equal(0, await host.StopAsync(TimeSpan.FromSeconds(60)));

        var output = HostOutput(host);
        Assert.DoesNotContain(output, l => l.StartsWith(Stderr, StringComparison.Ordinal));
        var entries = output.Select((line, i) =>
        {
            try
            {
                var json = JsonDocument.Parse(line).RootElement;
                Assert.Equal(JsonValueKind.Object, json.ValueKind);
                return json;
            }
            catch (JsonException ex)
            {
                throw new Xunit.Sdk.XunitException($"output line {i + 1} is not one JSON object ({ex.Message}): {line}");
            }
        }).ToArray();

        // Akka's own start-up lines are among them, before the host listens.
        var listening = Array.FindIndex(entries, e => Message(e).StartsWith("Now listening on: http://", StringComparison.Ordinal));
        Assert.True(listening > 0, "no 'Now listening on' line");
        Assert.Contains(entries[..listening], e => Category(e).StartsWith("Akka", StringComparison.Ordinal) && Message(e).Contains("Remoting started", StringComparison.Ordinal));
        Assert.Contains(entries, e => Category(e).StartsWith("Akka", StringComparison.Ordinal) && Message(e).Contains("Cluster Node", StringComparison.Ordinal));

        // The refused request: the handler's line carries the trace id in its message and in the request's scope, the same
        // trace as ASP.NET Core's line for that request and as the problem the caller received.
        var refusals = entries.Where(e => Message(e).StartsWith("request refused on GET /api/operators/", StringComparison.Ordinal)).ToArray();
        Assert.All(refusals, r => Assert.Contains($"(trace {TraceId(r)})", Message(r)));
        var refusal = Assert.Single(refusals, e => TraceId(e) is { } t && refused.Str("traceId").Contains(t, StringComparison.Ordinal));
        var trace = TraceId(refusal)!;
        Assert.Matches("^[0-9a-f]{32}$", trace);
        Assert.Contains(entries, e => TraceId(e) == trace && Message(e).StartsWith("Request finished HTTP/1.1 GET", StringComparison.Ordinal) && Message(e).Contains(" - 503 ", StringComparison.Ordinal));
        // Logged once: not also by ASP.NET Core's exception handler middleware.
        Assert.DoesNotContain(entries, e => Message(e).Contains("An unhandled exception has occurred", StringComparison.Ordinal));
    }

    [Fact]
    public async Task By_default_Akka_logs_through_the_console_logger_in_its_text_format()
    {
        await using var host = new HostProcess();
        await host.StartAsync();
        Assert.Equal(0, await host.StopAsync(TimeSpan.FromSeconds(60)));

        var output = HostOutput(host);
        // Microsoft's console formatter: a "level: category[event id]" header line, the message indented below it.
        Assert.Contains(output, l => l.StartsWith("info: Akka.", StringComparison.Ordinal));
        Assert.Contains(output, l => l.StartsWith("info: Microsoft.Hosting.Lifetime", StringComparison.Ordinal));
        // Akka's own console logger writes "[INFO][date][thread][source] message" at the start of a line: none of it.
        Assert.DoesNotContain(output, l => l.StartsWith("[INFO]", StringComparison.Ordinal) || l.StartsWith("[WARNING]", StringComparison.Ordinal) || l.StartsWith("[DEBUG]", StringComparison.Ordinal));
        Assert.DoesNotContain(output, l => l.StartsWith("{", StringComparison.Ordinal));
    }

    /// <summary>What the host process wrote (stdout, and stderr marked by the harness), without the harness's own lines.</summary>
    private static string[] HostOutput(HostProcess host)
    {
        using var reader = new StreamReader(new FileStream(host.LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
        return reader.ReadToEnd().Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0 && !l.StartsWith(Harness, StringComparison.Ordinal)).ToArray();
    }

    private static string Category(JsonElement entry) => entry.GetProperty("Category").GetString()!;

    private static string Message(JsonElement entry) => entry.TryGetProperty("Message", out var m) ? m.GetString() ?? "" : "";

    private static string? TraceId(JsonElement entry) =>
        entry.TryGetProperty("Scopes", out var scopes)
            ? scopes.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("TraceId", out _)).Select(s => s.GetProperty("TraceId").GetString()).FirstOrDefault()
            : null;
}
