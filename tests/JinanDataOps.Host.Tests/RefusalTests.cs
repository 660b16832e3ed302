using System.Text.Json;
using JinanDataOps.Host.Tests.Infrastructure;
using static JinanDataOps.Host.Tests.Infrastructure.Procedure;

namespace JinanDataOps.Host.Tests;

/// <summary>The state the refusal tests need, built once on a host that names "maint-co" as the platform
/// maintainer (Art. 11): confirmed applications on a comprehensive and a domain call, an active agreement
/// for an operator with no training yet, an application that was not selected, and a closed call whose
/// applications are still under review (for the conflict-of-interest cases).</summary>
public sealed class RefusalScenario() : HostFixture(new Dictionary<string, string> { ["Platform__MaintainerOrgs__0"] = Maintainer })
{
    public const string Maintainer = "maint-co";

    public string Authority { get; } = Unique("city");
    public string Provider1 { get; } = Unique("bureau-transport");
    public string Provider2 { get; } = Unique("bureau-finance");

    /// <summary>Confirmed on the comprehensive and the domain call, holds the active agreement, untrained.</summary>
    public string Op1 { get; } = Unique("op1");

    /// <summary>Applied to the conflict call naming <see cref="AffiliatedExpert"/> as affiliated.</summary>
    public string Op2 { get; } = Unique("op2");

    /// <summary>Not reviewed on the comprehensive call, so not selected.</summary>
    public string Op3 { get; } = Unique("op3");

    public string Expert1 { get; } = Unique("expert");
    public string Expert2 { get; } = Unique("expert");
    public string AffiliatedExpert { get; } = Unique("expert-aff");

    public string OpenData { get; } = Unique("bus-lines");
    public string SensitiveData { get; } = Unique("clinic-visits");
    public string Provider2Data { get; } = Unique("tax-records");
    public string OutOfScopeData { get; } = Unique("museum-tickets");

    public string ComprehensiveCall { get; private set; } = "";
    public string DomainCall { get; private set; } = "";
    public string FutureCall { get; private set; } = "";
    public string ConflictCall { get; private set; } = "";

    public string Op1Comprehensive { get; private set; } = "";
    public string Op1Domain { get; private set; } = "";
    public string Op3NotSelected { get; private set; } = "";
    public string Op2Conflict { get; private set; } = "";
    public string Op3Conflict { get; private set; } = "";

    public string Agreement { get; private set; } = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var p = Procedure;
        await p.Dataset(Provider1, OpenData, "transport", ("line", false), ("boardings", false));
        await p.Dataset(Provider1, SensitiveData, "medical", ("patient-id", true), ("diagnosis", true), ("visit-date", false));
        await p.Dataset(Provider2, Provider2Data, "finance", ("taxpayer-id", false), ("amount", false));
        await p.Dataset(Provider1, OutOfScopeData, "culture", ("museum", false), ("tickets", false));
        foreach (var op in new[] { Op1, Op2, Op3 }) await p.Operator(op);

        var now = DateTimeOffset.UtcNow;
        FutureCall = await p.CreateCall(Authority, CallBody("comprehensive", Unique("future"), now.AddHours(1), now.AddHours(2), "P5D", domains: ["transport"]));
        await p.Publish(Authority, FutureCall);

        // The applications below must beat the windows' end: set Ahead, they never race it.
        var closes = DateTimeOffset.UtcNow + Ahead;
        ComprehensiveCall = await p.OpenCall(Authority, "comprehensive", closes, "PT3S", domains: ["transport", "medical", "finance", "culture"]);
        DomainCall = await p.OpenCall(Authority, "domain", closes, "PT3S", datasets: [OpenData], providerId: Provider1);
        ConflictCall = await p.OpenCall(Authority, "comprehensive", closes, "PT3S", domains: ["transport"]);

        Op1Comprehensive = await p.Apply(ComprehensiveCall, Op1);
        Op3NotSelected = await p.Apply(ComprehensiveCall, Op3);
        Op1Domain = await p.Apply(DomainCall, Op1);
        Op2Conflict = await p.Apply(ConflictCall, Op2, affiliatedOrgs: [AffiliatedExpert]);
        Op3Conflict = await p.Apply(ConflictCall, Op3);

