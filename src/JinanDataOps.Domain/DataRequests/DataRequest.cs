using JinanDataOps.Domain.Agreements;
using JinanDataOps.Domain.Calls;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.Datasets;

namespace JinanDataOps.Domain.DataRequests;

public enum DataRequestStatus { None, Submitted, Approved, Provisioned, Suspended, Rejected, Revoked, Closed }

/// <summary>What the platform knew of the agreement when the request was made.</summary>
/// <paramref name="AuthorityOrg"/> is the agreement's authority organisation, whose consent the request needs (Art. 12).
public sealed record AgreementSnapshot(string Id, AgreementStatus State, string OperatorId, Scope Scope, [AddedField] string? AuthorityOrg = null);

/// <summary>What the platform knew of a named dataset when the request was made.</summary>
public sealed record DatasetSnapshot(string Id, string Owner, DataDomain Domain, bool HasSensitiveFields);

/// <summary>A data request as the operator submits it, with the facts it is checked against.
/// <paramref name="Agreement"/> is null when no such agreement exists; datasets that do not exist
/// are absent from <paramref name="Found"/>.</summary>
public sealed record DataRequestSubmission(
    string RequestId, string AgreementId, string Scenario, IReadOnlyList<string> Datasets, string Purpose,
    string? ConsentEvidence, AgreementSnapshot? Agreement, IReadOnlyList<DatasetSnapshot> Found)
{
    /// <summary>Art. 12: every provider whose datasets the request names must consent.</summary>
    public IReadOnlyList<string> RequiredProviders => Found.Select(d => d.Owner).Distinct().Order(StringComparer.Ordinal).ToArray();

    /// <summary>Art. 6: sensitive information needs the data subjects' consent.</summary>
    public bool RequiresConsent => Found.Any(d => d.HasSensitiveFields);
}

public static class DataRequestRules
{
    /// <summary>The checks a request must pass before it exists (Art. 9, 12, 13).</summary>
    public static Rejection? CheckSubmission(string operatorId, DataRequestSubmission s, DateTimeOffset now)
    {
        var invalid = Check.First(
            Check.Text(s.Scenario, "scenario"),
            Check.Text(s.Purpose, "purpose", Check.LongText),
            Check.List(s.Datasets, "datasets", maxItemLength: 64),
            s.ConsentEvidence is { Length: > Check.LongText } ? Rejection.Validation($"'consentEvidence' is longer than {Check.LongText} characters.") : null);
        if (invalid is not null) return invalid;
        if (s.Agreement is not { } agreement) return Rejection.NotFound($"agreement {s.AgreementId} does not exist");
        if (Policy.Authorize(Act.SubmitDataRequest, new Caller(Role.Operator, operatorId), new Parties(Operator: agreement.OperatorId)) is { } forbidden)
            return Rejection.Forbidden($"agreement {agreement.Id} is not operator {operatorId}'s agreement", "Art. 12");
        if (agreement.State != AgreementStatus.Active)
            return Rejection.Rule("Art. 12", $"public data is requested only under an active agreement; agreement {agreement.Id} is {Kebab.Of(agreement.State)}");
        var missing = s.Datasets.Where(d => s.Found.All(f => f.Id != d)).ToArray();
        if (missing.Length > 0) return Rejection.NotFound($"dataset(s) {string.Join(", ", missing)} do not exist");
        var outside = s.Found.Where(d => !agreement.Scope.Covers(d.Id, d.Domain)).Select(d => d.Id).ToArray();
        if (outside.Length > 0)
            return Rejection.Rule("Art. 9", $"dataset(s) {string.Join(", ", outside)} are outside the authorized scope of agreement {agreement.Id}");
        return null;
    }
}

public sealed record Approval(Role Role, string Org, DateTimeOffset At);

public sealed record DataRequestState(
    string Id, DataRequestStatus State, string OperatorId, string AgreementId, string Scenario,
    IReadOnlyList<string> Datasets, string Purpose, string? ConsentEvidence, bool RequiresConsent,
    IReadOnlyList<string> RequiredProviders, IReadOnlyList<Approval> Approvals,
    string? RejectionReason, string? SuspensionReason, bool SuspendedWithAgreement, string? EndReason,
    [AddedField] string? AuthorityOrg = null, [AddedField] IReadOnlyList<string>? SuspensionCauses = null)
{
    /// <summary>The parties of a request: its operator, the agreement's authority and the providers owning its datasets.</summary>
    public Parties Parties => new(Operator: OperatorId, Authority: AuthorityOrg, DatasetOwners: RequiredProviders);

    public bool IsLive => State is DataRequestStatus.Submitted or DataRequestStatus.Approved or DataRequestStatus.Provisioned or DataRequestStatus.Suspended;
}

