using JinanDataOps.Actors.Consequences;
using JinanDataOps.Actors.Monitoring;
using JinanDataOps.Api.Contracts;
using JinanDataOps.Api.Http;
using JinanDataOps.Domain.Common;
using JinanDataOps.Monitoring.Rules;
using JinanDataOps.Monitoring.Sandbox;
using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace JinanDataOps.Api.Endpoints;

/// <summary>Sandbox monitoring (API.md; Art. 13, 15): the sandbox reports activity, the rules raise alerts,
/// critical ones suspend at once.</summary>
public static class SandboxApi
{
    public const string EventsPath = "/api/sandbox/events";

    public static IEndpointRouteBuilder MapSandboxApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(EventsPath, Ingest).RequireAuthorization().WithTags("Monitoring").Allows(Act.ReportSandboxEvents)
            .Accepts<SandboxEventBody[]>("application/json", "application/x-ndjson")
            .Creates<SandboxBatchAcceptedView>(StatusCodes.Status202Accepted).WithName("SandboxEvents")
            .WithSummary("The sandbox reports operator activity: a JSON array or NDJSON; 202 once durably recorded (Art. 8(5), 15)");

        var alerts = app.MapGroup("/api/alerts").RequireAuthorization().WithTags("Monitoring");
        alerts.MapGet("/", (string? operatorId, [OneOf(typeof(Severity))] string? severity, int? limit, HttpContext http, AlertStore store) =>
        {
            if (Scope(http.Caller(), operatorId) is not { } scope) return Permissions.Refuse(Act.ReadAlerts, http.Caller());
            Severity? wanted = null;
            if (severity is not null)
            {
                if (!Kebab.TryParse<Severity>(severity, out var parsed)) return Problems.Validation("'severity' is one of info, warning, critical.");
                wanted = parsed;
            }
            if (limit is < 1 or > 10_000) return Problems.Validation("'limit' is between 1 and 10000.");
            return TypedResults.Ok(store.Query(scope.OperatorId, wanted, limit ?? 500).Select(AlertView.Of).ToArray());
        }).Allows(Act.ReadAlerts).Answers<AlertView[]>().WithName("Alerts").WithSummary("Alerts, newest first (Art. 15)");