        await Past(closes);
        foreach (var call in new[] { ComprehensiveCall, DomainCall, ConflictCall }) await p.UntilCallState(call, "closed");
        foreach (var expert in new[] { Expert1, Expert2 })
        {
            await p.Review(Op1Comprehensive, expert, 80, 70);
            await p.Review(Op1Domain, expert, 90, 90);
        }
        await p.Shortlist("authority", Authority, ComprehensiveCall);
        await p.Shortlist("provider", Provider1, DomainCall);
        await p.UntilApplicationState(Op1Comprehensive, "confirmed");
        await p.UntilApplicationState(Op1Domain, "confirmed");
        Assert.Equal("not-selected", (await p.Application(Op3NotSelected, Authority)).State);

        var agreement = await p.Draft("authority", Authority,
            AgreementBody(Op1Comprehensive, [OpenData, SensitiveData, Provider2Data], DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(365)));
        Agreement = agreement.Id;
        await p.SignBoth(Agreement, Op1, "authority", Authority);
    }
}

/// <summary>B. Every refusal: the status, the problem+json <c>code</c>, and the article in <c>detail</c>.</summary>
public sealed class RefusalTests(RefusalScenario s) : IClassFixture<RefusalScenario>
{
    private readonly ApiClient _api = s.Api;
    private readonly Procedure _p = s.Procedure;

    private Task<string> Authority => _api.Token("authority", s.Authority);

    // ---- identity ------------------------------------------------------------------------------

    [Fact]
    public async Task No_token_is_401_unauthenticated()
    {
        (await _api.Get(null, "/api/calls")).ExpectProblem(401, "unauthenticated");
        (await _api.Get(null, $"/api/agreements/{s.Agreement}")).ExpectProblem(401, "unauthenticated");
        (await _api.Post(null, "/api/calls", new { mode = "comprehensive" })).ExpectProblem(401, "unauthenticated");
        (await _api.Get("not-a-jwt", "/api/calls")).ExpectProblem(401, "unauthenticated");
        var forged = (await Authority)[..^4] + "AAAA";
        (await _api.Get(forged, "/api/calls")).ExpectProblem(401, "unauthenticated");
    }

    [Fact]
    public async Task Wrong_role_is_403()
    {
        var now = DateTimeOffset.UtcNow;
        var call = CallBody("comprehensive", "by a provider", now, now.AddDays(1), "P5D", domains: ["transport"]);
        (await _api.Post(await _api.Token("provider", s.Provider1), "/api/calls", call)).ExpectProblem(403, "forbidden");
        (await _api.Post(await _api.Token("operator", s.Op1), "/api/datasets", new { id = Unique("ds"), title = "t", domain = "transport", fields = new[] { new { name = "a", sensitive = false } } }))
            .ExpectProblem(403, "forbidden", "Art. 3");
        (await _api.Post(await _api.Token("expert", s.Expert1), $"/api/calls/{s.ConflictCall}/shortlist")).ExpectProblem(403, "forbidden", "Art. 8(3)");
        (await _api.Post(await _api.Token("regulator", "cac"), $"/api/calls/{s.FutureCall}/applications", new { materials = new { } })).ExpectProblem(403, "forbidden");
        (await _api.Post(await _api.Token("public", "citizen"), $"/api/applications/{s.Op2Conflict}/reviews", new { scores = new { capability = 1, security = 1 } }))
            .ExpectProblem(403, "forbidden", "Art. 8(3)");
        (await _api.Post(await _api.Token("operator", s.Op1), $"/api/agreements/{s.Agreement}/suspend", new { reason = "self", rectification = new { items = new[] { "x" }, deadline = Iso(now.AddDays(1)) } }))
            .ExpectProblem(403, "forbidden", "Art. 18");
    }

