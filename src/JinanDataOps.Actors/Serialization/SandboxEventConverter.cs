using System.Text.Json;
using System.Text.Json.Serialization;
using JinanDataOps.Monitoring.Sandbox;

namespace JinanDataOps.Actors.Serialization;

/// <summary>A sandbox event in the activity log (and on the wire between nodes) as a positional array —
/// <c>[id, operatorId, dataRequestId, kind, dataset, [fields], rows, bytes, at, denied]</c> — instead of an
/// object: the log holds millions of them, and property names repeated per event were most of its
/// bytes and of the time spent writing it (docs/performance.md, issue 4). The order is the schema: a new
/// field goes at the end, read as absent by older entries.</summary>
public sealed class SandboxEventConverter : JsonConverter<SandboxEvent>
{
    public override SandboxEvent Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("a sandbox event is a JSON array");
        var id = NextString(ref reader);
        var operatorId = NextString(ref reader);
        var requestId = NextString(ref reader);
        var kind = NextString(ref reader) switch
        {
            "query" => ActionKind.Query, "export" => ActionKind.Export, "download" => ActionKind.Download, "model-output" => ActionKind.ModelOutput,
            var other => throw new JsonException($"unknown sandbox action '{other}'"),
        };
        var dataset = NextString(ref reader);
        Next(ref reader, JsonTokenType.StartArray);
        var fields = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) fields.Add(reader.GetString() ?? throw new JsonException("a field name is null"));
        Next(ref reader, JsonTokenType.Number);
        var rows = reader.GetInt64();
        Next(ref reader, JsonTokenType.Number);
        var bytes = reader.GetInt64();
        Next(ref reader, JsonTokenType.String);
        var at = reader.GetDateTimeOffset();
        var denied = false;
        Advance(ref reader);
        if (reader.TokenType is JsonTokenType.True or JsonTokenType.False)
        {
            denied = reader.GetBoolean();
            Advance(ref reader);
        }
        while (reader.TokenType != JsonTokenType.EndArray)
        {
            reader.Skip(); // a field of a later version
            Advance(ref reader);
        }
        return new SandboxEvent(id, operatorId, requestId, kind, dataset, fields, rows, bytes, at, denied);
    }

    public override void Write(Utf8JsonWriter writer, SandboxEvent value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        writer.WriteStringValue(value.Id);
        writer.WriteStringValue(value.OperatorId);
        writer.WriteStringValue(value.DataRequestId);
        writer.WriteStringValue(value.Kind switch
        {
            ActionKind.Query => "query", ActionKind.Export => "export", ActionKind.Download => "download", ActionKind.ModelOutput => "model-output",
            _ => throw new JsonException($"unknown sandbox action {value.Kind}"),
        });
        writer.WriteStringValue(value.Dataset);
        writer.WriteStartArray();
        foreach (var field in value.Fields) writer.WriteStringValue(field);
        writer.WriteEndArray();
        writer.WriteNumberValue(value.Rows);
        writer.WriteNumberValue(value.Bytes);
        writer.WriteStringValue(value.At);
        writer.WriteBooleanValue(value.Denied);
        writer.WriteEndArray();
    }

    private static string NextString(ref Utf8JsonReader reader)
    {
        Next(ref reader, JsonTokenType.String);
        return reader.GetString()!;
    }

    private static void Advance(ref Utf8JsonReader reader)
    {
        if (!reader.Read()) throw new JsonException("a sandbox event ends early");
    }

    private static void Next(ref Utf8JsonReader reader, JsonTokenType expected)
    {
        if (!reader.Read() || reader.TokenType != expected) throw new JsonException($"a sandbox event: expected {expected}, found {reader.TokenType}");
    }
}
