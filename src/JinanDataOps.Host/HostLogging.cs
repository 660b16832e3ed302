using Microsoft.Extensions.Logging.Console;

namespace JinanDataOps.Host;

/// <summary><c>Logging:Format</c>: how the host writes its log to the console.</summary>
public enum LogFormat
{
    /// <summary>ASP.NET Core's plain console lines (the default): for a person reading a terminal.</summary>
    Text,
    /// <summary>Microsoft's JSON console formatter, one JSON object per line with the log scopes (a request's trace id
    /// among them): for a log collector.</summary>
    Json,
}

public static class HostLogging
{
    public static LogFormat Format(IConfiguration config) => (config["Logging:Format"] ?? "text").Trim().ToLowerInvariant() switch
    {
        "text" or "" => LogFormat.Text,
        "json" => LogFormat.Json,
        var other => throw new InvalidOperationException($"Logging:Format '{other}' is not one of text, json."),
    };

    /// <summary>The level Akka logs at, from <c>Logging:LogLevel:Akka</c> (Akka's events are logged under categories
    /// starting with "Akka"). Not from <c>Logging:LogLevel:Default</c>: a Debug default for the application's own
    /// categories should not turn on Akka's debug output, which is copious.</summary>
    public static Akka.Event.LogLevel AkkaLevel(IConfiguration config)
    {
        if (config["Logging:LogLevel:Akka"] is not { Length: > 0 } text) return Akka.Event.LogLevel.InfoLevel;
        if (!Enum.TryParse<LogLevel>(text, ignoreCase: true, out var level) || !Enum.IsDefined(level))
            throw new InvalidOperationException($"Logging:LogLevel:Akka '{text}' is not one of {string.Join(", ", Enum.GetNames<LogLevel>())}.");
        return level switch
        {
            LogLevel.Trace or LogLevel.Debug => Akka.Event.LogLevel.DebugLevel,
            LogLevel.Information => Akka.Event.LogLevel.InfoLevel,
            LogLevel.Warning => Akka.Event.LogLevel.WarningLevel,
            // Akka has nothing above Error; Microsoft's filter drops them under Critical or None.
            _ => Akka.Event.LogLevel.ErrorLevel,
        };
    }

    /// <summary>Selects the console formatter. Text keeps ASP.NET Core's own look. JSON writes each entry as one line
    /// (never indented: a collector reads a line as an entry), with UTC timestamps and the scopes — the request's
    /// SpanId/TraceId/ParentId scope that ASP.NET Core opens for every request, so a line logged while serving one
    /// can be traced to it.</summary>
    public static void Use(ILoggingBuilder logging, LogFormat format)
    {
        if (format == LogFormat.Text) return;
        logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
            o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
        });
        logging.Services.Configure<ConsoleLoggerOptions>(o => o.FormatterName = ConsoleFormatterNames.Json);
    }
}
