using System.Net.Http.Headers;
using JinanDataOps.Domain.Common;
using JinanDataOps.Host.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JinanDataOps.Host.Tests;

/// <summary>Every create of the contract (each operation documenting the Idempotency-Key header), in a world where
/// it can succeed: twenty concurrent sends with one key run one attempt — one answer without
/// <c>Idempotent-Replayed</c>, nineteen replaying it byte for byte — and the same key with another body is 422.</summary>
public sealed class IdempotencyBurstTests(MatrixWorld world, ITestOutputHelper output) : IClassFixture<MatrixWorld>
{
    private const int Burst = 20;

    [Fact]
    public async Task Twenty_concurrent_sends_with_one_key_make_one_attempt_on_every_create()
    {
        var document = (await world.Api.Get(null, "/openapi/v1.json")).Expect(200).Json;
        var creates = (await world.Operations()).Where(o => TakesKey(document, o)).ToArray();
        Assert.True(creates.Length >= 15, $"only {creates.Length} creates document the Idempotency-Key");
        var faults = new List<string>();
        foreach (var operation in creates)
        {
            var scene = world.Scenes[operation.Key];
            var caller = MatrixWorld.TokenRoles.Select(role => new Caller(role, world.RightOrg(role, scene)))
                .First(c => Policy.Allows(operation.Act, c, scene.Parties(c)));
            var template = await scene.Request(caller);
            var body = template.Content is null ? null : await template.Content.ReadAsStringAsync();
            var contentType = template.Content?.Headers.ContentType?.MediaType;
            var token = await world.Api.Token(Kebab.Of(caller.Role), caller.Org);
            var key = $"burst-{Guid.NewGuid():N}";

            HttpRequestMessage Copy(string? content)
            {
                var request = new HttpRequestMessage(template.Method, template.RequestUri);
                if (content is not null) request.Content = new StringContent(content, System.Text.Encoding.UTF8, contentType ?? "application/json");
                if (contentType is not null && request.Content is not null) request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
                request.Headers.Add("Idempotency-Key", key);
                return request;
            }

            var replies = await Task.WhenAll(Enumerable.Range(0, Burst).Select(_ => world.Api.Send(token, Copy(body))));
            var firsts = replies.Count(r => !r.Headers.Contains("Idempotent-Replayed"));
            if (replies.Any(r => r.Status is < 200 or >= 300)) faults.Add($"{operation.Key}: {string.Join(", ", replies.Select(r => r.Status).Distinct())} ({replies.First(r => r.Status >= 300).Text})");
            else if (replies.Select(r => r.Text).Distinct().Count() != 1) faults.Add($"{operation.Key}: the answers differ");
            else if (firsts != 1) faults.Add($"{operation.Key}: {firsts} attempts ran, not one");
            var changed = await world.Api.Send(token, Copy(body is null ? "{}" : body + " "));
            if (changed.Status != 422 || !changed.Text.Contains("idempotency-key-reused")) faults.Add($"{operation.Key}: another body with the key answered {changed.Status}");
        }
        output.WriteLine($"{creates.Length} creates × {Burst} concurrent sends: {string.Join(", ", creates.Select(c => c.Key))}");
        Assert.True(faults.Count == 0, string.Join("\n", faults));
    }

    private static bool TakesKey(System.Text.Json.JsonElement document, Operation operation) =>
        document.GetProperty("paths").GetProperty(operation.Path).GetProperty(operation.Method.ToLowerInvariant()) is var op
        && op.TryGetProperty("parameters", out var parameters)
        && parameters.EnumerateArray().Any(p => p.GetProperty("name").GetString() == "Idempotency-Key");
}