public interface IDataRequestCommand : ICommand;
public sealed record SubmitDataRequest(Caller By, string OperatorId, DataRequestSubmission Submission) : IDataRequestCommand;
public sealed record ApproveDataRequest(Caller By) : IDataRequestCommand;
public sealed record RejectDataRequest(Caller By, string Reason) : IDataRequestCommand;
/// <summary>A consequence: grant sandbox access once approved, trained (Art. 16) and under an active agreement.</summary>
public sealed record ProvisionDataRequest(Caller By, bool OperatorTrained, bool AgreementActive) : IDataRequestCommand;
/// <summary>Stop the request's access. A suspension for a fact elsewhere (an alert) names it as <paramref name="Cause"/>:
/// one fact suspends the request at most once, also after the request was reinstated.</summary>
public sealed record SuspendDataRequest(Caller By, string Reason, bool WithAgreement, string? Cause = null) : IDataRequestCommand;
public sealed record RestoreDataRequest(Caller By, bool WithAgreement) : IDataRequestCommand;
/// <summary>Revoked by the platform when the agreement ends, or by the agreement's authorizing unit (<paramref name="AuthorizingUnit"/>,
/// known to the platform when the unit asks) after the request's own violation.</summary>
public sealed record RevokeDataRequest(Caller By, string Reason, Caller? AuthorizingUnit = null) : IDataRequestCommand;
/// <summary>The authorizing unit reinstates a request suspended for its own violation (Art. 15, 18): only once no
/// incident about it is open (<paramref name="OpenIncidents"/>) and its agreement is active.</summary>
public sealed record ReinstateDataRequest(Caller By, Caller? AuthorizingUnit, IReadOnlyList<string> OpenIncidents, bool AgreementActive) : IDataRequestCommand;
public sealed record CloseDataRequest(Caller By) : IDataRequestCommand;

public interface IDataRequestEvent : IDomainEvent;
public sealed record DataRequestSubmitted(Caller By, DateTimeOffset At, string OperatorId, DataRequestSubmission Submission) : IDataRequestEvent, Audit.IConcernsOperator
{
    public string OperatorOf(string entityId) => OperatorId;
}
public sealed record DataRequestApprovalGiven(Caller By, DateTimeOffset At) : IDataRequestEvent;
public sealed record DataRequestApproved(Caller By, DateTimeOffset At) : IDataRequestEvent;
public sealed record DataRequestRejected(Caller By, DateTimeOffset At, string Reason) : IDataRequestEvent, IHasReason;
public sealed record DataRequestProvisioned(Caller By, DateTimeOffset At) : IDataRequestEvent;
public sealed record DataRequestSuspended(Caller By, DateTimeOffset At, string Reason, bool WithAgreement, [AddedField] string? Cause = null) : IDataRequestEvent, IHasReason;
public sealed record DataRequestRestored(Caller By, DateTimeOffset At) : IDataRequestEvent;
public sealed record DataRequestRevoked(Caller By, DateTimeOffset At, string Reason) : IDataRequestEvent, IHasReason;
public sealed record DataRequestClosed(Caller By, DateTimeOffset At) : IDataRequestEvent;

public sealed class DataRequest : IDecider<DataRequestState, IDataRequestCommand, IDataRequestEvent>
{
    public static string Kind => "data-request";

    public static DataRequestState Initial(string id) =>
        new(id, DataRequestStatus.None, "", "", "", [], "", null, false, [], [], null, null, false, null);

    public static bool Exists(DataRequestState state) => state.State != DataRequestStatus.None;

    public static IReadOnlyList<Deadline<IDataRequestCommand>> Deadlines(DataRequestState state) => [];

