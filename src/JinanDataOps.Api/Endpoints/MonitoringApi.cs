using JinanDataOps.Api.Http;
using JinanDataOps.Domain.Common;
using JinanDataOps.Monitoring.Rules;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace JinanDataOps.Api.Endpoints;

public static class MonitoringApi
{
    public static IEndpointRouteBuilder MapMonitoringApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/monitoring").RequireAuthorization().WithTags("Monitoring");

        // Art. 15: those who supervise see which rules watch the sandbox and with what thresholds — the
        // rules in force, after any reload of the rules file.
        api.MapGet("/rules", (HttpContext http, RulesSource rules) =>
        {
            var current = rules.Current;
            return TypedResults.Ok(new
            {
                Rules = RuleNames.All.Select(name => new { Name = name, On = current.IsOn(name) }),
                Window = System.Xml.XmlConvert.ToString(current.Window),
                current.BucketsPerWindow,
                current.Volume,
                current.DeniedBurst,
                Hours = new
                {
                    Start = current.Hours.Start.ToString(@"hh\:mm"),
                    End = current.Hours.End.ToString(@"hh\:mm"),
                    UtcOffset = System.Xml.XmlConvert.ToString(current.Hours.UtcOffset),
                },
                current.RepeatsToCritical,
                EscalationPeriod = System.Xml.XmlConvert.ToString(current.EscalationPeriod),
                current.EvidencePerAlert,
                current.SuspendAgreementOnCritical,
            });
        }).Allows(Act.ReadMonitoringRules).WithName("MonitoringRules").WithSummary("The sandbox monitoring rules in force (Art. 15)");

        return app;
    }
}
