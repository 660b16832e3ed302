using JinanDataOps.Client.Models;
using Spectre.Console;

namespace JinanDataOps.Cli.Commands;

public sealed class MembersCommand : JdoCommand<JdoSettings>
{
    protected override async Task<int> Run(Connection api, IAnsiConsole console, JdoSettings settings, CancellationToken ct)
    {
        var view = await api.Call("GET /cluster/members", c => api.Client.Cluster.Members.GetAsync(cancellationToken: c), ct);
        if (settings.Json)
        {
            console.Profile.Out.Writer.WriteLine(await Connection.Json(view));
            return ExitCodes.Ok;
        }
        var table = new Table().Title($"Cluster members, as {Markup.Escape(Or(view.AnsweredBy))} sees them")
            .AddColumns("Address", "Roles", "Status", "Reachable", "Up since", "Leader", "Oldest for");
        foreach (var m in view.Members ?? [])
        {
            var status = m.Status?.ToString() ?? "-";
            var colour = m.Status == ClusterMemberStatus.Up ? "green" : m.Status is ClusterMemberStatus.Down or ClusterMemberStatus.Removed ? "red" : "yellow";
            table.AddRow(
                new Markup(Markup.Escape(Or(m.Address)) + (m.Self == true ? " [dim](this node)[/]" : "")),
                new Text(string.Join(", ", m.Roles ?? [])),
                new Markup($"[{colour}]{Markup.Escape(status)}[/]"),
                new Markup(m.Reachable == true ? "[green]yes[/]" : "[red]no[/]"),
                new Text(Time(m.UpSince)),
                new Text(m.Leader == true ? "leader" : ""),
                new Text(string.Join(", ", m.OldestFor ?? [])));
        }
        console.Write(table);
        console.MarkupLineInterpolated($"Leader: {Or(view.Leader)}   Singletons and shard coordinators on: {Or(view.SingletonHost)}");
        return ExitCodes.Ok;
    }
}

public sealed class ShardsCommand : JdoCommand<JdoSettings>
{
    protected override async Task<int> Run(Connection api, IAnsiConsole console, JdoSettings settings, CancellationToken ct)
    {
        // The node asks every region's coordinator for its statistics, which can take seconds on a loaded cluster:
        // a spinner says what is being waited for.
        var view = await Busy(console, settings, "Asking the shard coordinators for their statistics…",
            () => api.Call("GET /cluster/shards", c => api.Client.Cluster.Shards.GetAsync(cancellationToken: c), ct));
        if (settings.Json)
        {
            console.Profile.Out.Writer.WriteLine(await Connection.Json(view));
            return ExitCodes.Ok;
        }
        var table = new Table().Title($"Shards and entities, as {Markup.Escape(Or(view.AnsweredBy))} sees them")
            .AddColumns("Region", "Role", "Node", "Shards", "Entities");
        table.Columns[3].RightAligned();
        table.Columns[4].RightAligned();
        foreach (var r in view.Regions ?? [])
        {
            if (r.Answered != true)
            {
                table.AddRow(new Text(Or(r.Region)), new Text(Or(r.Role)), new Markup($"[red]no answer: {Markup.Escape(Or(r.Problem))}[/]"), new Text(""), new Text(""));
                continue;
            }
            var nodes = r.Nodes ?? [];
            if (nodes.Count == 0) table.AddRow(Or(r.Region), Or(r.Role), "[dim]none[/]", "0", "0");
            foreach (var n in nodes)
            {
                var failed = n.Failed is { Count: > 0 } f ? $" [yellow]({f.Count} shards did not report)[/]" : "";
                table.AddRow(new Text(Or(r.Region)), new Text(Or(r.Role)), new Markup(Markup.Escape(Or(n.Address)) + failed),
                    new Text($"{n.Shards}"), new Text($"{n.Entities}"));
            }
        }
        console.Write(table);
        if (view.Complete != true) console.MarkupLine("[yellow]Some regions did not answer in time: the figures are partial.[/]");
        return ExitCodes.Ok;
    }
}
