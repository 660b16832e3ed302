using System.Text.Json;
using JinanDataOps.Host.Tests.Infrastructure;
using static JinanDataOps.Host.Tests.Infrastructure.Procedure;

namespace JinanDataOps.Host.Tests;

/// <summary>Three trained operators with an active agreement each and two provisioned requests under it, on a dataset
/// with a sensitive field ("card-number").</summary>
public sealed class ProductWorld : HostFixture
{
    public string Authority { get; } = Unique("city");
    public string Provider { get; } = Unique("bureau");
    public string Dataset { get; } = Unique("bus-riders");
    public string Op1 { get; } = Unique("op-prd1");
    public string Op2 { get; } = Unique("op-prd2");
    public string Op3 { get; } = Unique("op-prd3");

    public Dictionary<string, (string Agreement, string[] Requests)> Held { get; private set; } = new();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Procedure.Dataset(Provider, Dataset, "transport", ("route", false), ("boardings", false), ("card-number", true));
        Held = await Procedure.ProvisionedWithConsent(Authority, Provider, Dataset, [Op1, Op2, Op3], "consent-2026-031", "punctuality", "crowding");
    }
}

/// <summary>Data products over HTTP (Art. 3, 13, 15): registered from provisioned requests, reviewed by the agreement's
/// authority, listed on a data exchange, public once listed, delisted and listed again only after a new review.</summary>
public sealed class ProductTests(ProductWorld world) : IClassFixture<ProductWorld>
{
    private const string Exchange = "Shandong Data Exchange";
    private readonly ApiClient _api = world.Api;

    private Task<string> Token(string role, string org) => _api.Token(role, org);

