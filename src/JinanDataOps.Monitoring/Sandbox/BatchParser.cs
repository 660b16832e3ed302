using System.Globalization;
using System.Text.Json;

namespace JinanDataOps.Monitoring.Sandbox;

/// <summary>A line of the posted batch that cannot be taken, and why.</summary>
public sealed record LineError(int Line, string Problem);

/// <summary>Either every event of the batch, or the lines that stop it (nothing is taken then).</summary>
public sealed record ParsedBatch(SandboxBatch? Batch, IReadOnlyList<LineError> Errors)
{
    public bool Accepted => Batch is not null;
}

/// <summary>Reads a batch as the sandbox posts it — a JSON array of events, or NDJSON, one event per line —
/// and validates it as a whole (API.md, Sandbox monitoring): one malformed event refuses the batch, and
/// the answer names every line at fault (up to <see cref="MaxErrors"/>). Unknown properties are ignored,
/// so a newer sandbox may report more.</summary>
public static class BatchParser
{
    public const int MaxEvents = 10_000;
    public const int MaxErrors = 100;
    public const int MaxIdLength = 160;
    public const int MaxFields = 256;
    private const int MaxFieldLength = 128;

    public static ParsedBatch Parse(ReadOnlySpan<byte> body, string batchId)
    {
        var errors = new List<LineError>();
        var events = new List<SandboxEvent>();
        var start = 0;
        while (start < body.Length && IsSpace(body[start])) start++;
        if (start == body.Length) return new ParsedBatch(null, [new LineError(1, "the batch is empty: send a JSON array of events or NDJSON, one event per line")]);
        if (body[start] == (byte)'[') ReadArray(body, batchId, events, errors);
        else ReadLines(body, batchId, events, errors);
        if (errors.Count == 0 && events.Count == 0) errors.Add(new LineError(1, "the batch holds no events"));
        if (errors.Count == 0 && events.Count > MaxEvents) errors.Add(new LineError(1, $"the batch holds {events.Count} events; at most {MaxEvents} are taken in one batch"));
        return errors.Count > 0 ? new ParsedBatch(null, errors) : new ParsedBatch(new SandboxBatch(batchId, events), []);
    }

