using JinanDataOps.LoadScenarios;
using Spectre.Console;

System.Globalization.CultureInfo.DefaultThreadCurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
// Ctrl+C stops the load; what was measured until then is not reported (a cut run's figures would mislead).
using var interrupted = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    interrupted.Cancel();
};
return await LoadCli.RunAsync(args, AnsiConsole.Console, interrupted.Token);
