using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace JinanDataOps.Api.Http;

/// <summary>CSV answers (RFC 4180) for the records the authority files or exports for evaluation: a header row,
/// then one row per record; fields with a comma, a quote or a line break are quoted, quotes doubled.</summary>
public static class Csv
{
    public const string MediaType = "text/csv";

    /// <summary>Whether the caller prefers CSV to JSON (<c>Accept: text/csv</c>, at least as preferred as JSON).</summary>
    public static bool Wanted(HttpRequest request)
    {
        double Quality(string mediaType) => request.GetTypedHeaders().Accept
            .Where(a => a.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase)).Select(a => a.Quality ?? 1).DefaultIfEmpty(0).Max();
        var csv = Quality(MediaType);
        return csv > 0 && csv >= Quality("application/json");
    }

    public static string Write(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string?>> rows)
    {
        var text = new StringBuilder();
        Row(text, header);
        foreach (var row in rows) Row(text, row);
        return text.ToString();
    }

    public static IResult Result(string csv, string fileName) =>
        new WithDisposition(TypedResults.Text(csv, $"{MediaType}; charset=utf-8", Encoding.UTF8), fileName);

    private static void Row(StringBuilder text, IReadOnlyList<string?> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0) text.Append(',');
            text.Append(Field(fields[i]));
        }
        text.Append("\r\n");
    }

    public static string Field(string? value) =>
        value is null ? "" : value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;

    /// <summary>Names the file a browser saves the answer as.</summary>
    private sealed class WithDisposition(IResult inner, string fileName) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.Headers[HeaderNames.ContentDisposition] = $"attachment; filename=\"{fileName}\"";
            return inner.ExecuteAsync(http);
        }
    }
}
