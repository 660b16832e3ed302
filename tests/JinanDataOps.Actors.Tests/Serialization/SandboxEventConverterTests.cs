using System.Text.Json;
using JinanDataOps.Actors.Serialization;
using JinanDataOps.Monitoring.Sandbox;

namespace JinanDataOps.Actors.Tests.Serialization;

public class SandboxEventConverterTests
{
    private static SandboxEvent Read(string json) => JsonSerializer.Deserialize<SandboxEvent>(json, JinanSerializer.Options)!;

    [Fact]
    public void An_event_is_written_as_a_positional_array_and_read_back()
    {
        var e = new SandboxEvent("b#1", "op-1", "req-1", ActionKind.ModelOutput, "bus", ["route"], 5, 500, new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero), Denied: true);
        var json = JsonSerializer.Serialize(e, JinanSerializer.Options);
        Assert.Equal("""["b#1","op-1","req-1","model-output","bus",["route"],5,500,"2026-12-01T08:00:00+00:00",true]""", json);
        var back = Read(json);
        Assert.Equal((e.Id, e.Kind, e.At, e.Denied), (back.Id, back.Kind, back.At, back.Denied));
        Assert.Equal(e.Fields, back.Fields);
    }

    [Fact]
    public void Fields_a_later_version_appends_are_skipped() =>
        Assert.Equal("op-1", Read("""["b#1","op-1","req-1","query","bus",[],5,500,"2026-12-01T08:00:00Z",false,{"later":1},"more"]""").OperatorId);

    [Theory]
    [InlineData("""{"id":"b#1"}""")]
    [InlineData("""["b#1","op-1","req-1","print","bus",[],5,500,"2026-12-01T08:00:00Z",false]""")]
    [InlineData("""["b#1","op-1","req-1","query","bus",[],"5",500,"2026-12-01T08:00:00Z",false]""")]
    public void A_malformed_entry_is_refused(string json) => Assert.Throws<JsonException>(() => Read(json));
}
