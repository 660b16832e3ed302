using JinanDataOps.Api.Contracts;
using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using JinanDataOps.Actors.Entities;
using JinanDataOps.Domain.Idempotency;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace JinanDataOps.Api.Http;

/// <summary>Idempotency-Key on every create (API.md "Identity"): a repeat with the same key answers the first
/// response — status, body and location — and changes nothing; the same key with another request is 422
/// <c>idempotency-key-reused</c>; concurrent repeats wait for the one attempt that runs. The record of each key
/// is a persistent sharded entity (<see cref="IdempotentRequest"/>), so this holds on any node and across
/// restarts. Server-minted ids stay derived from the key as well (<see cref="Ids.New"/>): should a node die
/// between creating and recording the answer, the retry addresses the same entity, which changes nothing.</summary>
public static class Idempotency
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxKeyLength = 256;
    private const string BodyHashItem = "jdo.idempotency.body-hash";

    /// <summary>Before binding: a POST with a key has its body hashed as sent (and kept readable), so the
    /// request can be compared whole with the one that took the key.</summary>
    public static async Task HashBody(HttpContext http, Func<Task> next)
    {
        if (HttpMethods.IsPost(http.Request.Method) && http.Request.Headers.ContainsKey(Header))
        {
            var key = http.Request.Headers[Header].ToString();
            if (string.IsNullOrWhiteSpace(key) || key.Length > MaxKeyLength || key.Any(char.IsControl))
            {
                await Problems.Validation($"'{Header}' is 1–{MaxKeyLength} printable characters.").ExecuteAsync(http);
                return;
            }
            http.Request.EnableBuffering(bufferThreshold: 64 * 1024);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                int read;
                while ((read = await http.Request.Body.ReadAsync(buffer, http.RequestAborted)) > 0) hash.AppendData(buffer, 0, read);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            http.Request.Body.Position = 0;
            http.Items[BodyHashItem] = Convert.ToHexStringLower(hash.GetHashAndReset());
        }
        await next();
    }

    /// <summary>The endpoint filter of every create (<see cref="OpenApiContract.Creates{T}"/>).</summary>
    public static async ValueTask<object?> Filter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.Request.Headers[Header].ToString() is not { Length: > 0 } key) return await next(context);
        var caller = http.Caller();
        var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value ?? "";
        var id = Ids.New("key", $"{caller}", route, key);
        var request = RequestHash(http);
        var gateway = http.RequestServices.GetRequiredService<EntityGateway>();
        // Longer than any attempt can take to answer (an ask times out before), so a live attempt is never taken over.
        var lease = gateway.Timeout * 3;
        var giveUp = DateTimeOffset.UtcNow + gateway.Timeout;
        while (true)
        {
            var begun = await gateway.Execute<IdempotentRequest, IdempotentRequestState>(id, new BeginRequest(caller, request, lease), http.RequestAborted);
            if (begun.Rejection is { } refused) return Problems.From(refused);
            var record = begun.State;
            if (begun.Events.Count > 0) return await Attempt(context, next, gateway, id, request);
            if (record.TakenByOther(request))
                return Problems.Of(422, ProblemCode.IdempotencyKeyReused, "Idempotency-Key reused",
                    $"the {Header} '{Shorten(key)}' was used for another request on {route}; a repeat must send the same request, a new request a new key");
            if (record is { State: IdempotentRequestStatus.Completed, Response: { } first }) return Replay(first);
            if (DateTimeOffset.UtcNow > giveUp)
                return Problems.Overloaded(http, $"the request with {Header} '{Shorten(key)}' is still being answered; send it again shortly");
            // The same request is being answered right now (a concurrent repeat): its answer is this one's too.
            await Task.Delay(TimeSpan.FromMilliseconds(50), http.RequestAborted);
        }
    }

    private static async ValueTask<object?> Attempt(
        EndpointFilterInvocationContext context, EndpointFilterDelegate next, EntityGateway gateway, string id, string request)
    {
        var http = context.HttpContext;
        var caller = http.Caller();
        object? result;
        try
        {
            result = await next(context);
        }
        catch
        {
            await gateway.Execute<IdempotentRequest, IdempotentRequestState>(id, new AbandonRequest(caller, request), CancellationToken.None);
            throw;
        }
        if (result is IStatusCodeHttpResult { StatusCode: >= 200 and < 300 and var status } && result is IValueHttpResult { Value: { } value })
        {
            var json = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
            var location = result.GetType().GetProperty(nameof(Created.Location))?.GetValue(result) as string;
            var stored = new StoredResponse(status, JsonSerializer.Serialize(value, value.GetType(), json), location);
            await gateway.Execute<IdempotentRequest, IdempotentRequestState>(id, new CompleteRequest(caller, request, stored), http.RequestAborted);
            // The first answer is written from the stored text too, so every repeat is byte for byte the same.
            return new StoredAnswer(stored, replayed: false);
        }
        // Refused or failed: nothing was created, the key is free for a corrected request.
        await gateway.Execute<IdempotentRequest, IdempotentRequestState>(id, new AbandonRequest(caller, request), CancellationToken.None);
        return result;
    }

    private static IResult Replay(StoredResponse first) => new StoredAnswer(first, replayed: true);

    /// <summary>The request as a whole: method, path (with its ids and query) and the body bytes.</summary>
    private static string RequestHash(HttpContext http)
    {
        var body = http.Items[BodyHashItem] as string ?? "";
        var text = $"{http.Request.Method}\n{http.Request.Path}{http.Request.QueryString}\n{body}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static string Shorten(string key) => key.Length <= 40 ? key : key[..40] + "…";

    /// <summary>A stored answer written as it was first given.</summary>
    private sealed class StoredAnswer(StoredResponse response, bool replayed) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => response.Status;

        public async Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = response.Status;
            if (response.Location is { } location) http.Response.Headers.Location = location;
            if (replayed) http.Response.Headers[ReplayedHeader] = "true";
            http.Response.ContentType = "application/json; charset=utf-8";
            await http.Response.WriteAsync(response.Body, Encoding.UTF8, http.RequestAborted);
        }
    }
}
