using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using JinanDataOps.Domain.Common;
using JinanDataOps.Host.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JinanDataOps.Host.Tests;

/// <summary>The role × organisation × route matrix (API.md "Identity"), generated from <see cref="Policy"/>:
/// every /api operation of the served OpenAPI document names its act (<c>x-policy</c>); for every token role,
/// a caller of the right organisation and one of a wrong organisation call it against a resource in a state
/// where the call could succeed. The expectation is the policy's own answer for that caller and that resource's
/// parties: allowed → 2xx, refused → 403. Refused calls run first (they change nothing), then the allowed ones.</summary>
public sealed class AuthorizationMatrixTests(MatrixWorld world, ITestOutputHelper output) : IClassFixture<MatrixWorld>
{
    [Fact]
    public async Task Every_route_answers_every_role_and_organisation_as_the_policy_says()
    {
        var operations = await world.Operations();
        var missing = operations.Where(o => !world.Scenes.ContainsKey(o.Key)).Select(o => o.Key).ToArray();
        Assert.True(missing.Length == 0, $"routes without a matrix scene (add one to MatrixWorld.Scenes): {string.Join(", ", missing)}");
        var stale = world.Scenes.Keys.Except(operations.Select(o => o.Key)).ToArray();
        Assert.True(stale.Length == 0, $"matrix scenes for routes the document does not have: {string.Join(", ", stale)}");

        var surprises = new List<string>();
        int cases = 0, allowed = 0;
        foreach (var operation in operations)
        {
            var scene = world.Scenes[operation.Key];
            var callers = MatrixWorld.TokenRoles
                .SelectMany(role => new[] { world.RightOrg(role, scene), world.WrongOrg(role, scene) }.Distinct().Select(org => new Caller(role, org)))
                .Select(caller => (Caller: caller, Allowed: Policy.Allows(operation.Act, caller, scene.Parties(caller))))
                .OrderBy(c => c.Allowed) // refusals first: they change nothing, so the resource is still ready for the allowed
                .ToArray();
            foreach (var (caller, expected) in callers)
            {
                cases++;
                if (expected) allowed++;
                var status = await world.Call(scene, caller);
                var ok = expected ? status.Code is >= 200 and < 300 : status.Code == 403;
                if (!ok) surprises.Add($"{operation.Key} as {caller}: expected {(expected ? "2xx" : "403")}, got {status.Code} {status.Text}");
            }
        }
        output.WriteLine($"matrix: {operations.Count} routes × {MatrixWorld.TokenRoles.Length} roles × right/wrong organisation = {cases} calls ({allowed} allowed, {cases - allowed} refused)");
        Assert.True(surprises.Count == 0, $"{surprises.Count} surprise(s) in {cases} calls:\n{string.Join("\n", surprises)}");
    }

    [Fact]
    public async Task Every_api_operation_names_its_act_and_who_may()
    {
        var operations = await world.Operations();
        Assert.True(operations.Count >= 40, $"only {operations.Count} /api operations found");
        Assert.All(operations, o => Assert.True(Policy.Table.ContainsKey(o.Act)));
    }
}

/// <summary>One route of the matrix: the resource's parties as the test knows them (for the caller, since
/// "with access" depends on who asks), and the request that would succeed for an allowed caller.
/// <paramref name="Orgs"/> chooses the right and the wrong organisation of a role where the resource does not say
/// (a newcomer registering itself).</summary>
public sealed record Scene(
    Func<Caller, Parties> Parties, Func<Caller, Task<HttpRequestMessage>> Request, Func<Role, (string Right, string Wrong)?>? Orgs = null, bool Stream = false)
{
    public Scene(Parties parties, Func<Caller, Task<HttpRequestMessage>> request) : this(_ => parties, request)
    {
    }
}

public sealed record Operation(string Method, string Path, Act Act)
{
    public string Key => $"{Method} {Path}";
}

/// <summary>The resources of the matrix, built once on a host of its own: a comprehensive call concluded
/// with eight confirmed operators (agreements drafted, signed, suspended, reported, terminated), domain calls
/// ready for their shortlist, an application under public notice, requests in every state a route needs,
/// quality issues and incidents.</summary>
public sealed class MatrixWorld : HostFixture
{
    public static readonly Role[] TokenRoles = [Role.Authority, Role.Provider, Role.Operator, Role.Expert, Role.Maintainer, Role.Regulator, Role.Sandbox, Role.Public];

