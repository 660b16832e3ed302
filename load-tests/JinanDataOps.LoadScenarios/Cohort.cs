namespace JinanDataOps.LoadScenarios;

/// <summary>An operator taken through the whole procedure: its agreement and one provisioned data request.</summary>
public sealed record Provisioned(string Org, string Application, string Agreement, string Request);

/// <summary>Many operators through the Art. 8 procedure at once, as a scenario's set-up: one call for all,
/// two expert reviews each, the shortlist and its notice, agreements signed by both parties, one data request
/// each approved by the authority and the provider, until every one is provisioned.</summary>
public sealed class Cohort(PlatformClient platform, string runId, string name, Action<string> note)
{
    private const int Parallel = 32;
    public string Authority => $"{runId}-city";
    public string Provider => $"{runId}-bureau";
    public string Dataset => $"{runId}-trips";

    /// <summary>The provider's dataset; idempotent per run (every scenario of a mixed run uses the same one).</summary>
    public async Task EnsureDataset(CancellationToken ct)
    {
        var answer = await platform.Post("provider", Provider, "/api/datasets", Procedure.Dataset(Dataset), 201, ct);
        if (!answer.Reply.Ok && answer.Reply.Status != "409") throw new SetUpException($"creating the dataset: {answer.Reply.Message}");
    }

    public async Task<IReadOnlyList<Provisioned>> Provision(int count, long serialBase, CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        await EnsureDataset(ct);
        var orgs = Enumerable.Range(0, count).Select(i => $"{runId}-{name}-{i:D5}").ToArray();
        await ForEach(orgs, async (org, i) =>
        {
            await Expect(platform.Post("operator", org, "/api/operators", Procedure.Operator(org, serialBase + i), 201, ct));
            await Expect(platform.Post("operator", org, $"/api/operators/{org}/trainings", Procedure.Training(), 201, ct));
        });
        // Calls in rounds: each operator applies to the round's call while its window is open. The window is sized
        // from how long registering took (two requests each; applying is one), at least 5 s; an operator refused
        // as too late (Art. 8(2): a busy platform answered slower than it registered) applies to the next round's
        // call, whose window is three times longer.
        var window = TimeSpan.FromSeconds(Math.Max(5, (DateTimeOffset.UtcNow - started).TotalSeconds + 2));
        var applications = new string[count];
        var calls = new List<string>();
        var remaining = Enumerable.Range(0, count).ToList();
        for (var round = 1; remaining.Count > 0; round++, window *= 3)
        {
            if (round > 4) throw new SetUpException($"set-up: {remaining.Count} operators could not apply within four calls' windows (the last {window.TotalSeconds / 3:0} s)");
            var closesAt = DateTimeOffset.UtcNow + window;
            var call = (await Expect(platform.Post("authority", Authority, "/api/calls",
                Procedure.Call($"{runId} {name} cohort, round {round}", Dataset, closesAt, TimeSpan.FromSeconds(1)), 201, ct))).Str("id");
            await Expect(platform.Post("authority", Authority, $"/api/calls/{call}/publish", null, 200, ct));
            var late = new System.Collections.Concurrent.ConcurrentBag<int>();
            await ForEach(remaining, async (i, _) =>
            {
                var answer = await platform.Post("operator", orgs[i], $"/api/calls/{call}/applications", Procedure.Application(orgs[i]), 201, ct);
                if (answer.Reply.Ok) applications[i] = answer.Str("id");
                else if (answer.Reply.Status == "422" && answer.Reply.Message?.Contains("Art. 8(2)", StringComparison.Ordinal) == true) late.Add(i);
                else throw new SetUpException($"set-up refused: {answer.Reply.Message}");
            });
            // A call nobody applied to in time has nothing to shortlist.
            if (late.Count < remaining.Count) calls.Add(call);
            if (late.Count > 0) note($"round {round}: {late.Count} of {remaining.Count} applications came after the {window.TotalSeconds:0} s window; they apply to another call");
            remaining = [.. late.Order()];
            await Until(async () => (await platform.Get("public", "anyone", $"/api/calls/{call}", ct)).State is not "open", closesAt - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30), ct);
        }
        await ForEach(applications, async (app, _) =>
        {
            await Expect(platform.Post("expert", $"{runId}-expert-a", $"/api/applications/{app}/reviews", Procedure.Review(80, 80), 201, ct));
            await Expect(platform.Post("expert", $"{runId}-expert-b", $"/api/applications/{app}/reviews", Procedure.Review(85, 75), 201, ct));
        });
        foreach (var call in calls)
        {
            await Expect(platform.Post("authority", Authority, $"/api/calls/{call}/shortlist", null, 200, ct));
            await Until(async () => (await platform.Get("public", "anyone", $"/api/calls/{call}", ct)).State is "concluded", TimeSpan.FromSeconds(60), ct);
        }
        var result = new Provisioned[count];
        await ForEach(orgs, async (org, i) =>
        {
            var app = applications[i];
            await Until(async () => (await platform.Get("public", "anyone", $"/api/applications/{app}", ct)).State is "confirmed", TimeSpan.FromSeconds(60), ct);
            var agreement = (await Expect(platform.Post("authority", Authority, "/api/agreements", Procedure.Agreement(app, Dataset), 201, ct))).Str("id");
            await Expect(platform.Post("operator", org, $"/api/agreements/{agreement}/sign", null, 200, ct));
            await Expect(platform.Post("authority", Authority, $"/api/agreements/{agreement}/sign", null, 200, ct));
            var request = (await Expect(platform.Post("operator", org, "/api/data-requests", Procedure.DataRequest(agreement, "ridership-forecast", Dataset), 201, ct))).Str("id");
            await Expect(platform.Post("authority", Authority, $"/api/data-requests/{request}/approve", null, 200, ct));
            await Expect(platform.Post("provider", Provider, $"/api/data-requests/{request}/approve", null, 200, ct));
            await Until(async () => (await platform.Get("authority", Authority, $"/api/data-requests/{request}", ct)).State is "provisioned", TimeSpan.FromSeconds(60), ct);
            result[i] = new Provisioned(org, app, agreement, request);
        });
        note($"{count} operators provisioned through the procedure in {(DateTimeOffset.UtcNow - started).TotalSeconds:0.0} s (set-up, not measured)");
        return result;
    }

    private static async Task<Answer> Expect(Task<Answer> call)
    {
        var answer = await call;
        return answer.Reply.Ok ? answer : throw new SetUpException($"set-up refused: {answer.Reply.Message}");
    }

    private static async Task Until(Func<Task<bool>> reached, TimeSpan patience, CancellationToken ct)
    {
        var giveUp = DateTimeOffset.UtcNow + patience;
        while (!await reached())
        {
            if (DateTimeOffset.UtcNow > giveUp) throw new SetUpException($"set-up: the platform did not get there within {patience.TotalSeconds:0} s");
            await Task.Delay(100, ct);
        }
    }

    private static Task ForEach<T>(IReadOnlyList<T> items, Func<T, int, Task> body) =>
        System.Threading.Tasks.Parallel.ForEachAsync(Enumerable.Range(0, items.Count), new ParallelOptions { MaxDegreeOfParallelism = Parallel },
            async (i, _) => await body(items[i], i));
}
