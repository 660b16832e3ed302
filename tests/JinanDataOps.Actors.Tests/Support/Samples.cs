using JinanDataOps.Actors.Consequences;
using JinanDataOps.Actors.Monitoring;
using JinanDataOps.Actors.Protocol;
using JinanDataOps.Actors.Serialization;
using JinanDataOps.Domain.Agreements;
using JinanDataOps.Domain.Applications;
using JinanDataOps.Domain.Calls;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.DataRequests;
using JinanDataOps.Domain.Datasets;
using JinanDataOps.Domain.Evaluations;
using JinanDataOps.Domain.Idempotency;
using JinanDataOps.Domain.Incidents;
using JinanDataOps.Domain.Operators;
using JinanDataOps.Domain.Products;
using JinanDataOps.Monitoring.Rules;
using JinanDataOps.Monitoring.Sandbox;

namespace JinanDataOps.Actors.Tests.Support;

/// <summary>One fixed, fully populated instance of every type in <see cref="Manifests.ByType"/>: non-empty
/// lists and dictionaries, nested records, optional fields set. Nothing here reads the clock or a random
/// source, so the golden files can be compared byte for byte.</summary>
public static class Samples
{
    // Beijing time, so that a lost offset shows up in the round trip.
    public static readonly DateTimeOffset At = new(2024, 3, 1, 9, 30, 0, TimeSpan.FromHours(8));
    public static readonly DateTimeOffset Later = At.AddDays(20);

    public static readonly Caller Authority = new(Role.Authority, "jinan-bdb");
    public static readonly Caller Provider = new(Role.Provider, "transport-bureau");
    public static readonly Caller Quancheng = new(Role.Operator, "op-quancheng");
    public static readonly Caller Expert = new(Role.Expert, "expert-li");
    public static readonly Caller Public = new(Role.Public, "citizen-1");
    public static readonly Caller Platform = Caller.Platform;

    public static readonly string QuanchengCreditCode = ValidCreditCode("91370100MA3C4XY10");

    public static readonly IReadOnlyList<DatasetField> Fields = [new("plate", Sensitive: true), new("route", Sensitive: false)];

    public static readonly Scope Scope = new([DataDomain.Transport, DataDomain.PublicWelfare], ["ds-bus-gps", "ds-metro-flow"]);

    public static readonly CallTerms Terms = new(
        AuthorizationMode.Domain, "Transport data operation", "transport-bureau", Scope,
        ["registered in Jinan", "ISO 27001 certified"],
        [new("innovation", 3m), new("security", 1.5m)],
        70m, At, At.AddDays(14), TimeSpan.FromDays(7));

    public static readonly AgreementClauses Clauses = new(
        "operate within scope", "level-3 protection", "exit on breach", "liquidated damages", "return models to the city");

    public static readonly DataRequestSubmission Submission = new(
        "req-1", "agr-app-1", "bus punctuality", ["ds-bus-gps", "ds-metro-flow"], "route planning", "consent-2024-017",
        new AgreementSnapshot("agr-app-1", AgreementStatus.Active, "op-quancheng", Scope),
        [new("ds-bus-gps", "transport-bureau", DataDomain.Transport, true), new("ds-metro-flow", "metro-group", DataDomain.Transport, false)]);

    public static readonly IReadOnlyDictionary<string, decimal> Scores = new Dictionary<string, decimal> { ["innovation"] = 82.5m, ["security"] = 90m };

    public static readonly ApplicationState ApplicationState = new(
        "app-1", ApplicationStatus.Shortlisted, "call-1", "op-quancheng", "jinan-bdb", Terms, "{\"plan\":\"bus\"}",
        ["op-quancheng-parent"], ["expert-wang"],
        [new Review("expert-li", Scores, 84.375m, At.AddDays(15))],
        [new Objection("app-1~o1", "conflict with a reviewer", Public, At.AddDays(16), ObjectionStatus.Dismissed, "idem-1")],
        84.38m, Later, NoticeEnded: false, RejectionReason: null);