    [Fact]
    public async Task Another_organisations_resource_is_403()
    {
        var op2 = await _api.Token("operator", s.Op2);
        (await _api.Get(op2, $"/api/operators/{s.Op1}")).ExpectProblem(403, "forbidden");
        (await _api.Get(op2, $"/api/agreements/{s.Agreement}")).ExpectProblem(403, "forbidden");
        (await _api.Get(op2, $"/api/agreements/{s.Agreement}/log")).ExpectProblem(403, "forbidden");
        (await _api.Post(op2, $"/api/agreements/{s.Agreement}/sign")).ExpectProblem(403, "forbidden", "Art. 8(4)");
        (await _api.Post(op2, $"/api/operators/{s.Op1}/trainings", new { staff = new[] { "x" }, completedOn = "2026-01-01" })).ExpectProblem(403, "forbidden");
        // Another authority may neither publish this authority's call nor restore its agreement.
        var other = await _api.Token("authority", "district-authority");
        (await _api.Post(other, $"/api/calls/{s.FutureCall}/publish")).ExpectProblem(403, "forbidden", "Art. 8(1)");
        (await _api.Post(other, $"/api/agreements/{s.Agreement}/restore")).ExpectProblem(403, "forbidden", "Art. 18");
        // A data request under op1's agreement is not op2's to make.
        (await _p.Request(s.Op2, s.Agreement, "someone-else", [s.OpenData])).ExpectProblem(403, "forbidden");
    }

    [Fact]
    public async Task Wrong_state_is_409_invalid_transition()
    {
        var now = DateTimeOffset.UtcNow;
        var call = await _p.CreateCall(s.Authority, CallBody("comprehensive", Unique("cancelled"), now, now.AddDays(1), "P5D", domains: ["transport"]));
        (await _api.Post(await Authority, $"/api/calls/{call}/cancel", new { reason = "budget withdrawn" })).Expect(200);
        (await _api.Post(await Authority, $"/api/calls/{call}/publish")).ExpectProblem(409, "invalid-transition");
        (await _api.Post(await Authority, $"/api/agreements/{s.Agreement}/asset-disposal", new { record = "too early" })).ExpectProblem(409, "invalid-transition");
        (await _api.Post(await _api.Token("operator", s.Op1), $"/api/agreements/{s.Agreement}/rectification-reports", new { summary = "nothing to rectify" }))
            .ExpectProblem(409, "invalid-transition");
        (await _api.Post(await _api.Token("public", "citizen"), $"/api/applications/{s.Op3NotSelected}/objections", new { reason = "not under notice" }))
            .ExpectProblem(409, "invalid-transition");
        Assert.Equal("active", (await _p.Agreement(s.Agreement, s.Authority)).State);
    }

    // ---- applications (Art. 8(2), 8(3), 11) -----------------------------------------------------

    [Fact]
    public async Task A_late_application_is_refused_citing_Art_8_2()
    {
        var reply = await _api.Post(await _api.Token("operator", s.Op2), $"/api/calls/{s.ComprehensiveCall}/applications", new { materials = new { summary = "late" } });
        reply.ExpectProblem(422, "rule-violation", "Art. 8(2)");
        Assert.Contains("too late", reply.Str("detail"));
        Assert.Equal("Art. 8(2)", reply.Str("article"));
    }

    [Fact]
    public async Task An_early_application_is_refused_citing_Art_8_2()
    {
        var reply = await _api.Post(await _api.Token("operator", s.Op2), $"/api/calls/{s.FutureCall}/applications", new { materials = new { summary = "early" } });
        reply.ExpectProblem(422, "rule-violation", "Art. 8(2)");
        Assert.Contains("too early", reply.Str("detail"));
        var call = (await _api.Get(await Authority, $"/api/calls/{s.FutureCall}")).Expect(200);
        Assert.Empty(call["applications"].EnumerateArray());
    }

    [Fact]
    public async Task The_platform_maintainer_may_not_apply_Art_11()
    {
        var maintainer = await _api.Token("operator", RefusalScenario.Maintainer);
        (await _api.Post(maintainer, "/api/operators", OperatorBody(RefusalScenario.Maintainer))).Expect(201);
        (await _api.Post(maintainer, $"/api/calls/{s.FutureCall}/applications", new { materials = new { summary = "we run the platform" } }))
            .ExpectProblem(422, "rule-violation", "Art. 11");
        // Applying is for operators; the maintainer role itself is refused outright.
        (await _api.Post(await _api.Token("maintainer", RefusalScenario.Maintainer), $"/api/calls/{s.FutureCall}/applications", new { materials = new { } }))
            .ExpectProblem(403, "forbidden");
    }

