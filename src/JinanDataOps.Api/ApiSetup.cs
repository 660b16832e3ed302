using System.Text.Json;
using System.Text.Json.Serialization;
using JinanDataOps.Api.Endpoints;
using JinanDataOps.Api.Contracts;
using JinanDataOps.Api.Health;
using JinanDataOps.Api.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace JinanDataOps.Api;

/// <summary>Wires the HTTP side: auth, JSON, problem+json, OpenAPI and every endpoint group.</summary>
public static class ApiSetup
{
    /// <summary>Bodies are small documents; the largest legitimate one (application materials) fits well within this.</summary>
    public const long MaxBodyBytes = 256 * 1024;

    /// <summary>Sandbox batches are bigger: up to 10,000 events (BatchParser.MaxEvents) in one body.</summary>
    public const long MaxSandboxBodyBytes = 16 * 1024 * 1024;

    public static long BodyLimitFor(HttpRequest request) =>
        request.Path.StartsWithSegments(SandboxApi.EventsPath) ? MaxSandboxBodyBytes : MaxBodyBytes;

    public static IServiceCollection AddJinanApi(this IServiceCollection services, AuthOptions auth, PlatformFacts facts)
    {
        services.AddJinanAuth(auth);
        services.AddSingleton(facts);
        services.AddProblemDetails();
        services.AddPlatformHealthChecks();
        services.AddOpenApi(o => o.AddPolicyDocumentation().AddContract().AddSchemaTransformer(DateOrInstantConverter.DescribeInSchema));
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            o.SerializerOptions.MaxDepth = 32;
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
            // Free-form JSON (application materials) is checked to be Unicode text as it is bound, like every
            // string bound to a typed field is: otherwise it fails later, as a 500.
            o.SerializerOptions.Converters.Add(new UnicodeJsonElementConverter());
        });
        // Binding failures (malformed JSON, wrong types) throw and become 400 problem+json, never 500.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }

    public static WebApplication UseJinanApi(this WebApplication app, bool development)
    {
        app.UseProblemAnswers();
        app.UseRequestBodyLimits(BodyLimitFor);
        app.UseKnownCharsetsOnly();
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use(Idempotency.HashBody);

        app.MapOpenApi();
        app.MapHealthApi();
        app.MapMetrics();
        if (development)
        {
            app.MapDevTokens();
            // A browsable reference of the contract, for trying the API by hand (Development only).
            Scalar.AspNetCore.ScalarEndpointRouteBuilderExtensions.MapScalarApiReference(app).ExcludeFromDescription();
        }
        app.MapDatasetsApi();
        app.MapOperatorsApi();
        app.MapCallsApi();
        app.MapApplicationsApi();
        app.MapAgreementsApi();
        app.MapDataRequestsApi();
        app.MapMonitoringApi();
        app.MapSandboxApi();
        app.MapIncidentsApi();
        app.MapReportsApi();
        app.MapProductsApi();
        app.MapEvaluationsApi();
        app.MapAuditApi();
        app.MapClusterApi();
        app.MapConsole();
        return app;
    }

    /// <summary>A node without the <c>api</c> role (cluster-config/README.md, "Roles and topology"): only the health
    /// probes and GET /metrics, so an orchestrator can still tell whether it runs and is ready; every other path is a 404 problem —
    /// no API route, no OpenAPI document, no development tokens. A load balancer sends API traffic to `api` nodes only.</summary>
    public static WebApplication UseHealthOnly(this WebApplication app)
    {
        app.UseProblemAnswers();
        app.MapHealthApi();
        // Every node is scraped, whatever its roles: its entities, lanes and view of the cluster are its own.
        app.MapMetrics();
        return app;
    }

    /// <summary>Exceptions and bare status codes answered as problem+json; every exception logged once, by
    /// <see cref="Problems.Handle"/>.</summary>
    public static void UseProblemAnswers(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = Problems.Handle, SuppressDiagnosticsCallback = Problems.SuppressDiagnostics });
        app.UseStatusCodePages(async ctx =>
        {
            var status = ctx.HttpContext.Response.StatusCode;
            if (ctx.HttpContext.Response.HasStarted || ctx.HttpContext.Response.ContentLength > 0) return;
            var result = status switch
            {
                404 => Problems.NotFound($"no route {ctx.HttpContext.Request.Method} {ctx.HttpContext.Request.Path}"),
                405 => Problems.Of(405, ProblemCode.MethodNotAllowed, "Method not allowed", $"{ctx.HttpContext.Request.Method} is not allowed on {ctx.HttpContext.Request.Path}"),
                413 => Problems.TooLarge($"{ctx.HttpContext.Request.Method} {ctx.HttpContext.Request.Path} takes at most {BodyLimitFor(ctx.HttpContext.Request)} bytes"),
                415 => Problems.Of(415, ProblemCode.ValidationFailed, "Unsupported media type", "send the body as application/json"),
                >= 500 => Problems.Of(status, ProblemCode.InternalError, "Error", $"status {status}"),
                _ => Problems.Of(status, ProblemCode.ValidationFailed, "The request is not valid", $"status {status}"),
            };
            await result.ExecuteAsync(ctx.HttpContext);
        });
    }
}
