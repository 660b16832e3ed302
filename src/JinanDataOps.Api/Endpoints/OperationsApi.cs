using Akka.Actor;
using Akka.Cluster;
using JinanDataOps.Actors.Hosting;
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
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        var health = app.MapGroup("/health").WithTags("Operations");
        health.MapGet("/live", () => TypedResults.Ok(new LiveView("live"))).Produces<LiveView>().WithName("Live").WithSummary("Liveness: the process answers")
            .WithDescription("No token needed. 200 while the process runs; for restarts by an orchestrator.");
        health.MapGet("/ready", async (ActorSystem system, IJournalProbe probe, CancellationToken ct) =>
        {
            var cluster = Cluster.Get(system);
            var member = cluster.SelfMember;
            if (member.Status != MemberStatus.Up)
                return Problems.Of(503, ProblemCode.NotReady, "Not ready", $"cluster member is {member.Status}, not Up");
            // An `api` node serves every request through the entities, wherever they are hosted (on itself only if it
            // holds `entities` too): with no member that hosts them in reach, it could answer nothing but 503, so it
            // asks to be taken out of rotation. The monitoring lanes are not required: without them only sandbox intake
            // is refused (503), and the rest of the API keeps serving. (Roles and topology, cluster-config/README.md.)
            if (member.HasRole(PlatformOptions.ApiRole) && !InReach(cluster, PlatformOptions.EntityRole))
                return Problems.Of(503, ProblemCode.NotReady, "Not ready",
                    $"no reachable Up cluster member has the role '{PlatformOptions.EntityRole}': the entities this node serves are hosted nowhere it can reach");
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            string? problem;
            // A probe that throws is a probe that failed: readiness answers 503 with the reason, never 500.
            try { problem = await probe.Problem(timeout.Token); }
            catch (Exception ex) { problem = timeout.IsCancellationRequested ? "no answer within the timeout" : $"{ex.GetType().Name}: {ex.Message}"; }
            if (problem is not null)
                return Problems.Of(503, ProblemCode.NotReady, "Not ready", $"the journal is not reachable: {problem}");
            return TypedResults.Ok(new ReadyView("ready", member.Address.ToString(), member.Roles));
        }).Produces<ReadyView>().Produces<ApiProblem>(StatusCodes.Status503ServiceUnavailable, OpenApiContract.ProblemJson)
            .WithName("Ready").WithSummary("Readiness: the node is an Up cluster member and its journal answers")
            .WithDescription("No token needed. 503 not-ready with the reason while the node has not joined its cluster, its journal does not answer, " +
                             "or — a node with the role api — no cluster member with the role entities is in reach.");
        return app;
    }

    /// <summary>Whether an Up member with this role — this node included — is reachable from here.</summary>
    private static bool InReach(Cluster cluster, string role)
    {
        var state = cluster.State;
        return state.Members.Any(m => m.Status == MemberStatus.Up && m.HasRole(role) && !state.Unreachable.Contains(m));
    }

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