    [Fact]
    public async Task An_unregistered_operator_may_not_apply()
    {
        (await _api.Post(await _api.Token("operator", Unique("ghost")), $"/api/calls/{s.FutureCall}/applications", new { materials = new { } }))
            .ExpectProblem(422, "rule-violation", "Art. 8(2)");
    }

    [Fact]
    public async Task An_expert_affiliated_with_the_applicant_may_not_score_409()
    {
        var reply = await _api.Post(await _api.Token("expert", s.AffiliatedExpert), $"/api/applications/{s.Op2Conflict}/reviews",
            new { scores = new { capability = 100, security = 100 } });
        reply.ExpectProblem(409, "rule-violation", "Art. 8(3)");
        Assert.Contains("conflict of interest", reply.Str("detail"));
        // The applicant itself is conflicted as well.
        (await _api.Post(await _api.Token("expert", s.Op2), $"/api/applications/{s.Op2Conflict}/reviews", new { scores = new { capability = 100, security = 100 } }))
            .ExpectProblem(409, "rule-violation", "Art. 8(3)");
        Assert.Null((await _p.Application(s.Op2Conflict, s.Authority)).Json.GetProperty("score").GetString());
    }

    [Fact]
    public async Task An_expert_who_declared_a_conflict_may_not_score_409()
    {
        var expert = await _api.Token("expert", Unique("expert-decl"));
        (await _api.Post(expert, $"/api/applications/{s.Op2Conflict}/conflict-declarations", new { reason = "former employee of the applicant" })).Expect(201);
        (await _api.Post(expert, $"/api/applications/{s.Op2Conflict}/reviews", new { scores = new { capability = 90, security = 90 } }))
            .ExpectProblem(409, "rule-violation", "Art. 8(3)");
        var application = await _p.Application(s.Op2Conflict, s.Authority);
        Assert.Empty(application["reviews"].EnumerateArray());
    }

    [Fact]
    public async Task A_review_after_the_review_phase_is_409()
    {
        (await _api.Post(await _api.Token("expert", s.Expert1), $"/api/applications/{s.Op1Comprehensive}/reviews", new { scores = new { capability = 1, security = 1 } }))
            .ExpectProblem(409, "invalid-transition"); // confirmed by now: review is over
    }

    // ---- agreements (Art. 8(4), 9) -----------------------------------------------------------------

    [Fact]
    public async Task An_agreement_from_an_unconfirmed_application_is_refused_Art_8_4()
    {
        var body = AgreementBody(s.Op3NotSelected, [s.OpenData], DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(30));
        var reply = await _api.Post(await Authority, "/api/agreements", body);
        reply.ExpectProblem(422, "rule-violation", "Art. 8(4)");
        Assert.Contains("not-selected", reply.Str("detail"));
        (await _api.Get(await Authority, $"/api/agreements/agr-{s.Op3NotSelected}")).ExpectProblem(404, "not-found");
    }

    [Theory]
    [InlineData("rightsAndObligations", "rights and obligations")]
    [InlineData("securityRequirements", "security requirements")]
    [InlineData("exitConditions", "exit conditions")]
    [InlineData("breachLiability", "liability for breach")]
    [InlineData("assetDisposal", "disposal of assets")]
    public async Task An_agreement_missing_an_Art_9_clause_is_refused(string clause, string named)
    {
        var body = AgreementBody(s.Op1Domain, [s.OpenData], DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(30), omit: clause);
        var reply = await _api.Post(await _api.Token("provider", s.Provider1), "/api/agreements", body);
        reply.ExpectProblem(422, "rule-violation", "Art. 9");
        Assert.Contains(named, reply.Str("detail"));
        // A blank clause is no clause either.
        body[clause] = "   ";
        (await _api.Post(await _api.Token("provider", s.Provider1), "/api/agreements", body)).ExpectProblem(422, "rule-violation", "Art. 9");
        (await _api.Get(await Authority, $"/api/agreements/agr-{s.Op1Domain}")).ExpectProblem(404, "not-found");
    }

