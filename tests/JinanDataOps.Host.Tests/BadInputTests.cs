using System.Text;
using System.Text.Json;
using JinanDataOps.Host.Tests.Infrastructure;
using static JinanDataOps.Host.Tests.Infrastructure.Procedure;

namespace JinanDataOps.Host.Tests;

/// <summary>C. Bad input is a 4xx problem+json — never a 500 — and changes nothing: each refused POST
/// carries an Idempotency-Key, so the id it would have created is known and checked to be absent.</summary>
[Collection(SharedHostCollection.Name)]
public sealed class BadInputTests(HostFixture fixture)
{
    private const string Authority = "city-bdb-c";
    private readonly ApiClient _api = fixture.Api;
    private readonly Procedure _p = fixture.Procedure;

    public static TheoryData<string, string> MalformedJson => new()
    {
        { "truncated object", "{\"mode\": \"comprehensive\", \"title\": " },
        { "not JSON at all", "mode=comprehensive&title=x" },
        { "trailing garbage", "{\"mode\":\"comprehensive\"}}" },
        { "an array instead of an object", "[1, 2, 3]" },
        { "a bare string", "\"call\"" },
        { "JSON null", "null" },
        { "empty body", "" },
        { "single quotes", "{'mode':'comprehensive'}" },
        { "comment", "{/* hi */ \"mode\": \"comprehensive\"}" },
        { "lone surrogate", "{\"title\": \"\\uD800\"}" },
    };

    [Theory]
    [MemberData(nameof(MalformedJson))]
    public async Task Malformed_json_is_400_and_creates_no_call(string what, string body)
    {
        _ = what;
        await RefusedCall(body, 400);
    }

    public static TheoryData<string, string> WrongTypes => new()
    {
        { "passScore", "\"sixty\"" },
        { "passScore", "true" },
        { "closesAt", "12345" },
        { "closesAt", "\"the day after tomorrow\"" },
        { "opensAt", "{\"at\": \"now\"}" },
        { "criteria", "\"all of them\"" },
        { "criteria", "[{\"name\": \"capability\", \"weight\": \"heavy\"}]" },
        { "scope", "[\"transport\"]" },
        { "scope", "{\"domains\": \"transport\"}" },
        { "title", "42" },
        { "mode", "1" },
        { "conditions", "{\"a\": 1}" },
        { "noticePeriod", "5" },
        { "passScore", "1e400" },
    };

    [Theory]
    [MemberData(nameof(WrongTypes))]
    public async Task Wrong_types_are_400_and_create_no_call(string field, string json)
    {
        var body = JsonSerializer.SerializeToNode(ValidCall("bad-types"), ApiClient.Json)!.AsObject();
        body[field] = System.Text.Json.Nodes.JsonNode.Parse(json);
        await RefusedCall(body.ToJsonString(), 400);
    }

    public static TheoryData<string, object?> InvalidValues => new()
    {
        { "mode", "monopoly" },
        { "mode", "Comprehensive" },
        { "mode", "" },
        { "scope", new { domains = new[] { "outer-space" }, datasets = Array.Empty<string>() } },
        { "scope", new { domains = new[] { "transport", "transport" }, datasets = Array.Empty<string>() } },
        { "scope", new { domains = Array.Empty<string>(), datasets = Array.Empty<string>() } },
        { "scope", new { domains = Array.Empty<string>(), datasets = new string?[] { null } } },
        { "noticePeriod", "5 days" },
        { "noticePeriod", "P" },
        { "noticePeriod", "PT" },
        { "noticePeriod", "-P1D" },
        { "noticePeriod", "P0D" },
        { "noticePeriod", "PT-5S" },
        { "noticePeriod", "P1000D" },
        { "noticePeriod", "P99999999999999999D" },
        { "noticePeriod", "1.00:00:00" },
        { "noticePeriod", "" },
        { "passScore", 101 },
        { "passScore", -1 },
        { "criteria", Array.Empty<object>() },
        { "criteria", new[] { new { name = "capability", weight = 0 } } },
        { "criteria", new[] { new { name = "capability", weight = 1001 } } },
        { "criteria", new[] { new { name = "capability", weight = 50 }, new { name = "capability", weight = 50 } } },
        { "criteria", new object?[] { null } },
        { "title", "" },
        { "title", new string('长', 10_000) },
        { "conditions", new[] { new string('c', 5_000) } },
    };

