using JinanDataOps.Actors.Monitoring;
using JinanDataOps.Actors.Protocol;
using JinanDataOps.Domain.Agreements;
using JinanDataOps.Domain.Applications;
using JinanDataOps.Domain.Calls;
using JinanDataOps.Domain.DataRequests;
using JinanDataOps.Domain.Datasets;
using JinanDataOps.Domain.Idempotency;
using JinanDataOps.Domain.Evaluations;
using JinanDataOps.Domain.Incidents;
using JinanDataOps.Domain.Operators;
using JinanDataOps.Domain.Products;

namespace JinanDataOps.Actors.Serialization;

/// <summary>The persisted schema's names. A manifest never changes once written: a new shape of an
/// event gets a new version (".v2") and the old one stays readable. Type names may change freely.</summary>
public static class Manifests
{
    public static readonly IReadOnlyDictionary<Type, string> ByType = new Dictionary<Type, string>
    {
        // Dataset events and snapshot
        [typeof(DatasetRegistered)] = "ds.registered.v1",
        [typeof(QualityIssueRaised)] = "ds.quality-raised.v1",
        [typeof(QualityIssueAcknowledged)] = "ds.quality-acknowledged.v1",
        [typeof(QualityIssueResolved)] = "ds.quality-resolved.v1",
        [typeof(DatasetState)] = "ds.snapshot.v1",
        // Operator
        [typeof(OperatorRegistered)] = "op.registered.v1",
        [typeof(TrainingRecorded)] = "op.training-recorded.v1",
        [typeof(SecurityReportFiled)] = "op.security-report-filed.v1",
        [typeof(AgreementStandingNoted)] = "op.agreement-standing.v1",
        [typeof(DataRequestOpened)] = "op.request-opened.v1",
        [typeof(ScenarioReleased)] = "op.scenario-released.v1",
        [typeof(SecurityReportOverdue)] = "op.security-report-overdue.v1",
        [typeof(ProductNoted)] = "op.product-noted.v1",
        [typeof(OperatorState)] = "op.snapshot.v1",
        // Call
        [typeof(CallCreated)] = "call.created.v1",
        [typeof(CallPublished)] = "call.published.v1",
        [typeof(CallCancelled)] = "call.cancelled.v1",
        [typeof(ApplicationAccepted)] = "call.application-accepted.v1",
        [typeof(CallClosed)] = "call.closed.v1",
        [typeof(CallReviewStarted)] = "call.review-started.v1",
        [typeof(ShortlistPublished)] = "call.shortlist-published.v1",
        [typeof(CallConcluded)] = "call.concluded.v1",
        [typeof(CallState)] = "call.snapshot.v1",
        // Application
        [typeof(ApplicationSubmitted)] = "app.submitted.v1",
        [typeof(ConflictDeclared)] = "app.conflict-declared.v1",
        [typeof(ReviewRecorded)] = "app.review-recorded.v1",
        [typeof(ApplicationShortlisted)] = "app.shortlisted.v1",
        [typeof(ApplicationNotSelected)] = "app.not-selected.v1",
        [typeof(ObjectionFiled)] = "app.objection-filed.v1",
        [typeof(ObjectionResolved)] = "app.objection-resolved.v1",
        [typeof(ApplicationRejected)] = "app.rejected.v1",
        [typeof(NoticeEnded)] = "app.notice-ended.v1",
        [typeof(ApplicationConfirmed)] = "app.confirmed.v1",
        [typeof(ApplicationState)] = "app.snapshot.v1",
        // Agreement
        [typeof(AgreementDrafted)] = "agr.drafted.v1",
        [typeof(AgreementSigned)] = "agr.signed.v1",
        [typeof(AgreementActivated)] = "agr.activated.v1",
        [typeof(AgreementSuspended)] = "agr.suspended.v1",
        [typeof(RectificationReported)] = "agr.rectification-reported.v1",
        [typeof(AgreementRestored)] = "agr.restored.v1",
        [typeof(AgreementTerminated)] = "agr.terminated.v1",
        [typeof(AgreementExpired)] = "agr.expired.v1",
        [typeof(AssetDisposalRecorded)] = "agr.asset-disposal-recorded.v1",
        [typeof(AgreementState)] = "agr.snapshot.v1",
        // Data request
        [typeof(DataRequestSubmitted)] = "req.submitted.v1",
        [typeof(DataRequestApprovalGiven)] = "req.approval-given.v1",
        [typeof(DataRequestApproved)] = "req.approved.v1",
        [typeof(DataRequestRejected)] = "req.rejected.v1",
        [typeof(DataRequestProvisioned)] = "req.provisioned.v1",
        [typeof(DataRequestSuspended)] = "req.suspended.v1",
        [typeof(DataRequestRestored)] = "req.restored.v1",
        [typeof(DataRequestRevoked)] = "req.revoked.v1",
        [typeof(DataRequestClosed)] = "req.closed.v1",
        [typeof(DataRequestState)] = "req.snapshot.v1",
        // Incident (Art. 15)
        [typeof(IncidentOpened)] = "inc.opened.v1",
        [typeof(EmergencyResponseStarted)] = "inc.response-started.v1",
        [typeof(MeasureRecorded)] = "inc.measure-recorded.v1",
        [typeof(IncidentClosed)] = "inc.closed.v1",
        [typeof(IncidentState)] = "inc.snapshot.v1",
        // Data product (Art. 3, 13, 15)
        [typeof(ProductCreated)] = "prd.created.v1",
        [typeof(ProductSubmitted)] = "prd.submitted.v1",
        [typeof(ProductApproved)] = "prd.approved.v1",
        [typeof(ProductReturned)] = "prd.returned.v1",
        [typeof(ProductListed)] = "prd.listed.v1",
        [typeof(ProductDelisted)] = "prd.delisted.v1",
        [typeof(ProductState)] = "prd.snapshot.v1",
        // Evaluation (Art. 17–18)
        [typeof(EvaluationOpened)] = "eval.opened.v1",
        [typeof(EvaluationMaterialsSubmitted)] = "eval.materials-submitted.v1",
        [typeof(EvaluationPassed)] = "eval.passed.v1",
        [typeof(EvaluationFailed)] = "eval.failed.v1",
        [typeof(EvaluationOutcomeRecorded)] = "eval.outcome-recorded.v1",
        [typeof(EvaluationState)] = "eval.snapshot.v1",
        // Idempotency-Key records (API.md "Identity")
        [typeof(RequestStarted)] = "idem.started.v1",
        [typeof(RequestCompleted)] = "idem.completed.v1",
        [typeof(RequestAbandoned)] = "idem.abandoned.v1",
        [typeof(IdempotentRequestState)] = "idem.snapshot.v1",
        // Sandbox monitoring lanes: the activity log, the alerts, the lane's snapshot
        [typeof(BatchRecorded)] = "mon.batch-recorded.v1",
        [typeof(AlertsRaised)] = "mon.alerts-raised.v1",
        [typeof(LaneSnapshot)] = "mon.lane-snapshot.v1",
        // Commands travel between nodes inside Execute (not persisted, but still a wire contract)
        [typeof(RegisterDataset)] = "cmd.ds.register.v1",
        [typeof(RaiseQualityIssue)] = "cmd.ds.raise-quality-issue.v1",
        [typeof(AcknowledgeQualityIssue)] = "cmd.ds.acknowledge-quality-issue.v1",
        [typeof(ResolveQualityIssue)] = "cmd.ds.resolve-quality-issue.v1",
        [typeof(RegisterOperator)] = "cmd.op.register.v1",
        [typeof(RecordTraining)] = "cmd.op.record-training.v1",
        [typeof(FileSecurityReport)] = "cmd.op.file-security-report.v1",
        [typeof(NoteAgreementStanding)] = "cmd.op.note-agreement-standing.v1",
        [typeof(OpenDataRequest)] = "cmd.op.open-request.v1",
        [typeof(ReleaseScenario)] = "cmd.op.release-scenario.v1",
        [typeof(FlagOverdueSecurityReport)] = "cmd.op.flag-overdue-security-report.v1",
        [typeof(NoteProduct)] = "cmd.op.note-product.v1",
        [typeof(CreateCall)] = "cmd.call.create.v1",
        [typeof(PublishCall)] = "cmd.call.publish.v1",
        [typeof(CancelCall)] = "cmd.call.cancel.v1",
        [typeof(AcceptApplication)] = "cmd.call.accept-application.v1",
        [typeof(CloseCall)] = "cmd.call.close.v1",
        [typeof(StartReview)] = "cmd.call.start-review.v1",
        [typeof(PublishShortlist)] = "cmd.call.publish-shortlist.v1",
        [typeof(ConcludeCall)] = "cmd.call.conclude.v1",
        [typeof(SubmitApplication)] = "cmd.app.submit.v1",
        [typeof(DeclareConflict)] = "cmd.app.declare-conflict.v1",
        [typeof(ReviewApplication)] = "cmd.app.review.v1",
        [typeof(EvaluateApplication)] = "cmd.app.evaluate.v1",
        [typeof(FileObjection)] = "cmd.app.file-objection.v1",
        [typeof(ResolveObjection)] = "cmd.app.resolve-objection.v1",
        [typeof(ConcludeNotice)] = "cmd.app.conclude-notice.v1",
        [typeof(DraftAgreement)] = "cmd.agr.draft.v1",
        [typeof(SignAgreement)] = "cmd.agr.sign.v1",
        [typeof(ActivateAgreement)] = "cmd.agr.activate.v1",
        [typeof(SuspendAgreement)] = "cmd.agr.suspend.v1",
        [typeof(SubmitRectificationReport)] = "cmd.agr.report-rectification.v1",
        [typeof(RestoreAgreement)] = "cmd.agr.restore.v1",
        [typeof(TerminateAgreement)] = "cmd.agr.terminate.v1",
        [typeof(EnforceRectificationDeadline)] = "cmd.agr.enforce-deadline.v1",
        [typeof(ExpireAgreement)] = "cmd.agr.expire.v1",
        [typeof(RecordAssetDisposal)] = "cmd.agr.record-asset-disposal.v1",
        [typeof(SubmitDataRequest)] = "cmd.req.submit.v1",
        [typeof(ApproveDataRequest)] = "cmd.req.approve.v1",
        [typeof(RejectDataRequest)] = "cmd.req.reject.v1",
        [typeof(ProvisionDataRequest)] = "cmd.req.provision.v1",
        [typeof(SuspendDataRequest)] = "cmd.req.suspend.v1",
        [typeof(RestoreDataRequest)] = "cmd.req.restore.v1",
        [typeof(RevokeDataRequest)] = "cmd.req.revoke.v1",
        [typeof(ReinstateDataRequest)] = "cmd.req.reinstate.v1",
        [typeof(CloseDataRequest)] = "cmd.req.close.v1",
        [typeof(OpenIncident)] = "cmd.inc.open.v1",
        [typeof(RecordMeasure)] = "cmd.inc.record-measure.v1",
        [typeof(CloseIncident)] = "cmd.inc.close.v1",
        [typeof(CreateProduct)] = "cmd.prd.create.v1",
        [typeof(SubmitProduct)] = "cmd.prd.submit.v1",
        [typeof(ReviewProduct)] = "cmd.prd.review.v1",
        [typeof(ListProduct)] = "cmd.prd.list.v1",
        [typeof(DelistProduct)] = "cmd.prd.delist.v1",
        [typeof(OpenEvaluation)] = "cmd.eval.open.v1",
        [typeof(SubmitEvaluationMaterials)] = "cmd.eval.submit-materials.v1",
        [typeof(RecordEvaluationResult)] = "cmd.eval.record-result.v1",
        [typeof(FailForNonCooperation)] = "cmd.eval.fail-for-non-cooperation.v1",
        [typeof(RecordEvaluationOutcome)] = "cmd.eval.record-outcome.v1",
        [typeof(BeginRequest)] = "cmd.idem.begin.v1",
        [typeof(CompleteRequest)] = "cmd.idem.complete.v1",
        [typeof(AbandonRequest)] = "cmd.idem.abandon.v1",
        // Entity protocol
        [typeof(Execute)] = "msg.execute.v1",
        [typeof(GetState)] = "msg.get-state.v1",
        [typeof(CommandAccepted)] = "msg.accepted.v1",
        [typeof(CommandRejected)] = "msg.rejected.v1",
        [typeof(CommandNotRecorded)] = "msg.not-recorded.v1",
        [typeof(CurrentState)] = "msg.current-state.v1",
        [typeof(DeadlineDue)] = "msg.deadline-due.v1",
        [typeof(RecordActivity)] = "msg.lane.record.v1",
        [typeof(ActivityRecorded)] = "msg.lane.recorded.v1",
        // Projections keep their offset in the journal
        [typeof(Consequences.OffsetStored)] = "proj.offset-stored.v1",
        // The tamper-evident record (Art. 8(5), 17): links (one per governance event) written a batch per entry, and the chain's snapshot
        [typeof(Audit.AuditLinks)] = "audit.links.v1",
        [typeof(Audit.AuditChainSnapshot)] = "audit.snapshot.v1",
    };

    public static readonly IReadOnlyDictionary<string, Type> ByManifest = ByType.ToDictionary(kv => kv.Value, kv => kv.Key);
}
