using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace JinanDataOps.Api.Http;

/// <summary>Marks a read that also answers <c>text/csv</c> (for evaluation and export, Art. 8(5), 17).</summary>
public sealed record CsvAlternative(string Description);

/// <summary>CSV as RFC 4180 writes it: a header row, CRLF line ends, a field quoted when it holds a comma, a quote or a
/// line break, quotes doubled inside.</summary>
public static class Csv
{
    public const string MediaType = "text/csv";

    /// <summary>The endpoint answers <c>text/csv</c> too, when the request's Accept asks for it (documented on the 200).</summary>
    public static RouteHandlerBuilder OrCsv(this RouteHandlerBuilder endpoint, string description) => endpoint.WithMetadata(new CsvAlternative(description));

    /// <summary>Whether the caller asked for CSV rather than JSON: <c>text/csv</c> in Accept, weighted at least as much as
    /// JSON when both are named.</summary>
    public static bool Wanted(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        double? Weight(string type) => accept.Where(a => string.Equals(a.MediaType.Value, type, StringComparison.OrdinalIgnoreCase))
            .Select(a => a.Quality ?? 1).Cast<double?>().DefaultIfEmpty(null).Max();
        return Weight(MediaType) is > 0 and var csv && (Weight("application/json") is not { } json || csv >= json);
    }

    public static string Write(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string?>> rows)
    {
        var sb = new StringBuilder();
        Line(sb, header);
        foreach (var row in rows) Line(sb, row);
        return sb.ToString();
    }

    public static IResult Result(string csv) => TypedResults.Text(csv, $"{MediaType}; charset=utf-8", Encoding.UTF8);

    private static void Line(StringBuilder sb, IReadOnlyList<string?> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append(Field(fields[i]));
        }
        sb.Append("\r\n");
    }

    public static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        return value.IndexOfAny([',', '"', '\r', '\n']) < 0 ? value : $"\"{value.Replace("\"", "\"\"")}\"";
    }
}
