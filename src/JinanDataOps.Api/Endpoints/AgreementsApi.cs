using JinanDataOps.Actors.Entities;
using JinanDataOps.Actors.Procedures;
using JinanDataOps.Api.Contracts;
using JinanDataOps.Api.Http;
using JinanDataOps.Domain.Agreements;
using JinanDataOps.Domain.Applications;
using JinanDataOps.Domain.Calls;
using Scope = JinanDataOps.Domain.Calls.Scope;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.Datasets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace JinanDataOps.Api.Endpoints;

public sealed record DraftAgreementBody(
    string? ApplicationId, ScopeBody? Scope, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, string? RightsAndObligations,
    string? SecurityRequirements, string? ExitConditions, string? BreachLiability, string? AssetDisposal);
public sealed record RectificationBody(List<string>? Items, DateTimeOffset? Deadline);
public sealed record SuspendBody(string? Reason, RectificationBody? Rectification);
public sealed record SummaryBody(string? Summary);
public sealed record DisposalBody(string? Record);

public static class AgreementsApi
{
    public static IEndpointRouteBuilder MapAgreementsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization().WithTags("Agreements");

        api.MapGet("/agreement-template", () => TypedResults.Ok(AgreementTemplate.Model))
            .Allows(Act.ReadAgreementTemplate).Answers<AgreementTemplateView>().WithName("AgreementTemplate").WithSummary("The model text (示范文本) with every Art. 9 clause");

