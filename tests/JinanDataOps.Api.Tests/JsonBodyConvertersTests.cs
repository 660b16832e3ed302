using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using JinanDataOps.Api.Endpoints;
using JinanDataOps.Api.Http;

namespace JinanDataOps.Api.Tests;

/// <summary>The converters the JSON binding uses for free-form JSON and for a date that may come as an instant
/// (issue 10): what they refuse is a JsonException — a 400 naming the field — never an exception that
/// surfaces later as a 500.</summary>
public class JsonBodyConvertersTests
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Converters = { new UnicodeJsonElementConverter() } };

    private static ApplyBody Bind(byte[] body) => JsonSerializer.Deserialize<ApplyBody>(body, Options)!;

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void Free_form_json_that_is_unicode_text_is_bound_and_written_back_unchanged()
    {
        const string materials = """{"summary":"公交 \ud83d\ude8c 🚌","qualifications":["ISO 27001",{"level":3,"note":null}],"esc":"a\u0000b\"c"}""";
        var bound = Bind(Utf8($$"""{"materials":{{materials}}}"""));
        Assert.Equal("公交 🚌 🚌", bound.Materials!.Value.GetProperty("summary").GetString());
        Assert.Equal(JsonSerializer.Serialize(JsonDocument.Parse(materials).RootElement), JsonSerializer.Serialize(bound.Materials.Value, Options));
        Assert.Null(Bind(Utf8("""{"materials":null}""")).Materials);
    }

    public static TheoryData<string, byte[], string> NotUnicode => new()
    {
        { "a lone high surrogate in a value", Utf8("""{"materials":{"a":"\ud800"}}"""), "$.materials.a" },
        { "a lone low surrogate deep in an array", Utf8("""{"materials":{"a":[1,{"b":["x","\udc00"]}]}}"""), "$.materials.a[1].b[1]" },
        { "a reversed pair in a property name", Utf8("""{"materials":{"ok":1,"\udc00\ud800":2}}"""), "$.materials.?" },
        { "bytes that are not UTF-8 in a value", [.. Utf8("""{"materials":{"essay":"ab"""), 0xFF, .. Utf8("\"}}")], "$.materials.essay" },
        { "an encoded surrogate in a property name", [.. Utf8("{\"materials\":{\""), 0xED, 0xA0, 0x80, .. Utf8("\":1}}")], "$.materials.?" },
        { "a truncated sequence as the whole value", [.. Utf8("{\"materials\":\""), 0xE4, 0xB8, .. Utf8("\"}")], "$.materials" },
    };

    [Theory]
    [MemberData(nameof(NotUnicode))]
    public void Text_that_is_not_unicode_is_refused_where_it_is(string what, byte[] body, string where)
    {
        _ = what;
        var refused = Assert.Throws<NotUnicodeJsonException>(() => Bind(body));
        Assert.Equal(where, refused.Path + refused.Within);
    }

    private sealed record Training([property: JsonConverter(typeof(DateOrInstantConverter))] DateOnly? CompletedOn);

    [Theory]
    [InlineData("\"2026-11-30\"", "2026-11-30")]
    [InlineData("\"2026-11-30T08:00:00Z\"", "2026-11-30")]
    [InlineData("\"2026-11-30T08:00:00.1234567Z\"", "2026-11-30")]
    [InlineData("\"2026-12-01T01:00:00+08:00\"", "2026-11-30")]
    [InlineData("\"2026-11-30T23:30:00-05:00\"", "2026-12-01")]
    [InlineData("null", null)]
    public void A_date_is_taken_alone_or_as_an_instant_whose_utc_date_counts(string json, string? expected)
    {
        var bound = JsonSerializer.Deserialize<Training>($$"""{"completedOn":{{json}}}""", Options)!;
        Assert.Equal(expected, bound.CompletedOn?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("\"yesterday\"")]
    [InlineData("\"2026-13-01\"")]
    [InlineData("\"2026-11-31\"")]
    [InlineData("\"2026-11-30T25:00:00Z\"")]
    [InlineData("\"30/11/2026\"")]
    [InlineData("\"\"")]
    [InlineData("\"\\ud800\"")]
    [InlineData("20261130")]
    [InlineData("true")]
    [InlineData("{}")]
    [InlineData("[\"2026-11-30\"]")]
    public void Anything_else_is_a_json_error_at_the_field(string json)
    {
        var refused = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<Training>($$"""{"completedOn":{{json}}}""", Options));
        Assert.Equal("$.completedOn", refused.Path);
    }

    /// <summary>Materials stored before they were checked may hold a lone surrogate escape, which no JSON writer
    /// takes: the application is still shown, with the materials as the text they were stored as.</summary>
    [Fact]
    public void Materials_stored_before_the_check_are_shown_as_their_text_rather_than_failing_the_read()
    {
        var application = new JinanDataOps.Domain.Applications.ApplicationState(
            "app-1", JinanDataOps.Domain.Applications.ApplicationStatus.Submitted, "call-1", "op-1", "city", null,
            """{"summary":"ok \ud800"}""", [], [], [], [], null, null, false, null);
        var json = JsonSerializer.Serialize(Views.Application(application, full: true), Options);
        Assert.Equal("""{"summary":"ok \ud800"}""", JsonDocument.Parse(json).RootElement.GetProperty("materials").GetString());
        var good = JsonSerializer.Serialize(Views.Application(application with { MaterialsJson = """{"summary":"ok"}""" }, full: true), Options);
        Assert.Equal("ok", JsonDocument.Parse(good).RootElement.GetProperty("materials").GetProperty("summary").GetString());
    }
}
