using JinanDataOps.Actors.Entities;
using JinanDataOps.Actors.Procedures;
using JinanDataOps.Actors.Hosting;
using JinanDataOps.Actors.ReadModels;
using JinanDataOps.Api.Contracts;
using JinanDataOps.Api.Http;
using JinanDataOps.Domain.Agreements;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.Incidents;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace JinanDataOps.Api.Endpoints;

/// <summary>An incident by hand names the agreement concerned; <paramref name="OperatorId"/>, when given, must be its operator.</summary>
public sealed record IncidentBody(string? AgreementId, string? Summary, string? OperatorId = null, string? DataRequestId = null);
public sealed record MeasureBody(string? Description);
public sealed record CloseIncidentBody(string? Report);

/// <summary>Security incidents and the emergency response (Art. 15): opened by monitoring on a critical
/// alert or by hand, measures recorded, closed with a report.</summary>
public static class IncidentsApi
{
    public static IEndpointRouteBuilder MapIncidentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/incidents").RequireAuthorization().WithTags("Incidents");

        api.MapGet("/", async (string? operatorId, [OneOf(typeof(IncidentStatus))] string? state, HttpContext http, Records records, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (caller.Role == Role.Operator && operatorId is not null && operatorId != caller.Org)
                return Permissions.Refuse(Act.ReadIncident, caller);
            if (state is not null && !Kebab.TryParse<IncidentStatus>(state, out _)) return Problems.Validation("'state' is one of opened, emergency-response, closed.");
            // The read policy filters the list: an operator its own, an authority those under its agreements.
            return TypedResults.Ok((await records.Incidents(ct))
                .Where(i => caller.May(Act.ReadIncident, i.Parties))
                .Where(i => operatorId is null || i.OperatorId == operatorId)
                .Where(i => state is null || Kebab.Of(i.State) == state)
                .Select(Views.Incident));
        }).Allows(Act.ListIncidents).Answers<IncidentView[]>().WithName("Incidents").WithSummary("Security incidents: an operator its own, an authority those under its agreements, regulators and maintainers all (Art. 15)");

        api.MapGet("/{id}", async (string id, HttpContext http, EntityGateway gw, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (await gw.Get<Incident, IncidentState>(id, ct) is not { } s) return Problems.NotFound($"incident {id} does not exist");
            return caller.May(Act.ReadIncident, s.Parties) ? TypedResults.Ok(Views.Incident(s)) : Permissions.Refuse(Act.ReadIncident, caller);
        }).Allows(Act.ReadIncident).Answers<IncidentView>().WithName("GetIncident").WithSummary("A security incident with its evidence and the emergency measures (Art. 15)");

        api.MapPost("/", async (IncidentBody body, HttpContext http, ProcedureService procedure, CancellationToken ct) =>
        {
            var caller = http.Caller();
            // Art. 15: an incident by hand concerns an agreement; its authority responds to it.
            if (string.IsNullOrWhiteSpace(body.AgreementId)) return Problems.Validation("'agreementId' is required: an incident is opened under the agreement concerned.");
            var id = Ids.New("inc", caller.Org, "incidents", http.IdempotencyKey());
            var outcome = await procedure.OpenIncident(caller, id, body.AgreementId, body.OperatorId, body.DataRequestId, body.Summary ?? "", ct);
            return ApiHelpers.Map(outcome, s => TypedResults.Created($"/api/incidents/{s.Id}", Views.Incident(s)));
        }).Allows(Act.OpenIncident).Creates<IncidentView>().WithName("OpenIncident").WithSummary("Open a security incident by hand (Art. 15)");

        api.MapPost("/{id}/measures", async (string id, MeasureBody body, HttpContext http, EntityGateway gw, CancellationToken ct) =>
        {
            var outcome = await gw.Execute<Incident, IncidentState>(id, new RecordMeasure(http.Caller(), body.Description ?? ""), ct);
            return ApiHelpers.Map(outcome, s => TypedResults.Created($"/api/incidents/{s.Id}", Views.Incident(s)));
        }).Allows(Act.RecordMeasure).Creates<IncidentView>().WithName("RecordMeasure").WithSummary("Record an emergency measure; the first starts the emergency response (Art. 15)");

        api.MapPost("/{id}/close", async (string id, CloseIncidentBody body, HttpContext http, EntityGateway gw, CancellationToken ct) =>
        {
            var outcome = await gw.Execute<Incident, IncidentState>(id, new CloseIncident(http.Caller(), body.Report ?? ""), ct);
            return ApiHelpers.Map(outcome, s => TypedResults.Ok(Views.Incident(s)));
        }).Allows(Act.CloseIncident).Answers<IncidentView>().WithName("CloseIncident").WithSummary("Close an incident with a report to the authority (Art. 15)");

        return app;
    }
}
