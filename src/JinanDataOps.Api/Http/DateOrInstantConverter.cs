using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace JinanDataOps.Api.Http;

/// <summary>A calendar date in a body (a training's <c>completedOn</c>) that takes what API.md calls a time — an
/// ISO-8601 instant, <c>2026-12-01T08:00:00Z</c>, whose date in UTC it is — as well as the date alone,
/// <c>2026-12-01</c>. Anything else is a JsonException, which the binding answers with 400 naming the field.</summary>
public sealed class DateOrInstantConverter : JsonConverter<DateOnly>
{
    public override DateOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String) throw new JsonException();
        // The date alone first: read as an instant it would be midnight at the server's offset, whose UTC
        // date may be the day before.
        if (DateOnly.TryParseExact(reader.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        // The same ISO-8601 reading as every DateTimeOffset field of the API.
        if (reader.TryGetDateTimeOffset(out var instant)) return DateOnly.FromDateTime(instant.UtcDateTime);
        throw new JsonException();
    }

    public override void Write(Utf8JsonWriter writer, DateOnly value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    /// <summary>OpenAPI: a custom converter leaves the schema exporter without a type for the field, so the
    /// fields bound through this converter are described here.</summary>
    public static Task DescribeInSchema(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var attributes = context.JsonPropertyInfo?.AttributeProvider?.GetCustomAttributes(typeof(JsonConverterAttribute), inherit: false) ?? [];
        if (attributes.Any(a => a is JsonConverterAttribute { ConverterType: var type } && type == typeof(DateOrInstantConverter)))
        {
            schema.Type = JsonSchemaType.String;
            schema.Format = null;
            schema.Description = "a date (2026-12-01) or an ISO-8601 instant (2026-12-01T08:00:00Z), whose date in UTC is taken";
        }
        return Task.CompletedTask;
    }
}
