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
        if (_entries.TryGetValue(token, out var hit) && SameTrust(hit.Parameters, validationParameters))
        {
            if (now < hit.ValidToUtc) return Fresh(hit.Result);
            _entries.TryRemove(token, out _);
        }

        var result = await inner.ValidateTokenAsync(token, validationParameters);
        // A token without an expiry is not remembered: nothing would ever end its entry.
        if (result.IsValid && result.SecurityToken is JsonWebToken { ValidTo: var validTo } && validTo > now)
        {
            // Count takes every lock of the dictionary; it is read only when a token is added.
            if (_entries.Count >= capacity) _entries.Clear();
            _entries[token] = new Entry(result, validTo, validationParameters);
        }
        return result;
    }

    /// <summary>The authentication handler hands every request a fresh copy of the configured parameters, so
    /// they cannot be compared by reference. What decides whether a token is accepted — the keys, the
    /// issuers, the audiences, and which checks are on — is compared instead: a change of any of them
    /// (a new key, say) means nothing validated before is taken as valid now.</summary>
    internal static bool SameTrust(TokenValidationParameters a, TokenValidationParameters b) =>
        ReferenceEquals(a, b) ||
        (ReferenceEquals(a.IssuerSigningKey, b.IssuerSigningKey)
         && Same(a.IssuerSigningKeys, b.IssuerSigningKeys, ReferenceEquals)
         && a.ValidIssuer == b.ValidIssuer && Same(a.ValidIssuers, b.ValidIssuers, string.Equals)
         && a.ValidAudience == b.ValidAudience && Same(a.ValidAudiences, b.ValidAudiences, string.Equals)
         && a.ValidateIssuer == b.ValidateIssuer && a.ValidateAudience == b.ValidateAudience
         && a.ValidateLifetime == b.ValidateLifetime && a.ValidateIssuerSigningKey == b.ValidateIssuerSigningKey
         && a.RequireSignedTokens == b.RequireSignedTokens && a.RequireExpirationTime == b.RequireExpirationTime
         && ReferenceEquals(a.IssuerSigningKeyResolver, b.IssuerSigningKeyResolver)
         && ReferenceEquals(a.IssuerValidator, b.IssuerValidator) && ReferenceEquals(a.AudienceValidator, b.AudienceValidator)
         && ReferenceEquals(a.LifetimeValidator, b.LifetimeValidator) && ReferenceEquals(a.SignatureValidator, b.SignatureValidator));

    private static bool Same<T>(IEnumerable<T>? a, IEnumerable<T>? b, Func<T, T, bool> equal) =>
        ReferenceEquals(a, b) || (a is not null && b is not null && a.SequenceEqual(b, EqualityComparer<T>.Create((x, y) => equal(x!, y!))));

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
