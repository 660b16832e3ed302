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

    [Theory]
    [InlineData("9999-12-31T23:59:59Z")]
    [InlineData("1970-01-01T00:00:00Z")]
    [InlineData("3000-01-01T00:00:00Z")]
    public void An_instant_at_the_edge_of_the_calendar_is_a_fault_of_its_line(string at)
    {
        var parsed = Parse($"{Good}\n{Good.Replace("2026-12-01T08:00:00Z", at)}");
        Assert.False(parsed.Accepted);
        var error = Assert.Single(parsed.Errors);
        Assert.Equal(2, error.Line);
        Assert.Contains("'at' must lie between 2000 and 3000", error.Problem);
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

    // ---- text that is not Unicode: a fault of its line, never an exception (issue 10) -------------

    /// <summary>The good event with <paramref name="raw"/> bytes put in place of <paramref name="what"/>.</summary>
    private static byte[] GoodWith(string what, byte[] raw)
    {
        var good = Encoding.UTF8.GetBytes(Good);
        var at = good.AsSpan().IndexOf(Encoding.UTF8.GetBytes(what));
        Assert.True(at >= 0, what);
        return [.. good[..at], .. raw, .. good[(at + what.Length)..]];
    }

    private static byte[] Lines(params byte[][] lines) => [.. lines.SelectMany((l, i) => i == 0 ? l : [(byte)'\n', .. l])];

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static TheoryData<string, byte[]> NotUnicode => new()
    {
        { "invalid byte in a value", GoodWith("bus", [(byte)'b', 0xFF, (byte)'s']) },
        { "invalid byte in a property name", GoodWith("\"dataset\"", [(byte)'"', (byte)'d', 0xFE, (byte)'"', (byte)':', (byte)'1', (byte)',', .. Utf8("\"dataset\"")]) },
        { "invalid byte in an unknown property", GoodWith("\"rows\"", [.. Utf8("\"note\":\""), 0xC3, (byte)'"', (byte)',', .. Utf8("\"rows\"")]) },
        { "truncated sequence in a value", GoodWith("bus", [(byte)'b', 0xE4, 0xB8]) },
        { "overlong encoding of '/'", GoodWith("bus", [0xC0, 0xAF]) },
        { "encoded surrogate (CESU-8)", GoodWith("bus", [0xED, 0xA0, 0x80]) },
        { "code point above U+10FFFF", GoodWith("bus", [0xF4, 0x90, 0x80, 0x80]) },
        { "NUL byte in a value", GoodWith("bus", [(byte)'b', 0x00, (byte)'s']) },
        { "lone high surrogate escape in a value", GoodWith("bus", Utf8("\\ud800")) },
        { "lone low surrogate escape in a value", GoodWith("op-1", Utf8("op\\udc00")) },
        { "reversed surrogate pair in a value", GoodWith("req-1", Utf8("\\ude00\\ud83d")) },
        { "lone surrogate escape in a field name", GoodWith("route", Utf8("\\udbff")) },
        { "lone surrogate escape in the time", GoodWith("2026-12-01T08:00:00Z", Utf8("\\ud8002026-12-01T08:00:00Z")) },
        { "lone surrogate escape in a property name", GoodWith("\"rows\"", Utf8("\"\\ud800\":1,\"rows\"")) },
        { "lone surrogate escape in a known property's name", GoodWith("\"kind\"", Utf8("\"kin\\udc00d\":\"x\",\"kind\"")) },
    };

    [Theory]
    [MemberData(nameof(NotUnicode))]
    public void Text_that_is_not_unicode_refuses_its_ndjson_line_by_number(string what, byte[] bad)
    {
        _ = what;
        var good = Utf8(Good);
        var parsed = BatchParser.Parse(Lines(good, bad, good, bad), "b1");
        Assert.False(parsed.Accepted);
        Assert.Equal([2, 4], parsed.Errors.Select(e => e.Line));
        Assert.All(parsed.Errors, e => Assert.Matches("UTF-8|Unicode|malformed JSON", e.Problem));
    }

    [Theory]
    [MemberData(nameof(NotUnicode))]
    public void Text_that_is_not_unicode_refuses_its_array_item_by_line(string what, byte[] bad)
    {
        _ = what;
        var good = Utf8(Good);
        var parsed = BatchParser.Parse(Lines(Utf8("["), [.. good, (byte)','], [.. bad, (byte)','], good, Utf8("]")), "b1");
        Assert.False(parsed.Accepted);
        var error = Assert.Single(parsed.Errors);
        Assert.Equal(3, error.Line);
        Assert.Matches("UTF-8|Unicode|malformed JSON", error.Problem);
    }

    [Fact]
    public void The_problem_says_which_byte_is_not_utf8_and_which_name_is_not_text()
    {
        var parsed = BatchParser.Parse(Lines(GoodWith("bus", [(byte)'b', 0xFF]), GoodWith("op-1", Utf8("\\ud800")), GoodWith("\"rows\"", Utf8("\"\\udc00\":1,\"rows\""))), "b1");
        Assert.Equal(3, parsed.Errors.Count);
        Assert.Contains("byte 0xFF at column", parsed.Errors[0].Problem);
        Assert.Contains("'operatorId' is not Unicode text", parsed.Errors[1].Problem);
        Assert.Contains("a property name is not Unicode text", parsed.Errors[2].Problem);
    }

    [Fact]
    public void Surrogate_pairs_and_other_scripts_are_text()
    {
        var parsed = Parse(Good.Replace("\"bus\"", "\"公交\\ud83d\\ude8c🚌\"").Replace("\"rows\"", "\"\\ud83d\\ude00\":\"😀\",\"rows\""));
        Assert.True(parsed.Accepted, string.Join("; ", parsed.Errors.Select(e => e.Problem)));
        Assert.Equal("公交🚌🚌", parsed.Batch!.Events[0].Dataset);
    }

    [Theory]
    [InlineData("at")]
    [InlineData("denied")]
    public void An_object_where_a_value_belongs_refuses_only_its_own_item(string property)
    {
        var bad = Good.Replace("\"kind\"", $"\"{property}\":{{\"kind\":\"query\",\"x\":[1]}},\"kind\"");
        var parsed = Parse($"[\n{Good},\n{bad},\n{Good}\n]");
        var error = Assert.Single(parsed.Errors);
        Assert.Equal(3, error.Line);
        Assert.Contains($"item 2: '{property}' must be", error.Problem);
    }
}
