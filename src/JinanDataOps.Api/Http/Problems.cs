using JinanDataOps.Api.Contracts;
using System.Text;
using System.Text.Json;
using Akka.Actor;
using JinanDataOps.Actors.Entities;
using JinanDataOps.Domain.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace JinanDataOps.Api.Http;

/// <summary>RFC 9457 problem+json with the machine <c>code</c>s of API.md.</summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    public static IResult Of(int status, ProblemCode code, string title, string detail, string? article = null, IDictionary<string, object?>? extra = null)
    {
        var ext = new Dictionary<string, object?> { ["code"] = Kebab.Of(code) };
        if (article is not null) ext["article"] = article;
        if (extra is not null) foreach (var (k, v) in extra) ext[k] = v;
        return TypedResults.Problem(detail: detail, statusCode: status, title: title, extensions: ext);
    }

    public static IResult Validation(string detail) => Of(400, ProblemCode.ValidationFailed, "The request is not valid", detail);

    public static IResult Forbidden(string detail) => Of(403, ProblemCode.Forbidden, "Not allowed for this caller", detail);

    public static IResult NotFound(string detail) => Of(404, ProblemCode.NotFound, "No such resource", detail);

    public static IResult Overloaded(HttpContext http, string detail)
    {
        http.Response.Headers.RetryAfter = "5";
        return Of(503, ProblemCode.Overloaded, "The platform is busy", detail);
    }

    public static IResult From(Rejection r) => r.Kind switch
    {
        RejectionKind.Validation => Validation(r.Detail),
        RejectionKind.Forbidden => Of(403, ProblemCode.Forbidden, "Not allowed for this caller", r.Detail, r.Article),
        RejectionKind.NotFound => NotFound(r.Detail),
        RejectionKind.InvalidTransition => Of(409, ProblemCode.InvalidTransition, "Not possible in the current state", r.Detail),
        RejectionKind.RuleViolation => Of(r.IsConflict ? 409 : 422, ProblemCode.RuleViolation, "Refused by the Measures", r.Detail, r.Article),
        _ => Of(400, ProblemCode.ValidationFailed, "The request is not valid", r.Detail),
    };

    /// <summary>Turns what escapes a handler into problem+json: bad input is a 400, a timed-out ask
    /// (journal down, node lost) a 503 with Retry-After, never a 500 for anything the caller sent.</summary>
    public static async Task Handle(HttpContext http)
    {
        var error = http.Features.Get<IExceptionHandlerFeature>()?.Error;
        if (error is AggregateException { InnerExceptions.Count: 1 } aggregate) error = aggregate.InnerException;
        var log = http.RequestServices.GetService(typeof(ILogger<ProblemsLog>)) as ILogger;
        IResult result = error switch
        {
            BadHttpRequestException { StatusCode: 413 } => TooLarge(error.Message),
            BadHttpRequestException bad when bad.InnerException is JsonException json => Validation(JsonMessage(json)),
            // The server's own refusals keep their status (408: the body came too slowly; 431, 415, ...).
            BadHttpRequestException { StatusCode: > 400 and < 500 } bad => Of(bad.StatusCode, ProblemCode.ValidationFailed, "The request is not valid", bad.Message),
            BadHttpRequestException bad => Validation(bad.Message),
            JsonException json => Validation(JsonMessage(json)),
            // What the JSON reader refuses in the caller's bytes when something reads them past the binding:
            // the serializer itself turns exactly these (marked by this Source) into JsonException. Without a body
            // to blame, it is data of ours and stays a 500.
            InvalidOperationException { Source: "System.Text.Json.Rethrowable" } or DecoderFallbackException when HasBody(http.Request)
                => Validation("the body holds text that is not Unicode (bytes that are not UTF-8, or a lone surrogate escape such as \\ud800)"),
            JournalUnavailableException journal => Overloaded(http, $"nothing can be recorded now: {journal.Message}; retry shortly"),
            AskTimeoutException or TaskCanceledException or OperationCanceledException or TimeoutException
                => Overloaded(http, "the platform did not answer in time; retry shortly"),
            _ => Of(500, ProblemCode.InternalError, "Unexpected error", "an unexpected error occurred; it has been logged"),
        };
        // Logged here, once (ASP.NET's own "unhandled exception" line is suppressed: SuppressDiagnostics), with the trace
        // id in the message as well as in the request's log scope, so the 500 a caller reports can be found. A 503 is the
        // platform asking the caller to retry while it is degraded (journal down, node lost); under an outage there are
        // thousands a second, each already answered with its reason: Debug. Client errors are the caller's: Debug.
        if (result is IStatusCodeHttpResult { StatusCode: >= 500 and not 503 })
            log?.LogError(error, "unhandled error on {Method} {Path} (trace {TraceId})", http.Request.Method, http.Request.Path, TraceId(http));
        else log?.LogDebug(error, "request refused on {Method} {Path} (trace {TraceId})", http.Request.Method, http.Request.Path, TraceId(http));
        await result.ExecuteAsync(http);
    }

    /// <summary>ASP.NET's exception handler middleware would log every exception that reaches <see cref="Handle"/> as
    /// "An unhandled exception has occurred" — client errors and 503s included, and a 500 twice with ours. Handle logs
    /// each one itself, at its level.</summary>
    public static bool SuppressDiagnostics(ExceptionHandlerSuppressDiagnosticsContext context) => true;

    /// <summary>The W3C trace id of the request (ASP.NET Core's request activity), else its connection-scoped request id.</summary>
    public static string TraceId(HttpContext http) =>
        (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpActivityFeature>()?.Activity ?? System.Diagnostics.Activity.Current)?.TraceId.ToHexString() ?? http.TraceIdentifier;

    private static bool HasBody(HttpRequest request) => request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;

    /// <summary>413 for a body over the limit (see <see cref="RequestBodyLimits"/>).</summary>
    public static IResult TooLarge(string detail) => Of(413, ProblemCode.ValidationFailed, "The request body is too large", detail);

    private static string JsonMessage(JsonException json) => json switch
    {
        NotUnicodeJsonException text => $"the JSON body holds {NotUnicodeJsonException.What} at {json.Path ?? "$"}{text.Within}",
        { InnerException: InvalidOperationException { InnerException: DecoderFallbackException } } =>
            $"the JSON body holds bytes that are not UTF-8 at {json.Path ?? "$"}",
        { Path: { Length: > 0 } path } => $"the JSON body is malformed or has a wrong type at {path}",
        _ => "the JSON body is malformed",
    };

    /// <summary>Category type for the error log.</summary>
    public sealed class ProblemsLog;
}
