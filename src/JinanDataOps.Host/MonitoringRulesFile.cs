using JinanDataOps.Monitoring.Rules;
using Microsoft.Extensions.Primitives;

namespace JinanDataOps.Host;

/// <summary>The monitoring rules come from their own file (<c>Monitoring:RulesFile</c>, by default the
/// <c>monitoring.json</c> beside the binary, a copy of <c>cluster-config/monitoring.json</c>), read at start
/// — a bad file stops the start with the reason — and re-read whenever it changes, without a restart.
/// A changed file that is invalid is logged and ignored: the rules in force stay.</summary>
public static class MonitoringRulesFile
{
    public const string DefaultFile = "monitoring.json";

    public static string PathOf(IConfiguration config) =>
        Path.GetFullPath(config["Monitoring:RulesFile"] is { Length: > 0 } file ? file : Path.Combine(AppContext.BaseDirectory, DefaultFile));

    public static void AddMonitoringRules(this IServiceCollection services, IConfiguration config)
    {
        var path = PathOf(config);
        if (!File.Exists(path)) throw new InvalidOperationException($"Monitoring:RulesFile '{path}' does not exist.");
        var file = new ConfigurationBuilder().AddJsonFile(path, optional: false, reloadOnChange: true).Build();
        var read = Read(file);
        if (read.Problems is { } problems) throw new InvalidOperationException($"The monitoring rules in '{path}' are invalid: {problems}");
        var source = new RulesSource(read.Rules!);
        services.AddSingleton(source);
        services.AddHostedService(sp => new Reloader(file, source, path, sp.GetRequiredService<ILogger<RulesSource>>()));
    }

    /// <summary>The rules, or why the file does not give valid ones (unknown keys included: a misspelt key
    /// would otherwise leave a threshold at its default unnoticed).</summary>
    public static (MonitoringRules? Rules, string? Problems) Read(IConfiguration file)
    {
        MonitoringRules rules;
        try
        {
            rules = file.GetSection("Monitoring").Get<MonitoringRules>(o => o.ErrorOnUnknownConfiguration = true) ?? new MonitoringRules();
        }
        catch (InvalidOperationException ex)
        {
            return (null, ex.Message);
        }
        return rules.Problems() is { Count: > 0 } problems ? (null, string.Join("; ", problems)) : (rules, null);
    }

    private sealed class Reloader(IConfigurationRoot file, RulesSource source, string path, ILogger logger) : IHostedService
    {
        private IDisposable? _subscription;

        public Task StartAsync(CancellationToken cancellationToken)
        {
            _subscription = ChangeToken.OnChange(file.GetReloadToken, Reload);
            return Task.CompletedTask;
        }

        private void Reload()
        {
            var (rules, problems) = Read(file);
            if (rules is not null && source.TryUpdate(rules) is { Count: > 0 } refused) problems = string.Join("; ", refused);
            if (problems is null) logger.LogInformation("Monitoring rules reloaded from {Path}", path);
            else logger.LogWarning("Monitoring rules in {Path} were changed but are invalid, the rules in force stay: {Problems}", path, problems);
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            _subscription?.Dispose();
            return Task.CompletedTask;
        }
    }
}
