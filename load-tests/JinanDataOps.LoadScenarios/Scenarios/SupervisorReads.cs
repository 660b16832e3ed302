using JinanDataOps.LoadDriver;

namespace JinanDataOps.LoadScenarios.Scenarios;

/// <summary>Read-heavy supervision (Art. 5, 17): a regulator's round of lists and details — calls, an
/// application, an agreement and its work log, a data request, an operator and its record, datasets, alerts,
/// incidents, products, evaluations — and every tenth round the authority's summary report (Art. 8, last
/// paragraph), over a cohort of operators taken through the procedure in the set-up.</summary>
public static class SupervisorReads
{
    public const string Name = "supervisor-reads";
    private const int CohortSize = 20;

    private sealed record Fixture(PlatformClient Platform, Cohort Cohort, IReadOnlyList<Provisioned> Operators, string Regulator);

    public static Scenario Create(PlatformClient platform, ScenarioSettings settings) => new Scenario(Name, Run)
    {
        Description = $"{settings.Readers} reader(s), each iteration one round of a regulator's reads over {CohortSize} provisioned operators (lists and details), and every tenth round the authority's summary report of the last 30 days.",
        Init = async init =>
        {
            var cohort = new Cohort(platform, init.RunId, "reads", init.Note);
            var operators = await cohort.Provision(CohortSize, ScenarioSettings.SerialBase(init.RunId) + 90_000, init.Cancellation);
            return new Fixture(platform, cohort, operators, $"{init.RunId}-regulator");
        },
        WarmUp = settings.WarmUp,
        Load = Loads.For(settings, settings.Readers),
    }.WithThresholds("fail%<1", "*/*:fail%<1");

    private static async Task Run(IterationContext ctx)
    {
        var f = (Fixture)ctx.Data!;
        var p = f.Platform;
        var ct = ctx.Cancellation;
        var op = f.Operators[(int)(ctx.Iteration % f.Operators.Count)];
        Task<Answer> Read(string path) => p.Get("regulator", f.Regulator, path, ct);
        await ctx.Call("list-calls", () => Read("/api/calls"));
        await ctx.Call("application", () => Read($"/api/applications/{op.Application}"));
        await ctx.Call("agreement", () => Read($"/api/agreements/{op.Agreement}"));
        await ctx.Call("agreement-log", () => Read($"/api/agreements/{op.Agreement}/log"));
        await ctx.Call("data-request", () => Read($"/api/data-requests/{op.Request}"));
        await ctx.Call("operator", () => Read($"/api/operators/{op.Org}"));
        await ctx.Call("operator-record", () => Read($"/api/operators/{op.Org}/record"));
        await ctx.Call("list-datasets", () => Read("/api/datasets"));
        await ctx.Call("list-alerts", () => Read("/api/alerts"));
        await ctx.Call("list-incidents", () => Read("/api/incidents"));
        await ctx.Call("list-products", () => Read("/api/products"));
        await ctx.Call("list-evaluations", () => Read("/api/evaluations"));
        if (ctx.Iteration % 10 == 0)
        {
            var to = DateTimeOffset.UtcNow.AddMinutes(1);
            await ctx.Call("summary-report", () => p.Get("authority", f.Cohort.Authority,
                $"/api/reports/summary?from={Uri.EscapeDataString(Procedure.Iso(to.AddDays(-30)))}&to={Uri.EscapeDataString(Procedure.Iso(to))}", ct));
        }
    }
}
