using System.Collections.Concurrent;

namespace JinanDataOps.LoadDriver;

/// <summary>Where a scenario is, for the live progress.</summary>
public sealed record ScenarioProgress(string Scenario, string Phase, TimeSpan Elapsed, TimeSpan Planned, long Ok, long Fail, long InFlight, double RecentRps);

public sealed record RunOptions(string Title, string Target, string CommandLine)
{
    /// <summary>Unique per run unless given (tests pin it).</summary>
    public string RunId { get; init; } = NewRunId();

    public static string NewRunId() => "r" + Convert.ToHexString(Guid.NewGuid().ToByteArray())[..8].ToLowerInvariant();
}

/// <summary>Runs scenarios side by side: every init, then every warm-up, then the measured load, then every
/// clean-up; thresholds and checks become the run's verdicts.</summary>
public sealed class LoadRunner
{
    private readonly ConcurrentDictionary<string, Live> _live = new(StringComparer.Ordinal);

    private sealed class Live(ScenarioRecorder recorder, TimeSpan planned)
    {
        public readonly ScenarioRecorder Recorder = recorder;
        public readonly TimeSpan Planned = planned;
        public volatile string Phase = "init";
        public long PhaseStart = Clock.Now;
        public long LastOk, LastAt = Clock.Now;
        public double Rps;
        public long Iterations;
        public long Cut;
    }

    /// <summary>A snapshot for the progress display; call it as often as wanted.</summary>
    public IReadOnlyList<ScenarioProgress> Progress()
    {
        var now = Clock.Now;
        return _live.Select(kv =>
        {
            var l = kv.Value;
            var ok = Interlocked.Read(ref l.Recorder.LiveOk);
            var dt = Clock.Span(now - l.LastAt).TotalSeconds;
            if (dt >= 1)
            {
                l.Rps = (ok - l.LastOk) / dt;
                l.LastOk = ok;
                l.LastAt = now;
            }
            return new ScenarioProgress(kv.Key, l.Phase, Clock.Span(now - l.PhaseStart), l.Planned, ok,
                Interlocked.Read(ref l.Recorder.LiveFail), Interlocked.Read(ref l.Recorder.LiveInFlight), l.Rps);
        }).OrderBy(p => p.Scenario, StringComparer.Ordinal).ToArray();
    }

    public async Task<RunReport> Run(RunOptions options, IReadOnlyList<Scenario> scenarios, CancellationToken ct)
    {
        if (scenarios.Count == 0) throw new ArgumentException("Nothing to run: no scenario.");
        if (scenarios.Select(s => s.Name).Distinct().Count() != scenarios.Count) throw new ArgumentException("Two scenarios have the same name.");
        var plans = scenarios.ToDictionary(s => s.Name, s => new LoadPlan(s.Load));
        var startedAt = DateTimeOffset.UtcNow;
        var begin = Clock.Now;
        var notes = new ConcurrentQueue<string>();
        foreach (var s in scenarios) _live[s.Name] = new Live(new ScenarioRecorder(s.Name), plans[s.Name].Duration);

        // Init: all at once (a mixed run sets up its scenarios side by side); any failure stops the run.
        var data = new ConcurrentDictionary<string, object?>();
        await Task.WhenAll(scenarios.Select(async s =>
        {
            data[s.Name] = s.Init is { } init ? await init(new InitContext(options.RunId, n => notes.Enqueue($"{s.Name}: {n}"), ct)) : null;
        }));

        await Task.WhenAll(scenarios.Select(async s =>
        {
            var live = _live[s.Name];
            if (s.WarmUp > TimeSpan.Zero)
            {
                Enter(live, "warm-up");
                await Execute(s, plans[s.Name].Truncate(s.WarmUp), live, options.RunId, data[s.Name], ct);
            }
            Enter(live, "load");
            live.Recorder.Begin();
            await Execute(s, plans[s.Name], live, options.RunId, data[s.Name], ct);
            live.Recorder.Recording = false;
            if (Interlocked.Read(ref live.Cut) > 0)
                notes.Enqueue($"{s.Name}: {live.Cut} iteration(s) still running {Durations.Format(s.Grace)} after the end were cut (counted neither ok nor failed).");
        }));

        var reports = scenarios.Select(s => Report(s, plans[s.Name], _live[s.Name])).ToArray();
        var verdicts = new List<Verdict>();
        foreach (var s in scenarios)
        {
            var live = _live[s.Name];
            Enter(live, "clean");
            if (s.Clean is { } clean)
            {
                try
                {
                    verdicts.AddRange(await clean(new CleanContext(options.RunId, data[s.Name], n => notes.Enqueue($"{s.Name}: {n}"), ct)));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    verdicts.Add(new Verdict("check", s.Name, "the clean-up ran to its end", false, $"{e.GetType().Name}: {e.Message}"));
                }
            }
            verdicts.AddRange(s.Thresholds.SelectMany(t => t.Evaluate(reports)));
            Enter(live, "done");
        }
        return new RunReport(options.RunId, options.Title, options.Target, options.CommandLine, startedAt, Clock.Span(Clock.Now - begin),
            MachineInfo.Current(), reports, verdicts, [.. notes]);
    }

