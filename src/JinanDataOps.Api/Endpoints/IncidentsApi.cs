using Akka.Actor;
using Akka.Hosting;
using JinanDataOps.Actors.Entities;
using JinanDataOps.Actors.Hosting;
using JinanDataOps.Actors.ReadModels;
using JinanDataOps.Api.Http;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.Incidents;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace JinanDataOps.Api.Endpoints;

public sealed record IncidentBody(string? OperatorId, string? DataRequestId, string? AgreementId, string? Summary);
public sealed record MeasureBody(string? Description);
public sealed record CloseIncidentBody(string? Report);

/// <summary>Security incidents and the emergency response (Art. 15): opened by monitoring on a critical
/// alert or by hand, measures recorded, closed with a report.</summary>
public static class IncidentsApi
{
    public static IEndpointRouteBuilder MapIncidentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/incidents").RequireAuthorization().WithTags("Incidents");

        api.MapGet("/", async (string? operatorId, string? state, HttpContext http, ActorRegistry registry, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (!caller.Supervises() && !(caller.Role == Role.Operator && (operatorId is null || operatorId == caller.Org)))
                return Problems.Forbidden("an operator sees its own incidents only; the authority, regulators and maintainers see all");
            if (state is not null && !Kebab.TryParse<IncidentStatus>(state, out _)) return Problems.Validation("'state' is one of opened, emergency-response, closed.");
            var wanted = caller.Role == Role.Operator ? caller.Org : operatorId;
            var list = await registry.Get<CatalogViewKey>().Ask<IncidentList>(ListIncidents.Instance, TimeSpan.FromSeconds(10), ct);
            return TypedResults.Ok(list.Incidents
                .Where(i => wanted is null || i.OperatorId == wanted)
                .Where(i => state is null || Kebab.Of(i.State) == state)
                .Select(Views.Incident));
        }).WithName("Incidents");

        api.MapGet("/{id}", async (string id, HttpContext http, EntityGateway gw, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (await gw.Get<Incident, IncidentState>(id, ct) is not { } s) return Problems.NotFound($"incident {id} does not exist");
            return caller.Supervises() || caller.Is(Role.Operator, s.OperatorId)
                ? TypedResults.Ok(Views.Incident(s))
                : Problems.Forbidden("an incident is read by the operator concerned, the authority, regulators and maintainers");
        }).WithName("GetIncident");

        api.MapPost("/", async (IncidentBody body, HttpContext http, EntityGateway gw, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (!caller.Supervises()) return Problems.Forbidden("incidents are opened by hand by the authority, regulators or maintainers (Art. 15)");
            var id = Ids.New("inc", caller.Org, "incidents", http.IdempotencyKey());
            var outcome = await gw.Execute<Incident, IncidentState>(id,
                new OpenIncident(caller, body.OperatorId ?? "", body.DataRequestId, body.AgreementId, body.Summary ?? "", Art.A15, Source: null), ct);
            return ApiHelpers.Map(outcome, s => TypedResults.Created($"/api/incidents/{s.Id}", Views.Incident(s)));
        }).WithName("OpenIncident").WithSummary("Open a security incident by hand (Art. 15)");

        api.MapPost("/{id}/measures", async (string id, MeasureBody body, HttpContext http, EntityGateway gw, CancellationToken ct) =>
        {
            var outcome = await gw.Execute<Incident, IncidentState>(id, new RecordMeasure(http.Caller(), body.Description ?? ""), ct);
            return ApiHelpers.Map(outcome, s => TypedResults.Created($"/api/incidents/{s.Id}", Views.Incident(s)));
        }).WithName("RecordMeasure").WithSummary("Record an emergency measure; the first starts the emergency response (Art. 15)");

        api.MapPost("/{id}/close", async (string id, CloseIncidentBody body, HttpContext http, EntityGateway gw, CancellationToken ct) =>
        {
            var outcome = await gw.Execute<Incident, IncidentState>(id, new CloseIncident(http.Caller(), body.Report ?? ""), ct);
            return ApiHelpers.Map(outcome, s => TypedResults.Ok(Views.Incident(s)));
        }).WithName("CloseIncident").WithSummary("Close an incident with a report to the authority (Art. 15)");

        return app;
    }
}
