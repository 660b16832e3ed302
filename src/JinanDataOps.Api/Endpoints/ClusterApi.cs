using System.Text.Json;
using System.Threading.Channels;
using Akka.Actor;
using Akka.Cluster;
using JinanDataOps.Actors.Monitoring;
using JinanDataOps.Actors.Operations;
using JinanDataOps.Api.Contracts;
using JinanDataOps.Api.Http;
using JinanDataOps.Domain.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace JinanDataOps.Api.Endpoints;

/// <summary>The operations endpoints (API.md "Operations"; issue 13): the cluster's members, where the shards and entities
/// are, and a live summary — for those who run the platform and those who supervise it (Art. 11). Outside /api, with a
/// bearer token all the same. Every answer is the answering node's view and names it.</summary>
public static class ClusterApi
{
    public const string EventStream = "text/event-stream";

    /// <summary>How often the live stream sends a summary.</summary>
    public static readonly TimeSpan SummaryEvery = TimeSpan.FromSeconds(5);

    /// <summary>How often an idle stream sends a comment, so proxies keep the connection.</summary>
    public static readonly TimeSpan HeartbeatEvery = TimeSpan.FromSeconds(15);

    public static IEndpointRouteBuilder MapClusterApi(this IEndpointRouteBuilder app)
    {
        var cluster = app.MapGroup("/cluster").RequireAuthorization().WithTags("Cluster");

        cluster.MapGet("/members", (ActorSystem system, ClusterWatch watch, TimeProvider clock) =>
            TypedResults.Ok(Members(system, watch, clock)))
            .Allows(Act.ReadClusterMembers).Answers<ClusterMembersView>().WithName("ClusterMembers")
            .WithSummary("Every cluster member: address, roles, status, reachability, up since, leader and oldest, as the answering node sees them");

        cluster.MapGet("/shards", async (ActorSystem system, ShardStatistics shards, TimeProvider clock, CancellationToken ct) =>
        {
            var regions = (await shards.Query(ct)).Select(View).ToArray();
            return TypedResults.Ok(new ClusterShardsView(Cluster.Get(system).SelfAddress.ToString(), clock.GetUtcNow(), regions.All(r => r.Answered), regions));
        }).Allows(Act.ReadClusterShards).Answers<ClusterShardsView>().WithName("ClusterShards")
            .WithSummary("Per region (each entity kind and the monitoring lanes): shards and entities per node, from cluster sharding statistics")
            .WithDescription($"Each region's coordinator is asked for its statistics; one that does not answer within {ShardStatistics.CoordinatorTimeout.TotalSeconds + 1:0} s " +
                             "is reported with answered=false and a problem, and complete=false, rather than failing the whole answer.");

        cluster.MapGet("/events", (HttpContext http, ActorSystem system, ClusterWatch watch, ClusterSummaries summaries, SuspensionBoard suspensions,
                AlertStore alerts, TimeProvider clock, IOptions<JsonOptions> json, IHostApplicationLifetime lifetime, CancellationToken ct) =>
            Stream(http, system, watch, summaries, suspensions, alerts, clock, json.Value.SerializerOptions, ct, lifetime.ApplicationStopping))
            .Allows(Act.FollowClusterEvents).Produces<ClusterEventsCatalogue>(StatusCodes.Status200OK, EventStream).WithName("ClusterEvents")
            .WithSummary("The cluster live, as Server-Sent Events: a snapshot, then member changes, a summary every 5 s, alerts and suspensions")
            .WithDescription("Events (the SSE 'event:' field; 'data:' is one line of JSON): snapshot (first, once), member, summary (every 5 s), alert, suspension — " +
                             "the 200 schema lists each event's data by its name. A comment line (': keep-alive') every 15 s keeps idle connections open. " +
                             "Member changes and command rates are the answering node's view; a client that reconnects gets a fresh snapshot.");
        return app;
    }

    private static ClusterMembersView Members(ActorSystem system, ClusterWatch watch, TimeProvider clock)
    {
        var m = ClusterViews.Membership(system, watch);
        return new ClusterMembersView(
            m.Self, clock.GetUtcNow(), m.Leader, m.Oldest,
            m.OldestByRole.Select(r => new RoleOldestView(r.Key, r.Value)).ToArray(),
            m.OldestByRole.GetValueOrDefault(Actors.Hosting.PlatformOptions.EntityRole),
            m.Members.Select(x => new ClusterMemberView(
                x.Address, x.Roles, Status(x.Status), x.Reachable, x.AgeRank, x.UpSince?.At, x.UpSince?.Basis, x.Leader, x.Oldest, x.OldestFor, x.Self)).ToArray());
    }

    private static ClusterMemberStatus Status(MemberStatus status) => Enum.Parse<ClusterMemberStatus>(status.ToString());

