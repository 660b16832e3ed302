using System.Text.Json.Nodes;
using JinanDataOps.Domain.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace JinanDataOps.Api.Http;

/// <summary>The act of <see cref="Policy"/> an endpoint performs.</summary>
public sealed record PolicyMetadata(Act Act);

/// <summary>Ties every endpoint to its row of <see cref="Policy"/>: a caller whose role has no grant for the
/// act is refused before any entity is asked; the organisation relation is checked where the facts live
/// (the deciders for commands, <see cref="May"/> for reads). The OpenAPI document names the act and who may
/// (<c>x-policy</c>), which is what the role × organisation matrix test reads.</summary>
public static class Permissions
{
    public const string Extension = "x-policy";

    public static RouteHandlerBuilder Allows(this RouteHandlerBuilder endpoint, Act act)
    {
        var row = Policy.Table[act];
        return endpoint
            .WithMetadata(new PolicyMetadata(act))
            .WithProblems(row.Mutates)
            .AddEndpointFilter(async (context, next) =>
            {
                var caller = context.HttpContext.Caller();
                if (!Policy.RoleMay(act, caller.Role))
                    return Problems.From(Rejection.Forbidden($"a {Kebab.Of(caller.Role)} may not do this: {row.Who}", row.Article));
                return await next(context);
            });
    }

    /// <summary>The read policy: whether the caller may see a resource with these parties.</summary>
    public static bool May(this Caller caller, Act act, Parties parties) => Policy.Allows(act, caller, parties);

    /// <summary>The 403 of a read the caller may not make.</summary>
    public static IResult Refuse(Act act, Caller caller) => Problems.From(Policy.Authorize(act, caller, Parties.None)!);

    /// <summary>Writes the act, its article and its grants into each operation, and says who may in words.</summary>
    public static OpenApiOptions AddPolicyDocumentation(this OpenApiOptions options) => options.AddOperationTransformer((operation, context, _) =>
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<PolicyMetadata>().LastOrDefault() is not { } meta) return Task.CompletedTask;
        var row = Policy.Table[meta.Act];
        var grants = new JsonArray(row.Grants.Where(g => g.Role != Role.Platform)
            .Select(g => (JsonNode)new JsonObject { ["role"] = Kebab.Of(g.Role), ["relation"] = Kebab.Of(g.Relation) }).ToArray());
        operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        operation.Extensions[Extension] = new JsonNodeExtension(new JsonObject
        {
            ["act"] = Kebab.Of(meta.Act),
            ["article"] = row.Article,
            ["mutates"] = row.Mutates,
            ["grants"] = grants,
        });
        var who = $"Who may ({row.Article}): {row.Who}.";
        operation.Description = string.IsNullOrEmpty(operation.Description) ? who : $"{operation.Description}\n\n{who}";
        return Task.CompletedTask;
    });
}
