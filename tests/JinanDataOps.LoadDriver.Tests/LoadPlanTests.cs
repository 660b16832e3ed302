using JinanDataOps.LoadDriver;
using static JinanDataOps.LoadDriver.LoadSimulation;

namespace JinanDataOps.LoadDriver.Tests;

public class LoadPlanTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void Keep_constant_holds_its_copies_for_its_phase_and_none_after()
    {
        var plan = new LoadPlan([new KeepConstant(10, S(5))]);
        Assert.False(plan.IsOpen);
        Assert.Equal(S(5), plan.Duration);
        Assert.Equal(10, plan.CopiesAt(S(0)));
        Assert.Equal(10, plan.CopiesAt(S(4.99)));
        Assert.Equal(0, plan.CopiesAt(S(5)));
    }

    [Fact]
    public void Ramping_constant_moves_linearly_from_the_previous_level()
    {
        var plan = new LoadPlan([new RampingConstant(100, S(10)), new KeepConstant(100, S(5)), new RampingConstant(20, S(8))]);
        Assert.Equal(0, plan.CopiesAt(S(0)));
        Assert.Equal(50, plan.CopiesAt(S(5)));
        Assert.Equal(90, plan.CopiesAt(S(9)));
        Assert.Equal(100, plan.CopiesAt(S(12)));
        Assert.Equal(100, plan.CopiesAt(S(15)));
        Assert.Equal(60, plan.CopiesAt(S(19)));
    }

    [Fact]
    public void A_pause_stops_every_copy_and_a_ramp_after_it_starts_from_zero()
    {
        var plan = new LoadPlan([new KeepConstant(8, S(2)), new Pause(S(2)), new RampingConstant(8, S(4))]);
        Assert.Equal(0, plan.CopiesAt(S(3)));
        Assert.Equal(2, plan.CopiesAt(S(5)));
    }

    [Fact]
    public void Inject_starts_rate_times_duration_iterations_evenly_spaced()
    {
        var plan = new LoadPlan([new Inject(20, S(1), S(3))]);
        var starts = plan.Starts().ToArray();
        Assert.Equal(60, starts.Length);
        Assert.Equal(TimeSpan.Zero, starts[0]);
        for (var i = 1; i < starts.Length; i++) Assert.Equal(50, (starts[i] - starts[i - 1]).TotalMilliseconds, 3);
        Assert.True(starts[^1] < S(3));
        Assert.Equal(20, plan.TargetRate()!.Value, 6);
    }

    [Fact]
    public void The_interval_divides_the_rate()
    {
        var starts = new LoadPlan([new Inject(30, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2))]).Starts().ToArray();
        Assert.Equal(60, starts.Length);
        Assert.Equal(2, (starts[1] - starts[0]).TotalSeconds, 6);
    }

    [Fact]
    public void Ramping_inject_follows_the_integral_of_the_rate()
    {
        // 0 → 100/s over 10 s: N(t) = 5·t², so 500 iterations, the k-th due at sqrt(k / 5).
        var starts = new LoadPlan([new RampingInject(100, S(1), S(10))]).Starts().ToArray();
        Assert.Equal(500, starts.Length);
        foreach (var k in new[] { 1, 20, 125, 320, 499 })
            Assert.Equal(Math.Sqrt(k / 5.0), starts[k].TotalSeconds, 6);
    }

    [Fact]
    public void A_falling_ramp_slows_down_and_phases_join_without_a_gap_or_a_double()
    {
        // 100/s for 2 s (200), then down to 0 over 2 s (100 more): the spacing only grows.
        var starts = new LoadPlan([new Inject(100, S(1), S(2)), new RampingInject(0, S(1), S(2))]).Starts().ToArray();
        Assert.Equal(300, starts.Length);
        Assert.Equal(2.0, starts[200].TotalSeconds, 6);
        for (var i = 201; i < starts.Length; i++) Assert.True(starts[i] - starts[i - 1] >= starts[i - 1] - starts[i - 2] - TimeSpan.FromTicks(10));
        Assert.True(starts[^1] < S(4));
        Assert.Equal(75, new LoadPlan([new Inject(100, S(1), S(2)), new RampingInject(0, S(1), S(2))]).TargetRate()!.Value, 6);
    }

    [Fact]
    public void Starts_are_in_order_and_a_pause_injects_nothing()
    {
        var starts = new LoadPlan([new Inject(10, S(1), S(1)), new Pause(S(2)), new Inject(10, S(1), S(1))]).Starts().ToArray();
        Assert.Equal(20, starts.Length);
        Assert.DoesNotContain(starts, t => t >= S(1) && t < S(3));
        Assert.Equal(starts.OrderBy(t => t), starts);
    }

    [Fact]
    public void Truncating_for_the_warm_up_cuts_a_ramp_where_it_has_got_to()
    {
        var closed = new LoadPlan([new RampingConstant(100, S(10)), new KeepConstant(100, S(50))]).Truncate(S(5));
        Assert.Equal(S(5), closed.Duration);
        Assert.Equal(new RampingConstant(50, S(5)), Assert.Single(closed.Phases));
        var open = new LoadPlan([new RampingInject(100, S(1), S(10))]).Truncate(S(5));
        Assert.Equal(125, open.Starts().Count());
        Assert.Equal(S(3), new LoadPlan([new KeepConstant(3, S(60))]).Truncate(S(3)).Duration);
    }

    [Fact]
    public void Closed_and_open_phases_do_not_mix_and_bad_phases_are_refused()
    {
        Assert.Contains("either closed", Assert.Throws<ArgumentException>(() => new LoadPlan([new KeepConstant(1, S(1)), new Inject(1, S(1), S(1))])).Message);
        Assert.Throws<ArgumentException>(() => new LoadPlan([]));
        Assert.Throws<ArgumentException>(() => new LoadPlan([new KeepConstant(-1, S(1))]));
        Assert.Throws<ArgumentException>(() => new LoadPlan([new KeepConstant(1, TimeSpan.Zero)]));
        Assert.Throws<ArgumentException>(() => new LoadPlan([new Inject(1, TimeSpan.Zero, S(1))]));
        Assert.Throws<ArgumentException>(() => new LoadPlan([new RampingInject(-5, S(1), S(1))]));
    }

    [Fact]
    public void A_plan_describes_itself_in_words()
    {
        Assert.Equal("ramping-constant to 100 copies over 10s, then keep-constant 100 copies for 50s",
            new LoadPlan([new RampingConstant(100, S(10)), new KeepConstant(100, S(50))]).ToString());
        Assert.Equal("inject 250 per 1s for 2m", new LoadPlan([new Inject(250, S(1), TimeSpan.FromMinutes(2))]).ToString());
    }
}

