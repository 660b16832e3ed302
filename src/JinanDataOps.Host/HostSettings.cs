using JinanDataOps.Actors.Hosting;
using JinanDataOps.Api.Endpoints;
using JinanDataOps.Api.Http;
using Microsoft.Data.Sqlite;

namespace JinanDataOps.Host;

/// <summary>Reads the binding configuration keys (cluster-config/README.md) into typed options, failing
/// fast with a clear message on a bad value.</summary>
public sealed record HostSettings(PlatformOptions Platform, AuthOptions Auth, PlatformFacts Facts, TelemetryOptions Telemetry)
{
    public static HostSettings Read(IConfiguration config, IHostEnvironment env)
    {
        var provider = (config["Persistence:Provider"] ?? "sqlite").ToLowerInvariant() switch
        {
            "sqlite" => PersistenceProvider.Sqlite,
            "postgresql" or "postgres" => PersistenceProvider.PostgreSql,
            "sqlserver" => PersistenceProvider.SqlServer,
            "memory" => PersistenceProvider.Memory,
            var other => throw new InvalidOperationException($"Persistence:Provider '{other}' is not one of sqlite, postgresql, sqlserver."),
        };
        var connection = config["Persistence:ConnectionString"];
        if (string.IsNullOrWhiteSpace(connection))
        {
            if (provider is PersistenceProvider.PostgreSql or PersistenceProvider.SqlServer)
                throw new InvalidOperationException($"Persistence:ConnectionString is required for {provider}.");
            connection = "Data Source=data/jinandataops.db";
        }
        if (provider == PersistenceProvider.Sqlite) connection = PrepareSqlite(connection);

        var port = config.GetValue<int?>("Cluster:Port") ?? 0;
        var seeds = List(config, "Cluster:SeedNodes");
        var (discovery, endpoints, managementPort) = Discovery(config, seeds);
        var platform = new PlatformOptions
        {
            Provider = provider,
            ConnectionString = connection,
            Hostname = config["Cluster:Hostname"] ?? "127.0.0.1",
            PublicHostname = string.IsNullOrWhiteSpace(config["Cluster:PublicHostname"]) ? null : config["Cluster:PublicHostname"],
            Port = port,
            SeedNodes = seeds,
            Discovery = discovery,
            DiscoveryEndpoints = endpoints,
            ManagementPort = managementPort,
            Roles = Roles(List(config, "Cluster:Roles")),
            ExtraHocon = config["Akka:Hocon"],
            CityAuthority = config["Platform:CityAuthority"] is { Length: > 0 } city ? city : PlatformOptions.DefaultCityAuthority,
            AskTimeout = config["Platform:AskTimeout"] is { Length: > 0 } ask ? Duration(ask, "Platform:AskTimeout") : TimeSpan.FromSeconds(10),
            DegradedAskTimeout = config["Platform:DegradedAskTimeout"] is { Length: > 0 } degraded ? Duration(degraded, "Platform:DegradedAskTimeout") : TimeSpan.FromSeconds(2),
            SecurityReportEvery = config["Platform:SecurityReportPeriod"] is { Length: > 0 } every ? Duration(every, "Platform:SecurityReportPeriod") : PlatformOptions.DefaultSecurityReportEvery,
            AkkaLogLevel = HostLogging.AkkaLevel(config),
            IntakeCapacity = config.GetValue<int?>("Monitoring:IntakeCapacity") is { } capacity
                ? capacity is >= 1 and <= 100_000 ? capacity : throw new InvalidOperationException("Monitoring:IntakeCapacity is between 1 and 100000 batches.")
                : 64,
            BulkPartsInFlight = config.GetValue<int?>("Monitoring:BulkPartsInFlight") is { } parts
                ? parts is >= 1 and <= 1_000 ? parts : throw new InvalidOperationException("Monitoring:BulkPartsInFlight is between 1 and 1000 batch parts.")
                : PlatformOptions.DefaultBulkPartsInFlight,
        };

        var key = config["Auth:SigningKey"];
        if (string.IsNullOrWhiteSpace(key))
            throw new InvalidOperationException("Auth:SigningKey is not configured (at least 32 bytes; keep it secret outside Development).");
        var auth = new AuthOptions
        {
            SigningKey = key,
            Issuer = config["Auth:Issuer"] ?? "jinandataops",
            Audience = config["Auth:Audience"] ?? "jinandataops-api",
            TokenLifetime = config.GetValue<TimeSpan?>("Auth:TokenLifetime") ?? TimeSpan.FromHours(12),
        };
        return new HostSettings(platform, auth, new PlatformFacts(List(config, "Platform:MaintainerOrgs")), ReadTelemetry(config));
    }