    [Fact]
    public async Task Only_the_authorizing_unit_of_the_mode_drafts_403()
    {
        var now = DateTimeOffset.UtcNow;
        // A provider may not draft a comprehensive agreement (the authority authorizes it, Art. 7) ...
        (await _api.Post(await _api.Token("provider", s.Provider1), "/api/agreements", AgreementBody(s.Op1Comprehensive, [s.OpenData], now, now.AddDays(30))))
            .ExpectProblem(403, "forbidden", "Art. 8(4)");
        // ... and the authority may not draft a domain one (the call's provider authorizes it).
        (await _api.Post(await Authority, "/api/agreements", AgreementBody(s.Op1Domain, [s.OpenData], now, now.AddDays(30))))
            .ExpectProblem(403, "forbidden", "Art. 8(4)");
        // Nor may another provider than the one the domain call names.
        (await _api.Post(await _api.Token("provider", s.Provider2), "/api/agreements", AgreementBody(s.Op1Domain, [s.OpenData], now, now.AddDays(30))))
            .ExpectProblem(403, "forbidden", "Art. 8(4)");
        (await _api.Get(await Authority, $"/api/agreements/agr-{s.Op1Domain}")).ExpectProblem(404, "not-found");
    }

    [Fact]
    public async Task An_agreement_scope_beyond_the_call_is_refused()
    {
        var now = DateTimeOffset.UtcNow;
        (await _api.Post(await _api.Token("provider", s.Provider1), "/api/agreements", AgreementBody(s.Op1Domain, [s.OpenData, s.OutOfScopeData], now, now.AddDays(30))))
            .ExpectProblem(422, "rule-violation", "Art. 8(1)");
    }

    // ---- data requests (Art. 6, 9, 12, 13, 16) --------------------------------------------------

    [Fact]
    public async Task A_dataset_outside_the_agreement_scope_is_refused_Art_9()
    {
        var reply = await _p.Request(s.Op1, s.Agreement, Unique("museum-app"), [s.OutOfScopeData]);
        reply.ExpectProblem(422, "rule-violation", "Art. 9");
        Assert.Contains(s.OutOfScopeData, reply.Str("detail"));
        var op = (await _api.Get(await Authority, $"/api/operators/{s.Op1}")).Expect(200);
        Assert.DoesNotContain(op["liveRequests"].EnumerateArray(), r => r.GetProperty("datasets").EnumerateArray().Any(d => d.GetString() == s.OutOfScopeData));
    }

    [Fact]
    public async Task The_same_scenario_twice_is_refused_Art_13()
    {
        var scenario = Unique("bus-crowding");
        var first = (await _p.Request(s.Op1, s.Agreement, scenario, [s.OpenData])).Expect(201);
        Assert.Equal("submitted", first.State);
        var second = await _p.Request(s.Op1, s.Agreement, scenario, [s.OpenData, s.Provider2Data]);
        second.ExpectProblem(409, "rule-violation", "Art. 13");
        Assert.Contains(first.Id, second.Str("detail"));
        // Once the first request is closed, the scenario is free again (after the consequence has run).
        (await _api.Post(await _api.Token("operator", s.Op1), $"/api/data-requests/{first.Id}/close")).Expect(200);
        await _api.Eventually(async () => (await _p.Request(s.Op1, s.Agreement, scenario, [s.OpenData])).Expect(201));
    }