public class DurationsTests
{
    [Theory]
    [InlineData("60s", 60_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("500ms", 500)]
    [InlineData("2h", 7_200_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("0s", 0)]
    public void Durations_parse(string text, double ms)
    {
        Assert.True(Durations.TryParse(text, out var d));
        Assert.Equal(ms, d.TotalMilliseconds, 6);
    }

    [Theory]
    [InlineData("60")]
    [InlineData("s")]
    [InlineData("1 minute")]
    [InlineData("-5s")]
    [InlineData("")]
    [InlineData(null)]
    public void Other_text_is_not_a_duration(string? text) => Assert.False(Durations.TryParse(text, out _));

    [Theory]
    [InlineData("20/s", 20)]
    [InlineData("20", 20)]
    [InlineData("600/m", 10)]
    [InlineData("0.5/s", 0.5)]
    [InlineData("7200/h", 2)]
    public void Rates_parse_per_second(string text, double perSecond)
    {
        Assert.True(Durations.TryParseRate(text, out var r));
        Assert.Equal(perSecond, r, 6);
    }

    [Theory]
    [InlineData("0/s")]
    [InlineData("-3/s")]
    [InlineData("20/day")]
    [InlineData("fast")]
    [InlineData("1/s/s")]
    public void Other_text_is_not_a_rate(string text) => Assert.False(Durations.TryParseRate(text, out _));
}
