using System.ComponentModel;
using System.Reflection;
using System.Runtime.Serialization;
using JinanDataOps.Client.Models;
using Spectre.Console;
using Spectre.Console.Cli;

namespace JinanDataOps.Cli.Commands;

public sealed class TokenSettings : JdoSettings
{
    /// <summary>The roles POST /dev/tokens issues, as the contract spells them.</summary>
    internal static readonly IReadOnlyDictionary<string, DevTokenBody_role> Roles = Enum.GetValues<DevTokenBody_role>()
        .ToDictionary(r => typeof(DevTokenBody_role).GetField(r.ToString())!.GetCustomAttribute<EnumMemberAttribute>()?.Value ?? r.ToString());

    [CommandOption("--role <ROLE>")]
    [Description("The caller's role: authority, provider, operator, expert, maintainer, regulator, sandbox or public (the contract's list).")]
    public string? Role { get; init; }

    [CommandOption("--org <ORG>")]
    [Description("The caller's organisation (at most 64 characters).")]
    public string? Org { get; init; }

    public override ValidationResult Validate()
    {
        if (Role is null || !Roles.ContainsKey(Role)) return ValidationResult.Error($"--role must be one of: {string.Join(", ", Roles.Keys)}.");
        if (string.IsNullOrWhiteSpace(Org)) return ValidationResult.Error("--org is required.");
        return base.Validate();
    }
}

public sealed class TokenCommand : JdoCommand<TokenSettings>
{
    protected override async Task<int> Run(Connection api, IAnsiConsole console, TokenSettings settings, CancellationToken ct)
    {
        Client.Models.DevTokenView issued;
        try
        {
            issued = await api.Call("POST /dev/tokens",
                c => api.Client.Dev.Tokens.PostAsync(new DevTokenBody { Role = TokenSettings.Roles[settings.Role!], Org = settings.Org }, cancellationToken: c), ct);
        }
        catch (JdoException e) when (e.ExitCode == ExitCodes.Usage && e.Message.Contains(" 404"))
        {
            throw new JdoException(ExitCodes.Usage, $"{api.Url} does not issue tokens: POST /dev/tokens is served only when the host runs in Development.");
        }
        // The bare token, so that `export JDO_TOKEN=$(jdo token …)` works; --json gives the API's object.
        console.Profile.Out.Writer.WriteLine(settings.Json ? await Connection.Json(issued) : issued.Token);
        return ExitCodes.Ok;
    }
}
