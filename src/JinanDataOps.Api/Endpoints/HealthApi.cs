using Akka.Actor;
using Akka.Cluster;
using JinanDataOps.Api.Contracts;
using JinanDataOps.Api.Health;
using JinanDataOps.Api.Http;
using JinanDataOps.Domain.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace JinanDataOps.Api.Endpoints;

/// <summary>The probes of an orchestrator or load balancer (API.md, "Operations"): no token needed.</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        var health = app.MapGroup("/health").WithTags("Operations");
        // Liveness runs no check: it answers while the process does. A failing dependency (the journal, the cluster) is
        // for readiness; a liveness probe failing on one would have the orchestrator restart nodes that cannot help it.
        health.MapGet("/live", () => TypedResults.Ok(new LiveView("live"))).Produces<LiveView>().WithName("Live").WithSummary("Liveness: the process answers")
            .WithDescription("No token needed. 200 while the process runs; for restarts by an orchestrator.");
        health.MapGet("/ready", async (HttpContext http, ActorSystem system, HealthCheckService checks, CancellationToken ct) =>
        {
            var detailed = await http.OptionalCaller() is { } caller && Policy.RoleMay(Act.ReadHealthDetails, caller.Role);
            var report = await checks.CheckHealthAsync(r => r.Tags.Contains(PlatformHealth.Ready) || (detailed && r.Tags.Contains(PlatformHealth.Detail)), ct);
            if (report.Status == HealthStatus.Unhealthy)
                return Problems.Of(503, ProblemCode.NotReady, "Not ready", string.Join("; ",
                    report.Entries.Where(e => e.Value.Status == HealthStatus.Unhealthy).Select(e => e.Value.Description ?? $"{e.Key} is unhealthy")));
            var member = Cluster.Get(system).SelfMember;
            var details = detailed
                ? report.Entries.Select(e => new HealthCheckView(e.Key, StatusOf(e.Value.Status), e.Value.Description, Math.Round(e.Value.Duration.TotalMilliseconds, 1))).ToArray()
                : null;
            return TypedResults.Ok(new ReadyView("ready", member.Address.ToString(), member.Roles, details));
        }).Produces<ReadyView>().Produces<ApiProblem>(StatusCodes.Status503ServiceUnavailable, OpenApiContract.ProblemJson)
            .WithName("Ready").WithSummary("Readiness: the node is an Up cluster member and its journal answers")
            .WithDescription("No token needed. 503 not-ready with the reason while the node has not joined its cluster, its journal does not answer, " +
                             "or — a node with the role api — no cluster member with the role entities is in reach. With a token of the authority, a " +
                             "maintainer or a regulator, the answer lists each health check (cluster membership, journal, monitoring pipeline, consequence " +
                             "projection lag) with its status, description and duration; a degraded check leaves the node ready. Any other token, or none, " +
                             "gets the same answer without the checks.");
        return app;
    }

    private static CheckStatus StatusOf(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => CheckStatus.Healthy,
        HealthStatus.Degraded => CheckStatus.Degraded,
        _ => CheckStatus.Unhealthy,
    };
}
