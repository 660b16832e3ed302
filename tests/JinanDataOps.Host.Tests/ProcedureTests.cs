using System.Text.Json;
using JinanDataOps.Host.Tests.Infrastructure;
using static JinanDataOps.Host.Tests.Infrastructure.Procedure;

namespace JinanDataOps.Host.Tests;

/// <summary>A. The whole procedure of the Measures, end to end, over HTTP against the real host: datasets,
/// operators, calls (comprehensive and domain), applications, review, shortlist, public notice with
/// objections, agreements with every Art. 9 clause, data requests with both approvals, training,
/// suspension with rectification, restoration, termination, asset disposal — and the timers: the window
/// closing, the notice ending, an agreement expiring at its end, and a rectification deadline passing.</summary>
public sealed class ProcedureTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private readonly ApiClient _api = fixture.Api;
    private readonly Procedure _p = fixture.Procedure;

    private readonly string _authority = Unique("city");
    private readonly string _transport = Unique("bureau-transport");
    private readonly string _finance = Unique("bureau-finance");

    /// <summary>The main operator: objection dismissed, agreement suspended, restored, terminated, closed.</summary>
    private readonly string _op1 = Unique("op-main");

    /// <summary>Domain call; its agreement reaches its end and expires by itself.</summary>
    private readonly string _op2 = Unique("op-expiry");

    /// <summary>Suspended and never rectified: the deadline terminates the agreement by itself.</summary>
    private readonly string _op3 = Unique("op-deadline");

    /// <summary>An objection against it is upheld: rejected.</summary>
    private readonly string _op4 = Unique("op-objected");

    private readonly string _busData = Unique("bus-ridership");
    private readonly string _clinicData = Unique("clinic-visits");
    private readonly string _taxData = Unique("tax-records");

    [Fact]
    public async Task The_whole_procedure_runs_end_to_end()
    {
        var authority = await _api.Token("authority", _authority);
        var regulator = await _api.Token("regulator", "cac-jinan");
        var citizen = await _api.Token("public", "citizen-1");

        // ---- Public data (Art. 3) and operators (Art. 14, 16) ----------------------------------
        var bus = await _p.Dataset(_transport, _busData, "transport", ("line", false), ("stop", false), ("boardings", false));
        Assert.Equal(_transport, bus.Str("owner"));
        var clinic = await _p.Dataset(_transport, _clinicData, "medical", ("patient-id", true), ("visit-date", false));
        Assert.Contains(clinic["fields"].EnumerateArray(), f => f.GetProperty("name").GetString() == "patient-id" && f.GetProperty("sensitive").GetBoolean());
        await _p.Dataset(_finance, _taxData, "finance", ("district", false), ("revenue", false));
        await _api.Eventually(async () =>
        {
            var list = (await _api.Get(citizen, "/api/datasets")).Expect(200);
            var ids = list.Json.EnumerateArray().Select(d => d.GetProperty("id").GetString()).ToArray();
            Assert.Contains(_busData, ids);
            Assert.Contains(_clinicData, ids);
            Assert.Contains(_taxData, ids);
        });

        var registered = await _p.Operator(_op1);
        Assert.Equal(18, registered.Str("creditCode").Length);
        Assert.Equal("Zhang Wei", registered.Str("legalRepresentative"));
        await _p.Operator(_op2, trained: true);
        await _p.Operator(_op3, trained: true);
        await _p.Operator(_op4);

        // ---- Calls for applications (Art. 8(1)) ----------------------------------------------
        // Every timer below is set Ahead: the requests that must beat it never race it.
        var closesAt = DateTimeOffset.UtcNow + Ahead;
        var comprehensive = await _p.CreateCall(_authority, CallBody("comprehensive", "Comprehensive authorization 2027", DateTimeOffset.UtcNow.AddMinutes(-1), closesAt, Iso(Ahead),
            domains: ["transport", "medical", "finance"]));
        await _p.Publish(_authority, comprehensive);
        var domain = await _p.OpenCall(_authority, "domain", closesAt, "PT3S", datasets: [_busData], providerId: _transport, title: "Transport domain authorization 2027");
        var domainCall = (await _api.Get(citizen, $"/api/calls/{domain}")).Expect(200);
        Assert.Equal("domain", domainCall.Str("mode"));
        Assert.Equal(_transport, domainCall.Str("providerId"));
        Assert.Equal("PT3S", domainCall.Str("noticePeriod"));

        // ---- Applications inside the window (Art. 8(2)) -------------------------------------
        var app1 = await _p.Apply(comprehensive, _op1);
        // Experts score only once the window has closed (Art. 8(3)).
        (await _api.Post(await _api.Token("expert", "expert-early"), $"/api/applications/{app1}/reviews", new { scores = new { capability = 90, security = 90 } }))
            .ExpectProblem(422, "rule-violation", "Art. 8(3)");
        var app3 = await _p.Apply(comprehensive, _op3);
        var app4 = await _p.Apply(comprehensive, _op4);
        var app2 = await _p.Apply(domain, _op2);
        var listed = await _p.UntilListed(comprehensive);
        Assert.Equal("Comprehensive authorization 2027", listed.GetProperty("title").GetString());

        // ---- The window closes by itself; two experts review --------------------------------
        await Past(closesAt);
        await _p.UntilCallState(comprehensive, "closed");
        await _p.UntilCallState(domain, "closed");
        var expert1 = Unique("expert");
        var expert2 = Unique("expert");
        foreach (var app in new[] { app1, app3, app4 })
        {
            await _p.Review(app, expert1, 80, 70);   // 0.6 × 80 + 0.4 × 70 = 76
            await _p.Review(app, expert2, 90, 60);   // 0.6 × 90 + 0.4 × 60 = 78
        }
        await _p.Review(app2, expert1, 70, 70);
        await _p.Review(app2, expert2, 65, 75);
        var reviewed = await _p.Application(app1, _authority);
        Assert.Equal("under-review", reviewed.State);
        Assert.Equal(77m, reviewed["score"].GetDecimal());
        Assert.Equal(2, reviewed["reviews"].GetArrayLength());
        await _p.UntilCallState(comprehensive, "under-review");

        // ---- Shortlist and public notice (Art. 8(3)) ----------------------------------------
        var shortlist = await _p.Shortlist("authority", _authority, comprehensive);
        var noticeEnds = shortlist["noticeEndsAt"].GetDateTimeOffset();
        Assert.All(shortlist["applications"].EnumerateArray(), a => Assert.Equal("shortlisted", a.GetProperty("state").GetString()));
        Assert.Equal(3, shortlist["applications"].GetArrayLength());
        await _p.Shortlist("provider", _transport, domain);   // a domain call's provider co-organises the review

        var objection1 = (await _api.Post(citizen, $"/api/applications/{app1}/objections", new { reason = "the applicant's data centre is not in Jinan" })).Expect(201);
        var objection4 = (await _api.Post(citizen, $"/api/applications/{app4}/objections", new { reason = "the applicant was fined for a data leak in 2025" })).Expect(201);
        var publicView = (await _api.Get(citizen, $"/api/applications/{app1}")).Expect(200);
        Assert.Equal(JsonValueKind.Null, publicView["materials"].ValueKind);   // the public sees the notice, not the materials
        Assert.Single(publicView["objections"].EnumerateArray());
        var dismissed = (await _api.Post(authority, $"/api/objections/{objection1.Id}/resolve", new { upheld = false })).Expect(200);
        Assert.Equal("dismissed", dismissed.State);
        var upheld = (await _api.Post(authority, $"/api/objections/{objection4.Id}/resolve", new { upheld = true })).Expect(200);
        Assert.Equal("upheld", upheld.State);
        Assert.Equal("rejected", upheld.Str("applicationState"));

        // ---- The notice ends by itself: confirmed (Art. 8(4): 公示无异议) ----------------------
        await Past(noticeEnds);
        await _p.UntilCallState(comprehensive, "concluded");
        await _p.UntilApplicationState(app1, "confirmed");
        await _p.UntilApplicationState(app3, "confirmed");
        await _p.UntilApplicationState(app2, "confirmed");
        var rejected = await _p.Application(app4, _authority);
        Assert.Equal("rejected", rejected.State);
        Assert.Contains("upheld", rejected.Str("rejectionReason"));
        await _p.UntilListed(comprehensive, "concluded");

        // ---- Agreements (Art. 8(4), 9) ------------------------------------------------------
        var template = (await _api.Get(await _api.Token("operator", _op1), "/api/agreement-template")).Expect(200);
        var templateFields = template["clauses"].EnumerateArray().Select(c => c.GetProperty("field").GetString()!).ToArray();
        var body1 = AgreementBody(app1, [_busData, _clinicData, _taxData], DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(365));
        foreach (var field in templateFields.Where(f => f is not ("parties" or "startsAt/endsAt"))) Assert.True(body1.ContainsKey(field), $"the model text names {field}");
        var agreement1 = await _p.Draft("authority", _authority, body1);
        var a1 = agreement1.Id;
        Assert.Equal("authority", agreement1["authorizingUnit"].GetProperty("role").GetString());
        Assert.Equal(_op1, agreement1.Str("operatorId"));
        Assert.Equal("comprehensive", agreement1.Str("mode"));
        (await _api.Post(await _api.Token("operator", _op1), $"/api/agreements/{a1}/sign")).Expect(200);
        Assert.Equal("drafted", (await _p.Agreement(a1, _authority)).State);   // one signature is not enough
        Assert.Equal("active", (await _api.Post(authority, $"/api/agreements/{a1}/sign")).Expect(200).State);
        await _p.UntilOperatorState(_op1, _authority, "authorized");

        // The domain agreement is the provider's (Art. 7); it ends soon and expires by itself (Art. 8(5)).
        // Its data request is provisioned before that end.
        var a2EndsAt = DateTimeOffset.UtcNow + Ahead;
        var a2 = (await _p.Draft("provider", _transport, AgreementBody(app2, [_busData], DateTimeOffset.UtcNow.AddMinutes(-1), a2EndsAt))).Id;
        await _p.SignBoth(a2, _op2, "provider", _transport);

        // ---- Data requests: both consents, in any order (Art. 12) ---------------------------
        var r2 = (await _p.Request(_op2, a2, "bus-crowding-forecast", [_busData])).Expect(201).Id;
        Assert.Equal("submitted", (await _p.Approve("authority", _authority, r2)).Expect(200).State);
        Assert.Equal("approved", (await _p.Approve("provider", _transport, r2)).Expect(200).State);
        await _p.UntilRequestState(r2, _authority, "provisioned");   // op2 is trained (Art. 16)

        var a3 = (await _p.Draft("authority", _authority, AgreementBody(app3, [_busData], DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(30)))).Id;
        await _p.SignBoth(a3, _op3, "authority", _authority);

        var r1 = (await _p.Request(_op1, a1, "clinic-bus-access", [_busData, _clinicData, _taxData], consentEvidence: "patients' consent, register JN-2026-17")).Expect(201);
        Assert.Equal(new[] { "authority", $"provider:{_finance}", $"provider:{_transport}" }, r1["requiredApprovals"].EnumerateArray().Select(a => a.GetString()).Order().ToArray());
        var req1 = r1.Id;
        Assert.Equal("submitted", (await _p.Approve("provider", _finance, req1)).Expect(200).State);
        Assert.Equal("submitted", (await _p.Approve("authority", _authority, req1)).Expect(200).State);
        var approved = (await _p.Approve("provider", _transport, req1)).Expect(200);
        Assert.Equal("approved", approved.State);
        Assert.Equal(3, approved["approvals"].GetArrayLength());

        // Not provisioned without training (Art. 16). A later event's consequence becoming visible
        // (op3's request provisioned) proves the approval's consequence has been handled already.
        var r3 = (await _p.Request(_op3, a3, "bus-stop-usage", [_busData])).Expect(201).Id;
        (await _p.Approve("provider", _transport, r3)).Expect(200);
        (await _p.Approve("authority", _authority, r3)).Expect(200);
        await _p.UntilRequestState(r3, _authority, "provisioned");
        Assert.Equal("approved", (await _api.Get(authority, $"/api/data-requests/{req1}")).Expect(200).State);
        await _p.Train(_op1);
        await _p.UntilRequestState(req1, _authority, "provisioned");

        // ---- A suspended agreement whose rectification deadline passes terminates by itself ---
        var a3Deadline = DateTimeOffset.UtcNow + Ahead;
        var suspended3 = (await _api.Post(authority, $"/api/agreements/{a3}/suspend",
            new { reason = "failed the 2027 evaluation", rectification = new { items = new[] { "appoint a security officer" }, deadline = Iso(a3Deadline) } })).Expect(200);
        Assert.Equal("suspended", suspended3.State);
        Assert.Equal(Iso(a3Deadline), Iso(suspended3["rectification"].GetProperty("deadline").GetDateTimeOffset()));

        // ---- Suspension with a rectification order stops data use at once (Art. 18) ----------
        var suspended1 = (await _api.Post(authority, $"/api/agreements/{a1}/suspend", new
        {
            reason = "critical alert: export attempt of raw data",
            rectification = new { items = new[] { "retrain staff", "audit export controls" }, deadline = Iso(DateTimeOffset.UtcNow.AddDays(30)) },
        })).Expect(200);
        Assert.Equal("suspended", suspended1.State);
        Assert.Equal(2, suspended1["rectification"].GetProperty("items").GetArrayLength());
        var r1Suspended = await _p.UntilRequestState(req1, _authority, "suspended");
        Assert.Contains("Art. 18", r1Suspended.Str("suspensionReason"));
        await _p.UntilOperatorState(_op1, _authority, "suspended");
        // Restoring needs the rectification reported first.
        (await _api.Post(authority, $"/api/agreements/{a1}/restore")).ExpectProblem(422, "rule-violation", "Art. 18");
        (await _api.Post(await _api.Token("operator", _op1), $"/api/agreements/{a1}/rectification-reports", new { summary = "staff retrained on 2027-03-02; export controls audited" })).Expect(201);
        Assert.Equal("active", (await _api.Post(authority, $"/api/agreements/{a1}/restore")).Expect(200).State);
        await _p.UntilRequestState(req1, _authority, "provisioned");
        await _p.UntilOperatorState(_op1, _authority, "authorized");

        // ---- Termination revokes data use; disposal of assets closes the agreement ------------
        var terminated = (await _api.Post(authority, $"/api/agreements/{a1}/terminate", new { reason = "serious violation: raw data left the sandbox" })).Expect(200);
        Assert.Equal("terminated", terminated.State);
        var revoked = await _p.UntilRequestState(req1, _authority, "revoked");
        Assert.Contains("terminated", revoked.Str("endReason"));
        await _p.UntilOperatorState(_op1, _authority, "terminated");
        var closed = (await _api.Post(authority, $"/api/agreements/{a1}/asset-disposal", new { record = "derived tables deleted 2027-04-01; two products delisted" })).Expect(200);
        Assert.Equal("closed", closed.State);
        Assert.Equal("closed", (await _api.Get(regulator, $"/api/agreements/{a1}")).Expect(200).State);   // kept, and readable by regulators

        // ---- The deadline passed unrectified: terminated by the platform ----------------------
        await Past(a3Deadline);
        var a3Terminated = await _api.UntilState(authority, $"/api/agreements/{a3}", "terminated");
        Assert.Contains("Art. 18", a3Terminated.Str("endReason"));
        await _p.UntilRequestState(r3, _authority, "revoked");
        await _p.UntilOperatorState(_op3, _authority, "terminated");

        // ---- The domain agreement reaches its end: expired, its requests revoked (Art. 8(5)) ---
        await Past(a2EndsAt);
        var expired = await _api.UntilState(authority, $"/api/agreements/{a2}", "expired");
        Assert.Contains("Art. 8(5)", expired.Str("endReason"));
        var r2Revoked = await _p.UntilRequestState(r2, _authority, "revoked");
        Assert.Contains("expired", r2Revoked.Str("endReason"));
        var op2 = await _p.UntilOperatorState(_op2, _authority, "registered");
        Assert.Equal("expired", op2["agreements"].GetProperty(a2).GetString());
        Assert.Equal("closed", (await _api.Post(await _api.Token("provider", _transport), $"/api/agreements/{a2}/asset-disposal", new { record = "models archived" })).Expect(200).State);

        // ---- The work log: every event, who, role, when, why (Art. 8(5)) ----------------------
        var log = await _p.Log(a1, _authority);
        var events = log.Select(e => e.GetProperty("event").GetString()).ToArray();
        Assert.Equal(new[]
        {
            "agreement-drafted", "agreement-signed", "agreement-signed", "agreement-activated",
            "agreement-suspended", "rectification-reported", "agreement-restored", "agreement-terminated", "asset-disposal-recorded",
        }, events);
        Assert.Equal(Enumerable.Range(1, events.Length).Select(i => (long)i), log.Select(e => e.GetProperty("sequence").GetInt64()));
        var previous = DateTimeOffset.MinValue;
        foreach (var entry in log)
        {
            Assert.False(string.IsNullOrWhiteSpace(entry.GetProperty("by").GetString()), entry.ToString());
            Assert.False(string.IsNullOrWhiteSpace(entry.GetProperty("role").GetString()), entry.ToString());
            Assert.True(entry.TryGetProperty("why", out _), $"every entry says why (null when the event carries no reason): {entry}");
            var at = entry.GetProperty("at").GetDateTimeOffset();
            Assert.True(at >= previous, $"the log is in order: {entry}");
            previous = at;
        }
        Assert.Equal((_op1, "operator"), Who(log[1]));
        Assert.Equal((_authority, "authority"), Who(log[2]));
        Assert.Equal(("platform", "platform"), Who(log[3]));
        Assert.Equal("critical alert: export attempt of raw data", log[4].GetProperty("why").GetString());
        Assert.Equal((_op1, "operator"), Who(log[5]));
        Assert.Equal("serious violation: raw data left the sandbox", log[7].GetProperty("why").GetString());
        // The operator, the regulator and the authorizing unit read the log; it stays after closure.
        (await _api.Get(await _api.Token("operator", _op1), $"/api/agreements/{a1}/log")).Expect(200);
        (await _api.Get(regulator, $"/api/agreements/{a1}/log")).Expect(200);

        var log3 = await _p.Log(a3, _authority);
        var deadlineEntry = log3.Last();
        Assert.Equal("agreement-terminated", deadlineEntry.GetProperty("event").GetString());
        Assert.Equal(("platform", "platform"), Who(deadlineEntry));
        Assert.Contains("Art. 18", deadlineEntry.GetProperty("why").GetString());
        Assert.True(deadlineEntry.GetProperty("at").GetDateTimeOffset() >= AsSent(a3Deadline), deadlineEntry.ToString());

        var log2 = await _p.Log(a2, _authority);
        var expiry = log2.Single(e => e.GetProperty("event").GetString() == "agreement-expired");
        Assert.Equal(("platform", "platform"), Who(expiry));
        Assert.True(expiry.GetProperty("at").GetDateTimeOffset() >= AsSent(a2EndsAt), expiry.ToString());
        Assert.Equal(("provider", _transport), (log2[0].GetProperty("role").GetString(), log2[0].GetProperty("by").GetString()));
    }

    private static (string? By, string? Role) Who(JsonElement entry) => (entry.GetProperty("by").GetString(), entry.GetProperty("role").GetString());
}
