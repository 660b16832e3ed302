namespace JinanDataOps.LoadDriver;

/// <summary>What a step answered: ok or not, a status ("201", "timeout", "suspended") counted per step, the
/// bytes moved, and for a failure a message (the first one of each step is kept for the report).</summary>
public sealed record StepReply(bool Ok, string Status, long Bytes = 0, string? Message = null)
{
    public static StepReply Success(string status = "ok", long bytes = 0) => new(true, status, bytes);
    public static StepReply Failure(string status, string? message = null, long bytes = 0) => new(false, status, bytes, message);
}

/// <summary>A failed step ends its iteration (as in NBomber): the next steps depend on it.</summary>
public sealed class StepFailedException(string step, StepReply reply)
    : Exception($"step '{step}' failed: {reply.Status}{(reply.Message is { } m ? $" — {m}" : "")}")
{
    public string Step { get; } = step;
    public StepReply Reply { get; } = reply;
}

/// <summary>One iteration of one copy of a scenario: runs its steps, each timed and counted under its name.</summary>
public sealed class IterationContext
{
    private readonly ScenarioRecorder _recorder;
    private long _dueAt;

    internal IterationContext(ScenarioRecorder recorder, string runId, object? data, long copy, long iteration, long dueAt, CancellationToken cancellation)
    {
        _recorder = recorder;
        RunId = runId;
        Data = data;
        Copy = copy;
        Iteration = iteration;
        _dueAt = dueAt;
        Cancellation = cancellation;
    }

    /// <summary>Unique per run: scenarios put it into every id they create, so runs never collide.</summary>
    public string RunId { get; }

    /// <summary>What the scenario's init returned (tokens, ids of shared fixtures).</summary>
    public object? Data { get; }

    public long Copy { get; }

    /// <summary>Unique within the scenario over the whole run (warm-up included).</summary>
    public long Iteration { get; }

    public CancellationToken Cancellation { get; }

    /// <summary>Runs and times a step; a failed reply or an exception is counted and ends the iteration.
    /// Under open load the first step is timed from the instant the iteration was due, so a driver that
    /// falls behind its schedule shows up as latency instead of vanishing (coordinated omission).</summary>
    public async Task<StepReply> Step(string name, Func<Task<StepReply>> action)
    {
        var start = _dueAt != 0 ? _dueAt : Clock.Now;
        _dueAt = 0;
        StepReply reply;
        try
        {
            reply = await action();
        }
        catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            reply = StepReply.Failure(e is TaskCanceledException or TimeoutException ? "timeout" : e.GetType().Name, e.Message);
        }
        _recorder.Record(name, reply, Clock.Now - start);
        if (!reply.Ok) throw new StepFailedException(name, reply);
        return reply;
    }

    /// <summary>Counts a step measured elsewhere, e.g. how late a platform timer fired after its instant.</summary>
    public void Record(string name, StepReply reply, TimeSpan latency)
    {
        _recorder.Record(name, reply, Clock.Ticks(latency), call: false);
        if (!reply.Ok) throw new StepFailedException(name, reply);
    }
}

/// <summary>One clock for the driver: Stopwatch ticks (monotonic, high resolution).</summary>
public static class Clock
{
    public static long Now => System.Diagnostics.Stopwatch.GetTimestamp();
    public static long Ticks(TimeSpan t) => (long)(t.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
    public static TimeSpan Span(long ticks) => TimeSpan.FromSeconds(ticks / (double)System.Diagnostics.Stopwatch.Frequency);
    public static double Ms(long ticks) => ticks * 1000.0 / System.Diagnostics.Stopwatch.Frequency;
}
