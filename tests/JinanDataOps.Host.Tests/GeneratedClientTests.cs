using JinanDataOps.Client;
using JinanDataOps.Client.Models;
using JinanDataOps.Host.Tests.Infrastructure;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;
using static JinanDataOps.Host.Tests.Infrastructure.Procedure;

namespace JinanDataOps.Host.Tests;

/// <summary>Generated clients are the proof (issue 10): the Art. 8 procedure, end to end against the real host,
/// through the client Kiota generates from docs/openapi/v1.json — every id, state and refusal read from a
/// generated model, with no cast and no hand-written JSON. If the contract leaves something untyped, this is
/// where it shows.</summary>
public sealed class GeneratedClientTests : IClassFixture<HostFixture>, IDisposable
{
    /// <summary>Timers (the window, the notice) and consequences are asynchronous; a busy two-core machine
    /// runs several hosts at once, so waits poll with a generous ceiling, never sleep-then-assert.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly ApiClient _api;
    private readonly GeneratedCallers _callers;

    private readonly string _authority = Unique("city");
    private readonly string _provider = Unique("bureau-transport");
    private readonly string _operator = Unique("op-kiota");
    private readonly string _lateOperator = Unique("op-late");
    private readonly string _data = Unique("bus-ridership");

    public GeneratedClientTests(HostFixture fixture)
    {
        _api = fixture.Api;
        _callers = new GeneratedCallers(fixture.Host);
    }

    public void Dispose() => _callers.Dispose();

