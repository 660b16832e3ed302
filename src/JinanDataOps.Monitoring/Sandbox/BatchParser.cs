using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

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
/// so a newer sandbox may report more. Text that is not Unicode — bytes that are not UTF-8, or a lone
/// surrogate escape such as <c>"\ud800"</c> in a string or a property name — is a fault of its line like
/// any other, never an exception.</summary>
public static class BatchParser
{
    public const int MaxEvents = 10_000;
    public static readonly DateTimeOffset EarliestAt = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset LatestAt = new(3000, 1, 1, 0, 0, 0, TimeSpan.Zero);
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
            if (NotUtf8(text) is { } notUtf8)
            {
                errors.Add(new LineError(line, notUtf8));
                continue;
            }
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
        // The reader does not check that strings are UTF-8 (only GetString does), so the lines that are
        // not are named first; the array is not read any further then.
        if (!Utf8.IsValid(body))
        {
            var number = 0;
            foreach (var range in body.Split((byte)'\n'))
            {
                number++;
                if (NotUtf8(body[range]) is { } problem) errors.Add(new LineError(number, problem));
                if (errors.Count >= MaxErrors) break;
            }
            return;
        }
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
            var name = ReadString(ref reader);
            if (name is null) problem ??= $"a property name {NotText}";
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
                    else
                    {
                        problem ??= "'denied' must be true or false";
                        reader.Skip(); // an object or array as the value: past its end, not into it
                    }
                    break;
                case "at":
                    var time = reader.TokenType == JsonTokenType.String ? ReadString(ref reader) : null;
                    if (time is not null && DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var when) && time.Contains('T'))
                    {
                        // Windows, baselines and working hours compute with the instant: one at the edge of the calendar
                        // (year 9999, year 1) would overflow them. No sandbox reports activity outside these years.
                        if (when < EarliestAt || when >= LatestAt) problem ??= $"'at' must lie between {EarliestAt.Year} and {LatestAt.Year}";
                        else at = when;
                    }
                    else if (reader.TokenType == JsonTokenType.String && time is null) problem ??= $"'at' {NotText}";
                    else
                    {
                        problem ??= "'at' must be an ISO-8601 instant such as 2026-12-01T08:00:00Z";
                        reader.Skip(); // an object or array as the value: past its end, not into it
                    }
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
                        var field = reader.TokenType == JsonTokenType.String ? ReadString(ref reader) : null;
                        if (field is { Length: > 0 and <= MaxFieldLength }) fields.Add(field);
                        else if (reader.TokenType == JsonTokenType.String && field is null) problem ??= $"a name in 'fields' {NotText}";
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
        if (reader.TokenType == JsonTokenType.String)
        {
            if (ReadString(ref reader) is not { } s)
            {
                problem ??= $"'{name}' {NotText}";
                return null;
            }
            if (!string.IsNullOrWhiteSpace(s) && s.Length <= MaxIdLength) return s;
        }
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

    private const string NotText = "is not Unicode text: it holds a lone surrogate escape (such as \\ud800) or bytes that are not UTF-8";

    /// <summary>The string of the current String or PropertyName token; null when it is not Unicode text. The
    /// bytes of every line are checked to be UTF-8 before it is read, so what is left is an escape that
    /// decodes to half a surrogate pair — GetString's documented InvalidOperationException.</summary>
    private static string? ReadString(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Why a line is not UTF-8 text (RFC 8259 §8.1: JSON is exchanged as UTF-8), or null when it is.</summary>
    private static string? NotUtf8(ReadOnlySpan<byte> line)
    {
        if (Utf8.IsValid(line)) return null;
        var at = 0;
        while (Rune.DecodeFromUtf8(line[at..], out _, out var length) == OperationStatus.Done) at += length;
        return $"the line is not UTF-8 text: byte 0x{line[at]:X2} at column {at + 1} is not valid UTF-8 there (JSON is UTF-8, RFC 8259 §8.1)";
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
