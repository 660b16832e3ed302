using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace JinanDataOps.Api.Endpoints;

/// <summary>The web console (issue 13): three static files embedded in this assembly, so every way the host runs —
/// <c>dotnet run</c>, a test's copy of the build output, the published container — serves the same page without a
/// content root or a front-end build. The page is not part of the HTTP contract (excluded from OpenAPI) and needs no
/// token to load: it asks for one and sends it with each request to the operations endpoints, which check it.</summary>
public static class ConsoleApi
{
    public const string Path = "/console";

    private static readonly (string Route, string Resource, string ContentType)[] Files =
    [
        // Routing matches /console/ too (a trailing slash is optional); the page names its files by absolute paths.
        (Path, "index.html", "text/html; charset=utf-8"),
        (Path + "/console.js", "console.js", "text/javascript; charset=utf-8"),
        (Path + "/console.css", "console.css", "text/css; charset=utf-8"),
    ];

    // Nothing from elsewhere: scripts, styles and requests stay on this origin, and no other site may frame the page.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder app)
    {
        foreach (var (route, resource, contentType) in Files)
        {
            var bytes = Read(resource);
            app.MapGet(route, (HttpContext http) =>
            {
                http.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
                http.Response.Headers.XContentTypeOptions = "nosniff";
                // Always revalidated: after an upgrade the page and its script must not come from different versions.
                http.Response.Headers.CacheControl = "no-cache";
                return TypedResults.Bytes(bytes, contentType);
            }).ExcludeFromDescription();
        }
        return app;
    }

    private static byte[] Read(string name)
    {
        var resource = "JinanDataOps.Api.Console." + name;
        using var stream = typeof(ConsoleApi).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"the console file {resource} is not embedded in {typeof(ConsoleApi).Assembly.GetName().Name}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