    public static readonly AgreementState AgreementState = new(
        "agr-app-1", AgreementStatus.Suspended, "app-1", "call-1", "op-quancheng", AuthorizationMode.Domain, Provider, Scope,
        At, At.AddYears(3), Clauses, At.AddHours(1), At.AddHours(2),
        new RectificationOrder("failed evaluation", ["encrypt exports", "train staff"], Later, At.AddDays(10)),
        [new RectificationReport("exports encrypted", At.AddDays(12))], "not yet", "models returned");

    public static readonly CallState CallState = new(
        "call-1", CallStatus.Noticed, "jinan-bdb", Terms,
        [new CallEntry("app-1", "op-quancheng"), new CallEntry("app-2", "op-lixia")], Later, CancelReason: "none");

    public static readonly DataRequestState DataRequestState = new(
        "req-1", DataRequestStatus.Suspended, "op-quancheng", "agr-app-1", "bus punctuality", ["ds-bus-gps", "ds-metro-flow"],
        "route planning", "consent-2024-017", RequiresConsent: true, ["metro-group", "transport-bureau"],
        [new Approval(Role.Authority, "jinan-bdb", At), new Approval(Role.Provider, "transport-bureau", At.AddHours(3))],
        "n/a", "agreement suspended", SuspendedWithAgreement: true, EndReason: null);

    public static readonly OperatorState OperatorState = new(
        "op-quancheng", OperatorStatus.Authorized, "Quancheng Data Co.", QuanchengCreditCode, "Zhang San", "security@quancheng.example",
        [new Training(["Li Si", "Wang Wu"], new DateOnly(2024, 2, 20), At)],
        [new SecurityReport("2024-Q1", "no incidents", At.AddDays(30))],
        new Dictionary<string, AgreementStanding> { ["agr-app-1"] = AgreementStanding.Active, ["agr-app-0"] = AgreementStanding.Expired },
        [new LiveRequest("req-1", "bus punctuality", "agr-app-1", ["ds-bus-gps", "ds-metro-flow"])]);

    public static readonly DatasetState DatasetState = new(
        "ds-bus-gps", DatasetStatus.Registered, "Bus GPS traces", DataDomain.Transport, "transport-bureau", Fields,
        [
            new QualityIssue("ds-bus-gps~q1", "gaps at night", "op-quancheng", At, QualityIssueStatus.Resolved, "backfilled", "idem-q1"),
            new QualityIssue("ds-bus-gps~q2", "duplicate rows", "op-lixia", Later, QualityIssueStatus.Raised, null),
        ]);

    private static readonly ICallEvent[] AcceptedEvents = [new CallPublished(Authority, At), new CallClosed(Platform, Later)];

    // Sandbox monitoring
    private static readonly SandboxEvent Export = new("b-7#3", "op-quancheng", "req-1", ActionKind.Export, "ds-bus-gps", ["plate", "route"], 1200, 96_000, At, Denied: true);
    private static readonly RequestContext Request = new("req-1", "op-quancheng", "provisioned", true, ["ds-bus-gps"], false, "agr-app-1");
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Sensitive = new Dictionary<string, IReadOnlyList<string>> { ["ds-bus-gps"] = ["plate"] };
    private static readonly Alert Alert = new("op-quancheng/raw-export/20240301T013000Z", "raw-export", Severity.Critical, Art.A13, "op-quancheng", "req-1", "agr-app-1",
        "Art. 13: an attempt to export raw data", At, 2, ["b-7#3", "b-7#4"], new Dictionary<string, string> { ["rows"] = "1200" }, At, Later, Escalated: false);
    private static readonly AlertsRaised Raised = new(Platform, At, "b-7", [Alert], [Alert.Id], SuspendAgreements: true, TimeSpan.FromDays(30));
    private static readonly SlidingCountState Window = new(TimeSpan.FromSeconds(5).Ticks, [0, 12, 40], 1_000_002, 999_990, 52);
    private static readonly StoredResponse StoredResponse = new(201, "{\"id\":\"req-1\",\"state\":\"submitted\"}", "/api/data-requests/req-1");

    private static readonly IncidentSource Source = new(Alert.Id, "raw-export", "critical", ["b-7#3"]);

