using JinanDataOps.Actors.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace JinanDataOps.Api.Http;

/// <summary>Where traces (and a copy of the metrics) go besides GET /metrics: an OpenTelemetry collector, or nowhere.</summary>
public sealed record TelemetryOptions
{
    /// <summary><c>Telemetry:OtlpEndpoint</c>: the collector's URL (e.g. http://otel-collector:4317). Null: no OTLP export and
    /// no tracing at all — no span is even created, so tracing costs nothing by default.</summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary><c>Telemetry:OtlpProtocol</c>: grpc (default, port 4317) or http/protobuf (port 4318).</summary>
    public OtlpExportProtocol OtlpProtocol { get; init; } = OtlpExportProtocol.Grpc;
}

/// <summary>OpenTelemetry for the node (issue 13; docs/metrics.md): the platform's meter and trace source
/// (<see cref="Instruments"/>), ASP.NET Core's HTTP instrumentation, GET /metrics in Prometheus text, OTLP when configured.</summary>
public static class Telemetry
{
    public const string MetricsPath = "/metrics";

    public const string ServiceName = "jinandataops";

    public static IServiceCollection AddJinanTelemetry(this IServiceCollection services, TelemetryOptions options)
    {
        var otel = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(ServiceName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(Instruments.Name).AddAspNetCoreInstrumentation().AddPrometheusExporter();
                if (options.OtlpEndpoint is { } endpoint) metrics.AddOtlpExporter(o => Otlp(o, endpoint, options.OtlpProtocol));
            });
        // Tracing only with somewhere to send the spans: without a listener ActivitySource.StartActivity returns null, and
        // the entity ask carries no trace context.
        if (options.OtlpEndpoint is { } traces)
            otel.WithTracing(tracing => tracing
                .AddSource(Instruments.Name)
                // Probes and scrapes every few seconds would bury the traces of the work itself.
                .AddAspNetCoreInstrumentation(o => o.Filter = http =>
                    !http.Request.Path.StartsWithSegments(MetricsPath) && !http.Request.Path.StartsWithSegments("/health"))
                .AddOtlpExporter(o => Otlp(o, traces, options.OtlpProtocol)));
        return services;
    }

    private static void Otlp(OtlpExporterOptions o, Uri endpoint, OtlpExportProtocol protocol)
    {
        o.Endpoint = endpoint;
        o.Protocol = protocol;
    }

    /// <summary>GET /metrics (API.md "Operations": Prometheus text, no token): this node's metrics. A minimal-API endpoint
    /// around the exporter's own middleware, so that the OpenAPI document lists it like every other route.</summary>
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        var scrape = app.CreateApplicationBuilder()
            .UseOpenTelemetryPrometheusScrapingEndpoint(meterProvider: null, predicate: _ => true, path: null, configureBranchedPipeline: null, optionsName: null)
            .Build();
        // As a Delegate, not a RequestDelegate: only a route handler gets the metadata that OpenAPI describes.
        app.MapGet(MetricsPath, (Delegate)((HttpContext http) => scrape(http)))
            .WithTags("Operations").WithName("Metrics")
            .Produces<string>(StatusCodes.Status200OK, "text/plain")
            .WithSummary("This node's metrics in the Prometheus text format")
            .WithDescription("No token needed. Commands by aggregate and outcome, journal write latency and errors, sandbox intake, alerts, " +
                             "live entities, cluster members as this node sees them, consequence-projection lag and the HTTP server's own " +
                             "metrics: docs/metrics.md lists every one. Per node: Prometheus scrapes each node.");
        return app;
    }
}
