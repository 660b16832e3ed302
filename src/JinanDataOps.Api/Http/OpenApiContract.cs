using System.Text.Json.Nodes;
using JinanDataOps.Api.Contracts;
using JinanDataOps.Domain.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace JinanDataOps.Api.Http;

/// <summary>Marks a create (201/202) that takes an <c>Idempotency-Key</c> (API.md "Identity").</summary>
public sealed record IdempotentCreate;

/// <summary>Marks a read that also answers <c>Accept: text/csv</c> (<see cref="Csv"/>): the 200 gets a text/csv body
/// beside its JSON one.</summary>
public sealed record CsvAlternative(string Description);

/// <summary>A request field whose text is one of an enumeration's kebab-case names (the API reads it as text so
/// that a wrong value is refused with the list of right ones).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class OneOfAttribute(Type enumeration, params string[] except) : Attribute
{
    public IReadOnlyList<string> Values { get; } =
        Enum.GetNames(enumeration).Where(n => n != "None" && !except.Contains(n)).Select(n => Kebab.Of(n)).ToArray();
}

/// <summary>Makes the served OpenAPI document the contract (issue 10): typed answers and problems on every
/// operation, the bearer scheme, the Idempotency-Key header, required versus optional request fields,
/// enumerations without the internal "none".</summary>
public static class OpenApiContract
{
    public const string ProblemJson = "application/problem+json";
    public const string BearerScheme = "bearer";
    public const string Ndjson = "application/x-ndjson";

    private static readonly (string Name, string Description)[] Tags =
    [
        ("Datasets", "Public datasets of the provider agencies and their data quality issues (Art. 3, 10, 12)"),
        ("Operators", "Operators: registration, security training and security reports (Art. 14, 16)"),
        ("Calls", "Calls for applications, applications and the shortlist (Art. 8(1)–(3))"),
        ("Applications", "Expert review, conflict declarations and objections during the public notice (Art. 8(3))"),
        ("Agreements", "Authorization agreements: drafting, signing, suspension, rectification, end and the work log (Art. 8(4)–(5), 9, 18)"),
        ("Data requests", "One request per application scenario, consented by the authority and every owning provider (Art. 6, 12, 13)"),
        ("Monitoring", "Sandbox activity, monitoring rules and alerts (Art. 13, 15)"),
        ("Incidents", "Security incidents and the emergency response (Art. 15)"),
        ("Products", "Data products: registration, the security-compliance review, listing on a data exchange and delisting (Art. 3, 13, 15)"),
        ("Audit", "The tamper-evident record: every governance event hash-chained, verified, and read per operator (Art. 8(5), 17)"),
        ("Operations", "Health of the node"),
        ("Cluster", "The cluster as the answering node sees it: members, shards and entities, and a live summary, for those who run and supervise the platform (Art. 11)"),
        ("Development", "Development only: tokens for trying the API"),
    ];

    private static readonly int[] ReadProblems = [400, 401, 403, 404, 503];
    private static readonly int[] WriteProblems = [400, 401, 403, 404, 409, 413, 415, 422, 503];

    /// <summary>The problems every /api operation may answer: reads and commands alike, the refusals of the state
    /// machine and the rules only for what changes something.</summary>
    public static RouteHandlerBuilder WithProblems(this RouteHandlerBuilder endpoint, bool mutates)
    {
        foreach (var status in mutates ? WriteProblems : ReadProblems) endpoint.Produces<ApiProblem>(status, ProblemJson);
        return endpoint;
    }

    /// <summary>A 200 with a body of <typeparamref name="T"/>.</summary>
    public static RouteHandlerBuilder Answers<T>(this RouteHandlerBuilder endpoint) => endpoint.Produces<T>(StatusCodes.Status200OK);

    /// <summary>A 200 with a body of <typeparamref name="T"/>, or the same as CSV for <c>Accept: text/csv</c>.</summary>
    public static RouteHandlerBuilder AnswersWithCsv<T>(this RouteHandlerBuilder endpoint, string csvDescription) =>
        endpoint.Produces<T>(StatusCodes.Status200OK).WithMetadata(new CsvAlternative(csvDescription));

    /// <summary>A 201 (or 202) with a body of <typeparamref name="T"/>, repeatable with an Idempotency-Key: a repeat
    /// answers the first response (<see cref="Idempotency"/>).</summary>
    public static RouteHandlerBuilder Creates<T>(this RouteHandlerBuilder endpoint, int status = StatusCodes.Status201Created) =>
        endpoint.Produces<T>(status).WithMetadata(new IdempotentCreate()).AddEndpointFilter(Idempotency.Filter);