    /// <summary>Idempotency-Key on a data request: a repeat answers with the same request, and a repeat
    /// after the request has ended must not revive it in the operator's live scenarios (Art. 13).</summary>
    [Fact]
    public async Task A_quality_issue_is_raised_acknowledged_and_resolved_and_followed_with_its_age_Art_10_12()
    {
        var op = await _api.Token("operator", s.Op1);
        var owner = await _api.Token("provider", s.Provider1);
        var other = await _api.Token("provider", s.Provider2);
        var authority = await _api.Token("authority", s.Authority);
        // Art. 10: access is a live request naming the dataset.
        (await _p.Request(s.Op1, s.Agreement, Unique("quality"), [s.OpenData])).Expect(201);
        var id = (await _api.Post(op, $"/api/datasets/{s.OpenData}/quality-issues", new { description = "boardings missing after 22:00" })).Expect(201).Id;
        (await _api.Post(other, $"/api/quality-issues/{id}/acknowledge")).ExpectProblem(403, "forbidden", "Art. 12");

        // The owner and the authority follow it, with how long it has been open; another provider does not see it.
        JsonElement Entry(Reply list) => list.Json.EnumerateArray().Single(q => q.GetProperty("id").GetString() == id);
        var seen = Entry(await _api.Eventually(async () =>
        {
            var list = (await _api.Get(owner, $"/api/quality-issues?state=raised&datasetId={s.OpenData}")).Expect(200);
            Assert.Contains(list.Json.EnumerateArray(), q => q.GetProperty("id").GetString() == id);
            return list;
        }));
        Assert.Equal((s.OpenData, s.Provider1, s.Op1), (seen.GetProperty("datasetId").GetString(), seen.GetProperty("owner").GetString(), seen.GetProperty("raisedBy").GetString()));
        Assert.StartsWith("PT", seen.GetProperty("openFor").GetString());
        Assert.DoesNotContain((await _api.Get(other, "/api/quality-issues")).Expect(200).Json.EnumerateArray(), q => q.GetProperty("id").GetString() == id);
        Assert.Equal("raised", Entry((await _api.Get(authority, "/api/quality-issues")).Expect(200)).GetProperty("state").GetString());

        Assert.Equal("acknowledged", (await _api.Post(owner, $"/api/quality-issues/{id}/acknowledge")).Expect(200).State);
        var resolved = (await _api.Post(owner, $"/api/quality-issues/{id}/resolve", new { resolution = "night feed re-ingested" })).Expect(200);
        Assert.Equal(("resolved", "night feed re-ingested"), (resolved.State, resolved.Str("resolution")));
        await _api.Eventually(async () =>
        {
            var entry = Entry((await _api.Get(authority, $"/api/quality-issues?datasetId={s.OpenData}")).Expect(200));
            Assert.Equal("resolved", entry.GetProperty("state").GetString());
            Assert.Equal(JsonValueKind.Null, entry.GetProperty("openFor").ValueKind);
        });
        (await _api.Get(authority, "/api/quality-issues?state=lost")).ExpectProblem(400, "validation-failed");
        (await _api.Get(op, "/api/quality-issues")).ExpectProblem(403, "forbidden");
    }

    [Fact]
    public async Task A_repeated_request_after_it_ended_does_not_block_its_scenario()
    {
        var op = await _api.Token("operator", s.Op1);
        var scenario = Unique("repeat");
        var body = new { agreementId = s.Agreement, scenario, datasets = new[] { s.OpenData }, purpose = "repeat test" };
        var key = Guid.NewGuid().ToString();
        var first = (await _api.Post(op, "/api/data-requests", body, key)).Expect(201);
        Assert.Equal(first.Id, (await _api.Post(op, "/api/data-requests", body, key)).Expect(201).Id);
        (await _api.Post(op, $"/api/data-requests/{first.Id}/close")).Expect(200);
        await _api.Eventually(async () =>
        {
            var operatorView = (await _api.Get(op, $"/api/operators/{s.Op1}")).Expect(200);
            Assert.DoesNotContain(operatorView["liveRequests"].EnumerateArray(), r => r.GetProperty("requestId").GetString() == first.Id);
        });

        // The repeat answers the first response (API.md: the first response, whatever happened since) and re-opens nothing.
        var repeat = (await _api.Post(op, "/api/data-requests", body, key)).Expect(201);
        Assert.Equal(first.Text, repeat.Text);
        Assert.Equal("closed", (await _api.Get(op, $"/api/data-requests/{first.Id}")).Expect(200).State);
        var after = (await _api.Get(op, $"/api/operators/{s.Op1}")).Expect(200);
        Assert.DoesNotContain(after["liveRequests"].EnumerateArray(), r => r.GetProperty("requestId").GetString() == first.Id);
        (await _p.Request(s.Op1, s.Agreement, scenario, [s.OpenData])).Expect(201);
    }

