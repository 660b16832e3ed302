using System.Text.Json.Serialization;
using JinanDataOps.Actors.Entities;
using JinanDataOps.Api.Contracts;
using JinanDataOps.Api.Http;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.Operators;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace JinanDataOps.Api.Endpoints;

/// <summary><paramref name="CreditCode"/> is the unified social credit code (统一社会信用代码, GB 32100-2015: 18 characters, the last a check character).</summary>
public sealed record RegisterOperatorBody(
    string? Name, [property: System.ComponentModel.DataAnnotations.RegularExpression(RegisterOperatorBody.CreditCodePattern)] string? CreditCode, string? LegalRepresentative, string? SecurityContact)
{
    public const string CreditCodePattern = "^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$";
}
/// <summary><c>completedOn</c> is a date, given alone or as an ISO-8601 instant (its date in UTC).</summary>
public sealed record TrainingBody(List<string>? Staff, [property: JsonConverter(typeof(DateOrInstantConverter))] DateOnly? CompletedOn);
public sealed record SecurityReportBody(string? Period, string? Summary);

public static class OperatorsApi
{
    public static IEndpointRouteBuilder MapOperatorsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/operators").RequireAuthorization().WithTags("Operators");

        api.MapPost("/", async (RegisterOperatorBody body, HttpContext http, EntityGateway gw, CancellationToken ct) =>
        {
            var caller = http.Caller();
            var outcome = await gw.Execute<Operator, OperatorState>(caller.Org,
                new RegisterOperator(caller, body.Name ?? "", body.CreditCode ?? "", body.LegalRepresentative ?? "", body.SecurityContact ?? ""), ct);
            return ApiHelpers.Map(outcome, s => TypedResults.Created($"/api/operators/{s.Id}", Views.Operator(s)));
        }).Allows(Act.RegisterOperator).Creates<OperatorView>().WithName("RegisterOperator").WithSummary("An operator registers (credit code per GB 32100-2015; legal representative, Art. 14)");

        api.MapGet("/{id}", async (string id, HttpContext http, EntityGateway gw, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (!caller.May(Act.ReadOperator, new Parties(Operator: id))) return Permissions.Refuse(Act.ReadOperator, caller);
            return await gw.Get<Operator, OperatorState>(id, ct) is { } s ? TypedResults.Ok(Views.Operator(s)) : Problems.NotFound($"operator {id} is not registered");
        }).Allows(Act.ReadOperator).Answers<OperatorView>().WithName("GetOperator").WithSummary("An operator's record: registration, training, security reports, agreements, live requests");

        api.MapPost("/{id}/trainings", async (string id, TrainingBody body, HttpContext http, EntityGateway gw, CancellationToken ct) =>
        {
            if (ApiHelpers.Required(body.CompletedOn, "completedOn") is { } missing) return Problems.From(missing);
            var outcome = await gw.Execute<Operator, OperatorState>(id, new RecordTraining(http.Caller(), body.Staff ?? [], body.CompletedOn!.Value), ct);
            return ApiHelpers.Map(outcome, s => TypedResults.Created($"/api/operators/{s.Id}", Views.TrainingRecorded(s)));
        }).Allows(Act.RecordTraining).Creates<TrainingRecordedView>().WithName("RecordTraining").WithSummary("Pre-job security training of technical staff (Art. 16)");

        api.MapPost("/{id}/security-reports", async (string id, SecurityReportBody body, HttpContext http, EntityGateway gw, CancellationToken ct) =>
        {
            var outcome = await gw.Execute<Operator, OperatorState>(id, new FileSecurityReport(http.Caller(), body.Period ?? "", body.Summary ?? ""), ct);
            return ApiHelpers.Map(outcome, s => TypedResults.Created($"/api/operators/{s.Id}", Views.SecurityReportFiled(s)));
        }).Allows(Act.FileSecurityReport).Creates<SecurityReportFiledView>().WithName("FileSecurityReport").WithSummary("Periodic report on operational security (Art. 16)");

        return app;
    }
}
