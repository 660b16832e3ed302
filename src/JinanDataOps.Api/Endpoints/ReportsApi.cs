using System.Globalization;
using JinanDataOps.Actors.Procedures;
using JinanDataOps.Api.Contracts;
using JinanDataOps.Api.Http;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.Reports;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace JinanDataOps.Api.Endpoints;

/// <summary>The reports the authority files (Art. 8, last paragraph: 汇总授权运营情况 for the city government).</summary>
public static class ReportsApi
{
    /// <summary>The longest period one summary covers: a year and a day (a leap year's report, with its last day).</summary>
    public static readonly TimeSpan LongestPeriod = TimeSpan.FromDays(367);

    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/reports").RequireAuthorization().WithTags("Reports");

        api.MapGet("/summary", async (string? from, string? to, HttpContext http, Records records, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (Instant(from) is not { } start) return Problems.Validation("'from' is required: an ISO-8601 instant such as 2026-01-01T00:00:00Z.");
            if (Instant(to) is not { } end) return Problems.Validation("'to' is required: an ISO-8601 instant such as 2027-01-01T00:00:00Z.");
            if (start >= end) return Problems.Validation("'from' must be before 'to'.");
            if (end - start > LongestPeriod) return Problems.Validation($"a summary covers at most {LongestPeriod.TotalDays:F0} days; file longer periods in parts.");
            var summary = Summaries.Of(await records.Journal(ct), start, end, caller);
            return Csv.Wanted(http.Request)
                ? Csv.Result(SummaryCsv(summary), $"summary-{start.UtcDateTime:yyyyMMdd}-{end.UtcDateTime:yyyyMMdd}.csv")
                : TypedResults.Ok(View(summary));
        }).Allows(Act.ReadSummary)
            .AnswersWithCsv<SummaryView>("RFC 4180, header section,id,state,category,at,operatorId,by,reason: one row per entity and per suspension or termination")
            .WithName("Summary").WithSummary("The summary of authorized operation for a period, as JSON or CSV (Art. 8, last paragraph)");

        return app;
    }

    /// <summary>An instant from the query; null (and the caller answers 400) when absent or not an ISO-8601 instant with an offset.</summary>
    private static DateTimeOffset? Instant(string? value) =>
        DateTimeOffset.TryParseExact(value, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            ? at
            : null;

    private static SummaryView View(Summary s) => new(s.From, s.To,
        Section(s.Calls), Section(s.Applications), Section(s.Agreements), Section(s.DataRequests), Section(s.Incidents), Section(s.Products), Section(s.Evaluations),
        s.Suspensions.Select(Action).ToArray(), s.Terminations.Select(Action).ToArray());

    private static SummarySectionView Section(SummarySection s) => new(s.Total, s.ByState, s.ByCategory,
        s.Items.Select(i => new SummaryItemView(i.Id, i.State, i.Category, i.Since, i.OperatorId)).ToArray());

    private static SummaryActionView Action(SummaryAction a) => new(a.AgreementId, a.OperatorId, a.At, a.ByRole, a.ByOrg, a.Reason);

    /// <summary>One row per entity and per suspension or termination; the counts are the rows of a section.</summary>
    private static string SummaryCsv(Summary s)
    {
        static string At(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        IEnumerable<IReadOnlyList<string?>> Items(string section, SummarySection items) =>
            items.Items.Select(i => (IReadOnlyList<string?>)[section, i.Id, i.State, i.Category, At(i.Since), i.OperatorId, null, null]);
        IEnumerable<IReadOnlyList<string?>> Actions(string section, IEnumerable<SummaryAction> actions) =>
            actions.Select(a => (IReadOnlyList<string?>)[section, a.AgreementId, null, null, At(a.At), a.OperatorId, $"{Kebab.Of(a.ByRole)}:{a.ByOrg}", a.Reason]);
        return Csv.Write(["section", "id", "state", "category", "at", "operatorId", "by", "reason"],
            Items("call", s.Calls).Concat(Items("application", s.Applications)).Concat(Items("agreement", s.Agreements))
                .Concat(Items("data-request", s.DataRequests)).Concat(Items("incident", s.Incidents)).Concat(Items("product", s.Products)).Concat(Items("evaluation", s.Evaluations))
                .Concat(Actions("suspension", s.Suspensions)).Concat(Actions("termination", s.Terminations)));
    }
}
