using JinanDataOps.Actors.Hosting;
using JinanDataOps.Api;
using JinanDataOps.Api.Endpoints;
using JinanDataOps.Api.Http;
using JinanDataOps.Host;

// Configuration files sit beside the binary; the SQLite file goes under the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
if (builder.Configuration["ConfigFile"] is { Length: > 0 } file)
{
    // A file from cluster-config/ layered over appsettings; the command line still wins.
    builder.Configuration.AddJsonFile(Path.GetFullPath(file), optional: false).AddEnvironmentVariables().AddCommandLine(args);
}
var settings = HostSettings.Read(builder.Configuration, builder.Environment);
HostLogging.Use(builder.Logging, HostLogging.Format(builder.Configuration));

builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = ApiSetup.MaxSandboxBodyBytes);
builder.Services.AddSingleton<IJournalProbe>(sp => new JournalProbe(settings.Platform.Provider, settings.Platform.ConnectionString, sp.GetRequiredService<ILogger<JournalProbe>>()));
// The monitoring rules first: the actors take the rules in force from there.
builder.Services.AddMonitoringRules(builder.Configuration);
builder.Services.AddJinanActors(settings.Platform);
// Cluster:Discovery=config: the contact point that Cluster Bootstrap on the other nodes asks (cluster-config/README.md, "Discovery").
if (settings.Platform.Discovery == ClusterDiscovery.Config) builder.Services.AddHostedService<ContactPointServer>();
builder.Services.AddJinanApi(settings.Auth, settings.Facts);
// GET /metrics on every node; traces only with Telemetry:OtlpEndpoint (docs/metrics.md).
builder.Services.AddJinanTelemetry(settings.Telemetry);
if (settings.Platform.Provider is PersistenceProvider.PostgreSql or PersistenceProvider.SqlServer) builder.Services.AddHostedService<JournalWatch>();
// SIGTERM → host shutdown → Akka.Hosting runs CoordinatedShutdown (leave the cluster, hand off shards).
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

var app = builder.Build();
// Roles and topology (cluster-config/README.md): only `api` nodes serve the API; the others answer /health/* alone.
if (settings.Platform.Has(PlatformOptions.ApiRole)) app.UseJinanApi(builder.Environment.IsDevelopment());
else
{
    app.UseHealthOnly();
    app.Logger.LogInformation("Cluster:Roles [{Roles}] has no 'api': the /api routes are not mapped here; /health/live, /health/ready and /metrics answer",
        string.Join(", ", settings.Platform.Roles));
}
app.Run();

/// <summary>Visible to tests that start the host in-process.</summary>
public partial class Program;
