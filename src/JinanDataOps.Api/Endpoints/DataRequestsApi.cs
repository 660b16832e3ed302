using JinanDataOps.Actors.Procedures;
using JinanDataOps.Actors.Entities;
using JinanDataOps.Api.Contracts;
using JinanDataOps.Api.Http;
using JinanDataOps.Domain.Agreements;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.DataRequests;
using JinanDataOps.Domain.Datasets;
using JinanDataOps.Domain.Operators;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace JinanDataOps.Api.Endpoints;

/// <summary><paramref name="ConsentEvidence"/> records the data subjects' consent, needed when a dataset has sensitive fields (Art. 6).</summary>
public sealed record DataRequestBody(string? AgreementId, string? Scenario, List<string>? Datasets, string? Purpose, string? ConsentEvidence = null);

public static class DataRequestsApi
{
    public static IEndpointRouteBuilder MapDataRequestsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/data-requests").RequireAuthorization().WithTags("Data requests");

        api.MapPost("/", async (DataRequestBody body, HttpContext http, ProcedureService procedure, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (string.IsNullOrWhiteSpace(body.AgreementId)) return Problems.Validation("'agreementId' is required.");
            var datasets = body.Datasets ?? [];
            if (Check.List(datasets, "datasets", maxItemLength: 64) is { } badList) return Problems.From(badList);
            var requestId = Ids.New("req", caller.Org, "data-requests", http.IdempotencyKey());
            var input = new DataRequestInput(body.AgreementId, body.Scenario ?? "", datasets, body.Purpose ?? "",
                string.IsNullOrWhiteSpace(body.ConsentEvidence) ? null : body.ConsentEvidence);
            return await procedure.SubmitDataRequest(caller, requestId, input, repeat: http.IdempotencyKey() is not null, ct) is { } outcome
                ? ApiHelpers.Map(outcome, s => TypedResults.Created($"/api/data-requests/{s.Id}", Views.DataRequest(s)))
                : Problems.Overloaded(http, $"data request {requestId} is opened and still being created; retry shortly");
        }).Allows(Act.SubmitDataRequest).Creates<DataRequestView>().WithName("SubmitDataRequest").WithSummary("One request per application scenario (Art. 13), under an active agreement, within its scope");

        api.MapGet("/{id}", async (string id, HttpContext http, EntityGateway gw, CancellationToken ct) =>
        {
            if (await gw.Get<DataRequest, DataRequestState>(id, ct) is not { } s) return Problems.NotFound($"data request {id} does not exist");
            var caller = http.Caller();
            return caller.May(Act.ReadDataRequest, s.Parties) ? TypedResults.Ok(Views.DataRequest(s)) : Permissions.Refuse(Act.ReadDataRequest, caller);
        }).Allows(Act.ReadDataRequest).Answers<DataRequestView>().WithName("GetDataRequest").WithSummary("A data request with its approvals (Art. 12)");

        api.MapPost("/{id}/approve", async (string id, HttpContext http, EntityGateway gw, CancellationToken ct) =>
            ApiHelpers.Map(await gw.Execute<DataRequest, DataRequestState>(id, new ApproveDataRequest(http.Caller()), ct), s => TypedResults.Ok(Views.DataRequest(s))))
            .Allows(Act.ApproveDataRequest).Answers<DataRequestView>().WithName("ApproveDataRequest").WithSummary("Consent of the authority and of every owning provider, in any order (Art. 12)");

        api.MapPost("/{id}/reject", async (string id, ReasonBody body, HttpContext http, EntityGateway gw, CancellationToken ct) =>
            ApiHelpers.Map(await gw.Execute<DataRequest, DataRequestState>(id, new RejectDataRequest(http.Caller(), body.Reason ?? ""), ct), s => TypedResults.Ok(Views.DataRequest(s))))
            .Allows(Act.RejectDataRequest).Answers<DataRequestView>().WithName("RejectDataRequest").WithSummary("The agreement's authority or an owning provider refuses consent: one refusal rejects the request (Art. 12)");

        api.MapPost("/{id}/close", async (string id, HttpContext http, EntityGateway gw, CancellationToken ct) =>
            ApiHelpers.Map(await gw.Execute<DataRequest, DataRequestState>(id, new CloseDataRequest(http.Caller()), ct), s => TypedResults.Ok(Views.DataRequest(s))))
            .Allows(Act.CloseDataRequest).Answers<DataRequestView>().WithName("CloseDataRequest").WithSummary("The operator closes its own request: the scenario is free again (Art. 13)");

        api.MapPost("/{id}/reinstate", async (string id, HttpContext http, ProcedureService procedure, CancellationToken ct) =>
            ApiHelpers.Map(await procedure.ReinstateDataRequest(http.Caller(), id, ct), s => TypedResults.Ok(Views.DataRequest(s))))
            .Allows(Act.ReinstateDataRequest).Answers<DataRequestView>().WithName("ReinstateDataRequest")
            .WithSummary("The authorizing unit reinstates a request suspended for its own violation, once its incident is closed (Art. 15, 18)");

        api.MapPost("/{id}/revoke", async (string id, ReasonBody body, HttpContext http, ProcedureService procedure, CancellationToken ct) =>
            ApiHelpers.Map(await procedure.RevokeDataRequest(http.Caller(), id, body.Reason ?? "", ct), s => TypedResults.Ok(Views.DataRequest(s))))
            .Allows(Act.RevokeDataRequest).Answers<DataRequestView>().WithName("RevokeDataRequest")
            .WithSummary("The authorizing unit revokes a request suspended for its own violation (Art. 18)");

        return app;
    }
}
