using static JinanDataOps.LoadDriver.LoadSimulation;

namespace JinanDataOps.LoadDriver.Tests;

/// <summary>The runner in-process, against scenarios that need no platform. No assertion depends on how fast
/// this machine is: counts come from the plan, or from what the scenario itself counted.</summary>
public class RunnerTests
{
    private static readonly RunOptions Options = new("test", "nowhere", "test") { RunId = "rtest" };

    [Fact]
    public async Task Closed_load_runs_its_copies_and_counts_what_they_did()
    {
        var copies = new System.Collections.Concurrent.ConcurrentDictionary<long, int>();
        var scenario = new Scenario("closed", async ctx =>
        {
            copies.AddOrUpdate(ctx.Copy, 1, (_, n) => n + 1);
            await ctx.Step("a", async () =>
            {
                await Task.Delay(5, ctx.Cancellation);
                return StepReply.Success("200", 10);
            });
            await ctx.Step("b", () => Task.FromResult(StepReply.Success("200")));
        }) { Load = [new KeepConstant(4, TimeSpan.FromSeconds(1))] }.WithThresholds("fail%<1", "*/*:ok>0");

        var report = await new LoadRunner().Run(Options, [scenario], CancellationToken.None);
        var s = Assert.Single(report.Scenarios);
        Assert.Equal(4, copies.Count);
        Assert.Equal(copies.Values.Sum(), s.Iterations!.Ok);
        Assert.Equal(s.Iterations.Ok, s.Steps.Single(x => x.Step == "a").Ok);
        Assert.Equal(2 * s.Iterations.Ok, s.AllCalls!.Ok);
        Assert.Null(s.TargetRate);
        Assert.True(report.Passed, string.Join("; ", report.Verdicts.Select(v => $"{v.Subject} {v.Rule} {v.Actual}")));
        Assert.Equal(2, report.Verdicts.Count);
    }

    [Fact]
    public async Task A_failed_step_ends_its_iteration_and_names_it()
    {
        var afterFailure = 0;
        var scenario = new Scenario("failing", async ctx =>
        {
            await ctx.Step("ok", () => Task.FromResult(StepReply.Success()));
            await ctx.Step("refused", () => Task.FromResult(StepReply.Failure("409", "no")));
            Interlocked.Increment(ref afterFailure);
        }) { Load = [new Inject(10, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(500))] }.WithThresholds("fail%<1");

        var report = await new LoadRunner().Run(Options, [scenario], CancellationToken.None);
        var s = Assert.Single(report.Scenarios);
        Assert.Equal(0, afterFailure);
        Assert.Equal((0, 5), (s.Iterations!.Ok, s.Iterations.Fail));
        Assert.Equal(new Dictionary<string, long> { ["failed at refused"] = 5 }, s.Iterations.Statuses);
        Assert.False(report.Passed);
    }

    [Fact]
    public async Task Open_load_starts_exactly_the_planned_iterations_and_reports_the_rate_achieved()
    {
        var started = 0;
        var scenario = new Scenario("open", ctx =>
        {
            Interlocked.Increment(ref started);
            return ctx.Step("x", () => Task.FromResult(StepReply.Success()));
        }) { Load = [new Inject(40, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(500))] };

        var report = await new LoadRunner().Run(Options, [scenario], CancellationToken.None);
        var s = Assert.Single(report.Scenarios);
        Assert.Equal(20, started);
        Assert.Equal(20, s.Iterations!.Ok);
        Assert.Equal(40, s.TargetRate!.Value, 6);
        Assert.Equal(40, s.AchievedRate!.Value, 6);
        Assert.NotNull(s.DispatchLag);
        Assert.Equal(0, s.Skipped);
    }