        alerts.MapGet("/stream", async (string? operatorId, HttpContext http, AlertStore store, IOptions<JsonOptions> json, CancellationToken ct) =>
        {
            if (Scope(http.Caller(), operatorId) is not { } scope)
            {
                await Permissions.Refuse(Act.ReadAlerts, http.Caller()).ExecuteAsync(http);
                return;
            }
            await Stream(http, store, scope.OperatorId, json.Value.SerializerOptions, ct);
        }).Allows(Act.ReadAlerts).Produces<AlertView>(StatusCodes.Status200OK, "text/event-stream").WithName("AlertStream").WithSummary("Alerts as they are raised or counted, as Server-Sent Events");
        return app;
    }

    private sealed record AlertScope(string? OperatorId);

    /// <summary>Who sees which alerts (the read policy): those granted every operator's alerts see all, or the
    /// one operator asked for; an operator only its own.</summary>
    private static AlertScope? Scope(Caller caller, string? operatorId)
    {
        var wanted = string.IsNullOrWhiteSpace(operatorId) ? null : operatorId;
        if (caller.May(Act.ReadAlerts, Parties.None)) return new AlertScope(wanted);
        return caller.May(Act.ReadAlerts, new Parties(Operator: wanted ?? caller.Org)) ? new AlertScope(wanted ?? caller.Org) : null;
    }

    /// <summary>Server-Sent Events: the headers at once (a console knows it is connected), then each alert
    /// as an <c>alert</c> event, and a comment every 15 s so idle proxies keep the connection.</summary>
    private static async Task Stream(HttpContext http, AlertStore store, string? operatorId, JsonSerializerOptions json, CancellationToken ct)
    {
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        await http.Response.WriteAsync(": connected\n\n", ct);
        await http.Response.Body.FlushAsync(ct);
        var alerts = store.Listen(ct).GetAsyncEnumerator(ct);
        var next = alerts.MoveNextAsync().AsTask();
        // One keep-alive timer at a time, renewed only when it fires: alerts arriving in quick succession
        // do not each start a 15 s timer of their own.
        var beat = Task.Delay(TimeSpan.FromSeconds(15), ct);
        try
        {
            while (true)
            {
                if (await Task.WhenAny(next, beat) == beat)
                {
                    if (ct.IsCancellationRequested) return;
                    await http.Response.WriteAsync(": keep-alive\n\n", ct);
                    await http.Response.Body.FlushAsync(ct);
                    beat = Task.Delay(TimeSpan.FromSeconds(15), ct);
                    continue;
                }
                if (!await next) return;
                var alert = alerts.Current;
                if (operatorId is null || alert.OperatorId == operatorId)
                {
                    await http.Response.WriteAsync($"event: alert\nid: {alert.Id}#{alert.Count}\ndata: {JsonSerializer.Serialize(AlertView.Of(alert), json)}\n\n", ct);
                    await http.Response.Body.FlushAsync(ct);
                }
                next = alerts.MoveNextAsync().AsTask();
            }
        }
        catch (OperationCanceledException)
        {
            // the client went away
        }
        finally
        {
            // The listener ends with the request; it is disposed only once its pending read has ended.
            await next.ContinueWith(_ => { }, TaskScheduler.Default);
            await alerts.DisposeAsync();
        }
    }

    /// <summary>The body into a pooled buffer: a batch is up to megabytes, and a fresh array of that size
    /// per request is a large-object allocation each time, which the garbage collector pays for in full
    /// collections. The size limit is the server's (ApiSetup.MaxSandboxBodyBytes).</summary>
    private static async Task<(byte[] Buffer, int Length)> ReadBody(HttpContext http, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(http.Request.ContentLength ?? 64 * 1024, 1024, ApiSetup.MaxSandboxBodyBytes) + 1);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = await http.Request.Body.ReadAsync(buffer.AsMemory(length), ct);
                if (read == 0) return (buffer, length);
                length += read;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private static async Task<IResult> Ingest(HttpContext http, SandboxIntake intake, CancellationToken ct)
    {
        var caller = http.Caller();
        // With an Idempotency-Key a batch sent again (its answer was lost) is the same batch, and lanes
        // that have it on record do not count it twice.
        var batchId = $"{caller.Org}:{http.IdempotencyKey() ?? Guid.NewGuid().ToString("N")}";
        var (buffer, length) = await ReadBody(http, ct);
        ParsedBatch parsed;
        try
        {
            parsed = BatchParser.Parse(buffer.AsSpan(0, length), batchId);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        if (parsed.Batch is not { } batch)
        {
            var lines = string.Join(", ", parsed.Errors.Select(e => e.Line));
            return Problems.Of(400, ProblemCode.ValidationFailed, "The batch is not valid",
                $"nothing from this batch was taken; lines at fault: {lines}. {parsed.Errors[0].Problem}",
                extra: new Dictionary<string, object?> { ["errors"] = parsed.Errors.Select(e => new { e.Line, e.Problem }).ToArray() });
        }

        var outcome = await intake.Take(batch, ct);
        switch (outcome.Status)
        {
            case IntakeStatus.Overloaded:
                return Problems.Overloaded(http, "the monitoring pipeline is saturated; nothing from this batch was taken — send it again after Retry-After");
            case IntakeStatus.Failed:
                return Problems.Overloaded(http, $"the batch was not confirmed ({outcome.Problem}); send it again with the same Idempotency-Key — what is on record already is not counted twice");
        }

        var alerts = outcome.Raised.SelectMany(r => r.Alerts).ToArray();
        return TypedResults.Accepted((string?)null, new SandboxBatchAcceptedView(batch.BatchId, outcome.Events, outcome.Duplicates,
            alerts.Length, alerts.Count(a => a.Severity == Severity.Critical), outcome.Raised.SelectMany(r => r.Acting).ToArray()));
    }
}
