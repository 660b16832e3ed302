using JinanDataOps.Monitoring.Sandbox;
using JinanDataOps.Monitoring.Rules;
using static JinanDataOps.Monitoring.Tests.Events;

namespace JinanDataOps.Monitoring.Tests;

public class EventRulesTests
{
    private static List<Finding> Judge(SandboxEvent e, IMonitoringContext? context = null, MonitoringRules? rules = null)
    {
        var found = new List<Finding>();
        EventRules.Judge(Enriched(e, context), rules ?? new MonitoringRules(), found);
        return found;
    }

    [Fact]
    public void A_query_inside_the_approved_request_in_working_hours_finds_nothing() => Assert.Empty(Judge(Query()));

    [Theory]
    [InlineData(ActionKind.Export)]
    [InlineData(ActionKind.Download)]
    public void Exporting_or_downloading_raw_data_is_critical_under_art_13(ActionKind kind)
    {
        var finding = Assert.Single(Judge(Query(kind: kind, rows: 500)));
        Assert.Equal((RuleNames.RawExport, Severity.Critical, "Art. 13"), (finding.Rule, finding.Severity, finding.Article));
        Assert.Contains("Art. 13", finding.Summary);
        Assert.Equal("500", finding.Observed["rows"]);
    }

    [Fact]
    public void A_model_output_is_not_an_export() => Assert.Empty(Judge(Query(kind: ActionKind.ModelOutput)));

    [Fact]
    public void Activity_under_an_unknown_request_is_critical() =>
        Assert.Equal(RuleNames.RequestNotProvisioned, Assert.Single(Judge(Query(request: "req-nobody"))).Rule);

    [Fact]
    public void Activity_under_another_operators_request_is_critical()
    {
        var finding = Assert.Single(Judge(Query(op: "op-2")));
        Assert.Equal(RuleNames.RequestNotProvisioned, finding.Rule);
        Assert.Contains("belongs to operator 'op-1'", finding.Summary);
    }

    [Theory]
    [InlineData("suspended")]
    [InlineData("revoked")]
    [InlineData("approved")]
    public void Activity_under_a_request_that_is_not_provisioned_means_the_sandbox_failed_to_enforce(string state)
    {
        var context = Context(Provisioned() with { State = state, Provisioned = false });
        var finding = Assert.Single(Judge(Query(), context));
        Assert.Equal((RuleNames.RequestNotProvisioned, Severity.Critical), (finding.Rule, finding.Severity));
        Assert.Contains($"is {state}, not provisioned", finding.Summary);
        Assert.Equal(state, finding.Observed["requestState"]);
    }

    [Fact]
    public void A_dataset_outside_the_approved_request_is_critical()
    {
        var finding = Assert.Single(Judge(Query(dataset: "clinic", fields: ["visits"])));
        Assert.Equal((RuleNames.OutsideRequest, Severity.Critical, "Art. 13"), (finding.Rule, finding.Severity, finding.Article));
        Assert.Equal("bus", finding.Observed["approved"]);
    }

    [Fact]
    public void A_sensitive_field_without_recorded_consent_is_critical_under_art_6()
    {
        var finding = Assert.Single(Judge(Query(fields: ["route", "id-number"])));
        Assert.Equal((RuleNames.SensitiveWithoutConsent, Severity.Critical, "Art. 6"), (finding.Rule, finding.Severity, finding.Article));
        Assert.Equal("id-number", finding.Observed["fields"]);
    }

    [Fact]
    public void A_sensitive_field_with_recorded_consent_is_allowed() =>
        Assert.Empty(Judge(Query(fields: ["id-number"]), Context(Provisioned(consent: true))));

    [Fact]
    public void One_event_can_break_several_rules_and_each_is_found()
    {
        var found = Judge(Query(kind: ActionKind.Export, dataset: "clinic", fields: ["diagnosis"]));
        Assert.Equal([RuleNames.RawExport, RuleNames.OutsideRequest, RuleNames.SensitiveWithoutConsent], found.Select(f => f.Rule));
    }

    [Theory]
    [InlineData(22, 30, true)] // 22:30 in Jinan
    [InlineData(3, 0, true)]
    [InlineData(6, 59, true)]
    [InlineData(7, 0, false)]
    [InlineData(21, 59, false)]
    public void Activity_outside_the_configured_hours_is_a_warning(int hour, int minute, bool outside)
    {
        var at = new DateTimeOffset(2026, 12, 1, hour, minute, 0, TimeSpan.FromHours(8));
        var found = Judge(Query(at: at));
        if (!outside) Assert.Empty(found);
        else
        {
            var finding = Assert.Single(found);
            Assert.Equal((RuleNames.OutsideHours, Severity.Warning, "Art. 15"), (finding.Rule, finding.Severity, finding.Article));
            Assert.Equal($"{hour:00}:{minute:00}", finding.Observed["localTime"]);
        }
    }

    [Fact]
    public void Hours_may_run_over_midnight()
    {
        var night = new WorkingHours { Start = TimeSpan.FromHours(20), End = TimeSpan.FromHours(6) };
        Assert.True(night.Contains(new DateTimeOffset(2026, 12, 1, 23, 0, 0, TimeSpan.FromHours(8))));
        Assert.True(night.Contains(new DateTimeOffset(2026, 12, 1, 5, 0, 0, TimeSpan.FromHours(8))));
        Assert.False(night.Contains(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.FromHours(8))));
    }

    [Fact]
    public void A_rule_switched_off_finds_nothing()
    {
        var rules = new MonitoringRules { Off = [RuleNames.RawExport] };
        Assert.Empty(Judge(Query(kind: ActionKind.Export), rules: rules));
    }
}
