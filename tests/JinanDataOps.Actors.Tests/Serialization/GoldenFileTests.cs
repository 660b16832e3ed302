using System.Text;
using JinanDataOps.Actors.Consequences;
using JinanDataOps.Actors.Serialization;
using JinanDataOps.Actors.Tests.Support;
using JinanDataOps.Domain.Agreements;
using JinanDataOps.Domain.Applications;
using JinanDataOps.Domain.Calls;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.DataRequests;
using JinanDataOps.Domain.Datasets;
using JinanDataOps.Domain.Evaluations;
using JinanDataOps.Domain.Idempotency;
using JinanDataOps.Domain.Incidents;
using JinanDataOps.Actors.Monitoring;
using JinanDataOps.Monitoring.Rules;
using JinanDataOps.Monitoring.Sandbox;
using JinanDataOps.Domain.Operators;
using JinanDataOps.Domain.Products;
using static JinanDataOps.Actors.Tests.Support.Samples;

namespace JinanDataOps.Actors.Tests.Serialization;

/// <summary>Every persisted event and snapshot version stays readable as it was first written (STYLE.md
/// "Serialization"): the golden files are what the journal of a running platform holds.</summary>
public sealed class GoldenFileTests(SerializationFixture fixture) : IClassFixture<SerializationFixture>
{
    /// <summary>Commands and protocol messages travel but are never stored; everything else is.</summary>
    public static bool IsPersisted(string manifest) => !manifest.StartsWith("cmd.", StringComparison.Ordinal) && !manifest.StartsWith("msg.", StringComparison.Ordinal);