    [Fact]
    public async Task Sensitive_data_without_consent_cannot_be_approved_Art_6()
    {
        var request = (await _p.Request(s.Op1, s.Agreement, Unique("clinic-load"), [s.SensitiveData])).Expect(201);
        Assert.True(request["requiresConsent"].GetBoolean());
        Assert.False(request["consentRecorded"].GetBoolean());
        (await _p.Approve("authority", s.Authority, request.Id)).ExpectProblem(422, "rule-violation", "Art. 6");
        (await _p.Approve("provider", s.Provider1, request.Id)).ExpectProblem(422, "rule-violation", "Art. 6");
        var stored = (await _api.Get(await Authority, $"/api/data-requests/{request.Id}")).Expect(200);
        Assert.Equal("submitted", stored.State);
        Assert.Empty(stored["approvals"].EnumerateArray());

        // With the data subjects' consent recorded, the same approvals count (Art. 6, 12).
        var consented = (await _p.Request(s.Op1, s.Agreement, Unique("clinic-load"), [s.SensitiveData], consentEvidence: "consent forms 2026-07, archive ref. JN-CF-0042")).Expect(201);
        (await _p.Approve("provider", s.Provider1, consented.Id)).Expect(200);
        Assert.Equal("approved", (await _p.Approve("authority", s.Authority, consented.Id)).Expect(200).State);
    }

    [Fact]
    public async Task A_provider_not_owning_the_datasets_cannot_approve_Art_12()
    {
        var request = (await _p.Request(s.Op1, s.Agreement, Unique("bus-only"), [s.OpenData])).Expect(201);
        (await _p.Approve("provider", s.Provider2, request.Id)).ExpectProblem(403, "forbidden", "Art. 12");
        (await _api.Post(await _api.Token("provider", s.Provider2), $"/api/data-requests/{request.Id}/reject", new { reason = "not mine" }))
            .ExpectProblem(403, "forbidden", "Art. 12");
        (await _p.Approve("operator", s.Op1, request.Id)).ExpectProblem(403, "forbidden", "Art. 12");
        var stored = (await _api.Get(await Authority, $"/api/data-requests/{request.Id}")).Expect(200);
        Assert.Equal("submitted", stored.State);
        Assert.Empty(stored["approvals"].EnumerateArray());
    }

    [Fact]
    public async Task One_rejection_rejects_the_request_Art_12()
    {
        var request = (await _p.Request(s.Op1, s.Agreement, Unique("tax-bus"), [s.OpenData, s.Provider2Data])).Expect(201);
        (await _p.Approve("authority", s.Authority, request.Id)).Expect(200);
        (await _p.Approve("provider", s.Provider1, request.Id)).Expect(200);
        var rejected = (await _api.Post(await _api.Token("provider", s.Provider2), $"/api/data-requests/{request.Id}/reject", new { reason = "tax secrecy" })).Expect(200);
        Assert.Equal("rejected", rejected.State);
        (await _p.Approve("provider", s.Provider2, request.Id)).ExpectProblem(409, "invalid-transition");
    }

    [Fact]
    public async Task Requests_need_an_active_agreement()
    {
        (await _p.Request(s.Op1, "agr-does-not-exist", Unique("nowhere"), [s.OpenData])).ExpectProblem(404, "not-found");
        (await _p.Request(s.Op1, s.Agreement, Unique("ghost-data"), [Unique("no-such-dataset")])).ExpectProblem(404, "not-found");
    }

    /// <summary>Art. 16: approved is not provisioned while the operator has no recorded training. The
    /// consequence projection handles events in journal order, so once a later event's consequence is
    /// visible (a review moving the conflict call to under-review), the approval's has run too.</summary>
    [Fact]
    public async Task No_training_no_provisioning_Art_16()
    {
        var request = (await _p.Request(s.Op1, s.Agreement, Unique("bus-punctuality"), [s.OpenData])).Expect(201);
        var afterProvider = (await _p.Approve("provider", s.Provider1, request.Id)).Expect(200);
        Assert.Equal("submitted", afterProvider.State);
        var approved = (await _p.Approve("authority", s.Authority, request.Id)).Expect(200);
        Assert.Equal("approved", approved.State);
        Assert.Equal(2, approved["approvals"].GetArrayLength());

        await _p.Review(s.Op3Conflict, Unique("expert-barrier"), 50, 50);
        await _p.UntilCallState(s.ConflictCall, "under-review");
        Assert.Equal("approved", (await _api.Get(await Authority, $"/api/data-requests/{request.Id}")).Expect(200).State);
        var op = (await _api.Get(await Authority, $"/api/operators/{s.Op1}")).Expect(200);
        Assert.Empty(op["trainings"].EnumerateArray());

        await _p.Train(s.Op1);
        await _p.UntilRequestState(request.Id, s.Authority, "provisioned");
    }
}