    private static RegionShardsView View(RegionShards r)
    {
        var nodes = r.Nodes.Select(n => new NodeShardsView(
            n.Address, n.Shards.Count, n.Shards.Values.Sum(),
            n.Shards.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => new ShardEntitiesView(s.Key, s.Value)).ToArray(), n.Failed)).ToArray();
        return new RegionShardsView(r.Region, r.Role, r.Answered, r.Problem, nodes.Sum(n => n.Shards), nodes.Sum(n => n.Entities), nodes);
    }

    private static ClusterSummaryView View(ClusterSummary s) => new(
        s.At, s.Node, s.MembersByStatus, s.Unreachable, s.Regions.Select(r => new RegionCountView(r.Region, r.Answered, r.Shards, r.Entities)).ToArray(),
        s.CommandsPerSecond, s.CommandsExecuted, System.Xml.XmlConvert.ToString(s.Interval));

    private static SuspensionView View(Suspension s) => new(s.Kind, s.Id, s.OperatorId, s.Suspended, s.Reason, s.At);

    private static MemberEventView View(MemberChanged c) =>
        new(c.Change, c.Address, c.Roles, c.Status is { } status ? Status(status) : null, c.Leader, c.At);

    private sealed record Item(string Event, object Data);

    /// <summary>Server-Sent Events: the headers at once, the snapshot, then every source's events as they come, merged
    /// into one channel that a single writer drains (a response is written by one writer at a time).</summary>
    private static async Task Stream(HttpContext http, ActorSystem system, ClusterWatch watch, ClusterSummaries summaries, SuspensionBoard suspensions,
        AlertStore alerts, TimeProvider clock, JsonSerializerOptions json, CancellationToken ct, CancellationToken stopping)
    {
        // A stream never ends by itself: it ends when the node stops too, so a console does not hold up a rolling restart
        // (the host drains its requests before it leaves the cluster). The console reconnects to another node.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, stopping);
        var token = stop.Token;
        // Bounded like the sources' own listeners: a client that cannot keep up loses its oldest events.
        var merged = Channel.CreateBounded<Item>(new BoundedChannelOptions(Listeners<Item>.Buffer) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        // Listening starts before the snapshot is taken, so nothing that happens while it is made is missed.
        var sources = new List<Task>
        {
            Forward(watch.Changes.Listen(token), c => new Item("member", View(c)), merged.Writer, token),
            Forward(suspensions.Changes.Listen(token), s => new Item("suspension", View(s)), merged.Writer, token),
            Forward(alerts.Listen(token), a => new Item("alert", AlertView.Of(a)), merged.Writer, token),
        };
        http.Response.ContentType = EventStream;
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        await http.Response.WriteAsync(": connected\n\n", token);
        await http.Response.Body.FlushAsync(token);
        try
        {
            var summary = View(await summaries.Current(token));
            await Write(http, new Item("snapshot", new ClusterSnapshotView(Members(system, watch, clock), summary,
                new SuspensionsView(suspensions.Following, suspensions.Current().Select(View).ToArray()))), json, token);
            sources.Add(Periodically(SummaryEvery, async () => new Item("summary", View(await summaries.Current(token))), merged.Writer, token));
            var beat = Task.Delay(HeartbeatEvery, token);
            var next = merged.Reader.WaitToReadAsync(token).AsTask();
            while (true)
            {
                if (await Task.WhenAny(next, beat) == beat)
                {
                    await beat; // throws when the client has gone
                    await http.Response.WriteAsync(": keep-alive\n\n", token);
                    await http.Response.Body.FlushAsync(token);
                    beat = Task.Delay(HeartbeatEvery, token);
                    continue;
                }
                if (!await next) return;
                while (merged.Reader.TryRead(out var item)) await Write(http, item, json, token);
                next = merged.Reader.WaitToReadAsync(token).AsTask();
            }
        }
        catch (OperationCanceledException)
        {
            // the client went away
        }
        finally
        {
            stop.Cancel();
            await Task.WhenAll(sources.Select(s => s.ContinueWith(_ => { }, TaskScheduler.Default)));
        }
    }

    private static async Task Write(HttpContext http, Item item, JsonSerializerOptions json, CancellationToken ct)
    {
        await http.Response.WriteAsync($"event: {item.Event}\ndata: {JsonSerializer.Serialize(item.Data, item.Data.GetType(), json)}\n\n", ct);
        await http.Response.Body.FlushAsync(ct);
    }

    private static async Task Forward<T>(IAsyncEnumerable<T> source, Func<T, Item> item, ChannelWriter<Item> writer, CancellationToken ct)
    {
        await foreach (var x in source.WithCancellation(ct)) writer.TryWrite(item(x));
    }

    private static async Task Periodically(TimeSpan every, Func<Task<Item>> make, ChannelWriter<Item> writer, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(every);
        while (await timer.WaitForNextTickAsync(ct)) writer.TryWrite(await make());
    }
}