    public const string Authority = "mx-city";
    public const string Provider = "mx-transport";
    public const string Expert = "mx-expert";
    public const string Dataset = "mx-bus";
    private const string OtherOperator = "operator-other";

    private static string Op(int n) => $"mx-op-{n}";

    private int _serial;

    public Dictionary<string, Scene> Scenes { get; } = new();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Build();
    }

    public string RightOrg(Role role, Scene scene)
    {
        if (scene.Orgs?.Invoke(role) is { } chosen) return chosen.Right;
        var p = scene.Parties(new Caller(role, ""));
        return role switch
        {
            Role.Operator => p.Operator ?? Op(1),
            Role.Authority => p.Authority ?? (p.AuthorizingUnit is { Role: Role.Authority } u ? u.Org : Authority),
            Role.Provider => p.AuthorizingUnit is { Role: Role.Provider } u ? u.Org : p.CallProvider ?? p.DatasetOwners?.FirstOrDefault() ?? Provider,
            Role.Expert => Expert,
            _ => $"mx-{Kebab.Of(role)}",
        };
    }

    public string WrongOrg(Role role, Scene scene) => scene.Orgs?.Invoke(role) is { } chosen ? chosen.Wrong : $"{Kebab.Of(role)}-other";

    /// <summary>The operations of the served document that need a role — every /api one and the operations routes under
    /// /cluster (API.md "Operations") — with the act each names.</summary>
    public async Task<IReadOnlyList<Operation>> Operations()
    {
        var doc = (await Api.Get(null, "/openapi/v1.json")).Expect(200).Json;
        var result = new List<Operation>();
        foreach (var path in doc.GetProperty("paths").EnumerateObject()
                     .Where(p => p.Name.StartsWith("/api/", StringComparison.Ordinal) || p.Name.StartsWith("/cluster/", StringComparison.Ordinal)))
            foreach (var op in path.Value.EnumerateObject())
            {
                Assert.True(op.Value.TryGetProperty("x-policy", out var policy), $"{op.Name.ToUpperInvariant()} {path.Name} names no act (x-policy)");
                Assert.True(Kebab.TryParse<Act>(policy.GetProperty("act").GetString(), out var act), $"{path.Name}: unknown act {policy}");
                result.Add(new Operation(op.Name.ToUpperInvariant(), path.Name, act));
            }
        return result;
    }

    public async Task<(int Code, string Text)> Call(Scene scene, Caller caller)
    {
        var request = await scene.Request(caller);
        var token = await Api.Token(Kebab.Of(caller.Role), caller.Org);
        if (!scene.Stream)
        {
            var reply = await Api.Send(token, request);
            return (reply.Status, reply.Text.Length > 300 ? reply.Text[..300] : reply.Text);
        }
        // An event stream never ends: its answer is its status and headers.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var text = response.IsSuccessStatusCode ? "" : await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text);
    }

    // ---- requests ------------------------------------------------------------------------------

    private Task<HttpRequestMessage> Get(string path) => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, Url(path)));

    private Uri Url(string path) => new(Host.BaseAddress, path.TrimStart('/'));

    private Task<HttpRequestMessage> Post(string path, object? body = null) => Task.FromResult(PostNow(path, body));

    private HttpRequestMessage PostNow(string path, object? body = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Url(path));
        if (body is not null) request.Content = new StringContent(JsonSerializer.Serialize(body, ApiClient.Json), Encoding.UTF8, "application/json");
        return request;
    }

    private string Next(string prefix) => $"{prefix}-{Interlocked.Increment(ref _serial)}";

    private Task<string> Token(Role role, string org) => Api.Token(Kebab.Of(role), org);

    private async Task<Reply> Send(Role role, string org, string path, object? body = null, int status = 200) =>
        (await Api.Send(await Token(role, org), PostNow(path, body))).Expect(status);

    // ---- the world ------------------------------------------------------------------------------

    private async Task Build()
    {
        var p = Procedure;
        await p.Dataset(Provider, Dataset, "transport", ("route", false), ("stop", false));
        for (var n = 1; n <= 10; n++) await p.Operator(Op(n), trained: n is 1 or 9 or 10);
        await p.Operator(OtherOperator);

        // Every call whose window must close is opened at once, so the world waits for one window only.
        var closes = DateTimeOffset.UtcNow + Procedure.Ahead;
        var main = await p.OpenCall(Authority, "comprehensive", closes, "PT2S", domains: ["transport"]);
        var noticed = await p.OpenCall(Authority, "comprehensive", closes, "PT1H", domains: ["transport"]);
        var review = await p.OpenCall(Authority, "comprehensive", closes, "PT1H", domains: ["transport"]);
        var byAuthority = await p.OpenCall(Authority, "domain", closes, "PT1H", domains: ["transport"], providerId: Provider);
        var byProvider = await p.OpenCall(Authority, "domain", closes, "PT1H", domains: ["transport"], providerId: Provider);
        var apps = new Dictionary<int, string>();
        for (var n = 1; n <= 10; n++) apps[n] = await p.Apply(main, Op(n));
        var underNotice = await p.Apply(noticed, Op(1));
        var toReview = await p.Apply(review, Op(1));
        var toDeclare = await p.Apply(review, Op(2));
        var shortlistA = await p.Apply(byAuthority, Op(1));
        var shortlistP = await p.Apply(byProvider, Op(1));
        Assert.True(DateTimeOffset.UtcNow < closes, "the world took longer to apply than the window it set");
        await Procedure.Past(closes);
        foreach (var call in new[] { main, noticed, review, byAuthority, byProvider }) await p.UntilCallState(call, "closed");

        foreach (var app in apps.Values.Append(underNotice).Append(shortlistA).Append(shortlistP)) await p.Review(app, Expert, 80, 80);
        await p.Shortlist("authority", Authority, main);
        await p.Shortlist("authority", Authority, noticed);
        var objection = (await Send(Role.Public, "mx-citizen", $"/api/applications/{underNotice}/objections", new { reason = "conflict of interest" }, 201)).Id;
        await p.UntilCallState(main, "concluded");
        foreach (var app in apps.Values) await p.UntilApplicationState(app, "confirmed");

        var agreements = new Dictionary<int, string>();
        foreach (var n in new[] { 1, 2, 3, 4, 5, 6, 7, 9, 10 })
            agreements[n] = (await p.Draft("authority", Authority, Procedure.AgreementBody(apps[n], [Dataset], DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(365)))).Id;
        foreach (var n in new[] { 1, 3, 4, 5, 6, 7, 9, 10 }) await p.SignBoth(agreements[n], Op(n), "authority", Authority);
        var rectification = new { reason = "failed evaluation", rectification = new { items = new[] { "fix the access log" }, deadline = Procedure.Iso(DateTimeOffset.UtcNow.AddDays(30)) } };
        await Send(Role.Authority, Authority, $"/api/agreements/{agreements[4]}/suspend", rectification);
        await Send(Role.Authority, Authority, $"/api/agreements/{agreements[5]}/suspend", rectification);
        await Send(Role.Operator, Op(5), $"/api/agreements/{agreements[5]}/rectification-reports", new { summary = "access log fixed" }, 201);
        await Send(Role.Authority, Authority, $"/api/agreements/{agreements[7]}/terminate", new { reason = "exit condition met" });

        var mainAgreement = agreements[1];
        async Task<string> Request(string scenario) => (await p.Request(Op(1), mainAgreement, scenario, [Dataset])).Expect(201).Id;
        var provisioned = await Request("provisioned");
        (await p.Approve("authority", Authority, provisioned)).Expect(200);
        (await p.Approve("provider", Provider, provisioned)).Expect(200);
        await p.UntilRequestState(provisioned, Authority, "provisioned");
        var toApprove = await Request("to-approve");
        var toReject = await Request("to-reject");
        var toClose = await Request("to-close");
        var issue1 = (await Send(Role.Operator, Op(1), $"/api/datasets/{Dataset}/quality-issues", new { description = "gaps in the night" }, 201)).Id;
        var issue2 = (await Send(Role.Operator, Op(1), $"/api/datasets/{Dataset}/quality-issues", new { description = "duplicate stops" }, 201)).Id;
        async Task<string> Incident() => (await Send(Role.Authority, Authority, "/api/incidents", new { agreementId = mainAgreement, summary = "suspicious access pattern" }, 201)).Id;
        // Data products of operator 1 from its provisioned request, one per state a route needs.
        object ProductBody() => new { agreementId = mainAgreement, dataRequestIds = new[] { provisioned }, kind = "service", name = Next("product"), description = "punctuality per route", outputFields = new[] { "route", "on-time-rate" } };
        async Task<string> Product(string upTo)
        {
            var id = (await Send(Role.Operator, Op(1), "/api/products", ProductBody(), 201)).Id;
            if (upTo == "draft") return id;
            await Send(Role.Operator, Op(1), $"/api/products/{id}/submit");
            if (upTo == "submitted") return id;
            await Send(Role.Authority, Authority, $"/api/products/{id}/review", new { approved = true });
            if (upTo == "approved") return id;
            await Send(Role.Operator, Op(1), $"/api/products/{id}/list", new { exchange = "Shandong Data Exchange" });
            return id;
        }
        var productRead = await Product("draft");
        var productSubmit = await Product("draft");
        var productReview = await Product("submitted");
        var productList = await Product("approved");
        var productDelist = await Product("listed");
        var incidentRead = await Incident();
        var incidentMeasures = await Incident();
        var incidentClose = await Incident();
        await Send(Role.Authority, Authority, $"/api/incidents/{incidentClose}/measures", new { description = "access frozen" }, 201);
        object EvaluationBody() => new { operatorId = Op(1), agreementId = mainAgreement, period = Next("2026-H"), materialsDue = Procedure.Iso(DateTimeOffset.UtcNow.AddDays(14)) };
        async Task<string> Evaluation() => (await Send(Role.Authority, Authority, "/api/evaluations", EvaluationBody(), 201)).Id;
        var evaluationRead = await Evaluation();
        var evaluationMaterials = await Evaluation();
        var evaluationResult = await Evaluation();
        await Send(Role.Operator, Op(1), $"/api/evaluations/{evaluationResult}/materials", new { documents = new[] { "operations report" } });
        // Operators 9 and 10 each break the sandbox once (an export attempt): their requests are suspended for their own
        // violation, their agreements by policy. Operator 9's incident is then closed and its agreement restored, so its
        // request can be reinstated; operator 10's stays as it is, to be revoked.
        var violated = new Dictionary<int, string>();
        foreach (var n in new[] { 9, 10 })
        {
            violated[n] = (await p.Request(Op(n), agreements[n], "violation", [Dataset])).Expect(201).Id;
            (await p.Approve("authority", Authority, violated[n])).Expect(200);
            (await p.Approve("provider", Provider, violated[n])).Expect(200);
            await p.UntilRequestState(violated[n], Authority, "provisioned");
        }
        var exports = string.Join("\n", new[] { 9, 10 }.Select(n => System.Text.Json.JsonSerializer.Serialize(new
        {
            operatorId = Op(n), dataRequestId = violated[n], kind = "export", dataset = Dataset, fields = new[] { "route" }, rows = 500, bytes = 40_000,
            at = Procedure.Iso(DateTimeOffset.UtcNow),
        }, ApiClient.Json)));
        var sandbox = await Token(Role.Sandbox, "mx-sandbox");
        (await Api.PostRaw(sandbox, "/api/sandbox/events", exports, "application/x-ndjson")).Expect(202);
        foreach (var n in new[] { 9, 10 })
        {
            await p.UntilRequestState(violated[n], Authority, "suspended");
            await Api.UntilState(await Token(Role.Authority, Authority), $"/api/agreements/{agreements[n]}", "suspended");
        }
        var incident9 = await Api.Eventually(async () =>
            (await Api.Get(await Token(Role.Authority, Authority), $"/api/incidents?operatorId={Op(9)}")).Expect(200).Json.EnumerateArray().Single().GetProperty("id").GetString()!);
        await Send(Role.Authority, Authority, $"/api/incidents/{incident9}/measures", new { description = "export job removed" }, 201);
        await Send(Role.Authority, Authority, $"/api/incidents/{incident9}/close", new { report = "contained" });
        await Send(Role.Operator, Op(9), $"/api/agreements/{agreements[9]}/rectification-reports", new { summary = "export job removed" }, 201);
        await Send(Role.Authority, Authority, $"/api/agreements/{agreements[9]}/restore");
        // The incident listing (the read side) shows it closed before the scene runs.
        await Api.Eventually(async () => Assert.Equal("closed",
            (await Api.Get(await Token(Role.Authority, Authority), $"/api/incidents?operatorId={Op(9)}")).Expect(200).Json.EnumerateArray().Single().GetProperty("state").GetString()));

        var draftCall = await p.CreateCall(Authority, Procedure.CallBody("comprehensive", "to publish", DateTimeOffset.UtcNow.AddDays(1), DateTimeOffset.UtcNow.AddDays(10), "P5D", domains: ["transport"]));
        var cancelCall = await p.CreateCall(Authority, Procedure.CallBody("comprehensive", "to cancel", DateTimeOffset.UtcNow.AddDays(1), DateTimeOffset.UtcNow.AddDays(10), "P5D", domains: ["transport"]));
        var openCall = await p.OpenCall(Authority, "comprehensive", DateTimeOffset.UtcNow.AddHours(1), "P5D", domains: ["transport"]);

        var none = Parties.None;
        var unit = new Caller(Role.Authority, Authority);
        Parties AgreementOf(int n) => new(Operator: Op(n), AuthorizingUnit: unit, Authority: Authority);
        var request = new Parties(Operator: Op(1), Authority: Authority, DatasetOwners: [Provider]);
        var incident = new Parties(Operator: Op(1), Authority: Authority);
        var application = new Parties(Operator: Op(1), Authority: Authority);
        var domainCall = new Parties(Authority: Authority, CallProvider: Provider);

        void Add(string key, Scene scene) => Scenes.Add(key, scene);
        // Datasets and quality
        Add("POST /api/datasets", new Scene(none, c => Post("/api/datasets", new { id = Next("mx-ds"), title = "Metro flow", domain = "transport", fields = new[] { new { name = "station", sensitive = false } } })));
        Add("GET /api/datasets", new Scene(none, _ => Get("/api/datasets")));
        Add("GET /api/datasets/{id}", new Scene(none, _ => Get($"/api/datasets/{Dataset}")));
        Add("POST /api/datasets/{id}/quality-issues", new Scene(c => new Parties(CallerHasAccess: c.Is(Role.Operator, Op(1))),
            _ => Post($"/api/datasets/{Dataset}/quality-issues", new { description = "missing values" })));
        Add("GET /api/quality-issues", new Scene(none, _ => Get("/api/quality-issues")));
        Add("POST /api/quality-issues/{id}/acknowledge", new Scene(new Parties(DatasetOwners: [Provider]), _ => Post($"/api/quality-issues/{issue1}/acknowledge")));
        Add("POST /api/quality-issues/{id}/resolve", new Scene(new Parties(DatasetOwners: [Provider]), _ => Post($"/api/quality-issues/{issue2}/resolve", new { resolution = "re-ingested" })));
        // Operators: a fresh organisation registers itself
        Add("POST /api/operators", new Scene(_ => none, c => Post("/api/operators", Procedure.OperatorBody(c.Org)), Orgs: role => role == Role.Operator ? ("mx-newcomer", "mx-newcomer-2") : null));
        Add("GET /api/operators/{id}", new Scene(new Parties(Operator: Op(1)), _ => Get($"/api/operators/{Op(1)}")));
        Add("GET /api/operators/{id}/record", new Scene(new Parties(Operator: Op(1)), _ => Get($"/api/operators/{Op(1)}/record")));
        Add("GET /api/audit/verify", new Scene(none, _ => Get("/api/audit/verify")));
        Add("POST /api/operators/{id}/trainings", new Scene(new Parties(Operator: Op(1)),
            _ => Post($"/api/operators/{Op(1)}/trainings", new { staff = new[] { "Li Na" }, completedOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-1)).ToString("yyyy-MM-dd") })));
        Add("POST /api/operators/{id}/security-reports", new Scene(new Parties(Operator: Op(1)),
            _ => Post($"/api/operators/{Op(1)}/security-reports", new { period = "2026-Q4", summary = "no incidents" })));
        // Calls and applications
        Add("POST /api/calls", new Scene(none, _ => Post("/api/calls", Procedure.CallBody("comprehensive", Next("call"), DateTimeOffset.UtcNow.AddDays(1), DateTimeOffset.UtcNow.AddDays(10), "P5D", domains: ["transport"]))));
        Add("GET /api/calls", new Scene(none, _ => Get("/api/calls")));
        Add("GET /api/calls/{id}", new Scene(none, _ => Get($"/api/calls/{main}")));
        Add("POST /api/calls/{id}/publish", new Scene(new Parties(Authority: Authority), _ => Post($"/api/calls/{draftCall}/publish")));
        Add("POST /api/calls/{id}/cancel", new Scene(new Parties(Authority: Authority), _ => Post($"/api/calls/{cancelCall}/cancel", new { reason = "scope changed" })));
        Add("POST /api/calls/{id}/applications", new Scene(none, _ => Post($"/api/calls/{openCall}/applications", new { materials = new { summary = "we apply" } })));
        // Both the authority and the call's provider may publish a domain call's shortlist: one call each.
        Add("POST /api/calls/{id}/shortlist", new Scene(domainCall, c => Post($"/api/calls/{(c.Role == Role.Provider ? byProvider : byAuthority)}/shortlist")));
        Add("GET /api/applications/{id}", new Scene(application, _ => Get($"/api/applications/{underNotice}")));
        Add("POST /api/applications/{id}/reviews", new Scene(application,
            _ => Post($"/api/applications/{toReview}/reviews", new { scores = new { capability = 70, security = 75 } })));
        Add("POST /api/applications/{id}/conflict-declarations", new Scene(application,
            _ => Post($"/api/applications/{toDeclare}/conflict-declarations", new { reason = "former employer" })));
        Add("POST /api/applications/{id}/objections", new Scene(application, _ => Post($"/api/applications/{underNotice}/objections", new { reason = "doubtful qualifications" })));
        Add("POST /api/objections/{id}/resolve", new Scene(application, _ => Post($"/api/objections/{objection}/resolve", new { upheld = false })));
        // Agreements
        Add("GET /api/agreement-template", new Scene(none, _ => Get("/api/agreement-template")));
        Add("POST /api/agreements", new Scene(new Parties(Operator: Op(8), AuthorizingUnit: unit, Authority: Authority),
            _ => Post("/api/agreements", Procedure.AgreementBody(apps[8], [Dataset], DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(365)))));
        Add("GET /api/agreements/{id}", new Scene(AgreementOf(1), _ => Get($"/api/agreements/{mainAgreement}")));
        Add("GET /api/agreements/{id}/log", new Scene(AgreementOf(1), _ => Get($"/api/agreements/{mainAgreement}/log")));
        Add("POST /api/agreements/{id}/sign", new Scene(AgreementOf(2), _ => Post($"/api/agreements/{agreements[2]}/sign")));
        Add("POST /api/agreements/{id}/suspend", new Scene(AgreementOf(3), _ => Post($"/api/agreements/{agreements[3]}/suspend", rectification)));
        Add("POST /api/agreements/{id}/rectification-reports", new Scene(AgreementOf(4), _ => Post($"/api/agreements/{agreements[4]}/rectification-reports", new { summary = "log fixed" })));
        Add("POST /api/agreements/{id}/restore", new Scene(AgreementOf(5), _ => Post($"/api/agreements/{agreements[5]}/restore")));
        Add("POST /api/agreements/{id}/terminate", new Scene(AgreementOf(6), _ => Post($"/api/agreements/{agreements[6]}/terminate", new { reason = "exit condition met" })));
        Add("POST /api/agreements/{id}/asset-disposal", new Scene(AgreementOf(7), _ => Post($"/api/agreements/{agreements[7]}/asset-disposal", new { record = "derived data deleted" })));
        // Data requests
        Add("POST /api/data-requests", new Scene(new Parties(Operator: Op(1)),
            _ => Post("/api/data-requests", new { agreementId = mainAgreement, scenario = Next("scenario"), datasets = new[] { Dataset }, purpose = "bus punctuality" })));
        Add("GET /api/data-requests/{id}", new Scene(request, _ => Get($"/api/data-requests/{provisioned}")));
        Add("POST /api/data-requests/{id}/approve", new Scene(request, _ => Post($"/api/data-requests/{toApprove}/approve")));
        Add("POST /api/data-requests/{id}/reject", new Scene(request, _ => Post($"/api/data-requests/{toReject}/reject", new { reason = "purpose too broad" })));
        Add("POST /api/data-requests/{id}/close", new Scene(request, _ => Post($"/api/data-requests/{toClose}/close")));
        Add("POST /api/data-requests/{id}/reinstate", new Scene(AgreementOf(9) with { DatasetOwners = [Provider] }, _ => Post($"/api/data-requests/{violated[9]}/reinstate")));
        Add("POST /api/data-requests/{id}/revoke", new Scene(AgreementOf(10) with { DatasetOwners = [Provider] },
            _ => Post($"/api/data-requests/{violated[10]}/revoke", new { reason = "repeated export attempts" })));
        // Monitoring and incidents
        Add("POST /api/sandbox/events", new Scene(none, _ =>
        {
            var line = JsonSerializer.Serialize(new
            {
                operatorId = Op(1), dataRequestId = provisioned, kind = "query", dataset = Dataset, fields = new[] { "route" }, rows = 1, bytes = 10,
                at = Procedure.Iso(DateTimeOffset.UtcNow),
            }, ApiClient.Json);
            var post = new HttpRequestMessage(HttpMethod.Post, Url("/api/sandbox/events")) { Content = new StringContent(line + "\n", Encoding.UTF8) };
            post.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
            return Task.FromResult(post);
        }));
        Add("GET /api/alerts", new Scene(new Parties(Operator: Op(1)), _ => Get($"/api/alerts?operatorId={Op(1)}")));
        Add("GET /api/alerts/stream", new Scene(_ => new Parties(Operator: Op(1)), _ => Get($"/api/alerts/stream?operatorId={Op(1)}"), Stream: true));
        Add("GET /api/monitoring/rules", new Scene(none, _ => Get("/api/monitoring/rules")));
        Add("GET /api/incidents", new Scene(none, _ => Get("/api/incidents")));
        Add("GET /api/reports/summary", new Scene(none, _ => Get($"/api/reports/summary?from={Uri.EscapeDataString(Procedure.Iso(DateTimeOffset.UtcNow.AddDays(-1)))}&to={Uri.EscapeDataString(Procedure.Iso(DateTimeOffset.UtcNow.AddDays(1)))}")));
        Add("GET /api/incidents/{id}", new Scene(incident, _ => Get($"/api/incidents/{incidentRead}")));
        Add("POST /api/incidents", new Scene(incident, _ => Post("/api/incidents", new { agreementId = mainAgreement, summary = "unusual volume" })));
        Add("POST /api/incidents/{id}/measures", new Scene(incident, _ => Post($"/api/incidents/{incidentMeasures}/measures", new { description = "credentials rotated" })));
        // Data products: a draft is read by its parties only (once listed, by anyone)
        var product = new Parties(Operator: Op(1), AuthorizingUnit: unit, Authority: Authority);
        Add("POST /api/products", new Scene(new Parties(Operator: Op(1)), _ => Post("/api/products", ProductBody())));
        Add("GET /api/products", new Scene(none, _ => Get("/api/products")));
        Add("GET /api/products/{id}", new Scene(product, _ => Get($"/api/products/{productRead}")));
        Add("POST /api/products/{id}/submit", new Scene(product, _ => Post($"/api/products/{productSubmit}/submit")));
        Add("POST /api/products/{id}/review", new Scene(product, _ => Post($"/api/products/{productReview}/review", new { approved = true, notes = "aggregated" })));
        Add("POST /api/products/{id}/list", new Scene(product, _ => Post($"/api/products/{productList}/list", new { exchange = "Shandong Data Exchange" })));
        Add("POST /api/products/{id}/delist", new Scene(product, _ => Post($"/api/products/{productDelist}/delist", new { reason = "withdrawn" })));
        Add("POST /api/incidents/{id}/close", new Scene(incident, _ => Post($"/api/incidents/{incidentClose}/close", new { report = "contained" })));
        // Evaluations (Art. 17–18), under the main agreement: its authority is also its authorizing unit
        Add("GET /api/evaluations", new Scene(none, _ => Get("/api/evaluations")));
        Add("GET /api/evaluations/{id}", new Scene(AgreementOf(1), _ => Get($"/api/evaluations/{evaluationRead}")));
        Add("POST /api/evaluations", new Scene(AgreementOf(1), _ => Post("/api/evaluations", EvaluationBody())));
        Add("POST /api/evaluations/{id}/materials", new Scene(AgreementOf(1), _ => Post($"/api/evaluations/{evaluationMaterials}/materials", new { documents = new[] { "operations report" } })));
        Add("POST /api/evaluations/{id}/result", new Scene(AgreementOf(1), _ => Post($"/api/evaluations/{evaluationResult}/result", new { passed = true })));
        // Operations of the platform (Art. 11): platform-wide reads, so any organisation holding a granted role may
        // (the policy's AnyOrganisation: the right and the wrong organisation are both allowed).
        Add("GET /cluster/members", new Scene(none, _ => Get("/cluster/members")));
        Add("GET /cluster/shards", new Scene(none, _ => Get("/cluster/shards")));
        Add("GET /cluster/events", new Scene(_ => none, _ => Get("/cluster/events"), Stream: true));
    }
}
