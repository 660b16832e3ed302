using System.Text;
using JinanDataOps.LoadDriver;

namespace JinanDataOps.LoadScenarios.Scenarios;

/// <summary>Sandboxes posting NDJSON activity in bulk for many provisioned operators (Art. 15), while a few
/// operators try to export raw data (Art. 13), one after another through the run. Two scenarios side by side:
/// <c>sandbox-burst</c> (the bulk: each iteration one batch, answered 202 once durably recorded and judged) and
/// <c>sandbox-violations</c> (each iteration one export attempt, then the time until its data request reads
/// suspended). At the end every violator must be suspended and no innocent operator.</summary>
public static class SandboxBurst
{
    public const string Name = "sandbox-burst";
    public const string Violations = "sandbox-violations";

    private sealed record Fixture(PlatformClient Platform, Cohort Cohort, IReadOnlyList<Provisioned> Innocent, IReadOnlyList<Provisioned> Violators, string[] Batches);

    public static Scenario[] Create(PlatformClient platform, ScenarioSettings settings)
    {
        if (settings.Operators < 1) throw new ArgumentException("sandbox-burst needs at least one operator (--operators).");
        if (settings.Violators < 1) throw new ArgumentException("sandbox-burst needs at least one violator (--violators).");
        // One set-up for the two scenarios, whichever init asks first (the runner starts them side by side).
        var gate = new object();
        Task<Fixture>? fixture = null;
        Task<Fixture> Fixture(InitContext init)
        {
            lock (gate) return fixture ??= Prepare(platform, settings, init);
        }
        var sandbox = (string runId) => $"{runId}-sandbox";

        var burst = new Scenario(Name, async ctx =>
        {
            var f = (Fixture)ctx.Data!;
            var body = f.Batches[ctx.Iteration % f.Batches.Length];
            await ctx.Call("post-batch", () => f.Platform.PostNdjson("sandbox", sandbox(ctx.RunId), "/api/sandbox/events", body, 202, ctx.Cancellation));
        })
        {
            Description = $"{settings.Sandboxes} sandbox(es) post NDJSON batches of {settings.Batch:N0} clean query events spread over {settings.Operators:N0} provisioned operators; 202 means durably recorded and judged. Events/s = ok/s × {settings.Batch:N0}.",
            Init = async init => await Fixture(init),
            WarmUp = settings.WarmUp,
            Load = Loads.For(settings, settings.Sandboxes),
        }.WithThresholds("fail%<1");

        // The violations are spread evenly over the measured run (after the warm-up): exactly one per violator.
        var violations = new Scenario(Violations, async ctx =>
        {
            var f = (Fixture)ctx.Data!;
            var v = f.Violators[(int)((ctx.Iteration - 1) % f.Violators.Count)];
            var posted = DateTimeOffset.UtcNow;
            await ctx.Call("post-export", () => f.Platform.PostNdjson("sandbox", sandbox(ctx.RunId), "/api/sandbox/events",
                Procedure.Event(v.Org, v.Request, f.Cohort.Dataset, kind: "export", rows: 50_000), 202, ctx.Cancellation));
            await ctx.Until("suspended (detection)", posted, async () =>
                    OperatorLifecycle.State(await f.Platform.Get("authority", f.Cohort.Authority, $"/api/data-requests/{v.Request}", ctx.Cancellation), s => s == "suspended"),
                TimeSpan.FromMilliseconds(2), TimeSpan.FromSeconds(30));
        })
        {
            Description = $"{settings.Violators} operator(s) each attempt one raw-data export (Art. 13) during the burst, evenly spread; 'suspended (detection)' is the time from posting it until its data request reads suspended (polled every 2 ms).",
            Init = async init => await Fixture(init),
            // No warm-up of its own: each violator violates once, all of them while the burst is measured (after
            // the burst's warm-up), evenly spread.
            Load = settings.WarmUp > TimeSpan.Zero
                ? [new LoadSimulation.Pause(settings.WarmUp), new LoadSimulation.Inject(settings.Violators, settings.Duration, settings.Duration)]
                : [new LoadSimulation.Inject(settings.Violators, settings.Duration, settings.Duration)],
            Clean = async clean => await Check((Fixture)clean.Data!, clean.Cancellation),
        }.WithThresholds("fail%<1");
        return [burst, violations];
    }

    private static async Task<Fixture> Prepare(PlatformClient platform, ScenarioSettings settings, InitContext init)
    {
        var cohort = new Cohort(platform, init.RunId, "sandbox", init.Note);
        var all = await cohort.Provision(settings.Operators + settings.Violators, ScenarioSettings.SerialBase(init.RunId) + 60_000, init.Cancellation);
        var innocent = all.Take(settings.Operators).ToArray();
        var violators = all.Skip(settings.Operators).ToArray();
        // A handful of distinct batches, each spreading its events over every innocent operator in turn.
        var batches = Enumerable.Range(0, 8).Select(b =>
        {
            var text = new StringBuilder();
            for (var i = 0; i < settings.Batch; i++)
            {
                var op = innocent[(b * settings.Batch + i) % innocent.Length];
                if (i > 0) text.Append('\n');
                text.Append(Procedure.Event(op.Org, op.Request, cohort.Dataset));
            }
            return text.ToString();
        }).ToArray();
        return new Fixture(platform, cohort, innocent, violators, batches);
    }

    /// <summary>The closed loop held (Art. 15): every violator's request is suspended, and every innocent
    /// operator's request is still provisioned and its agreement active.</summary>
    private static async Task<IReadOnlyList<Verdict>> Check(Fixture f, CancellationToken ct)
    {
        var p = f.Platform;
        var authority = f.Cohort.Authority;
        var notSuspended = new List<string>();
        foreach (var v in f.Violators)
        {
            var state = (await p.Get("authority", authority, $"/api/data-requests/{v.Request}", ct)).State;
            if (state != "suspended") notSuspended.Add($"{v.Org} ({state})");
        }
        var wronglySuspended = new List<string>();
        await Parallel.ForEachAsync(f.Innocent, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (op, _) =>
        {
            var request = (await p.Get("authority", authority, $"/api/data-requests/{op.Request}", ct)).State;
            var agreement = (await p.Get("authority", authority, $"/api/agreements/{op.Agreement}", ct)).State;
            if (request != "provisioned" || agreement != "active")
                lock (wronglySuspended) wronglySuspended.Add($"{op.Org} (request {request}, agreement {agreement})");
        });
        return
        [
            new Verdict("check", Violations, "every violator's data request is suspended (Art. 13, 15)", notSuspended.Count == 0,
                notSuspended.Count == 0 ? $"{f.Violators.Count} of {f.Violators.Count} suspended" : $"not suspended: {string.Join(", ", notSuspended.Take(10))}"),
            new Verdict("check", Name, "no innocent operator is suspended: requests provisioned, agreements active", wronglySuspended.Count == 0,
                wronglySuspended.Count == 0 ? $"{f.Innocent.Count} of {f.Innocent.Count} untouched" : $"{wronglySuspended.Count} touched: {string.Join(", ", wronglySuspended.Take(10))}"),
        ];
    }
}
