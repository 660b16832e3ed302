using Akka.Actor;
using Akka.Cluster;
using JinanDataOps.Actors.Consequences;
using JinanDataOps.Actors.Hosting;
using JinanDataOps.Actors.Monitoring;
using JinanDataOps.Api.Endpoints;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace JinanDataOps.Api.Health;

/// <summary>The node's readiness as ASP.NET Core health checks (Microsoft.Extensions.Diagnostics.HealthChecks), run by
/// <c>GET /health/ready</c>. Unhealthy takes the node out of rotation (503 not-ready); Degraded is reported to authorised
/// callers but leaves it serving — what it concerns (sandbox intake, consequences arriving late) is not all of the API.</summary>
public static class PlatformHealth
{
    /// <summary>The checks that decide readiness: run on every probe.</summary>
    public const string Ready = "ready";

    /// <summary>The checks that can only degrade (never make the node unready): run when an authorised caller asks for
    /// the details, not on every probe of an orchestrator — the projection's lag costs queries of the journal.</summary>
    public const string Detail = "detail";

    /// <summary>No check is left running longer than this; one that is reports its failure status.</summary>
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    public static IServiceCollection AddPlatformHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<ClusterMembershipCheck>("cluster-membership", HealthStatus.Unhealthy, [Ready], CheckTimeout)
            .AddCheck<JournalCheck>("journal", HealthStatus.Unhealthy, [Ready], CheckTimeout)
            .AddCheck<IntakePipelineCheck>("monitoring-pipeline", HealthStatus.Degraded, [Detail], CheckTimeout)
            .AddCheck<ProjectionLagCheck>("consequence-projection", HealthStatus.Degraded, [Detail], CheckTimeout);
        return services;
    }
}

/// <summary>The node is an Up member of its cluster; an <c>api</c> node also has a member hosting the entities in reach.</summary>
public sealed class ClusterMembershipCheck(ActorSystem system) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var cluster = Cluster.Get(system);
        var member = cluster.SelfMember;
        if (member.Status != MemberStatus.Up)
            return Task.FromResult(HealthCheckResult.Unhealthy($"cluster member is {member.Status}, not Up"));
        // An `api` node serves every request through the entities, wherever they are hosted (on itself only if it
        // holds `entities` too): with no member that hosts them in reach, it could answer nothing but 503, so it
        // asks to be taken out of rotation. The monitoring lanes are not required: without them only sandbox intake
        // is refused (503), and the rest of the API keeps serving. (Roles and topology, cluster-config/README.md.)
        var state = cluster.State;
        if (member.HasRole(PlatformOptions.ApiRole) && !state.Members.Any(m => m.Status == MemberStatus.Up && m.HasRole(PlatformOptions.EntityRole) && !state.Unreachable.Contains(m)))
            return Task.FromResult(HealthCheckResult.Unhealthy(
                $"no reachable Up cluster member has the role '{PlatformOptions.EntityRole}': the entities this node serves are hosted nowhere it can reach"));
        var up = state.Members.Count(m => m.Status == MemberStatus.Up);
        return Task.FromResult(HealthCheckResult.Healthy($"an Up member; {up} member(s) Up, {state.Unreachable.Count} unreachable"));
    }
}

/// <summary>The journal's database answers a round trip (<see cref="IJournalProbe"/>).</summary>
public sealed class JournalCheck(IJournalProbe probe) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        string? problem;
        // A probe that throws is a probe that failed: readiness answers 503 with the reason, never 500.
        try { problem = await probe.Problem(timeout.Token); }
        catch (Exception ex) { problem = timeout.IsCancellationRequested ? "no answer within the timeout" : $"{ex.GetType().Name}: {ex.Message}"; }
        return problem is null ? HealthCheckResult.Healthy("the journal's database answers") : HealthCheckResult.Unhealthy($"the journal is not reachable: {problem}");
    }
}

/// <summary>This node's sandbox intake pipelines run (<see cref="SandboxIntake.Stopped"/>). Degraded, not unhealthy: the
/// rest of the API serves without them; but a stopped pipeline is not restarted, so this is what to look at when one
/// node refuses every batch.</summary>
public sealed class IntakePipelineCheck(PlatformOptions options, IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // The intake exists where the API is served; elsewhere it is never materialised.
        if (!options.Has(PlatformOptions.ApiRole))
            return Task.FromResult(HealthCheckResult.Healthy($"no sandbox intake on this node (no role '{PlatformOptions.ApiRole}')"));
        return Task.FromResult(services.GetRequiredService<SandboxIntake>().Stopped is { } stopped
            ? HealthCheckResult.Degraded($"{stopped}: this node refuses sandbox batches until it restarts")
            : HealthCheckResult.Healthy("the sandbox intake pipelines run"));
    }
}

/// <summary>How far the consequence projection is behind the journal (<see cref="ProjectionLag"/>). Degraded once the
/// oldest event whose consequences are not carried out was written more than <see cref="Limit"/> ago: suspensions and
/// incidents arrive late (Art. 15), though the API keeps serving, and the projection catches up by itself.</summary>
public sealed class ProjectionLagCheck(ProjectionLag lag, TimeProvider clock) : IHealthCheck
{
    /// <summary>The projection polls the journal every 100 ms and a consequence takes a few asks: seconds behind is a
    /// burst; half a minute is a projection that is stuck or starved.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        LagReading? reading;
        try { reading = await lag.Read(TimeSpan.FromSeconds(3), cancellationToken); }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Degraded($"the projection's progress could not be read: {ex.GetBaseException().Message}");
        }
        if (reading is null) return HealthCheckResult.Healthy("no consequence projection: the in-memory journal has no read side");
        if (reading is not { Pending: > 0, OldestPendingAt: { } oldest }) return HealthCheckResult.Healthy($"caught up (offset {reading.Offset})");
        var behind = clock.GetUtcNow() - oldest;
        var description = $"{reading.Pending}{(reading.Pending >= ProjectionLag.Counted ? " or more" : "")} event(s) after offset {reading.Offset} " +
                          $"without their consequences yet; the oldest written {Math.Max(0, behind.TotalSeconds):0.0} s ago";
        return behind > Limit ? HealthCheckResult.Degraded($"{description} (more than {Limit.TotalSeconds:0} s)") : HealthCheckResult.Healthy(description);
    }
}