    public static OpenApiOptions AddContract(this OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "JinanDataOps",
                Version = "v1",
                Description = "The operations platform for the authorized operation of public data (公共数据授权运营) under the Jinan " +
                    "Municipal Measures (Order No. 286): calls, applications, agreements, data requests, sandbox monitoring and incidents. " +
                    "Every /api call carries a bearer token with claims 'role' and 'org'; refusals are RFC 9457 problems with a machine " +
                    "'code' and, for a rule of the Measures, the 'article' it cites.",
                Contact = new OpenApiContact { Name = "JinanDataOps platform team, Jinan Big Data Bureau" },
                License = new OpenApiLicense { Name = "Proprietary: Jinan Municipal People's Government" },
            };
            // The document is the same whichever node, port or proxy serves it: it names the single-node default of
            // the README, and clients set their own base address.
            document.Servers = [new OpenApiServer { Url = "http://localhost:5080", Description = "A node of the platform (the single-node development default)" }];
            document.Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }));
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A JWT with claims 'role' (authority, provider, operator, expert, maintainer, regulator, sandbox, public) and 'org'.",
            };
            document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] }];
            RequiredObjectsAreNotNull(document);
            ShareEnumerations(document);
            // Free-form JSON (application materials, the details of a work-log entry) is an object; the generator
            // describes JsonElement as "anything", which schema transformers never see.
            if (document.Components?.Schemas?.TryGetValue(nameof(System.Text.Json.JsonElement), out var free) == true && free is OpenApiSchema element)
            {
                element.Type = JsonSchemaType.Object;
                element.Description = "a JSON object, free in form";
            }
            return Task.CompletedTask;
        });

        options.AddOperationTransformer((operation, context, _) =>
        {
            var path = context.Description.RelativePath ?? "";
            // Health, the development token and the document itself need no token; the operations routes under /cluster do.
            if (!path.StartsWith("api/", StringComparison.Ordinal) && !path.StartsWith("cluster/", StringComparison.Ordinal)) operation.Security = [];
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IdempotentCreate>().Any())
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = "Idempotency-Key",
                    In = ParameterLocation.Header,
                    Required = false,
                    Description = "Makes the create repeatable: a repeat with the same key answers the first response and changes nothing; " +
                        "the same key with a different body is 422 idempotency-key-reused.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 256 },
                });
            }
            // A read that answers CSV too: the same 200, as text (Accept: text/csv).
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<CsvAlternative>().FirstOrDefault() is { } csv
                && operation.Responses?.TryGetValue("200", out var ok) == true && ok is OpenApiResponse okResponse)
            {
                okResponse.Content ??= new Dictionary<string, OpenApiMediaType>();
                okResponse.Content[Csv.MediaType] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = csv.Description } };
            }
            // NDJSON is text, one event object per line, not a JSON document.
            if (operation.RequestBody?.Content?.TryGetValue(Ndjson, out var ndjson) == true)
                ndjson.Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Description = "NDJSON: one SandboxEventBody object per line (at most 10,000 events in a batch).",
                };
            foreach (var (status, response) in operation.Responses ?? [])
                if (response is OpenApiResponse concrete && (string.IsNullOrEmpty(concrete.Description) || status[0] is '4' or '5'))
                    concrete.Description = Describe(status);
            return Task.CompletedTask;
        });

        options.AddSchemaTransformer((schema, context, _) =>
        {
            var type = context.JsonTypeInfo.Type;
            // Generated clients take the refusal's detail as the message of the error they throw.
            if (type == typeof(ApiProblem) && schema.Properties?.TryGetValue("detail", out var detail) == true && detail is OpenApiSchema d)
            {
                d.Extensions ??= new Dictionary<string, IOpenApiExtension>();
                d.Extensions["x-ms-primary-error-message"] = new JsonNodeExtension(JsonValue.Create(true));
            }
            if (context.ParameterDescription?.ParameterDescriptor is Microsoft.AspNetCore.Mvc.Infrastructure.IParameterInfoParameterDescriptor { ParameterInfo: var parameter }
                && parameter.GetCustomAttributes(typeof(OneOfAttribute), false).FirstOrDefault() is OneOfAttribute queryOneOf)
                schema.Enum = queryOneOf.Values.Select(v => (JsonNode)JsonValue.Create(v)).ToList();
            // "none" is the state of what does not exist yet: never shown (that is a 404).
            if (type.IsEnum && schema.Enum is { Count: > 0 } values)
            {
                for (var i = values.Count - 1; i >= 0; i--)
                    if (values[i] is JsonValue v && v.TryGetValue<string>(out var name) && name == "none") values.RemoveAt(i);
                schema.Type ??= JsonSchemaType.String;
            }
            if (type.Name.EndsWith("Body", StringComparison.Ordinal) && schema.Properties is { } properties)
                RequiredAndOptional(schema, properties, context.JsonTypeInfo);
            if (context.JsonPropertyInfo?.AttributeProvider?.GetCustomAttributes(typeof(OneOfAttribute), false).FirstOrDefault() is OneOfAttribute oneOf)
            {
                var target = schema.Items as OpenApiSchema ?? schema;
                target.Enum = oneOf.Values.Select(v => (JsonNode)JsonValue.Create(v)).ToList();
                target.Type = JsonSchemaType.String;
            }
            return Task.CompletedTask;
        });
        return options;
    }

    /// <summary>A request field is optional when its constructor parameter has a default; every other field is
    /// required and never null (a null is refused as a missing field). The C# types stay nullable so that a
    /// missing field is answered with a 400 naming it, not a binding failure.</summary>
    private static void RequiredAndOptional(OpenApiSchema schema, IDictionary<string, IOpenApiSchema> properties, System.Text.Json.Serialization.Metadata.JsonTypeInfo info)
    {
        var required = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in info.Properties)
        {
            var optional = property.AssociatedParameter is { HasDefaultValue: true };
            if (optional) continue;
            required.Add(property.Name);
            if (properties.TryGetValue(property.Name, out var s) && s is OpenApiSchema concrete && concrete.Type is { } t && t.HasFlag(JsonSchemaType.Null))
                concrete.Type = t & ~JsonSchemaType.Null;
        }
        schema.Required = required;
    }

    /// <summary>A request field read as text but holding one of an enumeration's names points to that enumeration's
    /// schema, the one the answers use, so a generated client has one type for both.</summary>
    private static void ShareEnumerations(OpenApiDocument document)
    {
        var schemas = document.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>();
        static string Key(IList<JsonNode>? values) => string.Join("|", values?.Select(v => v?.ToJsonString()) ?? []);
        var enums = schemas.Where(s => s.Value is OpenApiSchema { Enum.Count: > 0 }).GroupBy(s => Key(s.Value.Enum)).ToDictionary(g => g.Key, g => g.First().Key);
        foreach (var (name, schema) in schemas)
        {
            if (!name.EndsWith("Body", StringComparison.Ordinal) || schema is not OpenApiSchema { Properties: { } properties }) continue;
            foreach (var field in properties.Keys.ToArray())
            {
                if (properties[field] is not OpenApiSchema property) continue;
                if (property.Enum is { Count: > 0 } && enums.TryGetValue(Key(property.Enum), out var shared))
                    properties[field] = new OpenApiSchemaReference(shared, document);
                else if (property.Items is OpenApiSchema { Enum.Count: > 0 } items && enums.TryGetValue(Key(items.Enum), out var sharedItem))
                    property.Items = new OpenApiSchemaReference(sharedItem, document);
            }
        }
    }

    /// <summary>A nested request object the C# type declares nullable comes out as "null or the object"; where the
    /// field is required (a null is refused as missing), it is the object.</summary>
    private static void RequiredObjectsAreNotNull(OpenApiDocument document)
    {
        foreach (var (name, schema) in document.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>())
        {
            if (!name.EndsWith("Body", StringComparison.Ordinal) || schema is not OpenApiSchema { Properties: { } properties, Required: { } required }) continue;
            foreach (var field in required)
                if (properties.TryGetValue(field, out var p) && p is OpenApiSchema { OneOf: { Count: 2 } choices }
                    && choices.SingleOrDefault(c => c is not OpenApiSchema { Type: JsonSchemaType.Null }) is { } only)
                    properties[field] = only;
        }
    }

    private static string Describe(string status) => status switch
    {
        "200" => "OK",
        "201" => "Created",
        "202" => "Accepted: durably recorded",
        "400" => "The request is not valid (validation-failed)",
        "401" => "No valid bearer token (unauthenticated)",
        "403" => "This caller may not do this: a wrong role, or a right role of the wrong organisation (forbidden)",
        "404" => "No such resource (not-found)",
        "409" => "The state machine or a rule refuses it in the current state (invalid-transition, rule-violation)",
        "413" => "The request body is too large (validation-failed)",
        "415" => "The body is not JSON (validation-failed)",
        "422" => "A rule of the Measures refuses it (rule-violation), or an Idempotency-Key reused with another body",
        "503" => "The platform is busy or not ready; retry after Retry-After (overloaded)",
        _ => "Response",
    };
}
