using Spectre.Console;
using Spectre.Console.Cli;

namespace JinanDataOps.Cli.Commands;

/// <summary>A command with its connection: the session comes as the command's data (Jdo.cs), the failures leave as
/// JdoException and become exit codes in one place (Jdo.Fail).</summary>
public abstract class JdoCommand<TSettings> : AsyncCommand<TSettings> where TSettings : JdoSettings
{
    public override async Task<int> ExecuteAsync(CommandContext context, TSettings settings, CancellationToken ct)
    {
        var session = (Session)context.Data!;
        using var connection = new Connection(settings, session);
        return await Run(connection, session.Console, settings, ct);
    }

    protected abstract Task<int> Run(Connection api, IAnsiConsole console, TSettings settings, CancellationToken ct);

    /// <summary>Runs a long call under a spinner with what is being waited for — on a terminal only: Spectre prints the
    /// status text as a plain line when the console is not interactive, which would spoil --json output and piped text.</summary>
    protected static Task<T> Busy<T>(IAnsiConsole console, JdoSettings settings, string doing, Func<Task<T>> work) =>
        settings.Json || !console.Profile.Capabilities.Interactive ? work() : console.Status().StartAsync(doing, _ => work());

    protected static string Or(string? value, string none = "-") => string.IsNullOrEmpty(value) ? none : value;

    protected static string Time(DateTimeOffset? at) => at?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'") ?? "-";
}