    [Fact]
    public async Task The_generated_client_walks_the_procedure_end_to_end()
    {
        var provider = await _callers.As(DevTokenBody_role.Provider, _provider);
        var op = await _callers.As(DevTokenBody_role.Operator, _operator);
        var lateOp = await _callers.As(DevTokenBody_role.Operator, _lateOperator);
        var authority = await _callers.As(DevTokenBody_role.Authority, _authority);
        var expert1 = await _callers.As(DevTokenBody_role.Expert, Unique("expert"));
        var expert2 = await _callers.As(DevTokenBody_role.Expert, Unique("expert"));
        var sandbox = await _callers.As(DevTokenBody_role.Sandbox, "sandbox-1");
        var regulator = await _callers.As(DevTokenBody_role.Regulator, "cac-jinan");
        var citizen = await _callers.As(DevTokenBody_role.Public, "citizen-1");

        // ---- Public data (Art. 3) and operators (Art. 14, 16) -----------------------------------------
        var dataset = Got(await provider.Api.Datasets.PostAsync(new RegisterDatasetBody
        {
            Id = _data,
            Title = "Bus ridership",
            Domain = DataDomain.Transport,
            Fields = [new DatasetFieldBody { Name = "line", Sensitive = false }, new DatasetFieldBody { Name = "boardings", Sensitive = false }],
        }));
        Assert.Equal((_data, _provider, DataDomain.Transport), (dataset.Id, dataset.Owner, dataset.Domain));
        Assert.Equal(new[] { "line", "boardings" }, Got(dataset.Fields).Select(f => f.Name));

        foreach (var (client, org) in new[] { (op, _operator), (lateOp, _lateOperator) })
        {
            var registered = Got(await client.Api.Operators.PostAsync(new RegisterOperatorBody
            {
                Name = $"{org} Data Co., Ltd.",
                CreditCode = CreditCode(),
                LegalRepresentative = "Zhang Wei",
                SecurityContact = "security@example.cn",
            }));
            Assert.Equal((org, OperatorStatus.Registered), (registered.Id, registered.State));
        }
        var trained = Got(await op.Api.Operators[_operator].Trainings.PostAsync(new TrainingBody
        {
            Staff = ["Li Na", "Wang Fang"],
            CompletedOn = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        }));
        Assert.Equal(_operator, trained.OperatorId);

        // ---- A call for applications (Art. 8(1)); a create repeated with its Idempotency-Key ----------
        var closesAt = DateTimeOffset.UtcNow + Procedure.Ahead;   // every request that must beat the window has 30 s on a busy machine
        var callBody = CallBody("Kiota authorization 2027", closesAt);
        var key = Guid.NewGuid().ToString("N");
        var created = Got(await authority.Api.Calls.PostAsync(callBody, c => c.Headers.Add("Idempotency-Key", key)));
        Assert.Equal(CallStatus.Draft, created.State);
        var callId = Got(created.Id);
        Assert.Equal(callId, Got(await authority.Api.Calls.PostAsync(callBody, c => c.Headers.Add("Idempotency-Key", key))).Id);
        await Refused(() => regulator.Api.Calls.PostAsync(CallBody("the regulator only reads (Art. 5)", closesAt)), 403, ProblemCode.Forbidden);

        var published = Got(await authority.Api.Calls[callId].Publish.PostAsync());
        Assert.Equal((CallStatus.Open, AuthorizationMode.Comprehensive, "PT2S"), (published.State, published.Mode, published.NoticePeriod));

        // ---- Applying inside the window (Art. 8(2)) ---------------------------------------------------
        var submitted = Got(await op.Api.Calls[callId].Applications.PostAsync(new ApplyBody { Materials = Materials(_operator) }));
        Assert.Equal((ApplicationStatus.Submitted, callId, _operator), (submitted.State, submitted.CallId, submitted.OperatorId));
        var applicationId = Got(submitted.Id);

        // ---- The window closes by itself; too late now -----------------------------------------------
        await Procedure.Past(closesAt);
        await Until(() => citizen.Api.Calls[callId].GetAsync(), c => c.State, CallStatus.Closed);
        var late = await Refused(() => lateOp.Api.Calls[callId].Applications.PostAsync(new ApplyBody { Materials = Materials(_lateOperator) }),
            422, ProblemCode.RuleViolation);
        Assert.Equal("Art. 8(2)", late.Article);

        // ---- Two experts review (Art. 8(3)) ----------------------------------------------------------
        var first = Got(await expert1.Api.Applications[applicationId].Reviews.PostAsync(Scores(capability: 80, security: 70)));   // 0.6 × 80 + 0.4 × 70 = 76
        Assert.Equal(76d, Assert.Single(Got(first.Reviews)).Weighted);
        Got(await expert2.Api.Applications[applicationId].Reviews.PostAsync(Scores(capability: 90, security: 60)));                 // 78
        var reviewed = Got(await authority.Api.Applications[applicationId].GetAsync());
        Assert.Equal((ApplicationStatus.UnderReview, 77d, 2), (reviewed.State, reviewed.Score, Got(reviewed.Reviews).Count));
        await Until(() => citizen.Api.Calls[callId].GetAsync(), c => c.State, CallStatus.UnderReview);

        // ---- Shortlist, public notice, and the notice ends by itself (Art. 8(3), 8(4)) ---------------
        var shortlist = Got(await authority.Api.Calls[callId].Shortlist.PostAsync());
        Assert.Equal(CallStatus.Noticed, shortlist.State);
        var entry = Assert.Single(Got(shortlist.Applications));
        Assert.Equal((applicationId, ApplicationStatus.Shortlisted, 77d), (entry.Id, entry.State, entry.Score));
        await Until(() => citizen.Api.Calls[callId].GetAsync(), c => c.State, CallStatus.Concluded);
        await Until(() => citizen.Api.Applications[applicationId].GetAsync(), a => a.State, ApplicationStatus.Confirmed);

        // ---- The agreement, with every Art. 9 clause, signed by both ---------------------------------
        var drafted = Got(await authority.Api.Agreements.PostAsync(new DraftAgreementBody
        {
            ApplicationId = applicationId,
            Scope = new ScopeBody { Datasets = [_data] },
            StartsAt = DateTimeOffset.UtcNow.AddMinutes(-1),
            EndsAt = DateTimeOffset.UtcNow.AddDays(365),
            RightsAndObligations = "The operator processes the authorized data only inside the operations platform (Art. 13).",
            SecurityRequirements = "The legal representative is the first person responsible for data security (Art. 14).",
            ExitConditions = "Terminated when a rectification order is not met by its deadline (Art. 18).",
            BreachLiability = "A party in breach compensates the losses it causes (Art. 19).",
            AssetDisposal = "Derived data is deleted inside the platform at expiry.",
        }));
        Assert.Equal((AgreementStatus.Drafted, AuthorizationMode.Comprehensive, _operator), (drafted.State, drafted.Mode, drafted.OperatorId));
        Assert.Equal((Role.Authority, _authority), (Got(drafted.AuthorizingUnit).Role, Got(drafted.AuthorizingUnit).Org));
        var agreementId = Got(drafted.Id);
        Assert.Equal(AgreementStatus.Drafted, Got(await op.Api.Agreements[agreementId].Sign.PostAsync()).State);   // one signature is not enough
        Assert.Equal(AgreementStatus.Active, Got(await authority.Api.Agreements[agreementId].Sign.PostAsync()).State);

        // ---- A data request with both consents (Art. 12); provisioned, the operator being trained (Art. 16)
        const string scenario = "bus-crowding-forecast";
        var request = Got(await op.Api.DataRequests.PostAsync(new DataRequestBody
        {
            AgreementId = agreementId,
            Scenario = scenario,
            Datasets = [_data],
            Purpose = "forecast crowding on the busiest lines",
        }));
        Assert.Equal(DataRequestStatus.Submitted, request.State);
        Assert.Equal(new[] { "authority", $"provider:{_provider}" }, Got(request.RequiredApprovals).Order());
        var requestId = Got(request.Id);
        await Refused(() => op.Api.DataRequests[requestId].Approve.PostAsync(), 403, ProblemCode.Forbidden);
        Assert.Equal(DataRequestStatus.Submitted, Got(await authority.Api.DataRequests[requestId].Approve.PostAsync()).State);
        var approved = Got(await provider.Api.DataRequests[requestId].Approve.PostAsync());
        Assert.Equal(DataRequestStatus.Approved, approved.State);
        Assert.Equal(new Role?[] { Role.Authority, Role.Provider }, Got(approved.Approvals).Select(a => a.Role).Order());
        await Until(() => authority.Api.DataRequests[requestId].GetAsync(), r => r.State, DataRequestStatus.Provisioned);

        // One request per scenario (Art. 13).
        var twice = await Refused(() => op.Api.DataRequests.PostAsync(new DataRequestBody { AgreementId = agreementId, Scenario = scenario, Datasets = [_data], Purpose = "again" }),
            409, ProblemCode.RuleViolation);
        Assert.Equal("Art. 13", twice.Article);
        Assert.Contains(requestId, twice.Detail);

        // ---- The sandbox reports an export attempt (Art. 13, 15): the loop closes by itself ----------
        var accepted = Got(await sandbox.Api.Sandbox.Events.PostAsync(
        [
            Event(requestId, SandboxEventKind.Query, rows: 10),
            Event(requestId, SandboxEventKind.Export, rows: 50_000),
            Event(requestId, SandboxEventKind.Query, rows: 10),
        ]));
        Assert.Equal(3, accepted.Events);
        var acted = Got(accepted.Acted);
        Assert.Equal(acted.Count, accepted.Critical);
        // Monitoring judges events against its own view of each request, folded from the journal: right after
        // the request is provisioned that view may still hold it 'approved', and request-not-provisioned is raised
        // as well. The export attempt is critical whatever that view says.
        var alert = await _api.Eventually(async () => Assert.Single(Got(await authority.Api.Alerts.GetAsync(c =>
        {
            c.QueryParameters.OperatorId = _operator;
            c.QueryParameters.Severity = JinanDataOps.Client.Api.Alerts.GetSeverityQueryParameterType.Critical;
        })), a => a.Rule == "raw-export"), Patience);
        Assert.Equal((Severity.Critical, requestId), (alert.Severity, alert.DataRequestId));
        Assert.Contains(Got(alert.Id), acted);

        var suspended = await Until(() => authority.Api.DataRequests[requestId].GetAsync(), r => r.State, DataRequestStatus.Suspended);
        Assert.Contains(acted, id => Got(suspended.SuspensionReason).Contains(id, StringComparison.Ordinal));
        await Until(() => authority.Api.Agreements[agreementId].GetAsync(), a => a.State, AgreementStatus.Suspended);

        var incident = await _api.Eventually(async () =>
            Assert.Single(Got(await authority.Api.Incidents.GetAsync(c => c.QueryParameters.OperatorId = _operator)), i => i.Source?.AlertId == alert.Id), Patience);
        Assert.Equal((IncidentStatus.Opened, "raw-export", requestId), (incident.State, Got(incident.Source).Rule, incident.DataRequestId));
        var incidentId = Got(incident.Id);
        var tooEarly = await Refused(() => authority.Api.Incidents[incidentId].Close.PostAsync(new CloseIncidentBody { Report = "nothing done yet" }),
            409, ProblemCode.RuleViolation);
        Assert.Equal("Art. 15", tooEarly.Article);
        var measured = Got(await op.Api.Incidents[incidentId].Measures.PostAsync(new MeasureBody { Description = "export job removed; staff retrained" }));
        Assert.Equal(IncidentStatus.EmergencyResponse, measured.State);
        var closed = Got(await authority.Api.Incidents[incidentId].Close.PostAsync(new CloseIncidentBody { Report = "contained; no raw data left the platform" }));
        Assert.Equal(IncidentStatus.Closed, closed.State);

        // ---- The work log names who did what, in which role ------------------------------------------
        var log = Got(await authority.Api.Agreements[agreementId].Log.GetAsync());
        Assert.Equal(agreementId, log.AgreementId);
        Assert.Contains(Got(log.Entries), e => e.Role == Role.Operator && e.By == _operator);
        Assert.Contains(Got(log.Entries), e => e.Role == Role.Authority && e.By == _authority);

        // ---- And the two refusals every route shares --------------------------------------------------
        await Refused(() => authority.Api.Agreements[$"agr-{Unique("none")}"].GetAsync(), 404, ProblemCode.NotFound);
        await Refused(() => _callers.Anonymous.Api.Calls.GetAsync(), 401, ProblemCode.Unauthenticated);
    }

