using JinanDataOps.Actors.Entities;
using JinanDataOps.Api.Contracts;
using JinanDataOps.Api.Http;
using JinanDataOps.Domain.Applications;
using JinanDataOps.Domain.Calls;
using JinanDataOps.Domain.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace JinanDataOps.Api.Endpoints;

public sealed record ReviewBody(Dictionary<string, decimal>? Scores);
public sealed record ResolveObjectionBody(bool? Upheld);

public static class ApplicationsApi
{
    public static IEndpointRouteBuilder MapApplicationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization().WithTags("Applications");

        api.MapGet("/applications/{id}", async (string id, HttpContext http, EntityGateway gw, CancellationToken ct) =>
        {
            if (await gw.Get<Application, ApplicationState>(id, ct) is not { } s) return Problems.NotFound($"application {id} does not exist");
            return TypedResults.Ok(Views.Application(s, SeesMaterials(http.Caller(), s)));
        }).Allows(Act.ReadApplication).Answers<ApplicationView>().WithName("GetApplication").WithSummary("An application: state and score for all; materials and score sheets for the applicant and the reviewing side");

        api.MapPost("/applications/{id}/reviews", async (string id, ReviewBody body, HttpContext http, EntityGateway gw, CancellationToken ct) =>
        {
            if (body.Scores is null) return Problems.Validation("'scores' is required: {criterion: 0..100}.");
            var outcome = await gw.Execute<Application, ApplicationState>(id, new ReviewApplication(http.Caller(), body.Scores), ct);
            return ApiHelpers.Map(outcome, s => TypedResults.Created($"/api/applications/{s.Id}", Views.Application(s, full: true)));
        }).Allows(Act.ReviewApplication).Creates<ApplicationView>().WithName("ReviewApplication").WithSummary("A third-party expert scores each criterion 0–100 (Art. 8(3))");

        api.MapPost("/applications/{id}/conflict-declarations", async (string id, ReasonBody body, HttpContext http, EntityGateway gw, CancellationToken ct) =>
            ApiHelpers.Map(await gw.Execute<Application, ApplicationState>(id, new DeclareConflict(http.Caller(), body.Reason ?? ""), ct),
                s => TypedResults.Created($"/api/applications/{s.Id}", new ConflictDeclaredView(s.Id, s.State))))
            .Allows(Act.DeclareConflict).Creates<ConflictDeclaredView>().WithName("DeclareConflict").WithSummary("An expert declares a conflict of interest and will not score");

        api.MapPost("/applications/{id}/objections", async (string id, ReasonBody body, HttpContext http, EntityGateway gw, CancellationToken ct) =>
        {
            var caller = http.Caller();
            var key = http.IdempotencyKey();
            var outcome = await gw.Execute<Application, ApplicationState>(id, new FileObjection(caller, body.Reason ?? "", key), ct);
            return ApiHelpers.Map(outcome, s =>
            {
                var filed = key is null ? s.Objections[^1] : s.Objections.Last(o => o.Key == key && o.FiledBy == caller);
                return TypedResults.Created($"/api/objections/{filed.Id}", new ObjectionFiledView(filed.Id, s.Id, filed.State));
            });
        }).Allows(Act.FileObjection).Creates<ObjectionFiledView>().WithName("FileObjection").WithSummary("Anyone may object during the public notice (Art. 8(3))");

        api.MapPost("/objections/{id}/resolve", async (string id, ResolveObjectionBody body, HttpContext http, EntityGateway gw, CancellationToken ct) =>
        {
            if (body.Upheld is null) return Problems.Validation("'upheld' is required (true or false).");
            if (!ApplicationState.TryParseObjectionId(id, out var applicationId)) return Problems.NotFound($"objection {id} does not exist");
            var outcome = await gw.Execute<Application, ApplicationState>(applicationId, new ResolveObjection(http.Caller(), id, body.Upheld.Value), ct);
            return ApiHelpers.Map(outcome, s => TypedResults.Ok(new ObjectionResolvedView(id, s.Id, s.Objections.First(o => o.Id == id).State, s.State)));
        }).Allows(Act.ResolveObjection).Answers<ObjectionResolvedView>().WithName("ResolveObjection").WithSummary("The authority that runs the call upholds (rejects the application) or dismisses an objection (Art. 8(3))");

        return app;
    }

    /// <summary>Application materials and score sheets are for the applicant and the reviewing side.</summary>
    private static bool SeesMaterials(Caller caller, ApplicationState s) => caller.May(Act.ReadApplicationMaterials, Application.PartiesOf(s));
}
