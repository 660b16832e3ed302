using JinanDataOps.Api.Contracts;
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
            return TypedResults.Ok(new MonitoringRulesView(
                RuleNames.All.Select(name => new RuleSwitchView(name, current.IsOn(name))).ToArray(),
                System.Xml.XmlConvert.ToString(current.Window), current.BucketsPerWindow, current.Volume, current.DeniedBurst,
                new WorkingHoursView(current.Hours.Start.ToString(@"hh\:mm"), current.Hours.End.ToString(@"hh\:mm"), System.Xml.XmlConvert.ToString(current.Hours.UtcOffset)),
                current.RepeatsToCritical, System.Xml.XmlConvert.ToString(current.EscalationPeriod), current.EvidencePerAlert, current.SuspendAgreementOnCritical));
        }).Allows(Act.ReadMonitoringRules).Answers<MonitoringRulesView>().WithName("MonitoringRules").WithSummary("The sandbox monitoring rules in force (Art. 15)");

        return app;
    }
}