    public static TheoryData<string> PersistedManifests => new(Manifests.ByType.Values.Where(IsPersisted).Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(PersistedManifests))]
    public void The_golden_file_still_reads_with_its_key_fields(string manifest)
    {
        var golden = GoldenFiles.Read(manifest, fixture.Json(Samples.For(manifest)));

        var read = fixture.Serializer.FromBinary(Encoding.UTF8.GetBytes(golden), manifest);

        Assert.IsType(Manifests.ByManifest[manifest], read);
        if (read is IDomainEvent e) Assert.Equal(At, e.At);
        AssertKeyFields(read);
        // Nothing in the file was dropped on the way in: it writes back exactly as stored.
        Assert.Equal(golden, fixture.Json(read));
    }

    [Theory]
    [MemberData(nameof(PersistedManifests))]
    public void Serializing_the_fixed_instance_writes_exactly_the_golden_text(string manifest)
    {
        var current = fixture.Json(Samples.For(manifest));

        Assert.Equal(GoldenFiles.Read(manifest, current), current);
    }

    [Fact]
    public void Every_golden_file_belongs_to_a_persisted_manifest()
    {
        // A manifest is never removed once written: its golden file would otherwise go unread.
        var orphans = GoldenFiles.Present().Where(m => !Manifests.ByManifest.ContainsKey(m) || !IsPersisted(m));
        Assert.Empty(orphans);
    }

    private static void AssertKeyFields(object read)
    {
        switch (read)
        {
            // Dataset
            case DatasetRegistered x:
                Assert.Equal((Provider, "Bus GPS traces", DataDomain.Transport), (x.By, x.Title, x.Domain));
                Assert.Equal(["plate:True", "route:False"], x.Fields.Select(f => $"{f.Name}:{f.Sensitive}"));
                break;
            case QualityIssueRaised x: Assert.Equal((Quancheng, "ds-bus-gps~q1", "gaps at night", "idem-q1"), (x.By, x.IssueId, x.Description, x.Key)); break;
            case QualityIssueAcknowledged x: Assert.Equal((Provider, "ds-bus-gps~q1"), (x.By, x.IssueId)); break;
            case QualityIssueResolved x: Assert.Equal(("ds-bus-gps~q1", "backfilled"), (x.IssueId, x.Resolution)); break;
            case DatasetState x:
                Assert.Equal(("ds-bus-gps", DatasetStatus.Registered, "transport-bureau", 2), (x.Id, x.State, x.Owner, x.Fields.Count));
                Assert.True(x.HasSensitiveFields);
                Assert.Equal([QualityIssueStatus.Resolved, QualityIssueStatus.Raised], x.QualityIssues.Select(q => q.State));
                Assert.Equal(("backfilled", "idem-q1", At), (x.QualityIssues[0].Resolution, x.QualityIssues[0].Key, x.QualityIssues[0].RaisedAt));
                Assert.Null(x.QualityIssues[1].Resolution);
                break;
            // Operator
            case OperatorRegistered x: Assert.Equal(("Quancheng Data Co.", QuanchengCreditCode, "Zhang San"), (x.Name, x.CreditCode, x.LegalRepresentative)); break;
            case TrainingRecorded x:
                Assert.Equal(["Li Si", "Wang Wu"], x.Staff);
                Assert.Equal(new DateOnly(2024, 2, 20), x.CompletedOn);
                break;
            case SecurityReportFiled x: Assert.Equal(("2024-Q1", "no incidents"), (x.Period, x.Summary)); break;
            case AgreementStandingNoted x: Assert.Equal((Platform, "agr-app-1", AgreementStanding.Suspended), (x.By, x.AgreementId, x.Standing)); break;
            case DataRequestOpened x: AssertSubmission(x.Submission); break;
            case ScenarioReleased x: Assert.Equal(("req-1", "bus punctuality"), (x.RequestId, x.Scenario)); break;
            case SecurityReportOverdue x: Assert.Equal((Later, At), (x.Due, x.LastFiledAt!.Value)); break;
            case ProductNoted x: Assert.Equal(("prd-1", "agr-app-1", "req-1"), (x.ProductId, x.AgreementId, Assert.Single(x.DataRequestIds))); break;
            case OperatorState x:
                Assert.Equal(("op-quancheng", OperatorStatus.Authorized, QuanchengCreditCode), (x.Id, x.State, x.CreditCode));
                Assert.Equal(new DateOnly(2024, 2, 20), Assert.Single(x.Trainings).CompletedOn);
                Assert.Equal("2024-Q1", Assert.Single(x.SecurityReports).Period);
                Assert.Equal(AgreementStanding.Active, x.Agreements["agr-app-1"]);
                Assert.Equal(AgreementStanding.Expired, x.Agreements["agr-app-0"]);
                Assert.Equal(["ds-bus-gps", "ds-metro-flow"], Assert.Single(x.LiveRequests).Datasets);
                break;
            // Call
            case CallCreated x: Assert.Equal(Authority, x.By); AssertTerms(x.Terms); break;
            case CallPublished x: Assert.Equal(Authority, x.By); break;
            case CallCancelled x: Assert.Equal("budget withdrawn", x.Reason); break;
            case ApplicationAccepted x:
                Assert.Equal(("app-1", "op-quancheng", "{\"plan\":\"bus\"}"), (x.ApplicationId, x.OperatorId, x.MaterialsJson));
                Assert.Equal(["op-quancheng-parent", "op-quancheng-sub"], x.AffiliatedOrgs);
                break;
            case CallClosed x: Assert.Equal(Platform, x.By); break;
            case CallReviewStarted x: Assert.Equal(Authority, x.By); break;
            case ShortlistPublished x: Assert.Equal((Provider, Later), (x.By, x.NoticeEndsAt)); break;
            case CallConcluded x: Assert.Equal(Platform, x.By); break;
            case CallState x:
                Assert.Equal(("call-1", CallStatus.Noticed, "jinan-bdb", (DateTimeOffset?)Later), (x.Id, x.State, x.AuthorityOrg, x.NoticeEndsAt));
                AssertTerms(x.Terms!);
                Assert.Equal(["app-1/op-quancheng", "app-2/op-lixia"], x.Applications.Select(a => $"{a.ApplicationId}/{a.OperatorId}"));
                break;
            // Application
            case ApplicationSubmitted x:
                Assert.Equal(("call-1", "op-quancheng", "jinan-bdb"), (x.CallId, x.OperatorId, x.AuthorityOrg));
                AssertTerms(x.Terms);
                break;
            case ConflictDeclared x: Assert.Equal((Expert, "former employee of the applicant"), (x.By, x.Reason)); break;
            case ReviewRecorded x:
                Assert.Equal(84.375m, x.Weighted);
                Assert.Equal(82.5m, x.Scores["innovation"]);
                Assert.Equal(90m, x.Scores["security"]);
                break;
            case ApplicationShortlisted x: Assert.Equal((84.38m, Later), (x.Score, x.NoticeEndsAt)); break;
            case ApplicationNotSelected x: Assert.Equal((61.25m, "score 61.25 is below the pass score 70"), (x.Score, x.Reason)); break;
            case ObjectionFiled x: Assert.Equal((Public, "app-1~o1", "idem-1"), (x.By, x.ObjectionId, x.Key)); break;
            case ObjectionResolved x: Assert.Equal(("app-1~o1", true), (x.ObjectionId, x.Upheld)); break;
            case ApplicationRejected x: Assert.Equal("objection app-1~o1 upheld", x.Reason); break;
            case NoticeEnded x: Assert.Equal(Platform, x.By); break;
            case ApplicationConfirmed x: Assert.Equal(Platform, x.By); break;
            case ApplicationState x:
                Assert.Equal(("app-1", ApplicationStatus.Shortlisted, (decimal?)84.38m, (DateTimeOffset?)Later), (x.Id, x.State, x.Score, x.NoticeEndsAt));
                AssertTerms(x.Terms!);
                Assert.Equal(["expert-wang"], x.DeclaredConflicts);
                Assert.Equal(90m, Assert.Single(x.Reviews).Scores["security"]);
                var objection = Assert.Single(x.Objections);
                Assert.Equal((Public, ObjectionStatus.Dismissed, "idem-1"), (objection.FiledBy, objection.State, objection.Key));
                break;
            // Agreement
            case AgreementDrafted x:
                Assert.Equal(("app-1", "op-quancheng", AuthorizationMode.Domain, At.AddYears(3)), (x.ApplicationId, x.OperatorId, x.Mode, x.EndsAt));
                Assert.Equal("return models to the city", x.Clauses.AssetDisposal);
                AssertScope(x.Scope);
                break;
            case AgreementSigned x: Assert.Equal(Quancheng, x.By); break;
            case AgreementActivated x: Assert.Equal(Platform, x.By); break;
            case AgreementSuspended x:
                Assert.Equal(("failed evaluation", Later), (x.Reason, x.Deadline));
                Assert.Equal(["encrypt exports", "train staff"], x.Items);
                break;
            case RectificationReported x: Assert.Equal("exports encrypted", x.Summary); break;
            case AgreementRestored x: Assert.Equal(Provider, x.By); break;
            case AgreementTerminated x: Assert.Equal("rectification not accepted by its deadline (Art. 18)", x.Reason); break;
            case AgreementExpired x: Assert.Equal(Platform, x.By); break;
            case AssetDisposalRecorded x: Assert.Equal("models returned", x.Record); break;
            case AgreementState x:
                Assert.Equal(("agr-app-1", AgreementStatus.Suspended, Provider), (x.Id, x.State, x.AuthorizingUnit));
                Assert.True(x.BothSigned);
                Assert.Equal(("failed evaluation", Later, At.AddDays(10)), (x.Rectification!.Reason, x.Rectification.Deadline, x.Rectification.OrderedAt));
                Assert.Equal("exports encrypted", Assert.Single(x.RectificationReports).Summary);
                Assert.Equal("level-3 protection", x.Clauses!.SecurityRequirements);
                AssertScope(x.Scope);
                break;
            // Data request
            case DataRequestSubmitted x: Assert.Equal("op-quancheng", x.OperatorId); AssertSubmission(x.Submission); break;
            case DataRequestApprovalGiven x: Assert.Equal(Provider, x.By); break;
            case DataRequestApproved x: Assert.Equal(Authority, x.By); break;
            case DataRequestRejected x: Assert.Equal("scenario not in the public interest", x.Reason); break;
            case DataRequestProvisioned x: Assert.Equal(Platform, x.By); break;
            case DataRequestSuspended x: Assert.Equal(("agreement suspended", true), (x.Reason, x.WithAgreement)); break;
            case DataRequestRestored x: Assert.Equal(Platform, x.By); break;
            case DataRequestRevoked x: Assert.Equal("agreement terminated", x.Reason); break;
            case DataRequestClosed x: Assert.Equal(Quancheng, x.By); break;
            case DataRequestState x:
                Assert.Equal(("req-1", DataRequestStatus.Suspended, true, true), (x.Id, x.State, x.RequiresConsent, x.SuspendedWithAgreement));
                Assert.Equal(["metro-group", "transport-bureau"], x.RequiredProviders);
                Assert.Equal([Role.Authority, Role.Provider], x.Approvals.Select(a => a.Role));
                Assert.Null(x.EndReason);
                break;
            // Projection
            case OffsetStored x: Assert.Equal(4711, x.Offset); break;
            case JinanDataOps.Actors.Audit.AuditLinks batch:
                var link = Assert.Single(batch.Links);
                Assert.Equal((1L, "agreement-agr-app-1", 7L, 4711L, "agr.terminated.v1", Role.Platform), (link.Index, link.PersistenceId, link.SequenceNr, link.SourceOrdering, link.EventType, link.ByRole));
                Assert.Equal(["op-quancheng"], link.Operators);
                Assert.Equal(JinanDataOps.Domain.Audit.AuditChain.HashOf(link), link.Hash); // still the hash of its content
                break;
            case JinanDataOps.Actors.Audit.AuditChainSnapshot x:
                Assert.Equal((1L, 4711L, "op-quancheng", 3L), (x.Last!.Index, x.Offset, x.Operators["agreement-agr-app-1"], x.Linked["call-call-1"]));
                break;
            // Incident
            case IncidentOpened x:
                Assert.Equal((Platform, "op-quancheng", "req-1", "agr-app-1", Art.A13), (x.By, x.OperatorId, x.DataRequestId, x.AgreementId, x.Article));
                Assert.Equal(("raw-export", "critical", "b-7#3"), (x.Source!.Rule, x.Source.Severity, x.Source.Evidence[0]));
                break;
            case EmergencyResponseStarted x: Assert.Equal((Authority, At), (x.By, x.At)); break;
            case MeasureRecorded x: Assert.Equal("export path closed", x.Description); break;
            case IncidentClosed x: Assert.Equal(("contained; nothing left the platform", Authority), (x.Report, x.By)); break;
            case IncidentState x:
                Assert.Equal(("inc-1", IncidentStatus.Closed, "op-quancheng", "contained"), (x.Id, x.State, x.OperatorId, x.Report));
                Assert.Equal("export path closed", Assert.Single(x.Measures).Description);
                break;
            // Data product
            case ProductCreated x:
                Assert.Equal(("op-quancheng", "agr-app-1", ProductKind.Report, true, Provider, "jinan-bdb"), (x.OperatorId, x.AgreementId, x.Kind, x.Aggregated, x.AuthorizingUnit, x.AuthorityOrg));
                Assert.Equal(["route", "on-time-rate"], x.OutputFields);
                Assert.Equal(["ds-bus-gps", "ds-metro-flow"], x.SourceDatasets);
                Assert.Equal(["req-1"], x.DataRequestIds);
                break;
            case ProductSubmitted x: Assert.Equal(Quancheng, x.By); break;
            case ProductApproved x: Assert.Equal(("no personal data in the output", Authority), (x.Notes, x.By)); break;
            case ProductReturned x: Assert.Equal(("state the aggregation level", Authority), (x.Notes, x.By)); break;
            case ProductListed x: Assert.Equal("Shandong Data Exchange", x.Exchange); break;
            case ProductDelisted x: Assert.Equal(("agreement agr-app-1 suspended (Art. 18)", Platform), (x.Reason, x.By)); break;
            case ProductState x:
                Assert.Equal(("prd-1", ProductStatus.Delisted, ProductKind.Report, "Shandong Data Exchange"), (x.Id, x.State, x.Kind, x.Exchange));
                Assert.Equal((true, Authority, At), (x.Review!.Approved, x.Review.By, x.Review.At));
                Assert.Equal((Provider, "jinan-bdb", At), (x.AuthorizingUnit, x.AuthorityOrg, x.CreatedAt));
                break;
            // Evaluation
            case EvaluationOpened x:
                Assert.Equal((Authority, "op-quancheng", "agr-app-1", "2024-H1", Later), (x.By, x.OperatorId, x.AgreementId, x.Period, x.MaterialsDue));
                Assert.Equal((TimeSpan.FromDays(30), "jinan-bdb", Provider), (x.RectificationPeriod, x.AuthorityOrg, x.AuthorizingUnit));
                break;
            case EvaluationMaterialsSubmitted x: Assert.Equal((Quancheng, 2, "security self-assessment"), (x.By, x.Documents.Count, x.Documents[1])); break;
            case EvaluationPassed x: Assert.Equal((Authority, "update the contact list"), (x.By, Assert.Single(x.Findings))); break;
            case EvaluationFailed x:
                Assert.Equal((Authority, "agr-app-1", Later, false), (x.By, x.AgreementId, x.RectificationDeadline, x.NonCooperation));
                Assert.Equal(["access logs incomplete", "no incident drill"], x.Findings);
                break;
            case EvaluationOutcomeRecorded x: Assert.Equal((Platform, EvaluationOutcome.Restored, "agreement agr-app-1 restored"), (x.By, x.Outcome, x.Reason)); break;
            case EvaluationState x:
                Assert.Equal(("eval-1", EvaluationStatus.Failed, "op-quancheng", "agr-app-1", Provider), (x.Id, x.State, x.OperatorId, x.AgreementId, x.AuthorizingUnit));
                Assert.Equal((Later, TimeSpan.FromDays(30), (DateTimeOffset?)Later.AddDays(30)), (x.MaterialsDue, x.RectificationPeriod, x.RectificationDeadline));
                Assert.Equal((2, 2, (EvaluationOutcome?)EvaluationOutcome.Terminated), (x.Documents.Count, x.Findings.Count, x.Outcome));
                Assert.Equal(((DateTimeOffset?)At.AddDays(3), (DateTimeOffset?)Later.AddDays(31), Authority), (x.MaterialsSubmittedAt, x.OutcomeAt, x.DecidedBy));
                break;
            case RequestStarted x: Assert.Equal(("5f1d0c", Quancheng), (x.RequestHash, x.By)); break;
            case RequestCompleted x: Assert.Equal(("5f1d0c", 201, "/api/data-requests/req-1"), (x.RequestHash, x.Response.Status, x.Response.Location)); break;
            case RequestAbandoned x: Assert.Equal("5f1d0c", x.RequestHash); break;
            case IdempotentRequestState x:
                Assert.Equal(("k-1", IdempotentRequestStatus.Completed, "5f1d0c"), (x.Id, x.State, x.RequestHash));
                Assert.Contains("req-1", x.Response!.Body);
                break;
            // Sandbox monitoring
            case BatchRecorded x:
                var e = Assert.Single(x.Events);
                Assert.Equal(("b-7#3", ActionKind.Export, 1200L, 96_000L, true, At), (e.Id, e.Kind, e.Rows, e.Bytes, e.Denied, e.At));
                Assert.Equal(["plate", "route"], e.Fields);
                Assert.Equal(("req-1", true, "agr-app-1"), (x.Requests[0].RequestId, x.Requests[0].Provisioned, x.Requests[0].AgreementId));
                Assert.Equal(["plate"], x.SensitiveFields["ds-bus-gps"]);
                break;
            case AlertsRaised x:
                var alert = Assert.Single(x.Alerts);
                Assert.Equal(("raw-export", Severity.Critical, 2, "1200"), (alert.Rule, alert.Severity, alert.Count, alert.Observed["rows"]));
                Assert.Equal([alert.Id], x.Acting);
                Assert.Equal((true, TimeSpan.FromDays(30)), (x.SuspendAgreements, x.RectificationPeriod));
                break;
            case LaneSnapshot x:
                var monitor = Assert.Single(x.Monitors);
                Assert.Equal(("op-quancheng", 3.5, 240L, 52L), (monitor.OperatorId, monitor.BaselinePerStep, monitor.LearnedSteps, monitor.Rows.Sum));
                Assert.Equal([0L, 12L, 40L], monitor.Rows.Buckets);
                Assert.Equal("raw-export", Assert.Single(monitor.Open).Rule);
                Assert.Equal(2, monitor.Warnings["outside-hours"].Count);
                Assert.Equal(["b-6", "b-7"], x.RecentBatches);
                break;
            default:
                Assert.Fail($"no key-field assertions for {read.GetType().Name}: add a case when adding a persisted type");
                break;
        }
    }

    private static void AssertTerms(CallTerms t)
    {
        Assert.Equal((AuthorizationMode.Domain, "transport-bureau", 70m, TimeSpan.FromDays(7)), (t.Mode, t.ProviderId, t.PassScore, t.NoticePeriod));
        Assert.Equal((At, At.AddDays(14)), (t.OpensAt, t.ClosesAt));
        Assert.Equal(["innovation:3", "security:1.5"], t.Criteria.Select(c => $"{c.Name}:{c.Weight}"));
        Assert.Equal(["registered in Jinan", "ISO 27001 certified"], t.Conditions);
        AssertScope(t.Scope);
    }

    private static void AssertScope(Scope s)
    {
        Assert.Equal([DataDomain.Transport, DataDomain.PublicWelfare], s.Domains);
        Assert.Equal(["ds-bus-gps", "ds-metro-flow"], s.Datasets);
    }

    private static void AssertSubmission(DataRequestSubmission s)
    {
        Assert.Equal(("req-1", "agr-app-1", "bus punctuality", "consent-2024-017"), (s.RequestId, s.AgreementId, s.Scenario, s.ConsentEvidence));
        Assert.Equal(AgreementStatus.Active, s.Agreement!.State);
        AssertScope(s.Agreement.Scope);
        Assert.Equal(["ds-bus-gps:True", "ds-metro-flow:False"], s.Found.Select(d => $"{d.Id}:{d.HasSensitiveFields}"));
        Assert.True(s.RequiresConsent);
    }
}
