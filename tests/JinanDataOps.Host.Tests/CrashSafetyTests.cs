using System.Text.Json;
using JinanDataOps.Host.Tests.Infrastructure;
using static JinanDataOps.Host.Tests.Infrastructure.Procedure;

namespace JinanDataOps.Host.Tests;

/// <summary>E. Crash safety: drive the procedure into several states, kill the host process hard (the whole
/// tree, no graceful stop), start it again on the same directory and SQLite file, and check that every
/// state and work log survived, that pending consequences still happen, and that the timers fire after
/// the restart.</summary>
public sealed class CrashSafetyTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private readonly HostProcess _host = fixture.Host;
    private readonly ApiClient _api = fixture.Api;
    private readonly Procedure _p = fixture.Procedure;

    private readonly string _authority = Unique("city");
    private readonly string _provider = Unique("bureau");
    private readonly string _op1 = Unique("op-active");
    private readonly string _op2 = Unique("op-suspended");
    private readonly string _op3 = Unique("op-expiring");
    private readonly string _data = Unique("bus-ridership");

    [Fact]
    public async Task States_logs_and_timers_survive_a_hard_kill()
    {
        var authority = await _api.Token("authority", _authority);
        await _p.Dataset(_provider, _data, "transport", ("line", false), ("boardings", false));
        foreach (var op in new[] { _op1, _op2, _op3 }) await _p.Operator(op, trained: true);

        // A call driven to its conclusion.
        var closesAt = DateTimeOffset.UtcNow + Ahead;
        var call = await _p.OpenCall(_authority, "comprehensive", closesAt, "PT3S", domains: ["transport"]);
        var app1 = await _p.Apply(call, _op1);
        var app2 = await _p.Apply(call, _op2);
        var app3 = await _p.Apply(call, _op3);
        await Past(closesAt);
        await _p.UntilCallState(call, "closed");
        foreach (var app in new[] { app1, app2, app3 })
        {
            await _p.Review(app, "expert-e1", 75, 75);
            await _p.Review(app, "expert-e2", 85, 65);
        }
        await _p.Shortlist("authority", _authority, call);
        await _p.UntilCallState(call, "concluded");
        foreach (var app in new[] { app1, app2, app3 }) await _p.UntilApplicationState(app, "confirmed");

        // An active agreement with a provisioned request.
        var a1 = (await _p.Draft("authority", _authority, AgreementBody(app1, [_data], DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(365)))).Id;
        await _p.SignBoth(a1, _op1, "authority", _authority);
        var r1 = (await _p.Request(_op1, a1, "ridership-dashboard", [_data])).Expect(201).Id;
        (await _p.Approve("authority", _authority, r1)).Expect(200);
        (await _p.Approve("provider", _provider, r1)).Expect(200);
        await _p.UntilRequestState(r1, _authority, "provisioned");

        // A second one, provisioned too; it will be suspended just before the kill.
        var a2 = (await _p.Draft("authority", _authority, AgreementBody(app2, [_data], DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(365)))).Id;
        await _p.SignBoth(a2, _op2, "authority", _authority);
        var r2 = (await _p.Request(_op2, a2, "ridership-forecast", [_data])).Expect(201).Id;
        (await _p.Approve("provider", _provider, r2)).Expect(200);
        (await _p.Approve("authority", _authority, r2)).Expect(200);
        await _p.UntilRequestState(r2, _authority, "provisioned");

        // An agreement whose end falls after the restart, with a live request under it. It and the call
        // below are set up last, their timers Ahead, so the kill comes long before either is due.
        var a3EndsAt = DateTimeOffset.UtcNow + Ahead;
        var a3 = (await _p.Draft("authority", _authority, AgreementBody(app3, [_data], DateTimeOffset.UtcNow.AddMinutes(-1), a3EndsAt))).Id;
        await _p.SignBoth(a3, _op3, "authority", _authority);
        var r3 = (await _p.Request(_op3, a3, "stop-usage", [_data])).Expect(201).Id;

        // A call whose window closes after the restart.
        var lateCloses = DateTimeOffset.UtcNow + Ahead;
        var openCall = await _p.OpenCall(_authority, "graded", lateCloses, "P5D", domains: ["transport"]);

        // Suspend a2 and kill straight away: its consequence (r2 suspended) may still be pending.
        (await _api.Post(authority, $"/api/agreements/{a2}/suspend", new
        {
            reason = "failed the 2027 evaluation",
            rectification = new { items = new[] { "fix access logging" }, deadline = Iso(DateTimeOffset.UtcNow.AddDays(10)) },
        })).Expect(200);

        // Snapshot of what must survive, taken just before the kill.
        var before = new Dictionary<string, string>
        {
            [$"/api/calls/{call}"] = "concluded",
            [$"/api/applications/{app1}"] = "confirmed",
            [$"/api/agreements/{a1}"] = "active",
            [$"/api/agreements/{a2}"] = "suspended",
            [$"/api/agreements/{a3}"] = "active",
            [$"/api/data-requests/{r1}"] = "provisioned",
            [$"/api/data-requests/{r3}"] = "submitted",
            [$"/api/calls/{openCall}"] = "open",
            [$"/api/operators/{_op1}"] = "authorized",
        };
        foreach (var (path, state) in before) Assert.Equal(state, (await _api.Get(authority, path)).Expect(200).State);
        var log1Before = LogText(await _p.Log(a1, _authority));
        var log2Before = LogText(await _p.Log(a2, _authority));
        Assert.True(DateTimeOffset.UtcNow < lateCloses && DateTimeOffset.UtcNow < a3EndsAt,
            "the machine was too slow to reach the kill before the timers were due; the timers would not be tested across the restart");

        // ---- Crash ----------------------------------------------------------------------------
        var oldAddress = _host.BaseAddress;
        _host.Kill();
        var killedAt = DateTimeOffset.UtcNow;
        Assert.False(_host.IsRunning);
        using (var probe = new HttpClient())
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => probe.GetAsync(new Uri(oldAddress, "health/live")));
        await _host.StartAsync();
        Assert.Equal(2, _host.Starts);

        // ---- Everything is as it was (tokens issued before the crash are still valid) -----------
        foreach (var (path, state) in before.Where(b => !b.Key.EndsWith(openCall, StringComparison.Ordinal) && !b.Key.EndsWith(a3, StringComparison.Ordinal) && !b.Key.EndsWith(r3, StringComparison.Ordinal)))
            Assert.Equal(state, (await _api.Get(authority, path)).Expect(200).State);
        Assert.Equal(log1Before, LogText(await _p.Log(a1, _authority)));
        Assert.Equal(log2Before, LogText(await _p.Log(a2, _authority)));
        var a2After = await _p.Agreement(a2, _authority);
        Assert.Equal("fix access logging", a2After["rectification"].GetProperty("items")[0].GetString());
        var application = await _p.Application(app1, _authority);
        Assert.Equal(2, application["reviews"].GetArrayLength());
        Assert.Equal(76m, application["score"].GetDecimal());

        // The consequence of the suspension happens, whether or not it had before the kill.
        await _p.UntilRequestState(r2, _authority, "suspended");

        // The read model is rebuilt from the journal.
        await _p.UntilListed(call, "concluded");

        // ---- Timers fire after the restart ------------------------------------------------------
        await Past(lateCloses);
        await _p.UntilCallState(openCall, "closed");
        await Past(a3EndsAt);
        var expired = await _api.UntilState(authority, $"/api/agreements/{a3}", "expired");
        var expiry = (await _p.Log(a3, _authority)).Single(e => e.GetProperty("event").GetString() == "agreement-expired");
        Assert.True(expiry.GetProperty("at").GetDateTimeOffset() > killedAt,
            $"expired at {expiry.GetProperty("at")}, before the kill at {killedAt:O}: the restarted host did not fire the timer");
        Assert.True(expiry.GetProperty("at").GetDateTimeOffset() >= AsSent(a3EndsAt), expiry.ToString());
        Assert.Contains("Art. 8(5)", expired.Str("endReason"));
        await _p.UntilRequestState(r3, _authority, "revoked");

        // ---- And the platform keeps working: rectify and restore a2 -----------------------------
        (await _api.Post(await _api.Token("operator", _op2), $"/api/agreements/{a2}/rectification-reports", new { summary = "access logging fixed" })).Expect(201);
        Assert.Equal("active", (await _api.Post(authority, $"/api/agreements/{a2}/restore")).Expect(200).State);
        await _p.UntilRequestState(r2, _authority, "provisioned");
        var log2 = await _p.Log(a2, _authority);
        Assert.Equal(new[] { "agreement-drafted", "agreement-signed", "agreement-signed", "agreement-activated", "agreement-suspended", "rectification-reported", "agreement-restored" },
            log2.Select(e => e.GetProperty("event").GetString()));
    }

    private static string LogText(IEnumerable<JsonElement> entries) => string.Join('\n', entries.Select(e => e.GetRawText()));
}
