using System.Security.Claims;
using System.Text;
using JinanDataOps.Api.Http;
using JinanDataOps.Domain.Common;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace JinanDataOps.Api.Tests;

public class ValidatedTokenCacheTests
{
    private static readonly AuthOptions Options = new() { SigningKey = "a-test-signing-key-of-at-least-32-bytes!", TokenLifetime = TimeSpan.FromHours(1) };

    private static TokenValidationParameters Parameters(string key) => new()
    {
        ValidIssuer = Options.Issuer,
        ValidAudience = Options.Audience,
        IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)),
        ValidateLifetime = true,
    };

    /// <summary>The real handler, counting how often it is asked.</summary>
    private sealed class Counting : JsonWebTokenHandler
    {
        public int Validations;

        public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            Interlocked.Increment(ref Validations);
            return base.ValidateTokenAsync(token, validationParameters);
        }
    }

    private readonly Counting _inner = new() { MapInboundClaims = false };
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly ValidatedTokenCache _cache;
    private readonly string _token;

    public ValidatedTokenCacheTests()
    {
        _cache = new ValidatedTokenCache(_inner, _clock);
        _token = Auth.Issue(Options, Role.Operator, "op-1", _clock.GetUtcNow());
    }

    [Fact]
    public async Task A_token_that_validated_is_not_validated_again_and_keeps_its_claims()
    {
        var parameters = Parameters(Options.SigningKey);
        var first = await _cache.ValidateTokenAsync(_token, parameters);
        var second = await _cache.ValidateTokenAsync(_token, parameters);
        Assert.True(first.IsValid);
        Assert.True(second.IsValid);
        Assert.Equal(1, _inner.Validations);
        Assert.Equal("operator", second.ClaimsIdentity.FindFirst("role")?.Value);
        Assert.Equal("op-1", second.ClaimsIdentity.FindFirst("org")?.Value);
    }

    [Fact]
    public async Task A_copy_of_the_same_parameters_is_the_same_trust()
    {
        // The authentication handler clones the configured parameters for every request.
        var configured = Parameters(Options.SigningKey);
        await _cache.ValidateTokenAsync(_token, configured.Clone());
        Assert.True((await _cache.ValidateTokenAsync(_token, configured.Clone())).IsValid);
        Assert.Equal(1, _inner.Validations);
    }

    [Fact]
    public async Task Another_audience_or_issuer_is_another_trust()
    {
        var configured = Parameters(Options.SigningKey);
        await _cache.ValidateTokenAsync(_token, configured);
        var otherAudience = configured.Clone();
        otherAudience.ValidAudience = "someone-else";
        Assert.False((await _cache.ValidateTokenAsync(_token, otherAudience)).IsValid);
        var otherIssuer = configured.Clone();
        otherIssuer.ValidIssuer = "someone-else";
        Assert.False((await _cache.ValidateTokenAsync(_token, otherIssuer)).IsValid);
        Assert.Equal(3, _inner.Validations);
    }

    [Fact]
    public async Task Each_request_gets_its_own_identity()
    {
        var parameters = Parameters(Options.SigningKey);
        await _cache.ValidateTokenAsync(_token, parameters);
        var one = await _cache.ValidateTokenAsync(_token, parameters);
        one.ClaimsIdentity.AddClaim(new Claim("role", "authority"));
        var two = await _cache.ValidateTokenAsync(_token, parameters);
        Assert.NotSame(one.ClaimsIdentity, two.ClaimsIdentity);
        Assert.Single(two.ClaimsIdentity.FindAll("role"));
    }

    [Fact]
    public async Task A_refused_token_is_never_remembered()
    {
        var parameters = Parameters("another-signing-key-also-32-bytes-long!!");
        Assert.False((await _cache.ValidateTokenAsync(_token, parameters)).IsValid);
        Assert.False((await _cache.ValidateTokenAsync(_token, parameters)).IsValid);
        Assert.Equal(2, _inner.Validations);
        Assert.Equal(0, _cache.Count);
    }

    [Fact]
    public async Task Past_its_expiry_a_token_is_validated_afresh()
    {
        var parameters = Parameters(Options.SigningKey);
        await _cache.ValidateTokenAsync(_token, parameters);
        _clock.Advance(Options.TokenLifetime + TimeSpan.FromSeconds(1));
        await _cache.ValidateTokenAsync(_token, parameters);
        Assert.Equal(2, _inner.Validations);
    }

    [Fact]
    public async Task New_validation_parameters_do_not_trust_what_the_old_ones_accepted()
    {
        Assert.True((await _cache.ValidateTokenAsync(_token, Parameters(Options.SigningKey))).IsValid);
        Assert.False((await _cache.ValidateTokenAsync(_token, Parameters("another-signing-key-also-32-bytes-long!!"))).IsValid);
        Assert.Equal(2, _inner.Validations);
    }

    [Fact]
    public async Task The_cache_stays_bounded()
    {
        var parameters = Parameters(Options.SigningKey);
        var cache = new ValidatedTokenCache(_inner, _clock, capacity: 2);
        for (var i = 0; i < 5; i++)
        {
            var token = Auth.Issue(Options, Role.Operator, $"op-{i}", _clock.GetUtcNow());
            Assert.True((await cache.ValidateTokenAsync(token, parameters)).IsValid);
            Assert.InRange(cache.Count, 1, 2);
        }
    }
}
