using System.Text.Json;
using JinanDataOps.Actors.Procedures;
using JinanDataOps.Actors.Entities;
using JinanDataOps.Actors.Hosting;
using JinanDataOps.Actors.ReadModels;
using JinanDataOps.Api.Contracts;
using JinanDataOps.Api.Http;
using JinanDataOps.Domain.Applications;
using JinanDataOps.Domain.Calls;
using Scope = JinanDataOps.Domain.Calls.Scope;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.Datasets;
using JinanDataOps.Domain.Operators;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace JinanDataOps.Api.Endpoints;

/// <summary>Domains and datasets; either list may be left out (a scope of named datasets only, or of whole domains).</summary>
public sealed record ScopeBody([property: OneOf(typeof(DataDomain))] List<string>? Domains = null, List<string>? Datasets = null)
{
    /// <summary>The scope, or null with a 400 problem for an unknown domain or a bad dataset list.</summary>
    public Scope? ToScope(string field, out IResult? problem)
    {
        problem = null;
        var domains = new List<DataDomain>();
        foreach (var d in Domains ?? [])
        {
            if (!Kebab.TryParse<DataDomain>(d, out var domain))
            {
                problem = Problems.Validation($"'{field}.domains' has '{d}'; domains are: {Kebab.Names<DataDomain>()}.");
                return null;
            }
            domains.Add(domain);
        }
        var datasets = Datasets ?? [];
        if (Check.List(datasets, $"{field}.datasets", required: false, maxItemLength: 64) is { } bad)
        {
            problem = Problems.From(bad);
            return null;
        }
        return new Scope(domains, datasets);
    }
}
public sealed record CriterionBody(string? Name, [property: System.ComponentModel.DataAnnotations.Range(0.01, 1000)] decimal? Weight);
/// <summary><paramref name="ProviderId"/> names the provider of a domain call only (Art. 7); <paramref name="NoticePeriod"/> is an
/// ISO-8601 duration (P5D, PT2S).</summary>
public sealed record CreateCallBody(
    [property: OneOf(typeof(AuthorizationMode))] string? Mode, string? Title, ScopeBody? Scope,
    List<CriterionBody>? Criteria, [property: System.ComponentModel.DataAnnotations.Range(0, 100)] decimal? PassScore, DateTimeOffset? OpensAt, DateTimeOffset? ClosesAt,
    [property: System.ComponentModel.DataAnnotations.RegularExpression(ApiHelpers.DurationPattern)] string? NoticePeriod,
    string? ProviderId = null, List<string>? Conditions = null);
public sealed record ApplyBody(JsonElement? Materials);
public sealed record ReasonBody(string? Reason);

/// <summary>Platform facts from configuration: which organisations maintain the platform (Art. 11).</summary>
public sealed record PlatformFacts(IReadOnlyList<string> MaintainerOrgs);

public static class CallsApi
{
    public static IEndpointRouteBuilder MapCallsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/calls").RequireAuthorization().WithTags("Calls");

        api.MapPost("/", async (CreateCallBody body, HttpContext http, EntityGateway gw, CancellationToken ct) =>
        {
            var caller = http.Caller();
            var terms = ParseTerms(body, out var problem);
            if (problem is not null || terms is null) return problem!;
            var id = Ids.New("call", caller.Org, "calls", http.IdempotencyKey());
            var outcome = await gw.Execute<Call, CallState>(id, new CreateCall(caller, terms), ct);
            return ApiHelpers.Map(outcome, s => TypedResults.Created($"/api/calls/{s.Id}", Views.Call(s)));
        }).Allows(Act.CreateCall).Creates<CallView>().WithName("CreateCall").WithSummary("The authority drafts a call for applications (Art. 8(1))");

        api.MapPost("/{id}/publish", async (string id, HttpContext http, EntityGateway gw, CancellationToken ct) =>
            ApiHelpers.Map(await gw.Execute<Call, CallState>(id, new PublishCall(http.Caller()), ct), s => TypedResults.Ok(Views.Call(s))))
            .Allows(Act.PublishCall).Answers<CallView>().WithName("PublishCall").WithSummary("The authority that drafted the call publishes it: the application window opens (Art. 8(1))");

        api.MapPost("/{id}/cancel", async (string id, ReasonBody body, HttpContext http, EntityGateway gw, CancellationToken ct) =>
            ApiHelpers.Map(await gw.Execute<Call, CallState>(id, new CancelCall(http.Caller(), body.Reason ?? ""), ct), s => TypedResults.Ok(Views.Call(s))))
            .Allows(Act.CancelCall).Answers<CallView>().WithName("CancelCall").WithSummary("The authority that drafted the call cancels it while draft or open, with a reason");

