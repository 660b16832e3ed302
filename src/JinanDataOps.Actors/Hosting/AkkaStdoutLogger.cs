using Akka.Actor;
using Akka.Event;
using Microsoft.Extensions.Logging;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace JinanDataOps.Actors.Hosting;

/// <summary>Akka's logger for the moments its loggers are not running — while the actor system starts, before they are,
/// and after they have stopped at shutdown ("Remoting shut down."): <c>akka.stdout-logger-class</c>. Akka's own writes
/// its text format straight to the console, a plain line among the JSON ones with <c>Logging:Format=json</c>; this one
/// hands the events to the host's logging as Akka.Hosting's LoggerFactoryLogger does the others (same category, level
/// and message), so the format is one from the first line to the last. Akka creates it by reflection (a parameterless
/// constructor), so the host's logger is handed over through <see cref="Use"/> before the actor system starts; an actor
/// system without one (tests that build their own) gets Akka's console output as before.</summary>
public sealed class AkkaStdoutLogger : MinimalLogger
{
    private static volatile ILogger? _logger;
    private readonly StandardOutLogger _console = new();

    /// <summary>Process-wide, like the console it replaces. The logger is created here, not per event: at shutdown Akka
    /// still logs after the host has disposed its logger factory, which then creates no logger.</summary>
    public static void Use(ILoggerFactory factory) => _logger = factory.CreateLogger<ActorSystem>();

    protected override void Log(object message)
    {
        if (_logger is not { } logger || message is not LogEvent e)
        {
            _console.Tell(message);
            return;
        }
        var level = e.LogLevel() switch
        {
            Akka.Event.LogLevel.DebugLevel => LogLevel.Debug,
            Akka.Event.LogLevel.InfoLevel => LogLevel.Information,
            Akka.Event.LogLevel.WarningLevel => LogLevel.Warning,
            _ => LogLevel.Error,
        };
        logger.Log(level, default, e, e.Cause, static (logEvent, _) => logEvent.ToString());
    }
}
