using System.Text.Json;

namespace JinanDataOps.Host.Tests.Infrastructure;

/// <summary>Steps of the Art. 8 procedure over HTTP, so the tests read as the procedure does. Every helper
/// asserts the happy status; refusals are asserted by the tests themselves with <see cref="ApiClient"/>.</summary>
public sealed class Procedure(ApiClient api)
{
    /// <summary>The two review criteria every test call uses: 60/40, pass score 60.</summary>
    public static readonly object[] Criteria = [new { name = "capability", weight = 60 }, new { name = "security", weight = 40 }];

    private static readonly string[] AllClauses = ["rightsAndObligations", "securityRequirements", "exitConditions", "breachLiability", "assetDisposal"];

    private static int _serial;

    /// <summary>How far ahead a test sets a platform timer (a window's end, a notice period, a rectification
    /// deadline, an agreement's end) that some of its requests must still beat. The same as every other
    /// ceiling of these tests (<see cref="Wait.DefaultTimeout"/>): those few requests take well under a
    /// second, about 4 s at worst with stress-ng --cpu 4 beside the suite on two cores (the longest: two
    /// calls and four applications); so a test never races the timer, it only waits for it.</summary>
    public static readonly TimeSpan Ahead = TimeSpan.FromSeconds(30);

    /// <summary>Returns once the clock has passed <paramref name="instant"/>: the platform acts on a timer only
    /// after its instant, so a test waits for that first and then for the effect, with the usual ceiling.</summary>
    public static Task Past(DateTimeOffset instant)
    {
        var left = instant - DateTimeOffset.UtcNow;
        return left > TimeSpan.Zero ? Task.Delay(left) : Task.CompletedTask;
    }

    public ApiClient Api { get; } = api;

    /// <summary>A unique, URL-safe id with a readable prefix: "op-3f9a1c2b".</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    /// <summary>A valid unified social credit code (GB 32100-2015): 9 = registered with market regulation,
    /// 1 = enterprise, 370100 = Jinan, nine organisation-code characters, then the check character.</summary>
    public static string CreditCode()
    {
        const string alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        var n = Interlocked.Increment(ref _serial) + Environment.ProcessId * 7919 + Random.Shared.Next(1_000_000);
        var organisation = new char[9];
        for (var i = 8; i >= 0; i--)
        {
            organisation[i] = alphabet[n % alphabet.Length];
            n /= alphabet.Length;
        }
        var first17 = "91370100" + new string(organisation);
        return first17 + CreditCodeCheck(first17);
    }

    public static char CreditCodeCheck(string first17) => JinanDataOps.Domain.Common.CreditCode.CheckCharacterFor(first17);

    /// <summary>An ISO 8601 duration, as the API takes notice periods: "PT30S".</summary>
    public static string Iso(TimeSpan duration) => System.Xml.XmlConvert.ToString(duration);

