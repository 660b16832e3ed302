using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace JinanDataOps.Cli;

/// <summary>The options every command takes. The URL and the token also come from the environment (JDO_URL,
/// JDO_TOKEN), so a token need not appear in the shell history.</summary>
public class JdoSettings : CommandSettings
{
    public const string DefaultUrl = "http://localhost:5080";

    [CommandOption("--url <URL>")]
    [Description("The node's HTTP address (default: $JDO_URL, else " + DefaultUrl + ").")]
    public string? Url { get; init; }

    [CommandOption("--token <TOKEN>")]
    [Description("The bearer token (default: $JDO_TOKEN). `jdo token` issues one in Development.")]
    public string? Token { get; init; }

    [CommandOption("--json")]
    [Description("Print the API's JSON instead of tables, for scripts.")]
    public bool Json { get; init; }

    public override ValidationResult Validate()
    {
        if (Url is not null && (!Uri.TryCreate(Url, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https")))
            return ValidationResult.Error($"--url must be an absolute http(s) address, not '{Url}'.");
        return ValidationResult.Success();
    }
}