        api.MapGet("/", async (Records records, CancellationToken ct) =>
            TypedResults.Ok((await records.Calls(ct)).Where(c => c.Terms is not null).Select(Views.Call))).Allows(Act.ReadCalls).Answers<CallView[]>().WithName("ListCalls").WithSummary("Calls for applications, newest first (public, Art. 8(1))");

        api.MapGet("/{id}", async (string id, EntityGateway gw, CancellationToken ct) =>
            await gw.Get<Call, CallState>(id, ct) is { } s ? TypedResults.Ok(Views.Call(s)) : Problems.NotFound($"call {id} does not exist"))
            .Allows(Act.ReadCalls).Answers<CallView>().WithName("GetCall").WithSummary("A call for applications with its terms and applications");

        api.MapPost("/{id}/applications", async (string id, ApplyBody body, HttpContext http, ProcedureService procedure, PlatformFacts facts, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (body.Materials is not { ValueKind: JsonValueKind.Object } materials) return Problems.Validation("'materials' must be a JSON object.");
            var affiliated = Affiliates(materials, out var affiliatesProblem);
            if (affiliatesProblem is not null) return affiliatesProblem;
            var applicationId = Ids.New("app", caller.Org, $"calls/{id}/applications", http.IdempotencyKey());
            return await procedure.Apply(caller, id, applicationId, materials.GetRawText(), affiliated, facts.MaintainerOrgs, ct) is { } outcome
                ? ApiHelpers.Map(outcome, s => TypedResults.Created($"/api/applications/{s.Id}", Views.ApplicationSubmitted(s)))
                : Problems.Overloaded(http, $"application {applicationId} is accepted and still being created; retry shortly");
        }).Allows(Act.Apply).Creates<ApplicationSubmittedView>().WithName("Apply").WithSummary("An operator applies within the window (Art. 8(2)); the platform maintainer may not (Art. 11)");

        api.MapPost("/{id}/shortlist", async (string id, HttpContext http, ProcedureService procedure, CancellationToken ct) =>
            ApiHelpers.Map(await procedure.PublishShortlist(http.Caller(), id, ct), o => TypedResults.Ok(new ShortlistView(o.Call.Id, o.Call.State, o.Call.NoticeEndsAt,
                o.Applications.Select(a => new ShortlistEntryView(a.Id, a.OperatorId, a.State, a.Score)).ToArray())))
            ).Allows(Act.PublishShortlist).Answers<ShortlistView>().WithName("PublishShortlist").WithSummary("Publish the shortlist and start the public notice (Art. 8(3))");

        return app;
    }

    private static IReadOnlyList<string> Affiliates(JsonElement materials, out IResult? problem)
    {
        problem = null;
        if (!materials.TryGetProperty("affiliatedOrgs", out var orgs)) return [];
        if (orgs.ValueKind != JsonValueKind.Array || orgs.EnumerateArray().Any(o => o.ValueKind != JsonValueKind.String))
        {
            problem = Problems.Validation("'materials.affiliatedOrgs' must be a list of organisation ids.");
            return [];
        }
        return orgs.EnumerateArray().Select(o => o.GetString()!).Distinct().ToArray();
    }

    private static CallTerms? ParseTerms(CreateCallBody b, out IResult? problem)
    {
        problem = null;
        if (!Kebab.TryParse<AuthorizationMode>(b.Mode, out var mode)) { problem = Problems.Validation($"'mode' must be one of: {Kebab.Names<AuthorizationMode>()}."); return null; }
        if (b.Scope is null) { problem = Problems.Validation("'scope' is required."); return null; }
        if (b.Scope.ToScope("scope", out problem) is not { } scope) return null;
        if (b.Criteria is null || b.Criteria.Any(c => c is null || c.Weight is null)) { problem = Problems.Validation("'criteria' must be a list of {name, weight}."); return null; }
        if (b.PassScore is null) { problem = Problems.Validation("'passScore' is required."); return null; }
        if (b.OpensAt is null || b.ClosesAt is null) { problem = Problems.Validation("'opensAt' and 'closesAt' are required."); return null; }
        if (!ApiHelpers.TryDuration(b.NoticePeriod, out var notice)) { problem = Problems.Validation("'noticePeriod' must be an ISO-8601 duration such as P5D or PT2S."); return null; }
        var terms = new CallTerms(mode, b.Title ?? "", string.IsNullOrWhiteSpace(b.ProviderId) ? null : b.ProviderId,
            scope, b.Conditions ?? [],
            b.Criteria.Select(c => new Criterion(c.Name ?? "", c.Weight!.Value)).ToArray(),
            b.PassScore.Value, b.OpensAt.Value, b.ClosesAt.Value, notice);
        if (Call.ValidateTerms(terms) is { } invalid) { problem = Problems.From(invalid); return null; }
        return terms;
    }
}