    /// <summary>Adds thresholds given for the whole run (the command line's) to a finished report.</summary>
    public static RunReport WithThresholds(RunReport report, IEnumerable<Threshold> thresholds) =>
        report with { Verdicts = [.. report.Verdicts, .. thresholds.SelectMany(t => t.Evaluate(report.Scenarios))] };

    private static void Enter(Live live, string phase)
    {
        live.Phase = phase;
        live.PhaseStart = Clock.Now;
    }

    private static ScenarioReport Report(Scenario s, LoadPlan plan, Live live)
    {
        var (steps, iterations, all, started, skipped, lag) = live.Recorder.Snapshot(plan.Duration);
        double? achieved = null;
        if (plan.IsOpen)
        {
            var injecting = plan.Phases.Where(p => p.IsOpen).Aggregate(TimeSpan.Zero, (sum, p) => sum + p.During);
            achieved = injecting > TimeSpan.Zero ? started / injecting.TotalSeconds : 0;
        }
        return new ScenarioReport(s.Name, s.Description, plan.ToString(), plan.Duration, iterations, all, steps, plan.TargetRate(), achieved, skipped, lag);
    }

    private static Task Execute(Scenario s, LoadPlan plan, Live live, string runId, object? data, CancellationToken ct) =>
        plan.IsOpen ? Open(s, plan, live, runId, data, ct) : Closed(s, plan, live, runId, data, ct);

