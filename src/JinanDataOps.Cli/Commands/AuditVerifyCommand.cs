using Spectre.Console;

namespace JinanDataOps.Cli.Commands;

public sealed class AuditVerifyCommand : JdoCommand<JdoSettings>
{
    protected override async Task<int> Run(Connection api, IAnsiConsole console, JdoSettings settings, CancellationToken ct)
    {
        // The node recomputes every link of the chain: long on a large record, so the wait is shown.
        var verdict = await Busy(console, settings, "Recomputing the audit chain…",
            () => api.Call("GET /api/audit/verify", c => api.Client.Api.Audit.Verify.GetAsync(cancellationToken: c), ct));
        var valid = verdict.Valid == true;
        if (settings.Json) console.Profile.Out.Writer.WriteLine(await Connection.Json(verdict));
        else if (valid) console.MarkupLineInterpolated($"[green]The audit chain is intact[/]: {verdict.Records} records verified.");
        else console.MarkupLineInterpolated($"[red]The audit chain is broken[/] at record {verdict.FirstBrokenAt} (of {verdict.Records}).");
        return valid ? ExitCodes.Ok : ExitCodes.VerificationFailed;
    }
}
