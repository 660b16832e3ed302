namespace JinanDataOps.LoadDriver.Tests;

public class ThresholdTests
{
    private static readonly ScenarioReport Lifecycle = Fake.Scenario("operator-lifecycle",
        Fake.Step("(iteration)", 98, 2, 100, 200, 300),
        Fake.Step("register", 100, 0, 10, 10, 10, 10, 40),
        Fake.Step("apply", 90, 10, 20, 20, 30));

    [Theory]
    [InlineData("p99<25ms", null, null, "p99", "<", 25)]
    [InlineData("p95 <= 0.2s", null, null, "p95", "<=", 200)]
    [InlineData("fail%<1", null, null, "fail%", "<", 1)]
    [InlineData("fail%<1%", null, null, "fail%", "<", 1)]
    [InlineData("operator-lifecycle/register:p95<=200ms", "operator-lifecycle", "register", "p95", "<=", 200)]
    [InlineData("*/apply:rps>=10", null, "apply", "rps", ">=", 10)]
    [InlineData("sandbox-burst:ok>100", "sandbox-burst", null, "ok", ">", 100)]
    [InlineData("*/*:fail<1", null, "*", "fail", "<", 1)]
    public void Thresholds_parse(string text, string? scenario, string? step, string metric, string op, double value)
    {
        var t = Threshold.Parse(text);
        Assert.Equal((scenario, step, metric, op, value), (t.Scenario, t.Step, t.Metric, t.Op, t.Value));
    }

    [Fact]
    public void A_scenario_s_own_threshold_names_it_unless_another_is_named()
    {
        Assert.Equal("mine", Threshold.Parse("p99<1s", "mine").Scenario);
        Assert.Equal("mine", Threshold.Parse("*/*:fail%<1", "mine").Scenario);
        Assert.Equal("other", Threshold.Parse("other:p99<1s", "mine").Scenario);
    }

    [Theory]
    [InlineData("p98<25ms")]
    [InlineData("p99=25ms")]
    [InlineData("p99<fast")]
    [InlineData("rps<10ms")]
    [InlineData("fail%<1ms")]
    [InlineData("p99<1%")]
    [InlineData("s/:p99<1s")]
    [InlineData("")]
    public void Other_text_is_refused_with_the_syntax(string text)
    {
        Assert.False(Threshold.TryParse(text, null, out _, out var error));
        Assert.Contains(text.Length == 0 ? "not a threshold" : "'", error);
    }

    [Fact]
    public void A_latency_threshold_holds_or_fails_on_the_ok_answers()
    {
        var holds = Assert.Single(Threshold.Parse("operator-lifecycle/register:p99<50ms").Evaluate([Lifecycle]));
        Assert.True(holds.Passed);
        Assert.Equal("operator-lifecycle/register", holds.Subject);
        Assert.Equal("40.0 ms", holds.Actual);
        var fails = Assert.Single(Threshold.Parse("*/register:p50<5ms").Evaluate([Lifecycle]));
        Assert.False(fails.Passed);
        Assert.Equal("10.0 ms", fails.Actual);
    }

    [Fact]
    public void Without_a_step_the_threshold_judges_whole_iterations()
    {
        var v = Assert.Single(Threshold.Parse("fail%<1").Evaluate([Lifecycle]));
        Assert.False(v.Passed);
        Assert.Equal("operator-lifecycle", v.Subject);
        Assert.Equal("2 %", v.Actual);
        Assert.True(Assert.Single(Threshold.Parse("fail%<=2").Evaluate([Lifecycle])).Passed);
        Assert.True(Assert.Single(Threshold.Parse("rps>9").Evaluate([Lifecycle])).Passed); // 98 ok in 10 s
        Assert.False(Assert.Single(Threshold.Parse("ok>=100").Evaluate([Lifecycle])).Passed);
    }

    [Fact]
    public void Every_step_gives_one_verdict_naming_the_steps_that_fail()
    {
        var fails = Assert.Single(Threshold.Parse("*/*:fail%<5").Evaluate([Lifecycle]));
        Assert.False(fails.Passed);
        Assert.Equal("operator-lifecycle/*", fails.Subject);
        Assert.Equal("failing: apply 10 %", fails.Actual);
        var holds = Assert.Single(Threshold.Parse("*/*:p99<100ms").Evaluate([Lifecycle]));
        Assert.True(holds.Passed);
        Assert.Equal("all 2 steps hold; closest: register 40.0 ms", holds.Actual);
    }

    [Fact]
    public void A_threshold_with_nothing_to_measure_fails()
    {
        Assert.Equal("no such scenario ran", Assert.Single(Threshold.Parse("sandbox-burst:fail%<1").Evaluate([Lifecycle])).Actual);
        var missing = Assert.Single(Threshold.Parse("*/train:p99<1s").Evaluate([Lifecycle]));
        Assert.False(missing.Passed);
        Assert.Equal("nothing recorded", missing.Actual);
        var onlyFailures = Fake.Scenario("s", Fake.Step("(iteration)", 0, 3), Fake.Step("x", 0, 3));
        Assert.False(Assert.Single(Threshold.Parse("p99<1s").Evaluate([onlyFailures])).Passed);
    }

    [Fact]
    public void A_scenario_less_threshold_judges_every_scenario()
    {
        var other = Fake.Scenario("supervisor-reads", Fake.Step("(iteration)", 10, 0, 5), Fake.Step("list-calls", 10, 0, 5));
        var verdicts = Threshold.Parse("fail%<1").Evaluate([Lifecycle, other]).ToArray();
        Assert.Equal(["operator-lifecycle", "supervisor-reads"], verdicts.Select(v => v.Subject));
        Assert.Equal([false, true], verdicts.Select(v => v.Passed));
    }
}