    /// <summary>Closed load: a control loop keeps as many copies running as the plan says at each moment;
    /// a copy asked to stop finishes its iteration first.</summary>
    private static async Task Closed(Scenario s, LoadPlan plan, Live live, string runId, object? data, CancellationToken ct)
    {
        using var hard = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var begin = Clock.Now;
        var end = begin + Clock.Ticks(plan.Duration);
        var running = new List<(CancellationTokenSource Stop, Task Task)>();
        var retired = new List<Task>();
        long copy = 0;
        while (Clock.Now < end && !ct.IsCancellationRequested)
        {
            var target = plan.CopiesAt(Clock.Span(Clock.Now - begin));
            running.RemoveAll(c => c.Task.IsCompleted);
            while (running.Count < target)
            {
                var stop = new CancellationTokenSource();
                var id = copy++;
                running.Add((stop, Task.Run(async () =>
                {
                    while (!stop.IsCancellationRequested && Clock.Now < end && !hard.IsCancellationRequested)
                    {
                        Interlocked.Increment(ref live.Recorder.LiveInFlight);
                        await Iterate(s, live, runId, data, id, 0, hard.Token);
                    }
                }, CancellationToken.None)));
            }
            while (running.Count > target)
            {
                var last = running[^1];
                last.Stop.Cancel();
                retired.Add(last.Task);
                running.RemoveAt(running.Count - 1);
            }
            try
            {
                await Task.Delay(50, ct);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        foreach (var c in running) c.Stop.Cancel();
        await Drain([.. running.Select(c => c.Task), .. retired], s.Grace, hard);
    }

    /// <summary>Open load: iterations start when due whatever the platform does. The schedule runs on a thread of
    /// its own that sleeps until the next is due (the OS wakes it within about a millisecond, however busy the thread
    /// pool is with answers) and starts all that are due; each one's lateness, the dispatch lag, is recorded and
    /// counted in its latency.</summary>
    private static async Task Open(Scenario s, LoadPlan plan, Live live, string runId, object? data, CancellationToken ct)
    {
        using var hard = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var inFlight = new List<Task>();
        var dispatched = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var dispatcher = new Thread(() =>
        {
            try
            {
                var begin = Clock.Now;
                long copy = 0;
                foreach (var offset in plan.Starts())
                {
                    var due = begin + Clock.Ticks(offset);
                    SleepUntil(due, ct);
                    if (ct.IsCancellationRequested) break;
                    if (Interlocked.Read(ref live.Recorder.LiveInFlight) >= s.MaxInFlight)
                    {
                        live.Recorder.Skipped();
                        continue;
                    }
                    live.Recorder.Started(Math.Max(0, Clock.Now - due));
                    // Counted here, not in the iteration's task, so the cap above sees it before the next start.
                    Interlocked.Increment(ref live.Recorder.LiveInFlight);
                    var id = copy++;
                    inFlight.Add(Task.Run(() => Iterate(s, live, runId, data, id, due, hard.Token), CancellationToken.None));
                    if (inFlight.Count >= 4096) inFlight.RemoveAll(t => t.IsCompleted);
                }
                // The plan can end in a pause: the load lasts its whole duration all the same.
                SleepUntil(begin + Clock.Ticks(plan.Duration), ct);
                dispatched.SetResult();
            }
            catch (Exception e)
            {
                dispatched.SetException(e);
            }
        }) { IsBackground = true, Name = $"dispatch {s.Name}", Priority = ThreadPriority.AboveNormal };
        dispatcher.Start();
        await dispatched.Task;
        await Drain(inFlight, s.Grace, hard);
    }

    private static void SleepUntil(long at, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var left = Clock.Span(at - Clock.Now);
            if (left <= TimeSpan.Zero) return;
            // Long waits in slices, so an interruption is seen within a tenth of a second.
            Thread.Sleep(left > TimeSpan.FromMilliseconds(100) ? TimeSpan.FromMilliseconds(100) : left < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : left);
        }
    }

    private static async Task Drain(IReadOnlyList<Task> tasks, TimeSpan grace, CancellationTokenSource hard)
    {
        try
        {
            await Task.WhenAll(tasks).WaitAsync(grace);
        }
        catch (TimeoutException)
        {
            await hard.CancelAsync();
            await Task.WhenAll(tasks);
        }
    }

    /// <summary>One iteration; the caller has counted it in flight, and this uncounts it when it ends.</summary>
    private static async Task Iterate(Scenario s, Live live, string runId, object? data, long copy, long dueAt, CancellationToken hard)
    {
        var rec = live.Recorder;
        var start = dueAt != 0 ? dueAt : Clock.Now;
        var context = new IterationContext(rec, runId, data, copy, Interlocked.Increment(ref live.Iterations), dueAt, hard);
        try
        {
            await s.Run(context);
            rec.Iteration(true, "ok", Clock.Now - start, null);
        }
        catch (StepFailedException f)
        {
            rec.Iteration(false, $"failed at {f.Step}", Clock.Now - start, f.Message);
        }
        catch (OperationCanceledException) when (hard.IsCancellationRequested)
        {
            Interlocked.Increment(ref live.Cut);
        }
        catch (Exception e)
        {
            // The scenario's own code threw outside a step: counted, with what it was, so it is seen and fixed.
            rec.Iteration(false, e.GetType().Name, Clock.Now - start, e.Message);
        }
        finally
        {
            Interlocked.Decrement(ref rec.LiveInFlight);
        }
    }
}