    private static void ReadLines(ReadOnlySpan<byte> body, string batchId, List<SandboxEvent> events, List<LineError> errors)
    {
        var line = 0;
        while (body.Length > 0 && errors.Count < MaxErrors)
        {
            line++;
            var end = body.IndexOf((byte)'\n');
            var text = end < 0 ? body : body[..end];
            body = end < 0 ? [] : body[(end + 1)..];
            if (text.Trim(" \t\r"u8).IsEmpty) continue;
            var reader = new Utf8JsonReader(text);
            try
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                {
                    errors.Add(new LineError(line, "each line must be one JSON object (an event)"));
                    continue;
                }
                var read = ReadEvent(ref reader, $"{batchId}#{line}", out var problem);
                if (read is not null && reader.Read()) problem = "one event per line: something follows the object";
                if (problem is not null) errors.Add(new LineError(line, problem));
                else events.Add(read!);
            }
            catch (JsonException ex)
            {
                errors.Add(new LineError(line, $"malformed JSON: {Short(ex.Message)}"));
            }
        }
    }

    private static void ReadArray(ReadOnlySpan<byte> body, string batchId, List<SandboxEvent> events, List<LineError> errors)
    {
        var reader = new Utf8JsonReader(body);
        var lines = new LineCounter(body);
        try
        {
            reader.Read(); // [
            var item = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                item++;
                var line = lines.At(reader.TokenStartIndex);
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    errors.Add(new LineError(line, $"item {item} is not a JSON object (an event)"));
                    reader.Skip();
                }
                else if (ReadEvent(ref reader, $"{batchId}#{item}", out var problem) is { } e) events.Add(e);
                else errors.Add(new LineError(line, $"item {item}: {problem}"));
                if (errors.Count >= MaxErrors) return;
            }
            if (reader.TokenType != JsonTokenType.EndArray) errors.Add(new LineError(lines.At(reader.BytesConsumed), "the array is not closed"));
            else if (reader.Read()) errors.Add(new LineError(lines.At(reader.TokenStartIndex), "something follows the array"));
        }
        catch (JsonException ex)
        {
            errors.Add(new LineError((int)(ex.LineNumber ?? 0) + 1, $"malformed JSON: {Short(ex.Message)}"));
        }
    }

    /// <summary>Reads one event object (the reader on its StartObject, left on its EndObject); null and a
    /// problem when a field is missing or wrong.</summary>
    private static SandboxEvent? ReadEvent(ref Utf8JsonReader reader, string id, out string? problem)
    {
        string? operatorId = null, requestId = null, dataset = null, kind = null;
        List<string>? fields = null;
        long? rows = null, bytes = null;
        DateTimeOffset? at = null;
        var denied = false;
        problem = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "operatorId": operatorId = Text(ref reader, name, ref problem); break;
                case "dataRequestId": requestId = Text(ref reader, name, ref problem); break;
                case "dataset": dataset = Text(ref reader, name, ref problem); break;
                case "kind": kind = Text(ref reader, name, ref problem); break;
                case "rows": rows = Count(ref reader, name, ref problem); break;
                case "bytes": bytes = Count(ref reader, name, ref problem); break;
                case "denied":
                    if (reader.TokenType is JsonTokenType.True or JsonTokenType.False) denied = reader.GetBoolean();
                    else problem ??= "'denied' must be true or false";
                    break;
                case "at":
                    if (reader.TokenType == JsonTokenType.String && DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var when)
                        && reader.GetString()!.Contains('T'))
                        at = when;
                    else problem ??= "'at' must be an ISO-8601 instant such as 2026-12-01T08:00:00Z";
                    break;
                case "fields":
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        problem ??= "'fields' must be an array of field names";
                        reader.Skip();
                        break;
                    }
                    fields = [];
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType == JsonTokenType.String && reader.GetString() is { Length: > 0 and <= MaxFieldLength } field) fields.Add(field);
                        else
                        {
                            problem ??= $"'fields' must hold field names (1–{MaxFieldLength} characters)";
                            reader.Skip();
                        }
                    }
                    if (fields.Count > MaxFields) problem ??= $"'fields' names at most {MaxFields} fields";
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        if (problem is not null) return null;
        var missing = new[] { ("operatorId", operatorId is null), ("dataRequestId", requestId is null), ("kind", kind is null), ("dataset", dataset is null),
            ("fields", fields is null), ("rows", rows is null), ("bytes", bytes is null), ("at", at is null) }.Where(m => m.Item2).Select(m => $"'{m.Item1}'").ToArray();
        if (missing.Length > 0)
        {
            problem = $"missing {string.Join(", ", missing)}";
            return null;
        }
        ActionKind? action = kind switch
        {
            "query" => ActionKind.Query, "export" => ActionKind.Export, "download" => ActionKind.Download, "model-output" => ActionKind.ModelOutput, _ => null,
        };
        if (action is null)
        {
            problem = $"'kind' must be one of query, export, download, model-output (not '{Short(kind!)}')";
            return null;
        }
        return new SandboxEvent(id, operatorId!, requestId!, action.Value, dataset!, fields!, rows!.Value, bytes!.Value, at!.Value, denied);
    }

    private static string? Text(ref Utf8JsonReader reader, string? name, ref string? problem)
    {
        if (reader.TokenType == JsonTokenType.String && reader.GetString() is { } s && !string.IsNullOrWhiteSpace(s) && s.Length <= MaxIdLength) return s;
        problem ??= $"'{name}' must be a non-empty string of at most {MaxIdLength} characters";
        reader.Skip();
        return null;
    }

    private static long? Count(ref Utf8JsonReader reader, string? name, ref string? problem)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var n) && n >= 0) return n;
        problem ??= $"'{name}' must be a whole number, zero or more";
        reader.Skip();
        return null;
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF;

    private static string Short(string text) => text.Length <= 120 ? text : text[..120] + "…";

    /// <summary>Line numbers of byte offsets, counted forward only once over the body.</summary>
    private ref struct LineCounter(ReadOnlySpan<byte> body)
    {
        private readonly ReadOnlySpan<byte> _body = body;
        private long _offset;
        private int _line = 1;

        public int At(long offset)
        {
            if (offset < _offset) return _line;
            _line += _body[(int)_offset..(int)Math.Min(offset, _body.Length)].Count((byte)'\n');
            _offset = offset;
            return _line;
        }
    }
}
