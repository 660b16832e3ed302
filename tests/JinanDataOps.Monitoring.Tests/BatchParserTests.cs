using System.Text;
using JinanDataOps.Monitoring.Sandbox;

namespace JinanDataOps.Monitoring.Tests;

public class BatchParserTests
{
    private const string Good = """{"operatorId":"op-1","dataRequestId":"req-1","kind":"query","dataset":"bus","fields":["route"],"rows":10,"bytes":900,"at":"2026-12-01T08:00:00Z"}""";

    private static ParsedBatch Parse(string body) => BatchParser.Parse(Encoding.UTF8.GetBytes(body), "b1");

    [Fact]
    public void Ndjson_gives_one_event_per_line_with_ids_from_the_batch_and_line()
    {
        var parsed = Parse($"{Good}\n\n{Good.Replace("\"query\"", "\"export\"")}\n");
        Assert.True(parsed.Accepted);
        Assert.Equal(["b1#1", "b1#3"], parsed.Batch!.Events.Select(e => e.Id));
        var e = parsed.Batch.Events[1];
        Assert.Equal((ActionKind.Export, "op-1", "req-1", "bus", 10L, 900L), (e.Kind, e.OperatorId, e.DataRequestId, e.Dataset, e.Rows, e.Bytes));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero), e.At);
        Assert.False(e.Denied);
    }

    [Fact]
    public void A_json_array_is_taken_too_and_unknown_properties_are_ignored()
    {
        var parsed = Parse($"[{Good.Replace("}", ",\"denied\":true,\"sandboxNode\":{\"id\":3}}")},\n {Good}]");
        Assert.True(parsed.Accepted);
        Assert.Equal([true, false], parsed.Batch!.Events.Select(e => e.Denied));
        Assert.Equal(["b1#1", "b1#2"], parsed.Batch.Events.Select(e => e.Id));
    }

    [Fact]
    public void Every_malformed_line_is_named_and_nothing_is_taken()
    {
        var body = string.Join("\n",
            Good,
            Good.Replace("\"query\"", "\"print\""),
            "{not json",
            Good.Replace("\"rows\":10", "\"rows\":-1"),
            Good.Replace(",\"at\":\"2026-12-01T08:00:00Z\"", ""),
            "[1]",
            Good);
        var parsed = Parse(body);
        Assert.False(parsed.Accepted);
        Assert.Null(parsed.Batch);
        Assert.Equal([2, 3, 4, 5, 6], parsed.Errors.Select(e => e.Line));
        Assert.Contains("'kind' must be one of", parsed.Errors[0].Problem);
        Assert.Contains("malformed JSON", parsed.Errors[1].Problem);
        Assert.Contains("'rows' must be a whole number", parsed.Errors[2].Problem);
        Assert.Contains("missing 'at'", parsed.Errors[3].Problem);
    }

    [Fact]
    public void In_an_array_the_line_of_the_bad_item_is_named()
    {
        var parsed = Parse($"[\n{Good},\n{Good.Replace("\"bus\"", "\"\"")},\n{Good}\n]");
        var error = Assert.Single(parsed.Errors);
        Assert.Equal(3, error.Line);
        Assert.Contains("item 2: 'dataset' must be a non-empty string", error.Problem);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n  ")]
    [InlineData("[]")]
    public void An_empty_batch_is_refused(string body) => Assert.False(Parse(body).Accepted);

    [Fact]
    public void A_truncated_array_is_refused()
    {
        var parsed = Parse($"[{Good},");
        Assert.False(parsed.Accepted);
        Assert.Contains("malformed JSON", Assert.Single(parsed.Errors).Problem);
    }

    [Fact]
    public void A_time_without_a_date_and_time_is_refused() =>
        Assert.Contains("'at' must be an ISO-8601 instant", Assert.Single(Parse(Good.Replace("2026-12-01T08:00:00Z", "yesterday")).Errors).Problem);

    [Fact]
    public void Too_many_events_are_refused()
    {
        var parsed = Parse(string.Join("\n", Enumerable.Repeat(Good, BatchParser.MaxEvents + 1)));
        Assert.Contains($"at most {BatchParser.MaxEvents}", Assert.Single(parsed.Errors).Problem);
    }
}
