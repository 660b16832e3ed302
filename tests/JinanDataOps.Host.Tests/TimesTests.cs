using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using JinanDataOps.Host.Tests.Infrastructure;
using static JinanDataOps.Host.Tests.Infrastructure.Procedure;

namespace JinanDataOps.Host.Tests;

/// <summary>Issue 10, "Times" (API.md: times are ISO-8601 instants): every time field of a body takes an instant,
/// in UTC or at an offset, with or without fractions of a second; the one date field, a training's
/// <c>completedOn</c>, takes the date alone too; and a time that is neither is a 400 naming its field.</summary>
public sealed class TimesTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private readonly ApiClient _api = fixture.Api;
    private readonly Procedure _p = fixture.Procedure;

    /// <summary>Not times: each must be refused with a 400 that names the field.</summary>
    public static readonly string[] Garbage =
    [
        "\"yesterday\"", "\"2026-13-01T00:00:00Z\"", "\"2026-11-31T00:00:00Z\"", "\"2026-12-01T25:00:00Z\"", "\"2026-12-01T08:00:00+25:00\"",
        "\"01/12/2026\"", "\"2026-12-01T08:00:00Z junk\"", "\"\"", "1764576000", "true", "{}", "[\"2026-12-01T08:00:00Z\"]",
    ];

    [Fact]
    public async Task A_training_date_is_taken_alone_or_as_an_instant_whose_date_in_utc_counts()
    {
        var org = Unique("op-times");
        await _p.Operator(org);
        var token = await _api.Token("operator", org);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var cases = new (string CompletedOn, DateOnly Expected)[]
        {
            (Date(today.AddDays(-3)), today.AddDays(-3)),
            ($"{Date(today.AddDays(-3))}T08:00:00Z", today.AddDays(-3)),
            ($"{Date(today.AddDays(-3))}T08:00:00.1234567Z", today.AddDays(-3)),
            // 01:00 at +08:00 is 17:00 UTC the day before: the UTC date is the one recorded.
            ($"{Date(today.AddDays(-3))}T01:00:00+08:00", today.AddDays(-4)),
            ($"{Date(today.AddDays(-3))}T23:30:00-05:00", today.AddDays(-2)),
        };
        foreach (var (completedOn, expected) in cases)
        {
            var reply = (await _api.Post(token, $"/api/operators/{org}/trainings", new { staff = new[] { "Li Na" }, completedOn })).Expect(201);
            Assert.Equal(Date(expected), reply["training"].GetProperty("completedOn").GetString());
        }
        foreach (var garbage in Garbage)
        {
            var reply = await _api.PostRaw(token, $"/api/operators/{org}/trainings", $$"""{"staff":["Li Na"],"completedOn":{{garbage}}}""");
            reply.ExpectBadInput(400);
            Assert.Contains("completedOn", reply.Str("detail"));
        }
        var record = (await _api.Get(token, $"/api/operators/{org}")).Expect(200);
        Assert.Equal(cases.Length, record["trainings"].GetArrayLength());
    }

    [Fact]
    public async Task Every_time_field_takes_an_instant_in_utc_or_at_an_offset_and_names_itself_when_it_is_not_one()
    {
        var (authority, provider, op, dataset) = (Unique("city-times"), Unique("bureau-times"), Unique("op-times"), Unique("bus-times"));
        var authorityToken = await _api.Token("authority", authority);
        await _p.Dataset(provider, dataset, "transport", ("route", false));
        await _p.Operator(op, trained: true);

        // A call's window: one end at an offset, the other in UTC with seven digits of fractions.
        var now = DateTimeOffset.UtcNow;
        var opensAt = Text(now.AddMinutes(-1), 8, "yyyy-MM-dd'T'HH:mm:ss.fffzzz");
        var closesAt = now.AddSeconds(8).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        var call = Body(CallBody("comprehensive", "times", now, now, "PT2S", domains: ["transport"]));
        (call["opensAt"], call["closesAt"]) = (opensAt, closesAt);
        var created = (await _api.Post(authorityToken, "/api/calls", call)).Expect(201);
        SameInstant(opensAt, created["opensAt"]);
        SameInstant(closesAt, created["closesAt"]);
        await _p.Publish(authority, created.Id);
        var application = await _p.Apply(created.Id, op);
        foreach (var field in new[] { "opensAt", "closesAt" }) await Refused(authorityToken, "/api/calls", call, field);

        // Through the procedure to an agreement drafted with instants at offsets, then suspended with one.
        await _p.UntilCallState(created.Id, "closed");
        await _p.Review(application, "expert-t1", 80, 80);
        await _p.Review(application, "expert-t2", 85, 75);
        await _p.Shortlist("authority", authority, created.Id);
        await _p.UntilApplicationState(application, "confirmed");
        var agreement = AgreementBody(application, [dataset], now, now);
        agreement["startsAt"] = Text(now.AddMinutes(-1), -5, "yyyy-MM-dd'T'HH:mm:sszzz");
        agreement["endsAt"] = Text(now.AddDays(365), 14, "yyyy-MM-dd'T'HH:mm:ss.fffzzz");
        foreach (var field in new[] { "startsAt", "endsAt" }) await Refused(authorityToken, "/api/agreements", agreement, field);
        var drafted = await _p.Draft("authority", authority, agreement);
        SameInstant((string)agreement["startsAt"]!, drafted["startsAt"]);
        SameInstant((string)agreement["endsAt"]!, drafted["endsAt"]);
        await _p.SignBoth(drafted.Id, op, "authority", authority);

        var deadline = Text(now.AddDays(30), 5.5, "yyyy-MM-dd'T'HH:mm:ss.fffzzz");
        foreach (var garbage in Garbage)
        {
            var reply = await _api.PostRaw(authorityToken, $"/api/agreements/{drafted.Id}/suspend",
                """{"reason":"r","rectification":{"items":["a"],"deadline":""" + garbage + "}}");
            reply.ExpectBadInput(400);
            Assert.Contains("rectification.deadline", reply.Str("detail"));
        }
        var suspended = (await _api.Post(authorityToken, $"/api/agreements/{drafted.Id}/suspend",
            new { reason = "late security report", rectification = new { items = new[] { "file the report" }, deadline } })).Expect(200);
        Assert.Equal("suspended", suspended.State);
        SameInstant(deadline, suspended["rectification"].GetProperty("deadline"));
    }

    /// <summary>Each garbage time in <paramref name="field"/> of an otherwise good body is a 400 whose detail names it.</summary>
    private async Task Refused(string token, string path, Dictionary<string, object?> body, string field)
    {
        var node = JsonSerializer.SerializeToNode(body, ApiClient.Json)!.AsObject();
        foreach (var garbage in Garbage)
        {
            node[field] = JsonNode.Parse(garbage);
            var reply = await _api.PostRaw(token, path, node.ToJsonString());
            reply.ExpectBadInput(400);
            Assert.Contains(field, reply.Str("detail"));
        }
    }

    private static Dictionary<string, object?> Body(object body) =>
        JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(body, ApiClient.Json), ApiClient.Json)!;

    /// <summary>The instant as the local time at an offset of <paramref name="hours"/>.</summary>
    private static string Text(DateTimeOffset instant, double hours, string format) =>
        instant.ToOffset(TimeSpan.FromHours(hours)).ToString(format, CultureInfo.InvariantCulture);

    private static void SameInstant(string sent, JsonElement answered) =>
        Assert.Equal(DateTimeOffset.Parse(sent, CultureInfo.InvariantCulture).UtcDateTime, answered.GetDateTimeOffset().UtcDateTime);

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
