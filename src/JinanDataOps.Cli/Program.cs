using JinanDataOps.Cli;
using Spectre.Console;

// Ctrl+C ends a follow (jdo alerts --follow) cleanly instead of killing the process mid-line.
using var interrupted = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    interrupted.Cancel();
};
// AnsiConsole.Console detects the terminal: no colours and no animation when NO_COLOR is set or the output is redirected.
var errors = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
return await Jdo.RunAsync(args, AnsiConsole.Console, Environment.GetEnvironmentVariable, interrupted.Token, errors);