    public static string Iso(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>An instant as the platform received it through <see cref="Iso(DateTimeOffset)"/>: to the millisecond. A
    /// timer set from it may act up to a millisecond before the instant the test computed, never before this one.</summary>
    public static DateTimeOffset AsSent(DateTimeOffset instant) => DateTimeOffset.Parse(Iso(instant), System.Globalization.CultureInfo.InvariantCulture);

    public Task<string> Token(string role, string org) => Api.Token(role, org);

    // ---- datasets and operators ----------------------------------------------------------------

    public async Task<Reply> Dataset(string provider, string id, string domain, params (string Name, bool Sensitive)[] fields)
    {
        var body = new { id, title = $"Dataset {id}", domain, fields = fields.Select(f => new { name = f.Name, sensitive = f.Sensitive }) };
        return (await Api.Post(await Token("provider", provider), "/api/datasets", body)).Expect(201);
    }

    public static object OperatorBody(string org, string? creditCode = null) => new
    {
        name = $"{org} Data Technology Co., Ltd.",
        creditCode = creditCode ?? CreditCode(),
        legalRepresentative = "Zhang Wei",
        securityContact = $"security@{org}.example.cn",
    };

    public async Task<Reply> Operator(string org, bool trained = false)
    {
        var reply = (await Api.Post(await Token("operator", org), "/api/operators", OperatorBody(org))).Expect(201);
        Assert.Equal("registered", reply.State);
        if (trained) await Train(org);
        return reply;
    }

    /// <summary>Art. 16: pre-job security training of the technical staff.</summary>
    public async Task<Reply> Train(string org) =>
        (await Api.Post(await Token("operator", org), $"/api/operators/{org}/trainings",
            new { staff = new[] { "Li Na", "Wang Fang" }, completedOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-1)).ToString("yyyy-MM-dd") })).Expect(201);

    // ---- calls and applications ----------------------------------------------------------------

    public static object CallBody(
        string mode, string title, DateTimeOffset opensAt, DateTimeOffset closesAt, string noticePeriod,
        string[]? domains = null, string[]? datasets = null, string? providerId = null) => new
    {
        mode,
        title,
        providerId,
        scope = new { domains = domains ?? [], datasets = datasets ?? [] },
        conditions = new[] { "legal person registered in Jinan", "data security management system in place" },
        criteria = Criteria,
        passScore = 60,
        opensAt = Iso(opensAt),
        closesAt = Iso(closesAt),
        noticePeriod,
    };

    public async Task<string> CreateCall(string authority, object body)
    {
        var reply = (await Api.Post(await Token("authority", authority), "/api/calls", body)).Expect(201);
        Assert.Equal("draft", reply.State);
        return reply.Id;
    }

    public async Task<Reply> Publish(string authority, string callId)
    {
        var reply = (await Api.Post(await Token("authority", authority), $"/api/calls/{callId}/publish")).Expect(200);
        Assert.Equal("open", reply.State);
        return reply;
    }

    /// <summary>Creates and publishes a call whose window is open now and closes at <paramref name="closesAt"/>.</summary>
    public async Task<string> OpenCall(
        string authority, string mode, DateTimeOffset closesAt, string noticePeriod,
        string[]? domains = null, string[]? datasets = null, string? providerId = null, string? title = null)
    {
        var id = await CreateCall(authority, CallBody(mode, title ?? Unique("call"), DateTimeOffset.UtcNow.AddMinutes(-1), closesAt, noticePeriod, domains, datasets, providerId));
        await Publish(authority, id);
        return id;
    }

    public async Task<string> Apply(string callId, string operatorOrg, string[]? affiliatedOrgs = null)
    {
        var materials = new Dictionary<string, object>
        {
            ["summary"] = $"{operatorOrg} proposes data products for the city",
            ["qualifications"] = new[] { "ISO 27001", "DSMM level 3" },
        };
        if (affiliatedOrgs is not null) materials["affiliatedOrgs"] = affiliatedOrgs;
        var reply = (await Api.Post(await Token("operator", operatorOrg), $"/api/calls/{callId}/applications", new { materials })).Expect(201);
        Assert.Equal("submitted", reply.State);
        Assert.Equal(callId, reply.Str("callId"));
        return reply.Id;
    }

    public async Task<Reply> Review(string applicationId, string expert, int capability, int security) =>
        (await Api.Post(await Token("expert", expert), $"/api/applications/{applicationId}/reviews",
            new { scores = new Dictionary<string, int> { ["capability"] = capability, ["security"] = security } })).Expect(201);

    public async Task<Reply> Shortlist(string role, string org, string callId)
    {
        var reply = (await Api.Post(await Token(role, org), $"/api/calls/{callId}/shortlist")).Expect(200);
        Assert.Equal("noticed", reply.State);
        return reply;
    }

    public async Task<Reply> Application(string applicationId, string authority) =>
        (await Api.Get(await Token("authority", authority), $"/api/applications/{applicationId}")).Expect(200);

    public async Task<Reply> UntilCallState(string callId, string state, TimeSpan? timeout = null) =>
        await Api.UntilState(await Token("public", "anyone"), $"/api/calls/{callId}", state, timeout);

    public async Task<Reply> UntilApplicationState(string applicationId, string state, TimeSpan? timeout = null) =>
        await Api.UntilState(await Token("public", "anyone"), $"/api/applications/{applicationId}", state, timeout);

    // ---- agreements ----------------------------------------------------------------------------

    /// <summary>An agreement body with every Art. 9 clause, except those named in <paramref name="omit"/>.</summary>
    public static Dictionary<string, object?> AgreementBody(
        string applicationId, string[] datasets, DateTimeOffset startsAt, DateTimeOffset endsAt, string[]? domains = null, params string[] omit)
    {
        var body = new Dictionary<string, object?>
        {
            ["applicationId"] = applicationId,
            ["scope"] = new { domains = domains ?? [], datasets },
            ["startsAt"] = Iso(startsAt),
            ["endsAt"] = Iso(endsAt),
            ["rightsAndObligations"] = "The operator processes the authorized data only inside the operations platform; raw data never leaves it (Art. 13).",
            ["securityRequirements"] = "The legal representative is the first person responsible for data security (Art. 14); staff are trained before the job (Art. 16).",
            ["exitConditions"] = "Terminated when a rectification order is not met by its deadline (Art. 18).",
            ["breachLiability"] = "A party in breach compensates the losses it causes (Art. 19).",
            ["assetDisposal"] = "Derived data is deleted inside the platform and products are delisted at expiry.",
        };
        foreach (var clause in omit)
        {
            Assert.Contains(clause, AllClauses);
            body.Remove(clause);
        }
        return body;
    }

    public async Task<Reply> Draft(string role, string org, object body)
    {
        var reply = (await Api.Post(await Token(role, org), "/api/agreements", body)).Expect(201);
        Assert.Equal("drafted", reply.State);
        return reply;
    }

    /// <summary>Both parties sign; the agreement is active at once when its start date has been reached.</summary>
    public async Task<Reply> SignBoth(string agreementId, string operatorOrg, string unitRole, string unitOrg)
    {
        var first = (await Api.Post(await Token("operator", operatorOrg), $"/api/agreements/{agreementId}/sign")).Expect(200);
        Assert.Equal("drafted", first.State);
        var second = (await Api.Post(await Token(unitRole, unitOrg), $"/api/agreements/{agreementId}/sign")).Expect(200);
        Assert.Equal("active", second.State);
        return second;
    }

    public async Task<Reply> Agreement(string agreementId, string authority) =>
        (await Api.Get(await Token("authority", authority), $"/api/agreements/{agreementId}")).Expect(200);

    public async Task<JsonElement[]> Log(string agreementId, string authority)
    {
        var reply = (await Api.Get(await Token("authority", authority), $"/api/agreements/{agreementId}/log")).Expect(200);
        Assert.Equal(agreementId, reply.Str("agreementId"));
        return reply["entries"].EnumerateArray().ToArray();
    }

    // ---- data requests -------------------------------------------------------------------------

    public async Task<Reply> Request(string operatorOrg, string agreementId, string scenario, string[] datasets, string? consentEvidence = null) =>
        await Api.Post(await Token("operator", operatorOrg), "/api/data-requests",
            new { agreementId, scenario, datasets, purpose = $"build the {scenario} data product", consentEvidence });

    public async Task<Reply> Approve(string role, string org, string requestId) =>
        await Api.Post(await Token(role, org), $"/api/data-requests/{requestId}/approve");

    public async Task<Reply> UntilRequestState(string requestId, string authority, string state, TimeSpan? timeout = null) =>
        await Api.UntilState(await Token("authority", authority), $"/api/data-requests/{requestId}", state, timeout);

    /// <summary>Operators with an active agreement each and provisioned requests under it, one per scenario
    /// given: a call concluded, agreements signed, requests approved by the authority and the provider.
    /// Returns, per operator, its agreement and its requests in the order of <paramref name="scenarios"/>.</summary>
    public Task<Dictionary<string, (string Agreement, string[] Requests)>> Provisioned(
        string authority, string provider, string dataset, string[] operators, params string[] scenarios) =>
        ProvisionedWithConsent(authority, provider, dataset, operators, consentEvidence: null, scenarios);

    /// <summary><see cref="Provisioned"/> with the data subjects' consent on record, for a dataset with sensitive fields (Art. 6).</summary>
    public async Task<Dictionary<string, (string Agreement, string[] Requests)>> ProvisionedWithConsent(
        string authority, string provider, string dataset, string[] operators, string? consentEvidence, params string[] scenarios)
    {
        foreach (var op in operators) await Operator(op, trained: true);
        var closesAt = DateTimeOffset.UtcNow + Ahead;
        var call = await OpenCall(authority, "comprehensive", closesAt, "PT2S", domains: ["transport"]);
        var applications = new Dictionary<string, string>();
        foreach (var op in operators) applications[op] = await Apply(call, op);
        await Past(closesAt);
        await UntilCallState(call, "closed");
        foreach (var app in applications.Values)
        {
            await Review(app, "expert-m1", 80, 80);
            await Review(app, "expert-m2", 85, 75);
        }
        await Shortlist("authority", authority, call);
        await UntilCallState(call, "concluded");
        var result = new Dictionary<string, (string, string[])>();
        foreach (var (op, app) in applications)
        {
            await UntilApplicationState(app, "confirmed");
            var agreement = (await Draft("authority", authority, AgreementBody(app, [dataset], DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(365)))).Id;
            await SignBoth(agreement, op, "authority", authority);
            var requests = new List<string>();
            foreach (var scenario in scenarios)
            {
                var request = (await Request(op, agreement, scenario, [dataset], consentEvidence)).Expect(201).Id;
                (await Approve("authority", authority, request)).Expect(200);
                (await Approve("provider", provider, request)).Expect(200);
                await UntilRequestState(request, authority, "provisioned");
                requests.Add(request);
            }
            result[op] = (agreement, requests.ToArray());
        }
        return result;
    }

    public async Task<Reply> UntilOperatorState(string operatorOrg, string authority, string state, TimeSpan? timeout = null) =>
        await Api.UntilState(await Token("authority", authority), $"/api/operators/{operatorOrg}", state, timeout);

    /// <summary>Waits until GET /api/calls (an eventually consistent read model) lists the call in this state.</summary>
    public async Task<JsonElement> UntilListed(string callId, string? state = null, TimeSpan? timeout = null)
    {
        var token = await Token("public", "anyone");
        return await Api.Eventually(async () =>
        {
            var list = (await Api.Get(token, "/api/calls")).Expect(200);
            var call = list.Json.EnumerateArray().FirstOrDefault(c => c.GetProperty("id").GetString() == callId);
            Assert.True(call.ValueKind == JsonValueKind.Object, $"call {callId} is not listed yet");
            if (state is not null) Assert.Equal(state, call.GetProperty("state").GetString());
            return call.Clone();
        }, timeout);
    }
}
