using System.Text.Json;
using JinanDataOps.Host.Tests.Infrastructure;
using Ids = JinanDataOps.Api.Http.Ids;
using static JinanDataOps.Host.Tests.Infrastructure.Procedure;

namespace JinanDataOps.Host.Tests;

/// <summary>D. Idempotency-Key: a repeated create returns the first answer and changes nothing.</summary>
[Collection(SharedHostCollection.Name)]
public sealed class IdempotencyTests(HostFixture fixture)
{
    private const string Authority = "city-bdb-d";
    private readonly ApiClient _api = fixture.Api;
    private readonly Procedure _p = fixture.Procedure;

    [Fact]
    public async Task The_same_key_twice_creates_one_call()
    {
        var token = await _api.Token("authority", Authority);
        var title = Unique("idem-call");
        var now = DateTimeOffset.UtcNow;
        var body = CallBody("comprehensive", title, now.AddMinutes(-1), now.AddHours(1), "P5D", domains: ["transport"]);
        var key = Guid.NewGuid().ToString();

        var first = (await _api.Post(token, "/api/calls", body, key)).Expect(201);
        var second = (await _api.Post(token, "/api/calls", body, key)).Expect(201);
        Assert.Equal(first.Id, second.Id);
        // The id is derived from (caller, route, key) — which the bad-input tests rely on to prove absence.
        Assert.Equal(Ids.New("call", Authority, "calls", key), first.Id);
        Assert.Equal("draft", second.State);
        Assert.Equal(first.Headers.Location, second.Headers.Location);

        // Published in between, a third repeat answers the first response (draft) and does not reset the call.
        await _p.Publish(Authority, first.Id);
        var third = (await _api.Post(token, "/api/calls", body, key)).Expect(201);
        Assert.Equal(first.Text, third.Text);
        Assert.Equal("draft", third.State);
        Assert.Equal("open", (await _api.Get(token, $"/api/calls/{first.Id}")).Expect(200).State);

        // Another key is another call; after it is listed, the list holds the first call exactly once.
        var other = (await _api.Post(token, "/api/calls", CallBody("comprehensive", Unique("idem-other"), now.AddMinutes(-1), now.AddHours(1), "P5D", domains: ["transport"]), Guid.NewGuid().ToString())).Expect(201);
        Assert.NotEqual(first.Id, other.Id);
        await _p.UntilListed(other.Id);
        var list = (await _api.Get(token, "/api/calls")).Expect(200);
        var same = list.Json.EnumerateArray().Where(c => c.GetProperty("title").GetString() == title).ToArray();
        Assert.Single(same);
        Assert.Equal(first.Id, same[0].GetProperty("id").GetString());
        Assert.Equal("open", same[0].GetProperty("state").GetString());
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_refused_and_changes_nothing()
    {
        var token = await _api.Token("authority", Authority);
        var now = DateTimeOffset.UtcNow;
        var key = Guid.NewGuid().ToString();
        var title = Unique("idem-first");
        var first = (await _api.Post(token, "/api/calls", CallBody("comprehensive", title, now.AddMinutes(-1), now.AddHours(1), "P5D", domains: ["transport"]), key)).Expect(201);
        var changed = CallBody("graded", Unique("idem-changed"), now.AddMinutes(-1), now.AddHours(2), "P9D", domains: ["finance"]);
        (await _api.Post(token, "/api/calls", changed, key)).ExpectProblem(422, "idempotency-key-reused");
        var stored = (await _api.Get(token, $"/api/calls/{first.Id}")).Expect(200);
        Assert.Equal(title, stored.Str("title"));
        Assert.Equal("comprehensive", stored.Str("mode"));
        Assert.Equal("draft", stored.State);
    }

    [Fact]
    public async Task A_key_is_compared_whole_so_two_keys_sharing_a_long_prefix_are_two_calls()
    {
        var token = await _api.Token("authority", Authority);
        var now = DateTimeOffset.UtcNow;
        var prefix = new string('k', 240);
        var a = (await _api.Post(token, "/api/calls", CallBody("comprehensive", Unique("idem-a"), now.AddMinutes(-1), now.AddHours(1), "P5D", domains: ["transport"]), prefix + "-a")).Expect(201);
        var b = (await _api.Post(token, "/api/calls", CallBody("comprehensive", Unique("idem-b"), now.AddMinutes(-1), now.AddHours(1), "P5D", domains: ["transport"]), prefix + "-b")).Expect(201);
        Assert.NotEqual(a.Id, b.Id);
    }

    [Fact]
    public async Task A_key_too_long_or_empty_is_refused_before_anything_happens()
    {
        var token = await _api.Token("authority", Authority);
        var now = DateTimeOffset.UtcNow;
        var body = CallBody("comprehensive", Unique("idem-long"), now.AddMinutes(-1), now.AddHours(1), "P5D", domains: ["transport"]);
        (await _api.Post(token, "/api/calls", body, new string('k', 257))).ExpectProblem(400, "validation-failed", "Idempotency-Key");
        (await _api.Post(token, "/api/calls", body, " ")).ExpectProblem(400, "validation-failed", "Idempotency-Key");
    }

    [Fact]
    public async Task A_refused_request_leaves_the_key_free_for_the_corrected_one()
    {
        var token = await _api.Token("authority", Authority);
        var now = DateTimeOffset.UtcNow;
        var key = Guid.NewGuid().ToString();
        var invalid = CallBody("comprehensive", Unique("idem-fix"), now.AddMinutes(-1), now.AddHours(1), "not-a-duration", domains: ["transport"]);
        (await _api.Post(token, "/api/calls", invalid, key)).ExpectProblem(400, "validation-failed");
        var corrected = CallBody("comprehensive", Unique("idem-fix"), now.AddMinutes(-1), now.AddHours(1), "P5D", domains: ["transport"]);
        (await _api.Post(token, "/api/calls", corrected, key)).Expect(201);
    }

    [Fact]
    public async Task Keys_are_per_caller_so_two_authorities_do_not_collide()
    {
        var now = DateTimeOffset.UtcNow;
        var key = Guid.NewGuid().ToString();
        var body = CallBody("comprehensive", Unique("idem-shared-key"), now.AddMinutes(-1), now.AddHours(1), "P5D", domains: ["transport"]);
        var a = (await _api.Post(await _api.Token("authority", "city-d-1"), "/api/calls", body, key)).Expect(201);
        var b = (await _api.Post(await _api.Token("authority", "district-d-2"), "/api/calls", body, key)).Expect(201);
        Assert.NotEqual(a.Id, b.Id);
    }

    [Fact]
    public async Task The_same_key_twice_submits_one_application()
    {
        var call = await _p.OpenCall(Authority, "comprehensive", DateTimeOffset.UtcNow.AddHours(1), "P5D", domains: ["transport"]);
        var org = Unique("op");
        await _p.Operator(org);
        var token = await _api.Token("operator", org);
        var body = new { materials = new { summary = "one application, sent twice" } };
        var key = Guid.NewGuid().ToString();

        var first = (await _api.Post(token, $"/api/calls/{call}/applications", body, key)).Expect(201);
        var again = (await _api.Post(token, $"/api/calls/{call}/applications", body, key)).Expect(201);
        Assert.Equal(first.Id, again.Id);
        Assert.Equal(Ids.New("app", org, $"calls/{call}/applications", key), first.Id);
        // Without the key a second application is a second attempt, refused by Art. 8(2).
        (await _api.Post(token, $"/api/calls/{call}/applications", body)).ExpectProblem(409, "rule-violation", "Art. 8(2)");

        var stored = (await _api.Get(token, $"/api/calls/{call}")).Expect(200);
        var applications = stored["applications"].EnumerateArray().ToArray();
        Assert.Single(applications);
        Assert.Equal(first.Id, applications[0].GetProperty("applicationId").GetString());
        var application = (await _api.Get(token, $"/api/applications/{first.Id}")).Expect(200);
        Assert.Equal("submitted", application.State);
        Assert.Equal(JsonValueKind.Object, application["materials"].ValueKind);
    }
}