    public static Decision<IDataRequestEvent> Decide(DataRequestState s, IDataRequestCommand command, DateTimeOffset now)
    {
        if (command is SubmitDataRequest submit)
        {
            // Created only from the operator's DataRequestOpened, which already passed the Art. 9/12/13 checks.
            if (s.State != DataRequestStatus.None) return Decision<IDataRequestEvent>.Nothing;
            return Decision<IDataRequestEvent>.Accept(new DataRequestSubmitted(submit.By, now, submit.OperatorId, submit.Submission));
        }
        if (s.State == DataRequestStatus.None) return Rejection.NotFound($"data request {s.Id} does not exist");
        return command switch
        {
            ApproveDataRequest c => Approve(s, c, now),
            RejectDataRequest c => Reject(s, c, now),
            ProvisionDataRequest c => s.State == DataRequestStatus.Approved && c.OperatorTrained && c.AgreementActive
                ? Decision<IDataRequestEvent>.Accept(new DataRequestProvisioned(c.By, now))
                : Decision<IDataRequestEvent>.Nothing,
            SuspendDataRequest c => Suspend(s, c, now),
            RestoreDataRequest c => s.State == DataRequestStatus.Suspended && (s.SuspendedWithAgreement || !c.WithAgreement)
                ? Decision<IDataRequestEvent>.Accept(new DataRequestRestored(c.By, now))
                : Decision<IDataRequestEvent>.Nothing,
            RevokeDataRequest c => Revoke(s, c, now),
            ReinstateDataRequest c => Reinstate(s, c, now),
            CloseDataRequest c => Close(s, c, now),
            _ => Rejection.Validation($"unknown data request command {command.GetType().Name}"),
        };
    }

    /// <summary>Art. 12: the agreement's authority, or a provider whose dataset the request names, may decide.</summary>
    private static Rejection? Approver(DataRequestState s, Caller by, Act act) => Policy.Authorize(act, by, s.Parties);

    private static Decision<IDataRequestEvent> Approve(DataRequestState s, ApproveDataRequest c, DateTimeOffset now)
    {
        if (Approver(s, c.By, Act.ApproveDataRequest) is { } forbidden) return forbidden;
        if (s.State != DataRequestStatus.Submitted)
            return s.State is DataRequestStatus.Approved or DataRequestStatus.Provisioned && s.Approvals.Any(a => a.Role == c.By.Role && a.Org == c.By.Org)
                ? Decision<IDataRequestEvent>.Nothing
                : Rejection.InvalidTransition($"data request {s.Id}", s.State, "approve it");
        if (s.Approvals.Any(a => a.Role == c.By.Role && a.Org == c.By.Org)) return Decision<IDataRequestEvent>.Nothing;
        if (s.RequiresConsent && string.IsNullOrWhiteSpace(s.ConsentEvidence))
            return Rejection.Rule("Art. 6", $"request {s.Id} names datasets with sensitive fields and carries no recorded consent of the data subjects; no approval can count");
        var given = new DataRequestApprovalGiven(c.By, now);
        var after = Evolve(s, given);
        var authority = after.Approvals.Any(a => a.Role == Role.Authority);
        var providers = s.RequiredProviders.All(p => after.Approvals.Any(a => a.Role == Role.Provider && a.Org == p));
        return authority && providers
            ? Decision<IDataRequestEvent>.Accept(given, new DataRequestApproved(c.By, now))
            : Decision<IDataRequestEvent>.Accept(given);
    }

    private static Decision<IDataRequestEvent> Reject(DataRequestState s, RejectDataRequest c, DateTimeOffset now)
    {
        if (Approver(s, c.By, Act.RejectDataRequest) is { } forbidden) return forbidden;
        if (Check.Text(c.Reason, "reason", Check.LongText) is { } bad) return bad;
        if (s.State == DataRequestStatus.Rejected) return Decision<IDataRequestEvent>.Nothing;
        if (s.State != DataRequestStatus.Submitted) return Rejection.InvalidTransition($"data request {s.Id}", s.State, "reject it");
        // Art. 12: consent of both is needed, so one refusal rejects the request.
        return Decision<IDataRequestEvent>.Accept(new DataRequestRejected(c.By, now, c.Reason));
    }

    private static Decision<IDataRequestEvent> Suspend(DataRequestState s, SuspendDataRequest c, DateTimeOffset now)
    {
        if (s.State == DataRequestStatus.Suspended) return Decision<IDataRequestEvent>.Nothing;
        if (c.Cause is not null && s.SuspensionCauses?.Contains(c.Cause) == true) return Decision<IDataRequestEvent>.Nothing;
        if (s.State != DataRequestStatus.Provisioned)
            // Requests not yet provisioned have no access to stop; provisioning itself checks the agreement.
            return c.WithAgreement ? Decision<IDataRequestEvent>.Nothing : Rejection.InvalidTransition($"data request {s.Id}", s.State, "suspend it");
        return Decision<IDataRequestEvent>.Accept(new DataRequestSuspended(c.By, now, c.Reason, c.WithAgreement, c.Cause));
    }

