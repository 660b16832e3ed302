using JinanDataOps.Actors.Entities;
using JinanDataOps.Actors.Procedures;
using JinanDataOps.Api.Contracts;
using JinanDataOps.Api.Http;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.Evaluations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace JinanDataOps.Api.Endpoints;

/// <summary>An evaluation of <paramref name="OperatorId"/> under its agreement for a period ("2026-H2"), its materials due by
/// <paramref name="MaterialsDue"/>.</summary>
public sealed record OpenEvaluationBody(string? OperatorId, string? AgreementId, string? Period, DateTimeOffset? MaterialsDue);
public sealed record EvaluationMaterialsBody(List<string>? Documents);
/// <summary>A failure (<c>passed: false</c>) states its findings and the rectification deadline (Art. 18).</summary>
public sealed record EvaluationResultBody(bool? Passed, List<string>? Findings = null, DateTimeOffset? RectificationDeadline = null);

/// <summary>Evaluation of authorized operation (Art. 17–18): opened by the authority of an agreement, materials by the operator
/// (which may not refuse or obstruct it), the result by the authority; a failure notifies the authorizing unit.</summary>
public static class EvaluationsApi
{
    public static IEndpointRouteBuilder MapEvaluationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/evaluations").RequireAuthorization().WithTags("Evaluations");

        api.MapGet("/", async (string? operatorId, [OneOf(typeof(EvaluationStatus))] string? state, HttpContext http, Records records, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (caller.Role == Role.Operator && operatorId is not null && operatorId != caller.Org)
                return Permissions.Refuse(Act.ReadEvaluation, caller);
            var wanted = EvaluationStatus.None;
            if (state is not null && (!Kebab.TryParse(state, out wanted) || wanted == EvaluationStatus.None))
                return Problems.Validation("'state' is one of opened, materials-submitted, passed, failed.");
            // The read policy filters the list: an operator its own, an authority those under its agreements, a provider those
            // of the agreements it authorized.
            return TypedResults.Ok((await records.Evaluations(ct))
                .Where(v => caller.May(Act.ReadEvaluation, v.Parties))
                .Where(v => operatorId is null || v.OperatorId == operatorId)
                .Where(v => state is null || v.State == wanted)
                .Select(Views.Evaluation));
        }).Allows(Act.ListEvaluations).Answers<EvaluationView[]>().WithName("Evaluations")
            .WithSummary("Evaluations: an operator its own, an authority those under its agreements, an authorizing unit those of its agreements, regulators all (Art. 17)");

        api.MapGet("/{id}", async (string id, HttpContext http, EntityGateway gw, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (await gw.Get<Evaluation, EvaluationState>(id, ct) is not { } s) return Problems.NotFound($"evaluation {id} does not exist");
            return caller.May(Act.ReadEvaluation, s.Parties) ? TypedResults.Ok(Views.Evaluation(s)) : Permissions.Refuse(Act.ReadEvaluation, caller);
        }).Allows(Act.ReadEvaluation).Answers<EvaluationView>().WithName("GetEvaluation").WithSummary("An evaluation with its materials, findings and how the agreement came out (Art. 17–18)");

        api.MapPost("/", async (OpenEvaluationBody body, HttpContext http, ProcedureService procedure, CancellationToken ct) =>
        {
            var caller = http.Caller();
            // Art. 17: an evaluation is of an operator under its agreement, with a deadline for its materials.
            if (string.IsNullOrWhiteSpace(body.AgreementId)) return Problems.Validation("'agreementId' is required: an operator is evaluated under its agreement.");
            if (body.MaterialsDue is null) return Problems.Validation("'materialsDue' is required (Art. 17: the deadline for the operator's materials).");
            var id = Ids.New("eval", caller.Org, "evaluations", http.IdempotencyKey());
            var outcome = await procedure.OpenEvaluation(caller, id, body.OperatorId ?? "", body.AgreementId, body.Period ?? "", body.MaterialsDue.Value, ct);
            return ApiHelpers.Map(outcome, s => TypedResults.Created($"/api/evaluations/{s.Id}", Views.Evaluation(s)));
        }).Allows(Act.OpenEvaluation).Creates<EvaluationView>().WithName("OpenEvaluation").WithSummary("Open an evaluation of an operator under a running agreement (Art. 17)");

        api.MapPost("/{id}/materials", async (string id, EvaluationMaterialsBody body, HttpContext http, EntityGateway gw, CancellationToken ct) =>
        {
            var outcome = await gw.Execute<Evaluation, EvaluationState>(id, new SubmitEvaluationMaterials(http.Caller(), body.Documents ?? []), ct);
            return ApiHelpers.Map(outcome, s => TypedResults.Ok(Views.Evaluation(s)));
        }).Allows(Act.SubmitEvaluationMaterials).Answers<EvaluationView>().WithName("SubmitEvaluationMaterials")
            .WithSummary("The operator submits its materials before the deadline; it may not refuse or obstruct the evaluation (Art. 17)");

        api.MapPost("/{id}/result", async (string id, EvaluationResultBody body, HttpContext http, EntityGateway gw, CancellationToken ct) =>
        {
            if (body.Passed is not { } passed) return Problems.Validation("'passed' is required.");
            var outcome = await gw.Execute<Evaluation, EvaluationState>(id, new RecordEvaluationResult(http.Caller(), passed, body.Findings ?? [], body.RectificationDeadline), ct);
            return ApiHelpers.Map(outcome, s => TypedResults.Ok(Views.Evaluation(s)));
        }).Allows(Act.RecordEvaluationResult).Answers<EvaluationView>().WithName("RecordEvaluationResult")
            .WithSummary("The authority records the result; a failure states findings and a rectification deadline and notifies the authorizing unit (Art. 18)");

        return app;
    }
}
