using JinanDataOps.LoadScenarios;
using Spectre.Console;

namespace JinanDataOps.LoadDriver.Tests;

/// <summary>The binding command line: a wrong word is an error with exit code 2, never silently ignored.</summary>
public class CliTests
{
    internal static async Task<(int Code, string Output)> Run(params string[] args)
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 1000; // no wrapping: the tests look for whole sentences
        var code = await LoadCli.RunAsync(args, console, CancellationToken.None);
        return (code, output.ToString());
    }

    [Theory]
    [InlineData("unknown scenario 'operator-life'", "operator-life", "--base", "http://localhost:5080")]
    [InlineData("--base is required", "mixed")]
    [InlineData("--base must be an absolute http(s) address", "mixed", "--base", "localhost:5080")]
    [InlineData("--duration takes a duration such as 60s", "mixed", "--base", "http://localhost:5080", "--duration", "60")]
    [InlineData("--duration must be positive", "mixed", "--base", "http://localhost:5080", "--duration", "0s")]
    [InlineData("--rate takes a positive rate such as 20/s", "mixed", "--base", "http://localhost:5080", "--rate", "fast")]
    [InlineData("--operators must be a positive number", "operator-lifecycle", "--base", "http://localhost:5080", "--operators", "0")]
    [InlineData("--notice must be positive", "operator-lifecycle", "--base", "http://localhost:5080", "--notice", "0s")]
    [InlineData("is not a threshold", "mixed", "--base", "http://localhost:5080", "--threshold", "p99 under 25ms")]
    [InlineData("command-latency sets its own rates", "command-latency", "--base", "http://localhost:5080", "--rate", "10/s")]
    [InlineData("--base must be an absolute http(s) address (or several", "mixed", "--base", "http://localhost:5080,ftp://x")]
    [InlineData("--clients must be a positive number", "command-latency", "--base", "http://localhost:5080", "--clients", "-1")]
    [InlineData("Unknown option 'operater'", "operator-lifecycle", "--base", "http://localhost:5080", "--operater", "10")]
    public async Task Bad_usage_says_what_is_wrong_and_exits_2(string expected, params string[] args)
    {
        var (code, output) = await Run(args);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(expected, output);
    }

    [Fact]
    public async Task Help_lists_the_options_and_the_exit_codes()
    {
        var (code, output) = await Run("--help");
        Assert.Equal(0, code);
        foreach (var option in new[] { "--base", "--operators", "--duration", "--rate", "--report", "--threshold", "--warmup", "--ramp" }) Assert.Contains(option, output);
        Assert.Contains(ExitCodes.Help, output);
    }

    [Fact]
    public async Task A_platform_that_does_not_answer_exits_3()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there any more: connection refused
        var (code, output) = await Run("supervisor-reads", "--base", $"http://127.0.0.1:{port}", "--duration", "1s");
        Assert.Equal(ExitCodes.Unavailable, code);
        Assert.Contains("does not answer", output);
    }
}
