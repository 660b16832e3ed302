using JinanDataOps.Api.Contracts;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace JinanDataOps.Api.Http;

/// <summary>A JSON body declared in a charset that .NET does not know (<c>application/json; charset=foo</c>,
/// or a quoted <c>"utf-8"</c>) is answered 415 problem+json before anything reads it. The JSON binding looks the
/// charset up with <see cref="Encoding.GetEncoding(string)"/> and throws InvalidOperationException when it
/// is not found — a 500 for what is only a bad header. The same lookup is made here, on the same parse of
/// the header, so what passes here passes there.</summary>
public static class RequestCharsets
{
    public static IApplicationBuilder UseKnownCharsetsOnly(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            if (UnknownCharset(http.Request.ContentType) is { } charset)
            {
                await Problems.Of(415, ProblemCode.ValidationFailed, "Unsupported media type",
                    $"the charset '{charset}' is not known; send JSON as UTF-8 (RFC 8259 §8.1), with charset=utf-8 or none").ExecuteAsync(http);
                return;
            }
            await next(http);
        });

    private static string? UnknownCharset(string? contentType)
    {
        if (contentType is null || !MediaTypeHeaderValue.TryParse(contentType, out var media)) return null;
        if (!media.MatchesMediaType("application/json") && !media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase)) return null;
        var charset = media.Charset;
        if (!charset.HasValue || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)) return null;
        try
        {
            _ = Encoding.GetEncoding(charset.ToString());
            return null;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            return charset.ToString();
        }
    }
}