    [Theory]
    [MemberData(nameof(InvalidValues))]
    public async Task Invalid_values_are_400_and_create_no_call(string field, object? value)
    {
        var body = JsonSerializer.SerializeToNode(ValidCall("bad-values"), ApiClient.Json)!.AsObject();
        body[field] = JsonSerializer.SerializeToNode(value, ApiClient.Json);
        await RefusedCall(body.ToJsonString(), 400);
    }

    [Theory]
    [InlineData("mode")]
    [InlineData("scope")]
    [InlineData("criteria")]
    [InlineData("passScore")]
    [InlineData("opensAt")]
    [InlineData("closesAt")]
    [InlineData("noticePeriod")]
    [InlineData("title")]
    public async Task Missing_required_fields_are_400_and_create_no_call(string field)
    {
        var body = JsonSerializer.SerializeToNode(ValidCall("bad-missing"), ApiClient.Json)!.AsObject();
        body.Remove(field);
        await RefusedCall(body.ToJsonString(), 400);
    }

    [Fact]
    public async Task The_window_must_open_before_it_closes()
    {
        var now = DateTimeOffset.UtcNow;
        var body = CallBody("comprehensive", "bad-window", now.AddDays(2), now.AddDays(1), "P5D", domains: ["transport"]);
        await RefusedCall(JsonSerializer.Serialize(body, ApiClient.Json), 400);
    }

    [Fact]
    public async Task A_body_over_the_size_limit_is_413_or_400_and_creates_nothing()
    {
        var body = JsonSerializer.SerializeToNode(ValidCall("bad-huge"), ApiClient.Json)!.AsObject();
        body["title"] = new string('x', 300 * 1024);
        await RefusedCall(body.ToJsonString(), 413, 400);
    }

    [Fact]
    public async Task A_non_json_content_type_is_415_problem_json()
    {
        await RefusedCall(JsonSerializer.Serialize(ValidCall("bad-media"), ApiClient.Json), [415], "text/plain");
    }