    /// <summary><c>Telemetry:OtlpEndpoint</c> (absent: no OTLP export, no tracing) and <c>Telemetry:OtlpProtocol</c>.</summary>
    private static TelemetryOptions ReadTelemetry(IConfiguration config)
    {
        var endpoint = config["Telemetry:OtlpEndpoint"];
        if (string.IsNullOrWhiteSpace(endpoint)) return new TelemetryOptions();
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new InvalidOperationException($"Telemetry:OtlpEndpoint '{endpoint}' is not an http(s) URL such as http://otel-collector:4317.");
        var protocol = (config["Telemetry:OtlpProtocol"] ?? "grpc").Trim().ToLowerInvariant() switch
        {
            "grpc" => OpenTelemetry.Exporter.OtlpExportProtocol.Grpc,
            "http/protobuf" or "http" => OpenTelemetry.Exporter.OtlpExportProtocol.HttpProtobuf,
            var other => throw new InvalidOperationException($"Telemetry:OtlpProtocol '{other}' is not one of grpc, http/protobuf."),
        };
        return new TelemetryOptions { OtlpEndpoint = uri, OtlpProtocol = protocol };
    }

    /// <summary>The node's roles: none configured is all of them (one node runs everything); a name outside
    /// <see cref="PlatformOptions.AllRoles"/> stops the start — a typo would otherwise leave the node silently
    /// hosting nothing of what it was meant to (Akka accepts any role name).</summary>
    private static IReadOnlyList<string> Roles(IReadOnlyList<string> configured)
    {
        if (configured.Count == 0) return PlatformOptions.AllRoles;
        var unknown = configured.Where(r => !PlatformOptions.AllRoles.Contains(r, StringComparer.Ordinal)).ToArray();
        if (unknown.Length > 0)
            throw new InvalidOperationException(
                $"Cluster:Roles {string.Join(", ", unknown.Select(r => $"'{r}'"))} {(unknown.Length == 1 ? "is not a role" : "are not roles")}: " +
                $"a node holds one or more of {string.Join(", ", PlatformOptions.AllRoles)} (cluster-config/README.md, \"Roles and topology\").");
        return PlatformOptions.AllRoles.Where(configured.Contains).ToArray();
    }