    private static readonly IReadOnlyList<string> EvaluationDocuments = ["operations report 2024-H1", "security self-assessment"];
    private static readonly IReadOnlyList<string> EvaluationFindings = ["access logs incomplete", "no incident drill"];
    public static readonly JinanDataOps.Domain.Audit.AuditLink AuditLinkSample = JinanDataOps.Domain.Audit.AuditChain.Next(
        null, "agreement-agr-app-1", 7, 4711, "agreement", "agr-app-1", "agr.terminated.v1",
        new AgreementTerminated(Platform, At, "rectification not accepted by its deadline (Art. 18)"), ["op-quancheng"],
        "{\"by\":{\"role\":\"platform\",\"org\":\"platform\"},\"at\":\"2024-03-01T09:30:00+08:00\",\"reason\":\"rectification not accepted by its deadline (Art. 18)\"}");

    /// <summary>Every registered type, with its sample.</summary>
    public static readonly IReadOnlyDictionary<Type, object> ByType = Build(
        // Dataset
        new DatasetRegistered(Provider, At, "Bus GPS traces", DataDomain.Transport, Fields),
        new QualityIssueRaised(Quancheng, At, "ds-bus-gps~q1", "gaps at night", "idem-q1"),
        new QualityIssueAcknowledged(Provider, At, "ds-bus-gps~q1"),
        new QualityIssueResolved(Provider, At, "ds-bus-gps~q1", "backfilled"),
        DatasetState,
        // Operator
        new OperatorRegistered(Quancheng, At, "Quancheng Data Co.", QuanchengCreditCode, "Zhang San", "security@quancheng.example"),
        new TrainingRecorded(Quancheng, At, ["Li Si", "Wang Wu"], new DateOnly(2024, 2, 20)),
        new SecurityReportFiled(Quancheng, At, "2024-Q1", "no incidents"),
        new AgreementStandingNoted(Platform, At, "agr-app-1", AgreementStanding.Suspended),
        new DataRequestOpened(Quancheng, At, Submission),
        new ScenarioReleased(Platform, At, "req-1", "bus punctuality"),
        new SecurityReportOverdue(Platform, At, Later, At),
        new ProductNoted(Platform, At, "prd-1", "agr-app-1", ["req-1"]),
        OperatorState,
        // Call
        new CallCreated(Authority, At, Terms),
        new CallPublished(Authority, At),
        new CallCancelled(Authority, At, "budget withdrawn"),
        new ApplicationAccepted(Quancheng, At, "app-1", "op-quancheng", "{\"plan\":\"bus\"}", ["op-quancheng-parent", "op-quancheng-sub"]),
        new CallClosed(Platform, At),
        new CallReviewStarted(Authority, At),
        new ShortlistPublished(Provider, At, Later),
        new CallConcluded(Platform, At),
        CallState,
        // Application
        new ApplicationSubmitted(Quancheng, At, "call-1", "op-quancheng", "jinan-bdb", Terms, "{\"plan\":\"bus\"}", ["op-quancheng-parent"]),
        new ConflictDeclared(Expert, At, "former employee of the applicant"),
        new ReviewRecorded(Expert, At, Scores, 84.375m),
        new ApplicationShortlisted(Platform, At, 84.38m, Later),
        new ApplicationNotSelected(Platform, At, 61.25m, "score 61.25 is below the pass score 70"),
        new ObjectionFiled(Public, At, "app-1~o1", "conflict with a reviewer", "idem-1"),
        new ObjectionResolved(Authority, At, "app-1~o1", Upheld: true),
        new ApplicationRejected(Authority, At, "objection app-1~o1 upheld"),
        new NoticeEnded(Platform, At),
        new ApplicationConfirmed(Platform, At),
        ApplicationState,
        // Agreement
        new AgreementDrafted(Provider, At, "app-1", "call-1", "op-quancheng", AuthorizationMode.Domain, Scope, At, At.AddYears(3), Clauses),
        new AgreementSigned(Quancheng, At),
        new AgreementActivated(Platform, At),
        new AgreementSuspended(Provider, At, "failed evaluation", ["encrypt exports", "train staff"], Later),
        new RectificationReported(Quancheng, At, "exports encrypted"),
        new AgreementRestored(Provider, At),
        new AgreementTerminated(Platform, At, "rectification not accepted by its deadline (Art. 18)"),
        new AgreementExpired(Platform, At),
        new AssetDisposalRecorded(Provider, At, "models returned"),
        AgreementState,
        // Data request
        new DataRequestSubmitted(Platform, At, "op-quancheng", Submission),
        new DataRequestApprovalGiven(Provider, At),
        new DataRequestApproved(Authority, At),
        new DataRequestRejected(Provider, At, "scenario not in the public interest"),
        new DataRequestProvisioned(Platform, At),
        new DataRequestSuspended(Platform, At, "agreement suspended", WithAgreement: true),
        new DataRequestRestored(Platform, At),
        new DataRequestRevoked(Platform, At, "agreement terminated"),
        new DataRequestClosed(Quancheng, At),
        DataRequestState,
        // Commands
        new RegisterDataset(Provider, "Bus GPS traces", DataDomain.Transport, Fields),
        new RaiseQualityIssue(Quancheng, "gaps at night", CallerHasAccess: true, "idem-q1"),
        new AcknowledgeQualityIssue(Provider, "ds-bus-gps~q1"),
        new ResolveQualityIssue(Provider, "ds-bus-gps~q1", "backfilled"),
        new RegisterOperator(Quancheng, "Quancheng Data Co.", QuanchengCreditCode, "Zhang San", "security@quancheng.example"),
        new RecordTraining(Quancheng, ["Li Si", "Wang Wu"], new DateOnly(2024, 2, 20)),
        new FileSecurityReport(Quancheng, "2024-Q1", "no incidents"),
        new NoteAgreementStanding(Platform, "agr-app-1", AgreementStanding.Terminated),
        new OpenDataRequest(Quancheng, Submission),
        new ReleaseScenario(Platform, "req-1"),
        new FlagOverdueSecurityReport(Platform),
        new NoteProduct(Platform, "prd-1", "agr-app-1", ["req-1"]),
        new CreateCall(Authority, Terms),
        new PublishCall(Authority),
        new CancelCall(Authority, "budget withdrawn"),
        new AcceptApplication(Quancheng, "app-1", "{\"plan\":\"bus\"}", ["op-quancheng-parent"], IsPlatformMaintainer: false, OperatorRegistered: true, OperatorTerminated: false),
        new CloseCall(Platform),
        new StartReview(Platform),
        new PublishShortlist(Provider),
        new ConcludeCall(Platform),
        new SubmitApplication(Platform, "call-1", "op-quancheng", "jinan-bdb", Terms, "{\"plan\":\"bus\"}", ["op-quancheng-parent"]),
        new DeclareConflict(Expert, "former employee of the applicant"),
        new ReviewApplication(Expert, Scores),
        new EvaluateApplication(Platform, Later),
        new FileObjection(Public, "conflict with a reviewer", "idem-1"),
        new ResolveObjection(Authority, "app-1~o1", Upheld: false),
        new ConcludeNotice(Platform),
        new DraftAgreement(Provider, ApplicationState, Scope, At, At.AddYears(3), Clauses,
            new Dictionary<string, DataDomain> { ["ds-bus-gps"] = DataDomain.Transport, ["ds-metro-flow"] = DataDomain.Transport }),
        new SignAgreement(Quancheng),
        new ActivateAgreement(Platform),
        new SuspendAgreement(Provider, "failed evaluation", ["encrypt exports", "train staff"], Later),
        new SubmitRectificationReport(Quancheng, "exports encrypted"),
        new RestoreAgreement(Provider),
        new TerminateAgreement(Provider, "exit condition met"),
        new EnforceRectificationDeadline(Platform),
        new ExpireAgreement(Platform),
        new RecordAssetDisposal(Provider, "models returned"),
        new SubmitDataRequest(Platform, "op-quancheng", Submission),
        new ApproveDataRequest(Authority),
        new RejectDataRequest(Provider, "scenario not in the public interest"),
        new ProvisionDataRequest(Platform, OperatorTrained: true, AgreementActive: true),
        new SuspendDataRequest(Platform, "agreement suspended", WithAgreement: true),
        new RestoreDataRequest(Platform, WithAgreement: true),
        new RevokeDataRequest(Platform, "agreement terminated"),
        new ReinstateDataRequest(Authority, Authority, ["inc-1"], AgreementActive: true),
        new CloseDataRequest(Quancheng),
        // Entity protocol: polymorphic fields carry commands, events and states of another aggregate each
        new Execute("call-1", new AcceptApplication(Quancheng, "app-1", "{}", ["op-quancheng-parent"], false, true, false)),
        new GetState("agr-app-1"),
        new CommandAccepted(CallState, AcceptedEvents),
        new CommandRejected(Rejection.Rule(Art.A8_2, "too late: the application window closed", conflict: true)),
        new CommandNotRecorded("the journal did not record the events (NpgsqlException: Failed to connect to 127.0.0.1:5432)"),
        new CurrentState(AgreementState, Exists: true),
        new DeadlineDue("rectification-deadline"),
        new OffsetStored(4711),
        // Incident
        new IncidentOpened(Platform, At, "op-quancheng", "req-1", "agr-app-1", "Art. 13: an attempt to export raw data", Art.A13, Source),
        new EmergencyResponseStarted(Authority, At),
        new MeasureRecorded(Authority, At, "export path closed"),
        new IncidentClosed(Authority, At, "contained; nothing left the platform"),
        new IncidentState("inc-1", IncidentStatus.Closed, "op-quancheng", "req-1", "agr-app-1", "Art. 13: an attempt to export raw data", Art.A13, Source,
            Platform, At, [new Measure(Authority, At, "export path closed")], "contained", Later),
        new OpenIncident(Platform, "op-quancheng", "req-1", "agr-app-1", "Art. 13: an attempt to export raw data", Art.A13, Source),
        new RecordMeasure(Authority, "export path closed"),
        new CloseIncident(Authority, "contained"),
        // Data product
        new ProductCreated(Quancheng, At, "op-quancheng", "agr-app-1", ["req-1"], ["ds-bus-gps", "ds-metro-flow"], ProductKind.Report,
            "Bus punctuality report", "On-time rate per route and month", ["route", "on-time-rate"], true, Provider, "jinan-bdb"),
        new ProductSubmitted(Quancheng, At),
        new ProductApproved(Authority, At, "no personal data in the output"),
        new ProductReturned(Authority, At, "state the aggregation level"),
        new ProductListed(Quancheng, At, "Shandong Data Exchange"),
        new ProductDelisted(Platform, At, "agreement agr-app-1 suspended (Art. 18)"),
        new ProductState("prd-1", ProductStatus.Delisted, "op-quancheng", "agr-app-1", ["req-1"], ["ds-bus-gps", "ds-metro-flow"], ProductKind.Report,
            "Bus punctuality report", "On-time rate per route and month", ["route", "on-time-rate"], true, Provider, "jinan-bdb",
            new ProductReview(true, "no personal data in the output", Authority, At), "Shandong Data Exchange", "agreement agr-app-1 suspended (Art. 18)", At),
        new CreateProduct(Quancheng, "agr-app-1", ["req-1"], ProductKind.Report, "Bus punctuality report", "On-time rate per route and month",
            ["route", "on-time-rate"], true, new ProductAgreement("agr-app-1", AgreementStatus.Active, "op-quancheng", Provider, "jinan-bdb"),
            [new ProductSource("req-1", "op-quancheng", "agr-app-1", DataRequestStatus.Provisioned, ["ds-bus-gps"])], [new SourceDataset("ds-bus-gps", ["plate"])]),
        new SubmitProduct(Quancheng, [new SourceDataset("ds-bus-gps", ["plate"])]),
        new ReviewProduct(Authority, true, "no personal data in the output"),
        new ListProduct(Quancheng, "Shandong Data Exchange", AgreementActive: true, ["req-2"]),
        new DelistProduct(Platform, "agreement agr-app-1 suspended (Art. 18)"),
        // Evaluation (Art. 17–18): a domain agreement, so the authorizing unit is the provider
        new EvaluationOpened(Authority, At, "op-quancheng", "agr-app-1", "2024-H1", Later, TimeSpan.FromDays(30), "jinan-bdb", Provider),
        new EvaluationMaterialsSubmitted(Quancheng, At, EvaluationDocuments),
        new EvaluationPassed(Authority, At, ["update the contact list"]),
        new EvaluationFailed(Authority, At, "agr-app-1", EvaluationFindings, Later, NonCooperation: false),
        new EvaluationOutcomeRecorded(Platform, At, EvaluationOutcome.Restored, "agreement agr-app-1 restored"),
        new EvaluationState("eval-1", EvaluationStatus.Failed, "op-quancheng", "agr-app-1", "2024-H1", Later, TimeSpan.FromDays(30), "jinan-bdb", Provider,
            Authority, At, EvaluationDocuments, At.AddDays(3), EvaluationFindings, Later.AddDays(30), Authority, At.AddDays(5), NonCooperation: false,
            EvaluationOutcome.Terminated, "rectification not accepted by its deadline", Later.AddDays(31)),
        new OpenEvaluation(Authority, "op-quancheng", new EvaluatedAgreement("agr-app-1", AgreementStatus.Active, "op-quancheng", "jinan-bdb", Provider),
            "2024-H1", Later, TimeSpan.FromDays(30)),
        new SubmitEvaluationMaterials(Quancheng, EvaluationDocuments),
        new RecordEvaluationResult(Authority, Passed: false, EvaluationFindings, Later),
        new FailForNonCooperation(Platform),
        new RecordEvaluationOutcome(Platform, EvaluationOutcome.Expired, "the agreed term ended"),
        // Idempotency-Key records
        new RequestStarted(Quancheng, At, "5f1d0c"),
        new RequestCompleted(Quancheng, At, "5f1d0c", StoredResponse),
        new RequestAbandoned(Quancheng, At, "5f1d0c"),
        new IdempotentRequestState("k-1", IdempotentRequestStatus.Completed, "5f1d0c", At, StoredResponse),
        new BeginRequest(Quancheng, "5f1d0c", TimeSpan.FromSeconds(30)),
        new CompleteRequest(Quancheng, "5f1d0c", StoredResponse),
        new AbandonRequest(Quancheng, "5f1d0c"),
        // Sandbox monitoring
        new BatchRecorded("b-7", At, [Export], [Request], Sensitive),
        Raised,
        new LaneSnapshot([new OperatorMonitorState("op-quancheng", Window, Window with { Buckets = [0, 0, 1], Sum = 1 }, 3.5, 240, 1_000_001,
            [new OpenAlert("raw-export", 1_000_001, Alert)], new Dictionary<string, IReadOnlyList<DateTimeOffset>> { ["outside-hours"] = [At, Later] })], ["b-6", "b-7"]),
        // The tamper-evident record
        new JinanDataOps.Actors.Audit.AuditLinks([AuditLinkSample]),
        new JinanDataOps.Actors.Audit.AuditChainSnapshot(AuditLinkSample, 4711,
            new Dictionary<string, string> { ["agreement-agr-app-1"] = "op-quancheng" }, new Dictionary<string, long> { ["agreement-agr-app-1"] = 7, ["call-call-1"] = 3 }),
        new RecordActivity("lane-03", "b-7", [Export], [Request], Sensitive),
        new ActivityRecorded("b-7", 1, Duplicate: false, Raised));

    /// <summary>The sample registered under <paramref name="manifest"/>.</summary>
    public static object For(string manifest) => ByType[Manifests.ByManifest[manifest]];

    private static IReadOnlyDictionary<Type, object> Build(params object[] samples)
    {
        var byType = new Dictionary<Type, object>();
        foreach (var sample in samples)
            if (!byType.TryAdd(sample.GetType(), sample)) throw new InvalidOperationException($"two samples of {sample.GetType().Name}");
        return byType;
    }

    private static string ValidCreditCode(string first17) => first17 + JinanDataOps.Domain.Common.CreditCode.CheckCharacterFor(first17);
}
