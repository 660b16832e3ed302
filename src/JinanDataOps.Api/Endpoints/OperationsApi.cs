using JinanDataOps.Api.Contracts;
using JinanDataOps.Api.Http;
using JinanDataOps.Domain.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace JinanDataOps.Api.Endpoints;

/// <summary>Answers whether the journal's database is reachable (a plain SELECT 1 with a timeout:
/// the journal's own health check never answers while the journal is failing).</summary>
public interface IJournalProbe
{
    Task<string?> Problem(CancellationToken ct);
}

/// <summary><paramref name="Role"/> is any role but the platform itself, which never holds a token.</summary>
public sealed record DevTokenBody([property: OneOf(typeof(Role), nameof(Domain.Common.Role.Platform))] string? Role, string? Org);

public static class OperationsApi
{
    /// <summary>Development only: tokens signed with the configured development key (API.md, Identity).</summary>
    public static IEndpointRouteBuilder MapDevTokens(this IEndpointRouteBuilder app)
    {
        app.MapPost("/dev/tokens", (DevTokenBody body, AuthOptions auth, TimeProvider clock) =>
        {
            if (!Kebab.TryParse<Role>(body.Role, out var role) || role == Role.Platform)
                return Problems.Validation($"'role' must be one of: {string.Join(", ", Auth.TokenRoles.Select(r => Kebab.Of(r)))}.");
            if (string.IsNullOrWhiteSpace(body.Org) || body.Org.Length > 64) return Problems.Validation("'org' is required (at most 64 characters).");
            return TypedResults.Ok(new DevTokenView(Auth.Issue(auth, role, body.Org, clock.GetUtcNow())));
        }).WithTags("Development").Produces<DevTokenView>().Produces<ApiProblem>(StatusCodes.Status400BadRequest, OpenApiContract.ProblemJson)
            .WithName("DevToken").WithSummary("Development only: a token for a role and an organisation, signed with the configured key")
            .WithDescription("Exists only in the Development environment (API.md, Identity). Tokens stay valid across restarts until they expire.");
        // The HTTP ceiling for the throughput benchmark: the same authentication and JSON binding as a
        // command, and no actor, no journal.
        app.MapPost("/dev/noop", (SecurityReportBody body, HttpContext http) =>
            TypedResults.Ok(new { Id = http.Caller().Org, Period = body.Period }))
            .RequireAuthorization().WithTags("Development").WithName("DevNoop").ExcludeFromDescription();
        return app;
    }
}
