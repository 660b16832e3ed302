using System.ComponentModel;

using JinanDataOps.Client.Models;
using Spectre.Console;
using Spectre.Console.Cli;

namespace JinanDataOps.Cli.Commands;

public sealed class AlertsSettings : JdoSettings
{
    [CommandOption("-f|--follow")]
    [Description("After the current alerts, print each new alert (or one counted again) as it comes, from GET /cluster/events, until Ctrl+C. " +
                 "With --json: one JSON object per line.")]
    public bool Follow { get; init; }

    [CommandOption("--limit <N>")]
    [Description("At most this many current alerts (the API's own default when not given).")]
    public int? Limit { get; init; }

    public override ValidationResult Validate() =>
        Limit is <= 0 ? ValidationResult.Error("--limit must be a positive number.") : base.Validate();
}

public sealed class AlertsCommand : JdoCommand<AlertsSettings>
{
    protected override async Task<int> Run(Connection api, IAnsiConsole console, AlertsSettings settings, CancellationToken ct)
    {
        if (!settings.Follow)
        {
            var alerts = await Current(api, settings, ct);
            if (settings.Json) console.Profile.Out.Writer.WriteLine(await Connection.Json(alerts));
            else Table(console, alerts);
            return ExitCodes.Ok;
        }

        // The stream is opened before the current alerts are read: its listeners start before its snapshot, so an alert
        // raised in between is printed (perhaps twice), never lost.
        using var response = await api.OpenEvents("/cluster/events", ct);
        var events = EventStream.Read(await response.Content.ReadAsStreamAsync(ct), ct).GetAsyncEnumerator(ct);
        try
        {
            var current = await Current(api, settings, ct);
            if (settings.Json)
                foreach (var a in current) console.Profile.Out.Writer.WriteLine(await Connection.Json(a));
            else
            {
                Table(console, current);
                console.MarkupLine("[dim]Following new alerts (Ctrl+C to stop)…[/]");
            }
            console.Profile.Out.Writer.Flush();
            while (await events.MoveNextAsync())
            {
                var e = events.Current;
                if (e.Name != "alert") continue;
                if (settings.Json) console.Profile.Out.Writer.WriteLine(e.Data);
                else Line(console, System.Text.Json.JsonDocument.Parse(e.Data).RootElement);
                console.Profile.Out.Writer.Flush();
            }
            // The node closes the stream when it stops (a rolling restart): that is not the user's Ctrl+C.
            throw new JdoException(ExitCodes.Unavailable, $"{api.Url} closed the event stream (the node stopped?).");
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Ctrl+C is how a follow ends.
            return ExitCodes.Ok;
        }
        catch (IOException) when (!ct.IsCancellationRequested)
        {
            throw new JdoException(ExitCodes.Unavailable, $"{api.Url} broke the event stream off.");
        }
        finally
        {
            try { await events.DisposeAsync(); }
            catch (OperationCanceledException) { /* the stream was being read when Ctrl+C came */ }
        }
    }

    private static Task<List<AlertView>> Current(Connection api, AlertsSettings settings, CancellationToken ct) =>
        api.Call("GET /api/alerts", c => api.Client.Api.Alerts.GetAsync(r => r.QueryParameters.Limit = settings.Limit, c), ct);

    private static string Colour(string? severity) => severity switch { "critical" => "red", "warning" => "yellow", _ => "blue" };

    private static void Table(IAnsiConsole console, List<AlertView> alerts)
    {
        var table = new Table().Title($"{alerts.Count} alerts").AddColumns("Last at", "Severity", "Rule", "Operator", "Count", "Summary");
        foreach (var a in alerts)
        {
            var severity = a.Severity?.ToString().ToLowerInvariant();
            table.AddRow(new Text(Time(a.LastAt)), new Markup($"[{Colour(severity)}]{Markup.Escape(Or(severity))}[/]"), new Text(Or(a.Rule)),
                new Text(Or(a.OperatorId)), new Text($"{a.Count}"), new Text(Or(a.Summary)));
        }
        console.Write(table);
    }

    /// <summary>One alert event, on one line: the stream's data is the API's JSON (camelCase, kebab-case enums).</summary>
    private static void Line(IAnsiConsole console, System.Text.Json.JsonElement a)
    {
        string S(string name) => a.TryGetProperty(name, out var v) && v.ValueKind == System.Text.Json.JsonValueKind.String ? v.GetString()! : "-";
        var severity = S("severity");
        var count = a.TryGetProperty("count", out var c) && c.ValueKind == System.Text.Json.JsonValueKind.Number ? c.GetInt32() : 1;
        console.MarkupLineInterpolated($"{S("lastAt")} [{Colour(severity)}]{severity}[/] {S("rule")} operator {S("operatorId")} ×{count}: {S("summary")} ({S("id")})");
    }
}