    /// <summary><c>Cluster:Discovery</c> (or, in a JSON file where the key also holds <c>Endpoints</c>,
    /// <c>Cluster:Discovery:Method</c>): <c>seeds</c> (default) or <c>config</c> with <c>Cluster:Discovery:Endpoints</c>
    /// and <c>Cluster:ManagementPort</c>. A mistake here would leave the node waiting for a cluster that never forms,
    /// so every one stops the start with the reason.</summary>
    private static (ClusterDiscovery Discovery, IReadOnlyList<string> Endpoints, int ManagementPort) Discovery(IConfiguration config, IReadOnlyList<string> seeds)
    {
        var method = config["Cluster:Discovery:Method"] is { Length: > 0 } named ? named : config["Cluster:Discovery"];
        var discovery = (method ?? "seeds").Trim().ToLowerInvariant() switch
        {
            "seeds" or "" => ClusterDiscovery.Seeds,
            "config" => ClusterDiscovery.Config,
            var other => throw new InvalidOperationException($"Cluster:Discovery '{other}' is not one of seeds, config."),
        };
        var endpoints = List(config, "Cluster:Discovery:Endpoints");
        var managementPort = config["Cluster:ManagementPort"] is { Length: > 0 } text
            ? int.TryParse(text, out var p) && p is >= 1 and <= 65535 ? p
                : throw new InvalidOperationException($"Cluster:ManagementPort '{text}' is not a port between 1 and 65535 (the other nodes reach this one's management endpoint there).")
            : PlatformOptions.DefaultManagementPort;
        if (discovery == ClusterDiscovery.Seeds)
        {
            if (endpoints.Count > 0)
                throw new InvalidOperationException("Cluster:Discovery:Endpoints are given but Cluster:Discovery is seeds: set Cluster:Discovery=config to use them, or remove them.");
            return (discovery, [], managementPort);
        }
        // Cluster Bootstrap gives up when seed nodes are configured and the node joins those instead: say so now.
        if (seeds.Count > 0)
            throw new InvalidOperationException("Cluster:SeedNodes and Cluster:Discovery=config exclude each other: with config discovery Cluster Bootstrap finds the cluster through Cluster:Discovery:Endpoints; remove the seed nodes.");
        if (endpoints.Count == 0)
            throw new InvalidOperationException("Cluster:Discovery=config needs Cluster:Discovery:Endpoints:0.. — the host:port of each node's management endpoint (Cluster:ManagementPort).");
        foreach (var endpoint in endpoints)
        {
            var colon = endpoint.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(endpoint[(colon + 1)..], out var endpointPort) || endpointPort is < 1 or > 65535)
                throw new InvalidOperationException($"Cluster:Discovery:Endpoints: '{endpoint}' is not host:port (a node's management endpoint, e.g. node1:{PlatformOptions.DefaultManagementPort}).");
        }
        if (endpoints.Distinct(StringComparer.OrdinalIgnoreCase).Count() != endpoints.Count)
            throw new InvalidOperationException($"Cluster:Discovery:Endpoints lists an endpoint twice: {string.Join(", ", endpoints)}.");
        return (discovery, endpoints, managementPort);
    }

    /// <summary>An ISO-8601 duration (P90D, PT5S), like every period of the API.</summary>
    private static TimeSpan Duration(string value, string key)
    {
        TimeSpan period;
        try { period = System.Xml.XmlConvert.ToTimeSpan(value); }
        catch (FormatException) { throw new InvalidOperationException($"{key} '{value}' is not an ISO-8601 duration such as P90D or PT5S."); }
        return period > TimeSpan.Zero ? period : throw new InvalidOperationException($"{key} must be positive.");
    }

    /// <summary>Accepts a list as an array section (Cluster:Roles:0 …) or as one comma-separated value.</summary>
    private static IReadOnlyList<string> List(IConfiguration config, string key)
    {
        var items = config.GetSection(key).GetChildren().Select(c => c.Value).OfType<string>().ToList();
        if (items.Count == 0 && config[key] is { } flat) items = flat.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
        return items.Where(i => !string.IsNullOrWhiteSpace(i)).ToArray();
    }

    /// <summary>Creates the database folder on first run and switches the file to WAL, so readers never
    /// block the writer (WAL is a property of the file: set once, it stays); brings a journal written
    /// before tags moved into the journal row to the current layout.</summary>
    private static string PrepareSqlite(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.DataSource is { Length: > 0 } file && file != ":memory:" && !file.StartsWith("file:", StringComparison.Ordinal))
        {
            var full = Path.GetFullPath(file);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            builder.DataSource = full;
        }
        using var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode=WAL;";
            pragma.ExecuteNonQuery();
        }
        JournalTagColumn.Migrate(connection);
        return builder.ToString();
    }
}