    private async Task<Reply> Create(string op, string kind = "service", string[]? output = null, bool? aggregated = null, string? agreement = null, string[]? requests = null, string? name = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["agreementId"] = agreement ?? world.Held[op].Agreement,
            ["dataRequestIds"] = requests ?? [world.Held[op].Requests[0]],
            ["kind"] = kind,
            ["name"] = name ?? "Bus punctuality API",
            ["description"] = "On-time rate per route and hour",
            ["outputFields"] = output ?? ["route", "on-time-rate"],
        };
        if (aggregated is not null) body["aggregated"] = aggregated;
        return await _api.Post(await Token("operator", op), "/api/products", body);
    }

    private async Task<Reply> Post(string role, string org, string path, object? body = null) => await _api.Post(await Token(role, org), path, body);

    private async Task<string> Approved(string op, string kind = "service", bool? aggregated = null)
    {
        var id = (await Create(op, kind, aggregated: aggregated)).Expect(201).Id;
        (await Post("operator", op, $"/api/products/{id}/submit")).Expect(200);
        (await Post("authority", world.Authority, $"/api/products/{id}/review", new { approved = true, notes = "no personal data in the output" })).Expect(200);
        return id;
    }

    [Fact]
    public async Task A_product_is_registered_reviewed_listed_read_by_anyone_delisted_and_listed_again_after_a_new_review()
    {
        var op = world.Op1;
        var created = (await Create(op)).Expect(201);
        Assert.Equal(("draft", op, "service", false), (created.State, created.Str("operatorId"), created.Str("kind"), created["aggregated"].GetBoolean()));
        var id = created.Id;
        var citizen = await Token("public", "citizen-1");
        (await _api.Get(citizen, $"/api/products/{id}")).ExpectProblem(403, "forbidden");

        Assert.Equal("submitted", (await Post("operator", op, $"/api/products/{id}/submit")).Expect(200).State);
        var reviewed = (await Post("authority", world.Authority, $"/api/products/{id}/review", new { approved = true, notes = "aggregated per route" })).Expect(200);
        Assert.Equal("approved", reviewed.State);
        var review = reviewed["review"];
        Assert.Equal((true, "aggregated per route", "authority", world.Authority),
            (review.GetProperty("approved").GetBoolean(), review.GetProperty("notes").GetString(), review.GetProperty("by").GetProperty("role").GetString(), review.GetProperty("by").GetProperty("org").GetString()));
        Assert.Equal(JsonValueKind.String, review.GetProperty("at").ValueKind);

        (await Post("operator", op, $"/api/products/{id}/list", new { exchange = " " })).ExpectProblem(400, "validation-failed");
        var listed = (await Post("operator", op, $"/api/products/{id}/list", new { exchange = Exchange })).Expect(200);
        Assert.Equal(("listed", Exchange), (listed.State, listed.Str("exchange")));

        // Anyone reads a listed product (Art. 3: offered to society).
        var read = (await _api.Get(citizen, $"/api/products/{id}")).Expect(200);
        Assert.Equal(["route", "on-time-rate"], read["outputFields"].EnumerateArray().Select(f => f.GetString()));
        Assert.Equal([world.Held[op].Requests[0]], read["dataRequestIds"].EnumerateArray().Select(f => f.GetString()));

        var delisted = (await Post("operator", op, $"/api/products/{id}/delist", new { reason = "new version coming" })).Expect(200);
        Assert.Equal(("delisted", "new version coming"), (delisted.State, delisted.Str("delistedBecause")));
        (await _api.Get(citizen, $"/api/products/{id}")).ExpectProblem(403, "forbidden");
        // Listed again only after a new review.
        (await Post("operator", op, $"/api/products/{id}/list", new { exchange = Exchange })).ExpectProblem(409, "invalid-transition");
        Assert.Equal("submitted", (await Post("operator", op, $"/api/products/{id}/submit")).Expect(200).State);
        (await Post("operator", op, $"/api/products/{id}/list", new { exchange = Exchange })).ExpectProblem(409, "invalid-transition");
        (await Post("authority", world.Authority, $"/api/products/{id}/review", new { approved = true })).Expect(200);
        Assert.Equal("listed", (await Post("operator", op, $"/api/products/{id}/list", new { exchange = Exchange })).Expect(200).State);
    }

    [Fact]
    public async Task A_returned_product_carries_the_notes_and_is_submitted_again()
    {
        var op = world.Op1;
        var id = (await Create(op, "model")).Expect(201).Id;
        (await Post("operator", op, $"/api/products/{id}/submit")).Expect(200);
        (await Post("authority", world.Authority, $"/api/products/{id}/review", new { approved = false })).ExpectProblem(400, "validation-failed", "notes");
        (await Post("authority", Unique("district"), $"/api/products/{id}/review", new { approved = true })).ExpectProblem(403, "forbidden", "Art. 15");
        (await Post("regulator", "cac", $"/api/products/{id}/review", new { approved = true })).ExpectProblem(403, "forbidden");
        var returned = (await Post("authority", world.Authority, $"/api/products/{id}/review", new { approved = false, notes = "document the model's features" })).Expect(200);
        Assert.Equal(("returned", false, "document the model's features"),
            (returned.State, returned["review"].GetProperty("approved").GetBoolean(), returned["review"].GetProperty("notes").GetString()));
        (await Post("operator", op, $"/api/products/{id}/list", new { exchange = Exchange })).ExpectProblem(409, "invalid-transition");
        Assert.Equal("submitted", (await Post("operator", op, $"/api/products/{id}/submit")).Expect(200).State);
        Assert.Equal("approved", (await Post("authority", world.Authority, $"/api/products/{id}/review", new { approved = true })).Expect(200).State);
    }

    [Fact]
    public async Task Raw_data_never_leaves_the_sandbox_the_output_check_cites_Art_13()
    {
        var op = world.Op1;
        var sensitive = (await Create(op, output: ["route", "card-number"])).ExpectProblem(422, "rule-violation", "Art. 13");
        Assert.Contains("card-number", sensitive.Str("detail"));
        (await Create(op, "report")).ExpectProblem(422, "rule-violation", "Art. 13");
        (await Create(op, "verification", aggregated: false)).ExpectProblem(422, "rule-violation", "Art. 13");
        Assert.Equal("draft", (await Create(op, "report", aggregated: true)).Expect(201).State);
        Assert.Equal("draft", (await Create(op, "verification", aggregated: true)).Expect(201).State);
    }

    [Fact]
    public async Task A_product_is_built_only_from_the_operators_own_requests_under_its_own_agreement()
    {
        (await Create(world.Op1, requests: [world.Held[world.Op2].Requests[0]])).ExpectProblem(403, "forbidden", "Art. 13");
        (await Create(world.Op1, agreement: world.Held[world.Op2].Agreement)).ExpectProblem(403, "forbidden");
        (await Create(world.Op1, requests: ["req-none"])).ExpectProblem(404, "not-found");
        (await Create(world.Op1, agreement: "agr-none")).ExpectProblem(404, "not-found");
        (await Create(world.Op1, kind: "brochure")).ExpectProblem(400, "validation-failed");
        (await Create(world.Op1, output: [])).ExpectProblem(400, "validation-failed");
        (await Post("provider", world.Provider, "/api/products", new { agreementId = world.Held[world.Op1].Agreement })).ExpectProblem(403, "forbidden", "Art. 3");
    }

    [Fact]
    public async Task A_stopped_request_or_agreement_refuses_registration_and_listing()
    {
        var op = world.Op3;
        var (agreement, requests) = world.Held[op];
        var approved = await Approved(op);
        // A closed request is no longer provisioned: nothing new is built from it (Art. 13).
        (await Post("operator", op, $"/api/data-requests/{requests[1]}/close")).Expect(200);
        (await Create(op, requests: [requests[1]])).ExpectProblem(422, "rule-violation", "Art. 13");
        // The agreement suspended: no product is listed or built under it (Art. 18).
        var rectification = new { reason = "failed evaluation", rectification = new { items = new[] { "fix the access log" }, deadline = Iso(DateTimeOffset.UtcNow.AddDays(30)) } };
        (await Post("authority", world.Authority, $"/api/agreements/{agreement}/suspend", rectification)).Expect(200);
        (await Post("operator", op, $"/api/products/{approved}/list", new { exchange = Exchange })).ExpectProblem(409, "rule-violation", "Art. 18");
        (await Create(op)).ExpectProblem(422, "rule-violation", "Art. 18");
    }

    [Fact]
    public async Task The_authorizing_unit_delists_a_listed_product_and_others_may_not()
    {
        var op = world.Op2;
        var id = await Approved(op, "tool");
        (await Post("operator", op, $"/api/products/{id}/list", new { exchange = Exchange })).Expect(200);
        (await Post("operator", world.Op1, $"/api/products/{id}/delist", new { reason = "not mine" })).ExpectProblem(403, "forbidden");
        (await Post("regulator", "cac", $"/api/products/{id}/delist", new { reason = "x" })).ExpectProblem(403, "forbidden");
        (await Post("authority", world.Authority, $"/api/products/{id}/delist", new { reason = "" })).ExpectProblem(400, "validation-failed");
        Assert.Equal("delisted", (await Post("authority", world.Authority, $"/api/products/{id}/delist", new { reason = "unit's order" })).Expect(200).State);
        Assert.Equal("delisted", (await Post("authority", world.Authority, $"/api/products/{id}/delist", new { reason = "again" })).Expect(200).State);
    }

    [Fact]
    public async Task The_list_shows_each_caller_what_it_may_read_filtered_by_operator_state_and_kind()
    {
        var draft = (await Create(world.Op2, "component", name: "Stop component")).Expect(201).Id;
        var listed = await Approved(world.Op2, "report", aggregated: true);
        (await Post("operator", world.Op2, $"/api/products/{listed}/list", new { exchange = Exchange })).Expect(200);

        async Task<string[]> Ids(string role, string org, string query = "") =>
            (await _api.Get(await Token(role, org), $"/api/products{query}")).Expect(200).Json.EnumerateArray().Select(p => p.GetProperty("id").GetString()!).ToArray();

        // The list is the read side: wait until it shows the listing.
        await _api.Eventually(async () => Assert.Contains(listed, await Ids("public", "citizen-1")));
        Assert.DoesNotContain(draft, await Ids("public", "citizen-1"));
        Assert.Contains(draft, await Ids("operator", world.Op2));
        Assert.Contains(listed, await Ids("operator", world.Op1));
        Assert.DoesNotContain(draft, await Ids("operator", world.Op1));
        Assert.Contains(draft, await Ids("authority", world.Authority));
        Assert.DoesNotContain(draft, await Ids("authority", Unique("district")));
        Assert.Contains(listed, await Ids("authority", Unique("district")));
        Assert.Contains(draft, await Ids("regulator", "cac"));
        Assert.DoesNotContain(draft, await Ids("maintainer", "maint"));

        var own = await Ids("operator", world.Op2, $"?operatorId={world.Op2}&state=draft&kind=component");
        Assert.Contains(draft, own);
        Assert.DoesNotContain(listed, own);
        Assert.Equal([listed], await Ids("public", "citizen-1", $"?operatorId={world.Op2}&kind=report"));
        (await _api.Get(await Token("public", "citizen-1"), "/api/products?state=none")).ExpectProblem(400, "validation-failed");
        (await _api.Get(await Token("public", "citizen-1"), "/api/products?kind=brochure")).ExpectProblem(400, "validation-failed");
    }
}