        api.MapPost("/agreements", async (DraftAgreementBody body, HttpContext http, ProcedureService procedure, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(body.ApplicationId)) return Problems.Validation("'applicationId' is required.");
            if (body.StartsAt is null || body.EndsAt is null) return Problems.Validation("'startsAt' and 'endsAt' are required (Art. 9: term).");
            if (body.Scope is null) return Problems.Validation("'scope' is required (Art. 9: scope).");
            if (body.Scope.ToScope("scope", out var problem) is not { } scope) return problem!;
            var clauses = new AgreementClauses(body.RightsAndObligations ?? "", body.SecurityRequirements ?? "", body.ExitConditions ?? "", body.BreachLiability ?? "", body.AssetDisposal ?? "");
            var outcome = await procedure.DraftAgreement(http.Caller(), new AgreementDraftInput(body.ApplicationId, scope, body.StartsAt.Value, body.EndsAt.Value, clauses), ct);
            return ApiHelpers.Map(outcome, s => TypedResults.Created($"/api/agreements/{s.Id}", Views.Agreement(s)));
        }).Allows(Act.DraftAgreement).Creates<AgreementView>().WithName("DraftAgreement").WithSummary("The authorizing unit drafts the agreement from a confirmed application (Art. 8(4), 9)");

        api.MapGet("/agreements/{id}", async (string id, HttpContext http, EntityGateway gw, CancellationToken ct) =>
        {
            if (await gw.Get<Agreement, AgreementState>(id, ct) is not { } s) return Problems.NotFound($"agreement {id} does not exist");
            var caller = http.Caller();
            return caller.May(Act.ReadAgreement, s.Parties) ? TypedResults.Ok(Views.Agreement(s)) : Permissions.Refuse(Act.ReadAgreement, caller);
        }).Allows(Act.ReadAgreement).Answers<AgreementView>().WithName("GetAgreement").WithSummary("An agreement with every Art. 9 clause, its signatures and any rectification order");

        api.MapGet("/agreements/{id}/log", async (string id, HttpContext http, EntityGateway gw, Records records, CancellationToken ct) =>
        {
            if (await gw.Get<Agreement, AgreementState>(id, ct) is not { } s) return Problems.NotFound($"agreement {id} does not exist");
            var caller = http.Caller();
            if (!caller.May(Act.ReadAgreement, s.Parties)) return Permissions.Refuse(Act.ReadAgreement, caller);
            // Art. 8(5): the work log is kept, also after the end.
            var entries = (await records.WorkLog(Agreement.Kind, id)).Select(e => WorkLog.Entry(e.Sequence, e.Event)).ToArray();
            return TypedResults.Ok(new WorkLogView(id, entries));
        }).Allows(Act.ReadAgreement).Answers<WorkLogView>().WithName("AgreementLog").WithSummary("The work log: every event, who, role, when, why (Art. 8(5))");

        api.MapPost("/agreements/{id}/sign", (string id, HttpContext http, EntityGateway gw, CancellationToken ct) =>
            Run(id, new SignAgreement(http.Caller()), gw, ct)).Allows(Act.SignAgreement).Answers<AgreementView>().WithName("SignAgreement").WithSummary("The operator and the authorizing unit sign; active once both signed and the term started (Art. 8(4))");

        api.MapPost("/agreements/{id}/suspend", (string id, SuspendBody body, HttpContext http, EntityGateway gw, CancellationToken ct) =>
        {
            if (body.Rectification?.Deadline is null) return Task.FromResult(Problems.Validation("'rectification' with 'items' and 'deadline' is required (Art. 18)."));
            return Run(id, new SuspendAgreement(http.Caller(), body.Reason ?? "", body.Rectification.Items ?? [], body.Rectification.Deadline.Value), gw, ct);
        }).Allows(Act.SuspendAgreement).Answers<AgreementView>().WithName("SuspendAgreement").WithSummary("Suspend with a rectification order: content and deadline (Art. 18)");

        api.MapPost("/agreements/{id}/rectification-reports", (string id, SummaryBody body, HttpContext http, EntityGateway gw, CancellationToken ct) =>
            Run(id, new SubmitRectificationReport(http.Caller(), body.Summary ?? ""), gw, ct, created: true)).Allows(Act.ReportRectification).Creates<AgreementView>().WithName("ReportRectification").WithSummary("The operator reports its rectification of a suspended agreement (Art. 18)");

        api.MapPost("/agreements/{id}/restore", (string id, HttpContext http, EntityGateway gw, CancellationToken ct) =>
            Run(id, new RestoreAgreement(http.Caller()), gw, ct)).Allows(Act.RestoreAgreement).Answers<AgreementView>().WithName("RestoreAgreement").WithSummary("The authorizing unit accepts the rectification: data-use rights return (Art. 18)");

        api.MapPost("/agreements/{id}/terminate", (string id, ReasonBody body, HttpContext http, EntityGateway gw, CancellationToken ct) =>
            Run(id, new TerminateAgreement(http.Caller(), body.Reason ?? ""), gw, ct)).Allows(Act.TerminateAgreement).Answers<AgreementView>().WithName("TerminateAgreement").WithSummary("The authorizing unit terminates the agreement for an exit condition (Art. 18)");

        api.MapPost("/agreements/{id}/asset-disposal", (string id, DisposalBody body, HttpContext http, EntityGateway gw, CancellationToken ct) =>
            Run(id, new RecordAssetDisposal(http.Caller(), body.Record ?? ""), gw, ct)).Allows(Act.RecordAssetDisposal).Answers<AgreementView>().WithName("RecordAssetDisposal").WithSummary("The authorizing unit records the disposal of assets after expiry or termination: closed (Art. 9)");

        return app;
    }

    private static async Task<IResult> Run(string id, IAgreementCommand command, EntityGateway gw, CancellationToken ct, bool created = false) =>
        ApiHelpers.Map(await gw.Execute<Agreement, AgreementState>(id, command, ct),
            s => created ? TypedResults.Created($"/api/agreements/{s.Id}", Views.Agreement(s)) : TypedResults.Ok(Views.Agreement(s)));
}

/// <summary>One line of the work log.</summary>
public static class WorkLog
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>The details are the event as it was recorded, written by its runtime type in full.</summary>
    public static WorkLogEntryView Entry(long sequence, IDomainEvent e) => new(
        sequence, Kebab.Of(e.GetType().Name), e.By.Org, e.By.Role, e.At, (e as IHasReason)?.Reason,
        System.Text.Json.JsonSerializer.SerializeToElement(e, e.GetType(), Json));
}
