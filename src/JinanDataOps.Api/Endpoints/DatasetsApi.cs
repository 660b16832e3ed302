using JinanDataOps.Actors.Entities;
using JinanDataOps.Actors.Procedures;
using JinanDataOps.Actors.Hosting;
using JinanDataOps.Actors.ReadModels;
using JinanDataOps.Api.Contracts;
using JinanDataOps.Api.Http;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.Datasets;
using JinanDataOps.Domain.Operators;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace JinanDataOps.Api.Endpoints;

public sealed record DatasetFieldBody(string? Name, bool? Sensitive);
public sealed record RegisterDatasetBody(
    [property: System.ComponentModel.DataAnnotations.RegularExpression(Ids.ClientIdPattern)] string? Id, string? Title,
    [property: OneOf(typeof(DataDomain))] string? Domain, List<DatasetFieldBody>? Fields);
public sealed record QualityIssueBody(string? Description);
public sealed record ResolutionBody(string? Resolution);

public static class DatasetsApi
{
    public static IEndpointRouteBuilder MapDatasetsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization().WithTags("Datasets");

        api.MapPost("/datasets", async (RegisterDatasetBody body, HttpContext http, EntityGateway gw, CancellationToken ct) =>
        {
            if (!Ids.IsValidClientId(body.Id)) return Problems.Validation("'id' must be 2–64 characters of a–z, 0–9, '-', '_' or '.', starting with a letter or digit.");
            if (!Kebab.TryParse<DataDomain>(body.Domain, out var domain)) return Problems.Validation($"'domain' must be one of: {Kebab.Names<DataDomain>()}.");
            if (body.Fields is null || body.Fields.Any(f => f is null || f.Sensitive is null))
                return Problems.Validation("'fields' must be a list of {name, sensitive}.");
            var fields = body.Fields.Select(f => new DatasetField(f.Name ?? "", f.Sensitive!.Value)).ToArray();
            var outcome = await gw.Execute<Dataset, DatasetState>(body.Id!, new RegisterDataset(http.Caller(), body.Title ?? "", domain, fields), ct);
            return ApiHelpers.Map(outcome, s => TypedResults.Created($"/api/datasets/{s.Id}", Views.Dataset(s)));
        }).Allows(Act.RegisterDataset).Creates<DatasetView>().WithName("RegisterDataset").WithSummary("A provider registers a public dataset (Art. 3)");

        api.MapGet("/datasets", async (Records records, CancellationToken ct) => TypedResults.Ok((await records.Datasets(ct)).Select(Views.Dataset))).Allows(Act.ReadDatasets).Answers<DatasetView[]>().WithName("ListDatasets").WithSummary("The catalogue of public datasets");

        api.MapGet("/datasets/{id}", async (string id, EntityGateway gw, CancellationToken ct) =>
            await gw.Get<Dataset, DatasetState>(id, ct) is { } s ? TypedResults.Ok(Views.Dataset(s)) : Problems.NotFound($"dataset {id} does not exist"))
            .Allows(Act.ReadDatasets).Answers<DatasetView>().WithName("GetDataset").WithSummary("A dataset of the catalogue, with its fields and quality issues");

        api.MapPost("/datasets/{id}/quality-issues", async (string id, QualityIssueBody body, HttpContext http, ProcedureService procedure, CancellationToken ct) =>
        {
            var caller = http.Caller();
            var outcome = await procedure.RaiseQualityIssue(caller, id, body.Description ?? "", http.IdempotencyKey(), ct);
            return ApiHelpers.Map(outcome, s =>
            {
                var issue = http.IdempotencyKey() is { } key
                    ? s.QualityIssues.Last(q => q.Key == key && q.RaisedBy == caller.Org)
                    : s.QualityIssues[^1];
                return TypedResults.Created($"/api/quality-issues/{issue.Id}", new QualityIssueRaisedView(issue.Id, s.Id, issue.State));
            });
        }).Allows(Act.RaiseQualityIssue).Creates<QualityIssueRaisedView>().WithName("RaiseQualityIssue").WithSummary("An operator with access raises a data quality issue (Art. 10)");

        api.MapGet("/quality-issues", async ([OneOf(typeof(QualityIssueStatus))] string? state, string? datasetId, HttpContext http, Records records, TimeProvider clock, CancellationToken ct) =>
        {
            QualityIssueStatus? wanted = null;
            if (state is not null)
            {
                if (!Kebab.TryParse<QualityIssueStatus>(state, out var parsed)) return Problems.Validation($"'state' is one of: {Kebab.Names<QualityIssueStatus>()}.");
                wanted = parsed;
            }
            var caller = http.Caller();
            var now = clock.GetUtcNow();
            // The read policy filters: a provider follows the issues of its own datasets.
            var issues = (await records.Datasets(ct))
                .Where(d => (datasetId is null || d.Id == datasetId) && caller.May(Act.ReadQualityIssue, Dataset.PartiesOf(d)))
                .SelectMany(d => d.QualityIssues.Select(q => (Dataset: d, Issue: q)))
                .Where(x => wanted is null || x.Issue.State == wanted)
                .OrderBy(x => x.Issue.RaisedAt).ThenBy(x => x.Issue.Id, StringComparer.Ordinal)
                .Select(x => new QualityIssueEntryView(x.Issue.Id, x.Dataset.Id, x.Dataset.Owner, x.Issue.State, x.Issue.Description, x.Issue.RaisedBy,
                    x.Issue.RaisedAt, x.Issue.State == QualityIssueStatus.Resolved ? null : System.Xml.XmlConvert.ToString(TimeSpan.FromSeconds(Math.Max(0, Math.Floor((now - x.Issue.RaisedAt).TotalSeconds)))),
                    x.Issue.Resolution))
                .ToArray();
            return TypedResults.Ok(issues);
        }).Allows(Act.ListQualityIssues).Answers<QualityIssueEntryView[]>().WithName("QualityIssues")
            .WithSummary("Data quality issues, oldest first, with how long each has been open (Art. 10, 12)");

        api.MapPost("/quality-issues/{id}/acknowledge", async (string id, HttpContext http, EntityGateway gw, CancellationToken ct) =>
        {
            if (!DatasetState.TryParseQualityIssueId(id, out var datasetId)) return Problems.NotFound($"quality issue {id} does not exist");
            var outcome = await gw.Execute<Dataset, DatasetState>(datasetId, new AcknowledgeQualityIssue(http.Caller(), id), ct);
            return ApiHelpers.Map(outcome, s => TypedResults.Ok(Views.QualityIssue(s.QualityIssues.First(q => q.Id == id))));
        }).Allows(Act.AcknowledgeQualityIssue).Answers<QualityIssueView>().WithName("AcknowledgeQualityIssue").WithSummary("The owning provider acknowledges a quality issue (Art. 12)");

        api.MapPost("/quality-issues/{id}/resolve", async (string id, ResolutionBody body, HttpContext http, EntityGateway gw, CancellationToken ct) =>
        {
            if (!DatasetState.TryParseQualityIssueId(id, out var datasetId)) return Problems.NotFound($"quality issue {id} does not exist");
            var outcome = await gw.Execute<Dataset, DatasetState>(datasetId, new ResolveQualityIssue(http.Caller(), id, body.Resolution ?? ""), ct);
            return ApiHelpers.Map(outcome, s => TypedResults.Ok(Views.QualityIssue(s.QualityIssues.First(q => q.Id == id))));
        }).Allows(Act.ResolveQualityIssue).Answers<QualityIssueView>().WithName("ResolveQualityIssue").WithSummary("The owning provider governs the data (Art. 12)");

        return app;
    }
}
