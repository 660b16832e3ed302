using System.Collections.Concurrent;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace JinanDataOps.Api.Http;

/// <summary>Remembers bearer tokens that have passed validation, so a client's next call with the same
/// token is not parsed and signature-checked again (docs/performance.md: JWT validation was a
/// measurable share of every command's CPU). Only exact token strings that validated against these
/// parameters are remembered, each until its own expiry; refused tokens are never remembered, so every
/// refusal is decided afresh. Bounded: past its capacity the cache starts over rather
/// than grow with the number of callers.</summary>
public sealed class ValidatedTokenCache(TokenHandler inner, TimeProvider clock, int capacity = ValidatedTokenCache.DefaultCapacity) : TokenHandler
{
    public const int DefaultCapacity = 50_000;

    private sealed record Entry(TokenValidationResult Result, DateTime ValidToUtc, TokenValidationParameters Parameters);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    public override int MaximumTokenSizeInBytes
    {
        get => inner.MaximumTokenSizeInBytes;
        set => inner.MaximumTokenSizeInBytes = value;
    }

    public override SecurityToken ReadToken(string token) => inner.ReadToken(token);

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        // Parameters are compared by reference: a change of key or issuer configuration builds new ones,
        // and nothing validated under the old ones is taken as valid under the new.
        if (_entries.TryGetValue(token, out var hit) && ReferenceEquals(hit.Parameters, validationParameters))
        {
            if (now < hit.ValidToUtc) return Fresh(hit.Result);
            _entries.TryRemove(token, out _);
        }

        var result = await inner.ValidateTokenAsync(token, validationParameters);
        // A token without an expiry is not remembered: nothing would ever end its entry.
        if (result.IsValid && result.SecurityToken is JsonWebToken { ValidTo: var validTo } && validTo > now)
        {
            if (_entries.Count >= capacity) _entries.Clear();
            _entries[token] = new Entry(result, validTo, validationParameters);
        }
        return result;
    }

    /// <summary>Each request gets its own identity: the authentication pipeline builds a principal on it,
    /// and nothing one request does to it may be seen by another.</summary>
    private static TokenValidationResult Fresh(TokenValidationResult cached) => new()
    {
        IsValid = true,
        SecurityToken = cached.SecurityToken,
        ClaimsIdentity = cached.ClaimsIdentity.Clone(),
        Issuer = cached.Issuer,
        TokenType = cached.TokenType,
        TokenContext = cached.TokenContext,
    };
}
