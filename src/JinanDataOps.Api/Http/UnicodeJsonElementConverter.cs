using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;

namespace JinanDataOps.Api.Http;

/// <summary>Free-form JSON in a body (application materials) bound as a <see cref="JsonElement"/>, checked to
/// be Unicode text as it is bound. The built-in binding keeps the raw bytes unchecked — the reader checks
/// strings only when one is read as a string — so bytes that are not UTF-8, or an escape that decodes to
/// half a surrogate pair (<c>"\ud800"</c>), surfaced later as an InvalidOperationException (a 500) from
/// GetRawText or GetString, or were stored to fail every reader after. Here they are a
/// <see cref="NotUnicodeJsonException"/>, which the binding answers with 400 naming the field.</summary>
public sealed class UnicodeJsonElementConverter : JsonConverter<JsonElement>
{
    public override JsonElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // The serializer hands a converter the whole value already read in, so a copy of the reader walks
        // it first and the original parses it after.
        if (FirstNotUnicode(reader) is { } where) throw new NotUnicodeJsonException(where);
        return JsonElement.ParseValue(ref reader);
    }

    public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options) => value.WriteTo(writer);

    /// <summary>Where in <paramref name="json"/> (well-formed JSON text) the first string or property name that is
    /// not Unicode text is; null when all are.</summary>
    public static string? FirstNotUnicode(string json)
    {
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json));
        return reader.Read() ? FirstNotUnicode(reader) : null;
    }

    /// <summary>Where in the value (".essay", "[2].name", "" for the value itself) the first string or
    /// property name that is not Unicode text is; null when all are.</summary>
    private static string? FirstNotUnicode(Utf8JsonReader reader)
    {
        var depth = reader.CurrentDepth;
        var path = new List<(bool Array, int Index, string? Name)>();
        while (true)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    NextItem(path);
                    path.Add((reader.TokenType == JsonTokenType.StartArray, -1, null));
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    path.RemoveAt(path.Count - 1);
                    break;
                case JsonTokenType.PropertyName:
                    var name = IsUnicode(ref reader) ? reader.GetString() : null;
                    path[^1] = (false, -1, name ?? "?");
                    if (name is null) return Path(path);
                    break;
                default:
                    NextItem(path);
                    if (reader.TokenType == JsonTokenType.String && !IsUnicode(ref reader)) return Path(path);
                    break;
            }
            if (reader.CurrentDepth == depth && reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray or JsonTokenType.PropertyName)) return null;
            if (!reader.Read()) return null;
        }
    }

    private static void NextItem(List<(bool Array, int Index, string? Name)> path)
    {
        if (path.Count > 0 && path[^1] is { Array: true } array) path[^1] = array with { Index = array.Index + 1 };
    }

    private static string Path(List<(bool Array, int Index, string? Name)> path) =>
        string.Concat(path.Select(p => p.Array ? $"[{p.Index}]" : $".{p.Name}"));

    /// <summary>Whether the current string or property name is Unicode text: plain bytes are checked to be
    /// UTF-8 without a copy; escaped ones are decoded, which is where GetString refuses an unpaired
    /// surrogate (its documented InvalidOperationException).</summary>
    private static bool IsUnicode(ref Utf8JsonReader reader)
    {
        if (!reader.HasValueSequence && !reader.ValueIsEscaped) return Utf8.IsValid(reader.ValueSpan);
        try
        {
            _ = reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}

/// <summary>A string or property name in a JSON body that is not Unicode text; <see cref="Within"/> is where,
/// inside the field the serializer names in <see cref="JsonException.Path"/>.</summary>
public sealed class NotUnicodeJsonException(string within) : JsonException($"{What} at {within}")
{
    public const string What = "text that is not Unicode (bytes that are not UTF-8, or a lone surrogate escape such as \\ud800)";

    public string Within { get; } = within;
}
