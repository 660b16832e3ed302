namespace JinanDataOps.LoadDriver.Tests;

public class RecorderTests
{
    private static IterationContext Context(ScenarioRecorder recorder, long dueAt = 0) =>
        new(recorder, "r1", null, copy: 0, iteration: 1, dueAt, CancellationToken.None);

    [Fact]
    public async Task Steps_are_counted_by_name_with_statuses_bytes_and_the_first_failure()
    {
        var recorder = new ScenarioRecorder("s");
        recorder.Begin();
        var ctx = Context(recorder);
        await ctx.Step("register", () => Task.FromResult(StepReply.Success("201", 100)));
        await ctx.Step("register", () => Task.FromResult(StepReply.Success("201", 50)));
        var failed = await Assert.ThrowsAsync<StepFailedException>(() => ctx.Step("register", () => Task.FromResult(StepReply.Failure("409", "already registered", 10))));
        Assert.Equal("register", failed.Step);
        await Assert.ThrowsAsync<StepFailedException>(() => ctx.Step("apply", () => throw new HttpRequestException("connection refused")));

        var (steps, _, all, _, _, _) = recorder.Snapshot(TimeSpan.FromSeconds(1));
        var register = steps.Single(s => s.Step == "register");
        Assert.Equal((2, 1), (register.Ok, register.Fail));
        Assert.Equal(new Dictionary<string, long> { ["201"] = 2, ["409"] = 1 }, register.Statuses);
        Assert.Equal(160, register.Bytes);
        Assert.Equal("409: already registered", register.FirstFailure);
        var apply = steps.Single(s => s.Step == "apply");
        Assert.Equal("HttpRequestException: connection refused", apply.FirstFailure);
        Assert.Equal((2, 2), (all!.Ok, all.Fail));
        Assert.Equal(["register", "apply"], steps.Select(s => s.Step));
    }

    [Fact]
    public async Task Under_open_load_the_first_step_counts_from_when_the_iteration_was_due()
    {
        // Coordinated omission: an iteration started 200 ms late must not report the few microseconds its
        // step took, but the 200 ms its user waited.
        var recorder = new ScenarioRecorder("s");
        recorder.Begin();
        var ctx = Context(recorder, dueAt: Clock.Now - Clock.Ticks(TimeSpan.FromMilliseconds(200)));
        await ctx.Step("first", () => Task.FromResult(StepReply.Success()));
        await ctx.Step("second", () => Task.FromResult(StepReply.Success()));
        var (steps, _, _, _, _, _) = recorder.Snapshot(TimeSpan.FromSeconds(1));
        Assert.True(steps.Single(s => s.Step == "first").Latency!.Min >= 200);
        Assert.True(steps.Single(s => s.Step == "second").Latency!.Max < 200, "only the first step carries the lateness");
    }

    [Fact]
    public async Task Waits_counted_by_record_are_steps_but_not_calls()
    {
        var recorder = new ScenarioRecorder("s");
        recorder.Begin();
        var ctx = Context(recorder);
        await ctx.Step("apply", () => Task.FromResult(StepReply.Success("201")));
        ctx.Record("window-closed (timer)", StepReply.Success("closed"), TimeSpan.FromMilliseconds(120));
        Assert.Throws<StepFailedException>(() => ctx.Record("notice (timer)", StepReply.Failure("timeout"), TimeSpan.FromSeconds(60)));
        var (steps, _, all, _, _, _) = recorder.Snapshot(TimeSpan.FromSeconds(1));
        Assert.Equal(120, steps.Single(s => s.Step == "window-closed (timer)").Latency!.P50, 0);
        Assert.Equal(1, all!.Total);
    }

    [Fact]
    public async Task Nothing_is_recorded_before_the_measured_load_begins()
    {
        var recorder = new ScenarioRecorder("s");
        await Context(recorder).Step("warm", () => Task.FromResult(StepReply.Success()));
        recorder.Iteration(true, "ok", 1, null);
        recorder.Started(5);
        Assert.Empty(recorder.Snapshot(TimeSpan.FromSeconds(1)).Steps);
        Assert.Equal(1, recorder.LiveOk); // the live progress counts the warm-up too
    }

    [Fact]
    public void Answers_are_put_in_the_second_they_came_and_each_second_has_its_own_percentiles()
    {
        var step = new StepRecorder("x", origin: 0);
        var second = Clock.Ticks(TimeSpan.FromSeconds(1));
        foreach (var ms in new[] { 1, 2, 3, 100 }) step.Record(StepReply.Success(), Clock.Ticks(TimeSpan.FromMilliseconds(ms)), at: 0);
        step.Record(StepReply.Failure("503"), 1, at: 2 * second + 5);
        step.Record(StepReply.Success(), Clock.Ticks(TimeSpan.FromMilliseconds(7)), at: 2 * second + 6);
        var stats = step.Snapshot(TimeSpan.FromSeconds(3));
        Assert.Equal(3, stats.Series.Count);
        Assert.Equal((4L, 0L), (stats.Series[0].Ok, stats.Series[0].Fail));
        Assert.Equal(100, stats.Series[0].P99!.Value, 0);
        Assert.Equal(new SeriesPoint(1, 0, 0, null, null), stats.Series[1]);
        Assert.Equal((1L, 1L), (stats.Series[2].Ok, stats.Series[2].Fail));
        Assert.Equal(7, stats.Series[2].P50!.Value, 0);
        // The whole run's histogram is every second's merged: p50 of 1, 2, 3, 7, 100.
        Assert.Equal(3, stats.Latency!.P50, 0);
        Assert.Equal(5, stats.OkHistogram.TotalCount);
        Assert.Equal(5 / 3.0, stats.Rps, 6);
    }
}