    private static Decision<IDataRequestEvent> Revoke(DataRequestState s, RevokeDataRequest c, DateTimeOffset now)
    {
        if (c.By.Role == Role.Platform) return s.IsLive ? Decision<IDataRequestEvent>.Accept(new DataRequestRevoked(c.By, now, c.Reason)) : Decision<IDataRequestEvent>.Nothing;
        if (Policy.Authorize(Act.RevokeDataRequest, c.By, s.Parties with { AuthorizingUnit = c.AuthorizingUnit }) is { } forbidden) return forbidden;
        if (Check.Text(c.Reason, "reason", Check.LongText) is { } bad) return bad;
        if (s.State == DataRequestStatus.Revoked) return Decision<IDataRequestEvent>.Nothing;
        // Art. 18: the unit ends a request for its own violation; one suspended with its agreement ends with the agreement.
        if (s.State != DataRequestStatus.Suspended || s.SuspendedWithAgreement)
            return Rejection.InvalidTransition($"data request {s.Id}", s.State, "revoke it (only a request suspended for its own violation is revoked by the unit)");
        return Decision<IDataRequestEvent>.Accept(new DataRequestRevoked(c.By, now, c.Reason));
    }

    private static Decision<IDataRequestEvent> Reinstate(DataRequestState s, ReinstateDataRequest c, DateTimeOffset now)
    {
        if (Policy.Authorize(Act.ReinstateDataRequest, c.By, s.Parties with { AuthorizingUnit = c.AuthorizingUnit }) is { } forbidden) return forbidden;
        if (s.State == DataRequestStatus.Provisioned) return Decision<IDataRequestEvent>.Nothing;
        if (s.State != DataRequestStatus.Suspended) return Rejection.InvalidTransition($"data request {s.Id}", s.State, "reinstate it");
        if (s.SuspendedWithAgreement)
            return Rejection.Rule("Art. 18", $"data request {s.Id} was suspended with its agreement and returns when the agreement is restored", conflict: true);
        if (c.OpenIncidents.Count > 0)
            return Rejection.Rule("Art. 15", $"security incident(s) {string.Join(", ", c.OpenIncidents)} about request {s.Id} are still open; close them with a report first", conflict: true);
        if (!c.AgreementActive)
            return Rejection.Rule("Art. 18", $"agreement {s.AgreementId} is not active: data-use rights return with it", conflict: true);
        return Decision<IDataRequestEvent>.Accept(new DataRequestRestored(c.By, now));
    }

    private static Decision<IDataRequestEvent> Close(DataRequestState s, CloseDataRequest c, DateTimeOffset now)
    {
        if (Policy.Authorize(Act.CloseDataRequest, c.By, s.Parties) is { } forbidden) return forbidden;
        if (s.State == DataRequestStatus.Closed) return Decision<IDataRequestEvent>.Nothing;
        if (!s.IsLive) return Rejection.InvalidTransition($"data request {s.Id}", s.State, "close it");
        return Decision<IDataRequestEvent>.Accept(new DataRequestClosed(c.By, now));
    }

    public static DataRequestState Evolve(DataRequestState s, IDataRequestEvent e) => e switch
    {
        DataRequestSubmitted x => s with
        {
            State = DataRequestStatus.Submitted, OperatorId = x.OperatorId, AgreementId = x.Submission.AgreementId,
            Scenario = x.Submission.Scenario, Datasets = x.Submission.Datasets, Purpose = x.Submission.Purpose,
            ConsentEvidence = x.Submission.ConsentEvidence, RequiresConsent = x.Submission.RequiresConsent,
            RequiredProviders = x.Submission.RequiredProviders, AuthorityOrg = x.Submission.Agreement?.AuthorityOrg,
        },
        DataRequestApprovalGiven x => s with { Approvals = [.. s.Approvals, new Approval(x.By.Role, x.By.Org, x.At)] },
        DataRequestApproved => s with { State = DataRequestStatus.Approved },
        DataRequestRejected x => s with { State = DataRequestStatus.Rejected, RejectionReason = x.Reason, EndReason = x.Reason },
        DataRequestProvisioned => s with { State = DataRequestStatus.Provisioned },
        DataRequestSuspended x => s with
        {
            State = DataRequestStatus.Suspended, SuspensionReason = x.Reason, SuspendedWithAgreement = x.WithAgreement,
            SuspensionCauses = x.Cause is null ? s.SuspensionCauses : [.. s.SuspensionCauses ?? [], x.Cause],
        },
        DataRequestRestored => s with { State = DataRequestStatus.Provisioned, SuspensionReason = null, SuspendedWithAgreement = false },
        DataRequestRevoked x => s with { State = DataRequestStatus.Revoked, EndReason = x.Reason },
        DataRequestClosed => s with { State = DataRequestStatus.Closed, EndReason = "closed by the operator" },
        _ => s,
    };
}
