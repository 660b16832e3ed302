using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using Spectre.Console.Cli;

namespace JinanDataOps.Cli.Commands;

public sealed class OperatorsSettings : JdoSettings
{
    [CommandOption("--state <STATE>")]
    [Description("Which operators: 'suspended' (the only state that can be listed: the API has no route that lists operators, so the list " +
                 "is the suspensions in the snapshot of GET /cluster/events, kept by the nodes with the 'api' role).")]
    public string? State { get; init; }

    public override ValidationResult Validate() =>
        State == "suspended" ? base.Validate() : ValidationResult.Error("--state suspended is required (the only state jdo can list).");
}

public sealed class OperatorsCommand : JdoCommand<OperatorsSettings>
{
    protected override async Task<int> Run(Connection api, IAnsiConsole console, OperatorsSettings settings, CancellationToken ct)
    {
        var snapshot = await Busy(console, settings, "Reading the suspensions from the cluster's event stream…", () => Snapshot(api, ct));
        var suspensions = snapshot["suspensions"];
        if (suspensions?["known"]?.GetValue<bool>() != true)
            throw new JdoException(ExitCodes.Unavailable,
                $"{api.Url} does not follow the suspensions record (it has no 'api' role): ask a node that serves the API.");
        var operators = (suspensions["current"]?.AsArray() ?? [])
            .Where(s => s?["kind"]?.GetValue<string>() == "operator" && s["suspended"]?.GetValue<bool>() == true)
            .Select(s => s!.DeepClone()).ToArray();
        if (settings.Json)
        {
            console.Profile.Out.Writer.WriteLine(new JsonArray(operators).ToJsonString());
            return ExitCodes.Ok;
        }
        var table = new Table().Title($"{operators.Length} suspended operators").AddColumns("Operator", "Since", "Reason");
        foreach (var s in operators)
            table.AddRow(new Text(s!["id"]?.GetValue<string>() ?? "-"), new Text(s["at"]?.GetValue<string>() ?? "-"),
                new Text(s["reason"]?.GetValue<string>() ?? "-"));
        console.Write(table);
        return ExitCodes.Ok;
    }

    /// <summary>The first event of GET /cluster/events is the snapshot; the stream is closed once it is read.</summary>
    private static async Task<JsonNode> Snapshot(Connection api, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(api.Http.Timeout);
        try
        {
            using var response = await api.OpenEvents("/cluster/events", timeout.Token);
            await foreach (var e in EventStream.Read(await response.Content.ReadAsStreamAsync(timeout.Token), timeout.Token))
                if (e.Name == "snapshot") return JsonNode.Parse(e.Data) ?? throw new JsonException("an empty snapshot");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw api.Unreachable($"no snapshot within {api.Http.Timeout.TotalSeconds:0} s");
        }
        catch (IOException e)
        {
            throw api.Unreachable(e.Message);
        }
        throw new JdoException(ExitCodes.Unavailable, $"{api.Url} closed GET /cluster/events before its snapshot.");
    }
}