    private CreateCallBody CallBody(string title, DateTimeOffset closesAt) => new()
    {
        Mode = AuthorizationMode.Comprehensive,
        Title = title,
        Scope = new ScopeBody { Domains = [DataDomain.Transport] },
        Conditions = ["legal person registered in Jinan", "data security management system in place"],
        Criteria = [new CriterionBody { Name = "capability", Weight = 60 }, new CriterionBody { Name = "security", Weight = 40 }],
        PassScore = 60,
        OpensAt = DateTimeOffset.UtcNow.AddMinutes(-1),
        ClosesAt = closesAt,
        NoticePeriod = "PT2S",
    };

    /// <summary>The application's materials are a free-form object in the contract: its fields are the model's
    /// additional data, built without writing JSON by hand.</summary>
    private static JsonElement Materials(string org) => new()
    {
        AdditionalData = new Dictionary<string, object>
        {
            ["summary"] = $"{org} proposes data products for the city",
            ["qualifications"] = new UntypedArray([new UntypedString("ISO 27001"), new UntypedString("DSMM level 3")]),
        },
    };

    /// <summary>Scores are a map criterion → 0..100; Kiota models a map as a class with only AdditionalData.</summary>
    private static ReviewBody Scores(int capability, int security) => new()
    {
        Scores = new ReviewBody_scores { AdditionalData = new Dictionary<string, object> { ["capability"] = capability, ["security"] = security } },
    };

