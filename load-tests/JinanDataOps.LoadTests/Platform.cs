using System.Net.Http.Json;
using System.Text.Json;
using JinanDataOps.Domain.Common;

namespace JinanDataOps.LoadTests;

/// <summary>Talks to a running host the way a client does: dev tokens, registered operators.</summary>
public static class Platform
{
    public sealed record Operator(string Org, string Token);

    public static async Task<string> Token(HttpClient http, string role, string org)
    {
        using var response = await http.PostAsJsonAsync("/dev/tokens", new { role, org });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    public static string CreditCode(int n)
    {
        var first17 = "91370100" + n.ToString("D9");
        return first17 + Domain.Common.CreditCode.CheckCharacterFor(first17);
    }

    /// <summary>Registers <paramref name="count"/> operators (one persisted entity each), 32 at a time.</summary>
    public static async Task<Operator[]> RegisterOperators(HttpClient http, int count, string prefix = "bench-op")
    {
        var result = new Operator[count];
        using var gate = new SemaphoreSlim(32);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var org = $"{prefix}-{i:D6}";
                var token = await Token(http, "operator", org);
                using var request = LoadGenerator.Json(HttpMethod.Post, "/api/operators", token,
                    JsonSerializer.Serialize(new { name = $"Benchmark operator {i}", creditCode = CreditCode(i), legalRepresentative = "Zhang San", securityContact = "Li Si" }));
                using var response = await http.SendAsync(request);
                if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"registering {org}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                result[i] = new Operator(org, token);
            }
            finally
            {
                gate.Release();
            }
        }));
        return result;
    }

    /// <summary>The command mix: security reports and training records (Art. 16) round-robin over the
    /// operators — one persisted event per request; training events also feed the consequence projection.</summary>
    public static RequestFactory CommandMix(Operator[] operators) => sequence =>
    {
        var op = operators[sequence % operators.Length];
        return sequence % 2 == 0
            ? LoadGenerator.Json(HttpMethod.Post, $"/api/operators/{op.Org}/security-reports", op.Token, """{"period":"2026-Q4","summary":"no incidents; access reviewed"}""")
            : LoadGenerator.Json(HttpMethod.Post, $"/api/operators/{op.Org}/trainings", op.Token, """{"staff":["engineer-a","engineer-b"],"completedOn":"2026-11-01"}""");
    };

    /// <summary>The HTTP ceiling: the same authentication and JSON binding, no actor and no journal.</summary>
    public static RequestFactory Noop(Operator[] operators) => sequence =>
    {
        var op = operators[sequence % operators.Length];
        return LoadGenerator.Json(HttpMethod.Post, "/dev/noop", op.Token, """{"period":"2026-Q4","summary":"no incidents; access reviewed"}""");
    };
}