    [Fact]
    public async Task Bad_datasets_are_400_and_not_registered()
    {
        var provider = await _api.Token("provider", "bureau-c");
        var cases = new (string Id, string Json)[]
        {
            (Unique("ds"), """{"title":"t","domain":"outer-space","fields":[{"name":"a","sensitive":false}]}"""),
            (Unique("ds"), """{"title":"t","domain":"Transport","fields":[{"name":"a","sensitive":false}]}"""),
            (Unique("ds"), """{"title":"t","domain":"transport"}"""),
            (Unique("ds"), """{"title":"t","domain":"transport","fields":[]}"""),
            (Unique("ds"), """{"title":"t","domain":"transport","fields":[{"name":"a"}]}"""),
            (Unique("ds"), """{"title":"t","domain":"transport","fields":[{"name":"a","sensitive":"yes"}]}"""),
            (Unique("ds"), """{"title":"t","domain":"transport","fields":"a,b"}"""),
            (Unique("ds"), """{"title":"t","domain":"transport","fields":[null]}"""),
            (Unique("ds"), """{"title":"t","domain":"transport","fields":[{"name":"a","sensitive":true},{"name":"a","sensitive":false}]}"""),
            (Unique("ds"), """{"title":"","domain":"transport","fields":[{"name":"a","sensitive":false}]}"""),
            (Unique("ds"), $$"""{"title":"{{new string('t', 10_000)}}","domain":"transport","fields":[{"name":"a","sensitive":false}]}"""),
        };
        foreach (var (id, json) in cases)
        {
            var withId = "{\"id\":\"" + id + "\"," + json[1..];
            (await _api.PostRaw(provider, "/api/datasets", withId)).ExpectBadInput(400);
            (await _api.Get(provider, $"/api/datasets/{id}")).ExpectProblem(404, "not-found");
        }
        foreach (var badId in new[] { "Upper-Case", "-leading-dash", "a", "has space", "slash/inside", new string('d', 65), "" })
        {
            var body = new { id = badId, title = "t", domain = "transport", fields = new[] { new { name = "a", sensitive = false } } };
            (await _api.Post(provider, "/api/datasets", body)).ExpectBadInput(400);
        }
        var list = (await _api.Get(provider, "/api/datasets")).Expect(200);
        Assert.DoesNotContain(list.Json.EnumerateArray(), d => cases.Any(c => c.Id == d.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Invalid_credit_codes_are_400_and_register_no_operator()
    {
        var good = CreditCode();
        var wrongCheck = good[..17] + (good[17] == '0' ? '1' : '0');
        var codes = new[]
        {
            wrongCheck,
            good[..17],                                   // 17 characters
            good + "0",                                   // 19 characters
            good.ToLowerInvariant() is var lower && lower != good ? lower : "91370100ma3c5xxxx1",
            "91370100MA3C5IOZ" + "S" + "V",               // letters outside the GB 32100 alphabet
            "91AB0100" + good[8..17] + "X",               // division code not digits
            "",
            new string('9', 5_000),
        };
        foreach (var code in codes)
        {
            var org = Unique("op");
            var token = await _api.Token("operator", org);
            var reply = await _api.Post(token, "/api/operators", OperatorBody(org, code));
            reply.ExpectBadInput(400);
            if (code.Length is > 0 and < 100) Assert.Contains("creditCode", reply.Str("detail"));
            (await _api.Get(token, $"/api/operators/{org}")).ExpectProblem(404, "not-found");
        }
        // Wrong types and missing fields, too.
        foreach (var json in new[] { """{"name":"n","creditCode":91370100,"legalRepresentative":"l","securityContact":"s"}""", """{"creditCode":"x"}""", "{}", "[]" })
        {
            var org = Unique("op");
            var token = await _api.Token("operator", org);
            (await _api.PostRaw(token, "/api/operators", json)).ExpectBadInput(400);
            (await _api.Get(token, $"/api/operators/{org}")).ExpectProblem(404, "not-found");
        }
    }

    [Fact]
    public async Task Bad_application_materials_are_400_and_create_no_application()
    {
        var call = await _p.OpenCall(Authority, "comprehensive", DateTimeOffset.UtcNow.AddHours(1), "P5D", domains: ["transport"]);
        var org = Unique("op");
        await _p.Operator(org);
        var token = await _api.Token("operator", org);
        var deep = new StringBuilder();
        for (var i = 0; i < 64; i++) deep.Append("{\"a\":");
        deep.Append('1');
        for (var i = 0; i < 64; i++) deep.Append('}');
        var bodies = new[]
        {
            "{}",
            """{"materials":"we are great"}""",
            """{"materials":[1,2]}""",
            """{"materials":null}""",
            """{"materials":{"affiliatedOrgs":"expert-1"}}""",
            """{"materials":{"affiliatedOrgs":[1,2]}}""",
            "{\"materials\":" + deep + "}",
            "{\"materials\":{\"essay\":\"" + new string('m', 70 * 1024) + "\"}}",
            "{\"materials\":{\"a\":1}",
        };
        foreach (var body in bodies)
        {
            var key = Key();
            var reply = await _api.PostRaw(token, $"/api/calls/{call}/applications", body, idempotencyKey: key);
            reply.ExpectBadInput(400);
            var wouldBe = global::JinanDataOps.Api.Http.Ids.New("app", org, $"calls/{call}/applications", key);
            (await _api.Get(token, $"/api/applications/{wouldBe}")).ExpectProblem(404, "not-found");
        }
        var after = (await _api.Get(token, $"/api/calls/{call}")).Expect(200);
        Assert.Empty(after["applications"].EnumerateArray());
        // The operator can still apply properly afterwards: the refusals left no trace.
        await _p.Apply(call, org);
    }

    [Fact]
    public async Task Bad_agreement_suspension_and_request_bodies_are_400()
    {
        var authority = await Authority_();
        var op = await _api.Token("operator", "op-c-nobody");
        foreach (var json in new[]
                 {
                     "{}",
                     """{"applicationId":"app-x"}""",
                     """{"applicationId":"app-x","startsAt":"soon","endsAt":"later"}""",
                     """{"applicationId":"app-x","startsAt":"2027-01-01T00:00:00Z","endsAt":"2028-01-01T00:00:00Z"}""",
                     """{"applicationId":"app-x","startsAt":"2027-01-01T00:00:00Z","endsAt":"2028-01-01T00:00:00Z","scope":{"domains":["atlantis"]}}""",
                     """{"applicationId":42,"startsAt":"2027-01-01T00:00:00Z","endsAt":"2028-01-01T00:00:00Z","scope":{}}""",
                 })
        {
            (await _api.PostRaw(authority, "/api/agreements", json)).ExpectBadInput(400);
        }
        (await _api.PostRaw(authority, "/api/agreements/agr-x/suspend", """{"reason":"r"}""")).ExpectBadInput(400);
        (await _api.PostRaw(authority, "/api/agreements/agr-x/suspend", """{"reason":"r","rectification":{"items":["a"],"deadline":"never"}}""")).ExpectBadInput(400);
        (await _api.PostRaw(authority, "/api/objections/x~o1/resolve", """{"upheld":"yes"}""")).ExpectBadInput(400);
        (await _api.PostRaw(authority, "/api/objections/x~o1/resolve", "{}")).ExpectBadInput(400);
        (await _api.PostRaw(await _api.Token("expert", "e-c"), "/api/applications/app-x/reviews", """{"scores":{"capability":"high"}}""")).ExpectBadInput(400);
        (await _api.PostRaw(await _api.Token("expert", "e-c"), "/api/applications/app-x/reviews", """{"scores":{"capability":1e40}}""")).ExpectBadInput(400);
        (await _api.PostRaw(await _api.Token("expert", "e-c"), "/api/applications/app-x/reviews", "{}")).ExpectBadInput(400);
        (await _api.PostRaw(op, "/api/data-requests", "{}")).ExpectBadInput(400);
        (await _api.PostRaw(op, "/api/data-requests", """{"agreementId":"agr-x","scenario":"s","datasets":"ds-1","purpose":"p"}""")).ExpectBadInput(400);
        (await _api.PostRaw(op, "/api/operators/op-c-nobody/trainings", """{"staff":["a"],"completedOn":"last week"}""")).ExpectBadInput(400);
        (await _api.PostRaw(op, "/api/operators/op-c-nobody/trainings", """{"staff":["a"]}""")).ExpectBadInput(400);
    }

    [Fact]
    public async Task Odd_ids_in_the_path_are_404_not_500()
    {
        var token = await Authority_();
        foreach (var id in new[] { "%20", "..%2F..%2Fetc", "%E4%B8%AD%E6%96%87", new string('z', 2_000), "x~o99999999999999999999", "'%3B DROP TABLE journal;--" })
        {
            foreach (var path in new[] { $"/api/calls/{id}", $"/api/agreements/{id}", $"/api/applications/{id}", $"/api/data-requests/{id}", $"/api/datasets/{id}" })
            {
                var reply = await _api.Get(token, path);
                Assert.True(reply.Status is 404 or 400, $"{reply}");
                Assert.Equal("application/problem+json", reply.ContentType);
            }
            (await _api.Post(token, $"/api/objections/{id}/resolve", new { upheld = true })).ExpectBadInput(404, 400);
        }
    }

    /// <summary>After all of the above, the call list (eventually consistent, in journal order) shows a
    /// marker call created last, and none of the refused ones.</summary>
    [Fact]
    public async Task Nothing_refused_ever_shows_up_in_the_call_list()
    {
        foreach (var body in new[] { "{", """{"mode":"monopoly","title":"bad-listed"}""" })
            (await _api.PostRaw(await Authority_(), "/api/calls", body)).ExpectBadInput(400);
        var marker = await _p.CreateCall(Authority, ValidCall("marker-" + Unique("c")));
        await _p.UntilListed(marker);
        var list = (await _api.Get(await Authority_(), "/api/calls")).Expect(200);
        Assert.DoesNotContain(list.Json.EnumerateArray(), c => c.GetProperty("title").GetString()!.StartsWith("bad-", StringComparison.Ordinal));
    }

    // ---- helpers ------------------------------------------------------------------------------

    private Task<string> Authority_() => _api.Token("authority", Authority);

    private static string Key() => Guid.NewGuid().ToString("N");

    private static object ValidCall(string title)
    {
        var now = DateTimeOffset.UtcNow;
        return CallBody("comprehensive", title, now.AddDays(1), now.AddDays(30), "P5D", domains: ["transport"]);
    }

    /// <summary>POSTs a call that must be refused, with an Idempotency-Key: the id that key would have
    /// given (the server derives it from caller, route and key) must not exist afterwards.</summary>
    private Task RefusedCall(string body, params int[] statuses) => RefusedCall(body, statuses, "application/json");

    private async Task RefusedCall(string body, int[] statuses, string contentType)
    {
        var key = Key();
        var token = await Authority_();
        (await _api.PostRaw(token, "/api/calls", body, contentType, key)).ExpectBadInput(statuses);
        var wouldBe = global::JinanDataOps.Api.Http.Ids.New("call", Authority, "calls", key);
        (await _api.Get(token, $"/api/calls/{wouldBe}")).ExpectProblem(404, "not-found");
    }
}