    private SandboxEventBody Event(string requestId, SandboxEventKind kind, long rows) => new()
    {
        OperatorId = _operator,
        DataRequestId = requestId,
        Kind = kind,
        Dataset = _data,
        Fields = ["line", "boardings"],
        Rows = rows,
        Bytes = rows * 80,
        At = new DateTimeOffset(2026, 12, 1, 6, 0, 0, TimeSpan.Zero),   // working hours: only the export is critical
    };

    /// <summary>Reads until <paramref name="state"/> of the answer is <paramref name="expected"/> (a 404 while a
    /// consequence is still on its way counts as not yet).</summary>
    private Task<T> Until<T, TState>(Func<Task<T?>> read, Func<T, TState> state, TState expected) where T : class =>
        _api.Eventually(async () =>
        {
            var answer = Got(await read());
            Assert.True(EqualityComparer<TState>.Default.Equals(state(answer), expected), $"{typeof(T).Name} is {state(answer)}, waiting for {expected}");
            return answer;
        }, Patience);

    /// <summary>The call is refused with an RFC 9457 problem that the generated client throws as the typed
    /// <see cref="ApiProblem"/> (Kiota maps every 4xx/503 answer of the contract to it).</summary>
    private static async Task<ApiProblem> Refused<T>(Func<Task<T>> call, int status, ProblemCode code)
    {
        var problem = await Assert.ThrowsAsync<ApiProblem>(async () => await call());
        Assert.True(problem.ResponseStatusCode == status && problem.Status == status && problem.Code == code,
            $"expected {status} {code} but got {problem.ResponseStatusCode} {problem.Code}: {problem.Title}: {problem.Detail}");
        Assert.False(string.IsNullOrWhiteSpace(problem.Title));
        return problem;
    }

    /// <summary>Every property of a Kiota model is nullable (Kiota does not read <c>required</c>); this asserts
    /// the value is there and returns it.</summary>
    private static T Got<T>(T? value) where T : class
    {
        Assert.NotNull(value);
        return value;
    }
}