    [Fact]
    public async Task Open_load_does_not_wait_for_slow_answers_but_caps_what_is_in_flight()
    {
        // Every iteration hangs: an open load keeps starting them (up to the cap) instead of backing off as
        // a closed one would; the rest are counted as not started, and the hung ones are cut at the grace.
        var scenario = new Scenario("stuck", ctx => ctx.Step("hang", async () =>
        {
            await Task.Delay(Timeout.Infinite, ctx.Cancellation);
            return StepReply.Success();
        }))
        {
            Load = [new Inject(100, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(300))],
            MaxInFlight = 5,
            Grace = TimeSpan.FromMilliseconds(50),
        };

        var report = await new LoadRunner().Run(Options, [scenario], CancellationToken.None);
        var s = Assert.Single(report.Scenarios);
        Assert.Equal(25, s.Skipped);
        Assert.Equal(5 / 0.3, s.AchievedRate!.Value, 6);
        Assert.Null(s.Iterations); // neither ok nor failed: cut
        Assert.Contains(report.Notes, n => n.Contains("5 iteration(s)", StringComparison.Ordinal) && n.Contains("cut", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_warm_up_is_run_first_and_not_recorded()
    {
        var phases = new System.Collections.Concurrent.ConcurrentBag<long>();
        var scenario = new Scenario("warm", ctx =>
        {
            phases.Add(ctx.Iteration);
            return ctx.Step("x", () => Task.FromResult(StepReply.Success()));
        })
        {
            Load = [new Inject(20, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1))],
            WarmUp = TimeSpan.FromMilliseconds(500),
        };
        var report = await new LoadRunner().Run(Options, [scenario], CancellationToken.None);
        Assert.Equal(30, phases.Count); // 10 warm-up + 20 measured
        Assert.Equal(20, report.Scenarios[0].Iterations!.Ok);
    }

    [Fact]
    public async Task Init_data_reaches_every_iteration_and_the_clean_up_s_checks_become_verdicts()
    {
        var seen = new System.Collections.Concurrent.ConcurrentBag<object?>();
        var scenario = new Scenario("fixture", ctx =>
        {
            seen.Add(ctx.Data);
            Assert.Equal("rtest", ctx.RunId);
            return Task.CompletedTask;
        })
        {
            Init = _ => Task.FromResult<object?>("the fixture"),
            Clean = c => Task.FromResult<IReadOnlyList<Verdict>>([new Verdict("check", "fixture", "cleaned", c.Data as string == "the fixture", "yes")]),
            Load = [new Inject(10, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(300))],
        };
        var report = await new LoadRunner().Run(Options, [scenario], CancellationToken.None);
        Assert.Equal(3, seen.Count);
        Assert.All(seen, d => Assert.Equal("the fixture", d));
        Assert.True(Assert.Single(report.Verdicts).Passed);
    }

    [Fact]
    public async Task A_clean_up_that_throws_fails_the_run_and_scenario_code_that_throws_is_counted()
    {
        var scenario = new Scenario("broken", _ => throw new InvalidOperationException("a bug in the scenario"))
        {
            Clean = _ => throw new TimeoutException("the platform did not answer"),
            Load = [new Inject(10, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(200))],
        };
        var report = await new LoadRunner().Run(Options, [scenario], CancellationToken.None);
        Assert.Equal(new Dictionary<string, long> { ["InvalidOperationException"] = 2 }, report.Scenarios[0].Iterations!.Statuses);
        var verdict = Assert.Single(report.Verdicts);
        Assert.False(verdict.Passed);
        Assert.Contains("TimeoutException: the platform did not answer", verdict.Actual);
    }

    [Fact]
    public async Task Scenarios_run_side_by_side_and_command_line_thresholds_join_the_verdicts()
    {
        Scenario Quick(string name) => new(name, ctx => ctx.Step("x", () => Task.FromResult(StepReply.Success())))
        {
            Load = [new Inject(10, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(300))],
        };
        var report = await new LoadRunner().Run(Options, [Quick("one"), Quick("two")], CancellationToken.None);
        Assert.Equal(["one", "two"], report.Scenarios.Select(s => s.Name));
        var judged = LoadRunner.WithThresholds(report, [Threshold.Parse("ok>=3"), Threshold.Parse("two/x:ok>3")]);
        Assert.Equal([true, true, false], judged.Verdicts.Select(v => v.Passed));
        await Assert.ThrowsAsync<ArgumentException>(() => new LoadRunner().Run(Options, [Quick("one"), Quick("one")], CancellationToken.None));
    }
}
