using JinanDataOps.Api.Contracts;
using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Text;
using JinanDataOps.Domain.Common;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace JinanDataOps.Api.Http;

/// <summary><c>Auth:*</c> configuration. The signing key is configuration, not generated per start, so
/// tokens stay valid across restarts until they expire (API.md, Identity).</summary>
public sealed record AuthOptions
{
    public required string SigningKey { get; init; }
    public string Issuer { get; init; } = "jinandataops";
    public string Audience { get; init; } = "jinandataops-api";
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromHours(12);
}

public static class Auth
{
    /// <summary>Roles a token may carry; "platform" is the platform itself and never a token.</summary>
    public static readonly IReadOnlyList<Role> TokenRoles = Policy.TokenRoles;

    public static void AddJinanAuth(this IServiceCollection services, AuthOptions options)
    {
        if (Encoding.UTF8.GetByteCount(options.SigningKey) < 32)
            throw new InvalidOperationException("Auth:SigningKey must be at least 32 bytes (HMAC-SHA256).");
        services.AddSingleton(options);
        services.AddAuthorization();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            o.TokenHandlers.Clear();
            o.TokenHandlers.Add(new ValidatedTokenCache(new JsonWebTokenHandler { MapInboundClaims = false }, TimeProvider.System));
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = options.Issuer,
                ValidAudience = options.Audience,
                IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(options.SigningKey)),
                ValidateLifetime = true,
                ClockSkew = TimeSpan.FromSeconds(30),
            };
            o.Events = new JwtBearerEvents
            {
                OnTokenValidated = ctx =>
                {
                    if (TryCaller(ctx.Principal, out _) is { } why) ctx.Fail(why);
                    return Task.CompletedTask;
                },
                OnChallenge = async ctx =>
                {
                    ctx.HandleResponse();
                    var detail = ctx.AuthenticateFailure is null
                        ? "every /api call carries 'Authorization: Bearer <JWT>'"
                        : $"the bearer token was refused: {ctx.AuthenticateFailure.Message}";
                    await Problems.Of(401, ProblemCode.Unauthenticated, "Authentication required", detail).ExecuteAsync(ctx.HttpContext);
                },
                OnForbidden = ctx => Problems.Forbidden("this caller may not use this resource").ExecuteAsync(ctx.HttpContext),
            };
        });
    }

    public static string Issue(AuthOptions options, Role role, string org, DateTimeOffset now)
    {
        var key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(options.SigningKey));
        var token = new JwtSecurityToken(
            options.Issuer, options.Audience,
            [new Claim("role", Kebab.Of(role)), new Claim("org", org), new Claim("sub", $"{Kebab.Of(role)}:{org}")],
            notBefore: now.UtcDateTime.AddSeconds(-5), expires: now.UtcDateTime.Add(options.TokenLifetime),
            signingCredentials: new SigningCredentials(key, SecurityAlgorithms.HmacSha256));
        return new JwtSecurityTokenHandler().WriteToken(token);
    }

    private static string? TryCaller(ClaimsPrincipal? principal, out Caller caller)
    {
        caller = null!;
        var role = principal?.FindFirst("role")?.Value;
        var org = principal?.FindFirst("org")?.Value;
        if (!Kebab.TryParse<Role>(role, out var r) || r == Role.Platform) return $"the 'role' claim must be one of {string.Join(", ", TokenRoles.Select(x => Kebab.Of(x)))}";
        if (string.IsNullOrWhiteSpace(org) || org.Length > 64) return "the 'org' claim is missing or too long";
        caller = new Caller(r, org);
        return null;
    }

    /// <summary>The caller of a route that needs no token, if the request carries a valid one; null otherwise (no token,
    /// or one that is refused: such a route answers anyway, without what the token would have shown). Authenticates
    /// explicitly, as nodes without the API role run no authentication middleware.</summary>
    public static async Task<Caller?> OptionalCaller(this HttpContext http)
    {
        var result = await http.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
        return result.Succeeded && TryCaller(result.Principal, out var caller) is null ? caller : null;
    }

    /// <summary>The authenticated caller (endpoints under /api require authorization, so it is there).</summary>
    public static Caller Caller(this HttpContext http) =>
        TryCaller(http.User, out var caller) is null ? caller : throw new InvalidOperationException("no authenticated caller");
}
