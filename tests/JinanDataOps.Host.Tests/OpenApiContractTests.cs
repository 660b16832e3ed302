using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using JinanDataOps.Host.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JinanDataOps.Host.Tests;

/// <summary>The OpenAPI document is the contract (issue 10): the served document is the committed
/// <c>docs/openapi/v1.json</c>, every operation is typed and secured, and the document is lint-clean.</summary>
[Collection(SharedHostCollection.Name)]
public sealed class OpenApiContractTests(HostFixture fixture, ITestOutputHelper output)
{
    /// <summary>Set to 1 to write the served document over the committed one (after a deliberate contract change).</summary>
    public const string UpdateVariable = "JDO_UPDATE_OPENAPI";

    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "JinanDataOps.sln"))) return dir.FullName;
            throw new InvalidOperationException("JinanDataOps.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static string CommittedPath => Path.Combine(RepositoryRoot, "docs", "openapi", "v1.json");

    private async Task<JsonNode> Served() => JsonNode.Parse((await fixture.Api.Get(null, "/openapi/v1.json")).Expect(200).Text)!;

    [Fact]
    public async Task The_served_document_is_the_committed_one()
    {
        var served = (await Served()).ToJsonString(Pretty) + "\n";
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(CommittedPath, served);
            output.WriteLine($"wrote {CommittedPath}");
            return;
        }
        var committed = (await File.ReadAllTextAsync(CommittedPath)).ReplaceLineEndings("\n");
        Assert.True(committed == served,
            $"the served OpenAPI document differs from {CommittedPath}; if the change is meant, run the tests with {UpdateVariable}=1 and commit the file. " +
            $"First difference at character {FirstDifference(committed, served)}.");
    }

    [Fact]
    public async Task Every_operation_has_a_typed_answer_a_problem_answer_and_its_security()
    {
        var document = await Served();
        Assert.NotNull(document["components"]!["securitySchemes"]!["bearer"]);
        Assert.Equal("bearer", document["security"]!.AsArray().Single()!.AsObject().Single().Key);
        var faults = new List<string>();
        foreach (var (path, item) in document["paths"]!.AsObject())
            foreach (var (method, node) in item!.AsObject())
            {
                var operation = node!.AsObject();
                var name = $"{method.ToUpperInvariant()} {path}";
                if (string.IsNullOrWhiteSpace(operation["summary"]?.GetValue<string>())) faults.Add($"{name}: no summary");
                var responses = operation["responses"]!.AsObject();
                var success = responses.Where(r => r.Key.StartsWith('2')).ToArray();
                if (success.Length == 0) faults.Add($"{name}: no 2xx answer");
                foreach (var (status, response) in success)
                    if (response!["content"] is not JsonObject content || content.Any(c => c.Value!["schema"] is null)) faults.Add($"{name}: {status} has no schema");
                var problems = responses.Where(r => r.Key[0] is '4' or '5').ToArray();
                // Liveness and the metrics scrape answer 200 or not at all: they read nothing and refuse nothing.
                if (problems.Length == 0 && path is not ("/health/live" or "/metrics")) faults.Add($"{name}: no problem answer");
                foreach (var (status, response) in problems)
                    if (response!["content"]?["application/problem+json"]?["schema"]?["$ref"]?.GetValue<string>() != "#/components/schemas/ApiProblem")
                        faults.Add($"{name}: {status} is not an ApiProblem");
                var open = operation["security"] is JsonArray { Count: 0 };
                // /api and the operations routes under /cluster carry a bearer token (API.md); health and the document do not.
                if ((path.StartsWith("/api/", StringComparison.Ordinal) || path.StartsWith("/cluster/", StringComparison.Ordinal)) == open) faults.Add($"{name}: security is {(open ? "off" : "on")}");
            }
        Assert.True(faults.Count == 0, string.Join("\n", faults));
    }

    [Fact]
    public async Task Request_fields_say_what_is_required_and_what_is_optional()
    {
        var schemas = (await Served())["components"]!["schemas"]!;
        static string[] Required(JsonNode schema) => schema["required"]!.AsArray().Select(r => r!.GetValue<string>()).ToArray();
        Assert.DoesNotContain("consentEvidence", Required(schemas["DataRequestBody"]!));
        Assert.Contains("agreementId", Required(schemas["DataRequestBody"]!));
        Assert.DoesNotContain("providerId", Required(schemas["CreateCallBody"]!));
        Assert.Null(schemas["ScopeBody"]!["required"]);
        // A required field is never "value or null".
        Assert.Equal("string", schemas["DataRequestBody"]!["properties"]!["agreementId"]!["type"]!.GetValue<string>());
        // A request's enumeration is the one the answers use (one type in a generated client).
        Assert.Equal("#/components/schemas/AuthorizationMode", schemas["CreateCallBody"]!["properties"]!["mode"]!["$ref"]!.GetValue<string>());
        Assert.Equal(["comprehensive", "domain", "graded"], schemas["AuthorizationMode"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.DoesNotContain("none", schemas["DataRequestStatus"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    /// <summary>Redocly (recommended) and Spectral (spectral:oas) find no error in the committed document. Runs
    /// whenever Node.js is installed (<c>.ci/run</c> installs it from Debian packages); without it the test says so
    /// and passes, since the README's test command must work on a machine with only the .NET SDK.</summary>
    [Fact]
    public async Task The_committed_document_is_lint_clean()
    {
        var tools = Path.Combine(RepositoryRoot, "tests", "openapi-lint");
        if (Which("node") is null || Which("npm") is null)
        {
            output.WriteLine("SKIPPED: Node.js is not installed, so Redocly and Spectral cannot run here (.ci/run installs it).");
            return;
        }
        if (!Directory.Exists(Path.Combine(tools, "node_modules", "@redocly")) || !Directory.Exists(Path.Combine(tools, "node_modules", "@stoplight")))
        {
            var install = await Run("npm", tools, "ci", "--no-audit", "--no-fund");
            Assert.True(install.Code == 0, $"npm ci failed in {tools}:\n{install.Output}");
        }
        var redocly = await Run("node", tools, "node_modules/@redocly/cli/bin/cli.js", "lint", CommittedPath, "--format", "summary");
        output.WriteLine(redocly.Output);
        Assert.True(redocly.Code == 0, $"Redocly found errors:\n{redocly.Output}");
        var spectral = await Run("node", tools, "node_modules/@stoplight/spectral-cli/dist/index.js", "lint", CommittedPath, "--fail-severity", "error");
        output.WriteLine(spectral.Output);
        Assert.True(spectral.Code == 0, $"Spectral found errors:\n{spectral.Output}");
    }

    private static string? Which(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);

    private static async Task<(int Code, string Output)> Run(string tool, string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.Environment["NO_UPDATE_NOTIFIER"] = "1";
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static int FirstDifference(string a, string b)
    {
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
            if (a[i] != b[i]) return i;
        return n;
    }
}
