using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using JinanDataOps.Domain.Reactions;
using JinanDataOps.Host.Tests.Infrastructure;
using static JinanDataOps.Host.Tests.Infrastructure.Procedure;

namespace JinanDataOps.Host.Tests;

/// <summary>Sandbox monitoring end to end over HTTP (Art. 13, 15): the sandbox reports, the rules judge,
/// and a critical alert closes the loop — request and agreement suspended, the operator's other request
/// with them, an incident opened, the alert on the live stream.</summary>
public sealed class SandboxMonitoringTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private readonly ApiClient _api = fixture.Api;
    private readonly Procedure _p = fixture.Procedure;
    private readonly string _authority = Unique("city");
    private readonly string _provider = Unique("bureau");
    private readonly string _data = Unique("bus-trips");

    public static string Event(string op, string request, string dataset, string kind = "query", long rows = 10, DateTimeOffset? at = null) =>
        JsonSerializer.Serialize(new
        {
            operatorId = op, dataRequestId = request, kind, dataset, fields = new[] { "line", "boardings" }, rows, bytes = rows * 80,
            at = (at ?? new DateTimeOffset(2026, 12, 1, 6, 0, 0, TimeSpan.Zero)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
        });

    private async Task<Reply> Post(string body, string? key = null, string role = "sandbox", string contentType = "application/x-ndjson") =>
        await _api.PostRaw(await _api.Token(role, "sandbox-1"), "/api/sandbox/events", body, contentType, key);

    [Fact]
    public async Task An_export_attempt_suspends_the_request_and_the_agreement_opens_an_incident_and_streams_the_alert()
    {
        var op = Unique("op-exporter");
        await _p.Dataset(_provider, _data, "transport", ("line", false), ("boardings", false));
        var setup = await _p.Provisioned(_authority, _provider, _data, [op], "trip-dashboard", "trip-forecast");
        var (agreement, requests) = setup[op];
        var authority = await _api.Token("authority", _authority);

        // A console listening live before the violation.
        using var stream = new HttpClient { BaseAddress = _api.Host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        using var streamRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/alerts/stream?operatorId={op}");
        streamRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", authority);
        using var live = await stream.SendAsync(streamRequest, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", live.Content.Headers.ContentType?.MediaType);
        var reader = new StreamReader(await live.Content.ReadAsStreamAsync());

        var batch = string.Join("\n", Event(op, requests[0], _data), Event(op, requests[0], _data, kind: "export", rows: 50_000), Event(op, requests[0], _data));
        var accepted = (await Post(batch)).Expect(202);
        Assert.Equal(3, accepted["events"].GetInt32());
        Assert.Equal(1, accepted["critical"].GetInt32());
        var alertId = Assert.Single(accepted["acted"].EnumerateArray()).GetString()!;

        // The closed loop starts with the 202 (the benchmark times it: tens of milliseconds; here only the
        // usual ceiling, as a loaded machine may take seconds).
        var request = await _p.UntilRequestState(requests[0], _authority, "suspended");
        Assert.Contains(alertId, request.Str("suspensionReason"));
        await _api.UntilState(authority, $"/api/agreements/{agreement}", "suspended");
        // The agreement's suspension reaches the operator's other request (Art. 18).
        await _p.UntilRequestState(requests[1], _authority, "suspended");

        var incidentId = Reactions.IncidentIdOf(alertId);
        var incident = await _api.Eventually(async () => (await _api.Get(authority, $"/api/incidents/{incidentId}")).Expect(200));
        Assert.Equal(("opened", op, requests[0]), (incident.State, incident.Str("operatorId"), incident.Str("dataRequestId")));
        Assert.Equal("raw-export", incident["source"].GetProperty("rule").GetString());
        Assert.Contains(incident["source"].GetProperty("evidence").EnumerateArray(), e => e.GetString()!.EndsWith("#2", StringComparison.Ordinal));
        await _api.Eventually(async () => Assert.Contains((await _api.Get(authority, $"/api/incidents?operatorId={op}")).Expect(200).Json.EnumerateArray(),
            i => i.GetProperty("id").GetString() == incidentId));

        // The alert arrives on the live stream.
        var line = await ReadAlert(reader, alertId, Wait.DefaultTimeout);
        Assert.Contains("\"severity\":\"critical\"", line);

        // And in the alerts list, for the supervisors and for the operator itself.
        var listed = (await _api.Get(authority, $"/api/alerts?operatorId={op}&severity=critical")).Expect(200);
        Assert.Equal(alertId, Assert.Single(listed.Json.EnumerateArray()).GetProperty("id").GetString());
        var own = (await _api.Get(await _api.Token("operator", op), "/api/alerts")).Expect(200);
        Assert.All(own.Json.EnumerateArray(), a => Assert.Equal(op, a.GetProperty("operatorId").GetString()));
        (await _api.Get(await _api.Token("operator", op), "/api/alerts?operatorId=someone-else")).ExpectProblem(403, "forbidden");

        // While its incident is open, the request stays suspended (Art. 15).
        await _api.Eventually(async () => (await _api.Post(authority, $"/api/data-requests/{requests[0]}/reinstate")).ExpectProblem(409, "rule-violation", "Art. 15"));

        // The emergency response: a measure, then the closing report.
        (await _api.Post(authority, $"/api/incidents/{incidentId}/close", new { report = "nothing done yet" })).ExpectProblem(409, "rule-violation", "Art. 15");
        var measured = (await _api.Post(await _api.Token("operator", op), $"/api/incidents/{incidentId}/measures", new { description = "export job removed; staff retrained" })).Expect(201);
        Assert.Equal("emergency-response", measured.State);
        (await _api.Post(await _api.Token("operator", op), $"/api/incidents/{incidentId}/close", new { report = "all fine" })).ExpectProblem(403, "forbidden");
        var closed = (await _api.Post(authority, $"/api/incidents/{incidentId}/close", new { report = "contained; no raw data left the platform" })).Expect(200);
        Assert.Equal("closed", closed.State);

        // Art. 18: data-use rights return with the agreement — first the agreement, by its rectification.
        await _api.Eventually(async () => (await _api.Post(authority, $"/api/data-requests/{requests[0]}/reinstate")).ExpectProblem(409, "rule-violation", "Art. 18"));
        (await _api.Post(await _api.Token("operator", op), $"/api/agreements/{agreement}/rectification-reports", new { summary = "export job removed; staff retrained" })).Expect(201);
        Assert.Equal("active", (await _api.Post(authority, $"/api/agreements/{agreement}/restore")).Expect(200).State);
        // The request suspended with the agreement returns with it; the one suspended for its own violation does not.
        await _p.UntilRequestState(requests[1], _authority, "provisioned");
        Assert.Equal("suspended", (await _api.Get(authority, $"/api/data-requests/{requests[0]}")).Expect(200).State);
        (await _api.Post(await _api.Token("authority", Unique("district")), $"/api/data-requests/{requests[0]}/reinstate")).ExpectProblem(403, "forbidden", "Art. 15");
        (await _api.Post(await _api.Token("operator", op), $"/api/data-requests/{requests[0]}/reinstate")).ExpectProblem(403, "forbidden");
        // The authorizing unit reinstates it, the incident closed and the agreement active.
        Assert.Equal("provisioned", (await _api.Post(authority, $"/api/data-requests/{requests[0]}/reinstate")).Expect(200).State);
        // Only a request suspended for its own violation is revoked by the unit.
        (await _api.Post(authority, $"/api/data-requests/{requests[0]}/revoke", new { reason = "repeated attempts" })).ExpectProblem(409, "invalid-transition");
    }

    private static async Task<string> ReadAlert(StreamReader reader, string alertId, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var line = await reader.ReadLineAsync(cts.Token) ?? throw new InvalidOperationException("the alert stream ended");
            if (line.StartsWith("data:", StringComparison.Ordinal) && line.Contains(alertId, StringComparison.Ordinal)) return line;
        }
    }

    [Fact]
    public async Task A_malformed_batch_is_refused_whole_naming_its_lines()
    {
        var op = Unique("op-typo");
        var batch = string.Join("\n", Event(op, "req-x", _data, kind: "export"), "{\"operatorId\":", Event(op, "req-x", _data).Replace("\"rows\":10", "\"rows\":\"many\""));
        var refused = (await Post(batch)).ExpectProblem(400, "validation-failed", "lines at fault: 2, 3");
        Assert.Equal([2, 3], refused["errors"].EnumerateArray().Select(e => e.GetProperty("line").GetInt32()));
        // Nothing was taken: the export on line 1 raised nothing.
        var authority = await _api.Token("authority", _authority);
        Assert.Empty((await _api.Get(authority, $"/api/alerts?operatorId={op}")).Expect(200).Json.EnumerateArray());
    }

    [Theory]
    [InlineData("operator")]
    [InlineData("authority")]
    [InlineData("regulator")]
    public async Task Only_the_sandbox_reports_activity(string role) =>
        (await Post(Event("op-1", "req-1", "ds"), role: role)).ExpectProblem(403, "forbidden", "Art. 15");

    [Fact]
    public async Task A_batch_sent_again_with_its_key_is_not_counted_twice()
    {
        var op = Unique("op-retry");
        var batch = string.Join("\n", Event(op, "req-unknown", _data), Event(op, "req-unknown", _data));
        var key = Guid.NewGuid().ToString("N");
        var first = (await Post(batch, key)).Expect(202);
        Assert.Equal(0, first["alreadyRecordedParts"].GetInt32());
        // The repeat answers the first response, replayed: the batch is not taken again.
        var again = (await Post(batch, key)).Expect(202);
        Assert.Equal(first.Text, again.Text);
        Assert.True(again.Headers.Contains("Idempotent-Replayed"));
        var authority = await _api.Token("authority", _authority);
        var alert = Assert.Single((await _api.Eventually(async () =>
        {
            var list = (await _api.Get(authority, $"/api/alerts?operatorId={op}")).Expect(200);
            Assert.NotEmpty(list.Json.EnumerateArray());
            return list;
        })).Json.EnumerateArray());
        // An unknown request is critical (the sandbox let it through), counted once per event of the first post.
        Assert.Equal(("request-not-provisioned", 2), (alert.GetProperty("rule").GetString(), alert.GetProperty("count").GetInt32()));
    }

    [Fact]
    public async Task A_json_array_is_taken_as_well_as_ndjson() =>
        Assert.Equal(2, (await Post($"[{Event("op-array", "req-unknown", _data)},{Event("op-array", "req-unknown", _data)}]", contentType: "application/json"))
            .Expect(202)["events"].GetInt32());

    [Fact]
    public async Task A_large_batch_sent_without_a_length_is_read_whole()
    {
        // Chunked transfer: the server does not know the size up front and grows its buffer as it reads.
        var body = string.Join("\n", Enumerable.Range(0, 3_000).Select(i => Event($"op-chunked-{i % 7}", "req-unknown", _data)));
        Assert.True(Encoding.UTF8.GetByteCount(body) > 256 * 1024);
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_api.Host.BaseAddress, "/api/sandbox/events"))
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body))),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        request.Headers.TransferEncodingChunked = true;
        Assert.Equal(3_000, (await _api.Send(await _api.Token("sandbox", "sandbox-1"), request)).Expect(202)["events"].GetInt32());
    }
}
