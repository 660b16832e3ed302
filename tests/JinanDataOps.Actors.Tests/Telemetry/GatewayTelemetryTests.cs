using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Akka.Actor;
using Akka.Hosting;
using JinanDataOps.Actors.Clustering;
using JinanDataOps.Actors.Entities;
using JinanDataOps.Actors.Protocol;
using JinanDataOps.Actors.Serialization;
using JinanDataOps.Actors.Telemetry;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.Operators;
using JinanDataOps.Domain.Products;

namespace JinanDataOps.Actors.Tests.Telemetry;

/// <summary>jdo_commands_total as the gateway records it (docs/metrics.md), and the trace context that travels in
/// <see cref="Execute"/>: the region is a probe that answers as an entity would.</summary>
public sealed class GatewayTelemetryTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly Caller Operator = new(Role.Operator, "op-telemetry");

    /// <summary>Measurements are kept only from this test's own async flow: other tests running at the same time ask
    /// gateways too, and the counter is process-wide.</summary>
    private static readonly AsyncLocal<bool> Mine = new();

    private readonly List<(long Value, Dictionary<string, string?> Tags)> _commands = [];
    private readonly MeterListener _listener = new();

    public GatewayTelemetryTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == Instruments.Name && instrument.Name == "jdo.commands") listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            if (!Mine.Value) return;
            var copy = new Dictionary<string, string?>();
            foreach (var tag in tags) copy[tag.Key] = tag.Value as string;
            lock (_commands) _commands.Add((value, copy));
        });
        _listener.Start();
    }

    [Fact]
    public async Task Each_outcome_of_a_command_is_counted_by_aggregate_with_the_rejections_code()
    {
        Mine.Value = true;
        var degradation = new Degradation();
        var (gateway, region) = Gateway(degradation, TimeSpan.FromMinutes(1));
        var command = new FileSecurityReport(Operator, "2026-12", "no incidents");

        var accepted = gateway.Execute<Product, ProductState>("prod-1", command);
        region.ExpectMsg<Execute>();
        region.Reply(new CommandAccepted(null!, []));
        Assert.True((await accepted).Accepted);

        var rejected = gateway.Execute<Product, ProductState>("prod-1", command);
        region.ExpectMsg<Execute>();
        region.Reply(new CommandRejected(Rejection.Rule("Art. 13", "not within the scope")));
        Assert.False((await rejected).Accepted);

        var notRecorded = gateway.Execute<Product, ProductState>("prod-1", command);
        region.ExpectMsg<Execute>();
        region.Reply(new CommandNotRecorded("the journal did not record the events"));
        await Assert.ThrowsAsync<JournalUnavailableException>(() => notRecorded);

        degradation.Set(Degradation.Journal, "the journal does not answer");
        await Assert.ThrowsAsync<JournalUnavailableException>(() => gateway.Execute<Product, ProductState>("prod-1", command));
        region.ExpectNoMsg(TimeSpan.FromMilliseconds(100)); // refused before asking
        degradation.Clear(Degradation.Journal);

        var (impatient, silent) = Gateway(new Degradation(), TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<AskTimeoutException>(() => impatient.Execute<Product, ProductState>("prod-1", command));
        silent.ExpectMsg<Execute>(); // asked, never answered

        Assert.Equal(
            [
                "product accepted -", "product rejected rule-violation", "product not-recorded -", "product unavailable -", "product timeout -",
            ],
            Snapshot().Select(c => $"{c.Tags["aggregate"]} {c.Tags["outcome"]} {c.Tags.GetValueOrDefault("code") ?? "-"}"));
        Assert.All(Snapshot(), c => Assert.Equal(1, c.Value));
    }

    [Fact]
    public async Task The_trace_context_travels_with_the_command_only_while_tracing_is_on()
    {
        var (gateway, region) = Gateway(new Degradation(), TimeSpan.FromMinutes(1));
        var command = new FileSecurityReport(Operator, "2026-12", "no incidents");

        var untraced = gateway.Execute<Product, ProductState>("prod-1", command);
        Assert.Null(region.ExpectMsg<Execute>().TraceParent);
        region.Reply(new CommandAccepted(null!, []));
        await untraced;

        using var tracing = new ActivityListener
        {
            ShouldListenTo = source => source.Name == Instruments.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(tracing);
        using var request = new Activity("HTTP POST").SetIdFormat(ActivityIdFormat.W3C).Start();
        var traced = gateway.Execute<Product, ProductState>("prod-1", command);
        var sent = region.ExpectMsg<Execute>();
        region.Reply(new CommandAccepted(null!, []));
        await traced;

        // W3C traceparent of the gateway's span: the request's trace, a span of its own.
        Assert.NotNull(sent.TraceParent);
        var context = ActivityContext.Parse(sent.TraceParent!, null);
        Assert.Equal(request.TraceId, context.TraceId);
        Assert.NotEqual(request.SpanId, context.SpanId);
    }

    [Fact]
    public void The_trace_context_is_written_only_when_present_so_the_wire_format_stays_execute_v1()
    {
        var serializer = new JinanSerializer((ExtendedActorSystem)Sys);
        var command = new FileSecurityReport(Operator, "2026-12", "no incidents");

        var plain = new Execute("prod-1", command);
        var plainJson = Encoding.UTF8.GetString(serializer.ToBinary(plain));
        Assert.DoesNotContain("traceParent", plainJson);
        Assert.Equal("msg.execute.v1", serializer.Manifest(plain));

        var traced = plain with { TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" };
        var back = (Execute)serializer.FromBinary(serializer.ToBinary(traced), serializer.Manifest(traced));
        Assert.Equal(traced.TraceParent, back.TraceParent);
        // What a node without the field wrote is read as untraced.
        Assert.Null(((Execute)serializer.FromBinary(Encoding.UTF8.GetBytes(plainJson), "msg.execute.v1")).TraceParent);
    }

    private List<(long Value, Dictionary<string, string?> Tags)> Snapshot()
    {
        lock (_commands) return [.. _commands];
    }

    private (EntityGateway, Akka.TestKit.TestProbe) Gateway(Degradation degradation, TimeSpan timeout)
    {
        var registry = new ActorRegistry();
        var region = CreateTestProbe();
        registry.Register<Region<Product>>(region.Ref);
        return (new EntityGateway(registry, timeout, degradation, timeout), region);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _listener.Dispose();
        base.Dispose(disposing);
    }
}
