using JinanDataOps.Domain.Applications;
using JinanDataOps.Domain.Calls;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.Datasets;

namespace JinanDataOps.Domain.Agreements;

public enum AgreementStatus { None, Drafted, Active, Suspended, Terminated, Expired, Closed }

/// <summary>The Art. 9 clauses besides parties, scope and term, which are fields of their own.</summary>
public sealed record AgreementClauses(
    string RightsAndObligations, string SecurityRequirements, string ExitConditions, string BreachLiability, string AssetDisposal)
{
    public static readonly (string Field, string Name, Func<AgreementClauses, string> Get)[] All =
    [
        ("rightsAndObligations", "rights and obligations (权利和义务)", c => c.RightsAndObligations),
        ("securityRequirements", "security requirements (安全要求)", c => c.SecurityRequirements),
        ("exitConditions", "exit conditions (退出情形)", c => c.ExitConditions),
        ("breachLiability", "liability for breach (违约责任)", c => c.BreachLiability),
        ("assetDisposal", "disposal of assets at expiry (资产处置)", c => c.AssetDisposal),
    ];
}

public sealed record RectificationOrder(string Reason, IReadOnlyList<string> Items, DateTimeOffset Deadline, DateTimeOffset OrderedAt);
public sealed record RectificationReport(string Summary, DateTimeOffset At);

public sealed record AgreementState(
    string Id, AgreementStatus State, string ApplicationId, string CallId, string OperatorId, AuthorizationMode Mode,
    Caller? AuthorizingUnit, Scope Scope, DateTimeOffset StartsAt, DateTimeOffset EndsAt, AgreementClauses? Clauses,
    DateTimeOffset? OperatorSignedAt, DateTimeOffset? UnitSignedAt, RectificationOrder? Rectification,
    IReadOnlyList<RectificationReport> RectificationReports, string? EndReason, string? AssetDisposalRecord,
    [AddedField] string? AuthorityOrg = null, [AddedField] IReadOnlyList<string>? SuspensionCauses = null)
{
    /// <summary>The parties of an agreement: the operator, the authorizing unit and the authority organisation it
    /// answers to (the unit itself for comprehensive and graded authorization, the call's authority for domain).</summary>
    public Parties Parties => new(Operator: OperatorId, AuthorizingUnit: AuthorizingUnit, Authority: AuthorityOrg);

    public bool BothSigned => OperatorSignedAt is not null && UnitSignedAt is not null;

    /// <summary>One agreement per confirmed application: its id is derived from the application's.</summary>
    public static string IdFor(string applicationId) => $"agr-{applicationId}";
}

public interface IAgreementCommand : ICommand;
/// <summary>Draft from a confirmed application. <paramref name="Application"/> is null when it does not exist;
/// <paramref name="DatasetDomains"/> gives the domain of each dataset the scope names (absent: unknown dataset).</summary>
public sealed record DraftAgreement(
    Caller By, ApplicationState? Application, Scope Scope, DateTimeOffset StartsAt, DateTimeOffset EndsAt,
    AgreementClauses Clauses, IReadOnlyDictionary<string, DataDomain> DatasetDomains) : IAgreementCommand;
public sealed record SignAgreement(Caller By) : IAgreementCommand;
public sealed record ActivateAgreement(Caller By) : IAgreementCommand;
/// <summary>Suspend with a rectification order. A suspension the platform orders for a fact elsewhere (an alert, a
/// failed evaluation) names it as <paramref name="Cause"/>: one fact suspends the agreement at most once, however
/// often its consequence is carried out — also after the unit has restored the agreement.</summary>
public sealed record SuspendAgreement(Caller By, string Reason, IReadOnlyList<string> Items, DateTimeOffset Deadline, string? Cause = null) : IAgreementCommand;
public sealed record SubmitRectificationReport(Caller By, string Summary) : IAgreementCommand;
public sealed record RestoreAgreement(Caller By) : IAgreementCommand;
public sealed record TerminateAgreement(Caller By, string Reason) : IAgreementCommand;
public sealed record EnforceRectificationDeadline(Caller By) : IAgreementCommand;
public sealed record ExpireAgreement(Caller By) : IAgreementCommand;
public sealed record RecordAssetDisposal(Caller By, string Record) : IAgreementCommand;

public interface IAgreementEvent : IDomainEvent;
public sealed record AgreementDrafted(
    Caller By, DateTimeOffset At, string ApplicationId, string CallId, string OperatorId, AuthorizationMode Mode,
    Scope Scope, DateTimeOffset StartsAt, DateTimeOffset EndsAt, AgreementClauses Clauses, [AddedField] string? AuthorityOrg = null) : IAgreementEvent, Audit.IConcernsOperator
{
    public string OperatorOf(string entityId) => OperatorId;
}
public sealed record AgreementSigned(Caller By, DateTimeOffset At) : IAgreementEvent;
public sealed record AgreementActivated(Caller By, DateTimeOffset At) : IAgreementEvent;
public sealed record AgreementSuspended(
    Caller By, DateTimeOffset At, string Reason, IReadOnlyList<string> Items, DateTimeOffset Deadline, [AddedField] string? Cause = null) : IAgreementEvent, IHasReason;
public sealed record RectificationReported(Caller By, DateTimeOffset At, string Summary) : IAgreementEvent;
public sealed record AgreementRestored(Caller By, DateTimeOffset At) : IAgreementEvent;
public sealed record AgreementTerminated(Caller By, DateTimeOffset At, string Reason) : IAgreementEvent, IHasReason;
public sealed record AgreementExpired(Caller By, DateTimeOffset At) : IAgreementEvent;
public sealed record AssetDisposalRecorded(Caller By, DateTimeOffset At, string Record) : IAgreementEvent;

public sealed class Agreement : IDecider<AgreementState, IAgreementCommand, IAgreementEvent>
{
    public static string Kind => "agreement";

    public static AgreementState Initial(string id) =>
        new(id, AgreementStatus.None, "", "", "", AuthorizationMode.Comprehensive, null, Scope.Empty,
            DateTimeOffset.MinValue, DateTimeOffset.MinValue, null, null, null, null, [], null, null);

    public static bool Exists(AgreementState state) => state.State != AgreementStatus.None;

    public static IReadOnlyList<Deadline<IAgreementCommand>> Deadlines(AgreementState s)
    {
        var due = new List<Deadline<IAgreementCommand>>();
        if (s.State == AgreementStatus.Drafted && s.BothSigned)
            due.Add(new("term-starts", s.StartsAt, new ActivateAgreement(Caller.Platform)));
        if (s.State is AgreementStatus.Active or AgreementStatus.Suspended)
            due.Add(new("term-ends", s.EndsAt, new ExpireAgreement(Caller.Platform)));
        if (s is { State: AgreementStatus.Suspended, Rectification: { } order })
            due.Add(new("rectification-deadline", order.Deadline, new EnforceRectificationDeadline(Caller.Platform)));
        return due;
    }

    public static Decision<IAgreementEvent> Decide(AgreementState s, IAgreementCommand command, DateTimeOffset now)
    {
        if (command is DraftAgreement draft) return Draft(s, draft, now);
        if (s.State == AgreementStatus.None) return Rejection.NotFound($"agreement {s.Id} does not exist");
        return command switch
        {
            SignAgreement c => Sign(s, c, now),
            ActivateAgreement c => s.State == AgreementStatus.Drafted && s.BothSigned && now >= s.StartsAt && now < s.EndsAt
                ? Decision<IAgreementEvent>.Accept(new AgreementActivated(c.By, now))
                : Decision<IAgreementEvent>.Nothing,
            SuspendAgreement c => Suspend(s, c, now),
            SubmitRectificationReport c => Report(s, c, now),
            RestoreAgreement c => Restore(s, c, now),
            TerminateAgreement c => Terminate(s, c, now),
            EnforceRectificationDeadline c => s is { State: AgreementStatus.Suspended, Rectification: { } order } && now >= order.Deadline
                // Art. 18: not rectified in time → terminated as agreed.
                ? Decision<IAgreementEvent>.Accept(new AgreementTerminated(c.By, now, $"rectification not accepted by its deadline {order.Deadline:O} (Art. 18)"))
                : Decision<IAgreementEvent>.Nothing,
            ExpireAgreement c => s.State is AgreementStatus.Active or AgreementStatus.Suspended && now >= s.EndsAt
                // Art. 8(5): at the end of the term the data-use rights end; the work log is kept.
                ? Decision<IAgreementEvent>.Accept(new AgreementExpired(c.By, now))
                : Decision<IAgreementEvent>.Nothing,
            RecordAssetDisposal c => Dispose(s, c, now),
            _ => Rejection.Validation($"unknown agreement command {command.GetType().Name}"),
        };
    }


    private static Decision<IAgreementEvent> Draft(AgreementState s, DraftAgreement c, DateTimeOffset now)
    {
        if (c.Application is not { State: not ApplicationStatus.None } app) return Rejection.NotFound("the application does not exist");
        var terms = app.Terms!;
        // Art. 7 and 8(4): the authority signs comprehensive and graded agreements, the provider domain ones.
        var unit = terms.AuthorizingUnit(app.AuthorityOrg);
        // The unit is the one of this call: another authority (or provider) is another organisation.
        if (!Policy.Allows(Act.DraftAgreement, c.By, new Parties(AuthorizingUnit: unit)))
            return Rejection.Forbidden(terms.Mode == AuthorizationMode.Domain
                ? $"a domain agreement is signed by the call's provider {unit.Org}"
                : $"a {Kebab.Of(terms.Mode)} agreement is signed by the big-data authority {unit.Org} that ran the call", "Art. 8(4)");
        var signer = unit;
        if (s.State != AgreementStatus.None)
            return s.ApplicationId == app.Id ? Decision<IAgreementEvent>.Nothing : Rejection.InvalidTransition($"agreement {s.Id}", s.State, "draft it again");
        if (app.State != ApplicationStatus.Confirmed)
            return Rejection.Rule("Art. 8(4)", $"application {app.Id} is {Kebab.Of(app.State)}: an agreement is signed only after the public notice ends without objection (公示无异议)");
        var missing = AgreementClauses.All.Where(k => string.IsNullOrWhiteSpace(k.Get(c.Clauses))).Select(k => k.Name).ToArray();
        if (missing.Length > 0) return Rejection.Rule("Art. 9", $"the agreement lacks the clause(s): {string.Join(", ", missing)}");
        var tooLong = AgreementClauses.All.FirstOrDefault(k => k.Get(c.Clauses).Length > Check.LongText);
        if (tooLong.Field is not null) return Rejection.Validation($"'{tooLong.Field}' is longer than {Check.LongText} characters.");
        if (c.Scope.Validate("scope") is { } badScope) return badScope;
        var unknown = c.Scope.Datasets.Where(d => !c.DatasetDomains.ContainsKey(d)).ToArray();
        if (unknown.Length > 0) return Rejection.NotFound($"dataset(s) {string.Join(", ", unknown)} do not exist");
        if (!c.Scope.IsWithin(terms.Scope, c.DatasetDomains))
            return Rejection.Rule("Art. 8(1)", "the agreement's scope must lie within the scope announced by the call");
        if (c.StartsAt >= c.EndsAt) return Rejection.Validation("'startsAt' must be before 'endsAt'.");
        if (c.EndsAt <= now) return Rejection.Rule("Art. 9", $"the term would already have ended ({c.EndsAt:O})");
        return Decision<IAgreementEvent>.Accept(new AgreementDrafted(signer, now, app.Id, app.CallId, app.OperatorId, terms.Mode, c.Scope, c.StartsAt, c.EndsAt, c.Clauses, app.AuthorityOrg));
    }

    private static Decision<IAgreementEvent> Sign(AgreementState s, SignAgreement c, DateTimeOffset now)
    {
        if (Policy.Authorize(Act.SignAgreement, c.By, s.Parties) is { } forbidden) return forbidden;
        var asOperator = c.By.Is(Role.Operator, s.OperatorId);
        var asUnit = !asOperator;
        if (asOperator && s.OperatorSignedAt is not null || asUnit && s.UnitSignedAt is not null) return Decision<IAgreementEvent>.Nothing;
        if (s.State != AgreementStatus.Drafted) return Rejection.InvalidTransition($"agreement {s.Id}", s.State, "sign it");
        if (now >= s.EndsAt) return Rejection.Rule("Art. 9", $"the agreed term ended at {s.EndsAt:O}");
        var signed = new AgreementSigned(c.By, now);
        var after = Evolve(s, signed);
        // Active once both parties have signed and the start date is reached; otherwise a timer activates it.
        return after.BothSigned && now >= s.StartsAt
            ? Decision<IAgreementEvent>.Accept(signed, new AgreementActivated(Caller.Platform, now))
            : Decision<IAgreementEvent>.Accept(signed);
    }

    private static Decision<IAgreementEvent> Suspend(AgreementState s, SuspendAgreement c, DateTimeOffset now)
    {
        if (Policy.Authorize(Act.SuspendAgreement, c.By, s.Parties) is { } forbidden) return forbidden;
        var invalid = Check.First(
            Check.Text(c.Reason, "reason", Check.LongText),
            Check.List(c.Items, "rectification.items", maxItemLength: Check.LongText),
            c.Deadline <= now ? Rejection.Validation("'rectification.deadline' must be in the future.") : null);
        if (invalid is not null) return invalid;
        if (c.Cause is not null && s.SuspensionCauses?.Contains(c.Cause) == true) return Decision<IAgreementEvent>.Nothing;
        // A new fact while suspended (an evaluation failed during a suspension for an alert) adds to the order: its items
        // join the open ones, its deadline applies, and the rectification reported before it no longer suffices.
        if (s is { State: AgreementStatus.Suspended, Rectification: { } open } && c.Cause is not null && c.By.Role == Role.Platform)
            return Decision<IAgreementEvent>.Accept(new AgreementSuspended(c.By, now, $"{open.Reason}; {c.Reason}", [.. open.Items, .. c.Items],
                c.Deadline > open.Deadline ? c.Deadline : open.Deadline, c.Cause));
        if (s.State != AgreementStatus.Active) return Rejection.InvalidTransition($"agreement {s.Id}", s.State, "suspend it");
        // Art. 18: rectification content and deadline are stated, and data-use rights stop at once.
        return Decision<IAgreementEvent>.Accept(new AgreementSuspended(c.By, now, c.Reason, c.Items, c.Deadline, c.Cause));
    }

    private static Decision<IAgreementEvent> Report(AgreementState s, SubmitRectificationReport c, DateTimeOffset now)
    {
        if (Policy.Authorize(Act.ReportRectification, c.By, s.Parties) is { } forbidden) return forbidden;
        if (Check.Text(c.Summary, "summary", Check.LongText) is { } bad) return bad;
        if (s.State != AgreementStatus.Suspended) return Rejection.InvalidTransition($"agreement {s.Id}", s.State, "take a rectification report");
        return Decision<IAgreementEvent>.Accept(new RectificationReported(c.By, now, c.Summary));
    }

    private static Decision<IAgreementEvent> Restore(AgreementState s, RestoreAgreement c, DateTimeOffset now)
    {
        if (Policy.Authorize(Act.RestoreAgreement, c.By, s.Parties) is { } forbidden) return forbidden;
        if (s.State == AgreementStatus.Active) return Decision<IAgreementEvent>.Nothing;
        if (s.State != AgreementStatus.Suspended) return Rejection.InvalidTransition($"agreement {s.Id}", s.State, "restore it");
        var order = s.Rectification!;
        if (!s.RectificationReports.Any(r => r.At >= order.OrderedAt))
            return Rejection.Rule("Art. 18", $"operator {s.OperatorId} has not reported its rectification; rights are restored only once rectification is done");
        if (now >= s.EndsAt) return Rejection.Rule("Art. 8(5)", $"the term ended at {s.EndsAt:O}; the agreement expires instead");
        return Decision<IAgreementEvent>.Accept(new AgreementRestored(c.By, now));
    }

    private static Decision<IAgreementEvent> Terminate(AgreementState s, TerminateAgreement c, DateTimeOffset now)
    {
        if (Policy.Authorize(Act.TerminateAgreement, c.By, s.Parties) is { } forbidden) return forbidden;
        if (Check.Text(c.Reason, "reason", Check.LongText) is { } bad) return bad;
        if (s.State == AgreementStatus.Terminated) return Decision<IAgreementEvent>.Nothing;
        if (s.State is not (AgreementStatus.Active or AgreementStatus.Suspended)) return Rejection.InvalidTransition($"agreement {s.Id}", s.State, "terminate it");
        return Decision<IAgreementEvent>.Accept(new AgreementTerminated(c.By, now, c.Reason));
    }

    private static Decision<IAgreementEvent> Dispose(AgreementState s, RecordAssetDisposal c, DateTimeOffset now)
    {
        if (Policy.Authorize(Act.RecordAssetDisposal, c.By, s.Parties) is { } forbidden) return forbidden;
        if (Check.Text(c.Record, "record", Check.LongText) is { } bad) return bad;
        if (s.State == AgreementStatus.Closed) return Decision<IAgreementEvent>.Nothing;
        if (s.State is not (AgreementStatus.Expired or AgreementStatus.Terminated))
            return Rejection.InvalidTransition($"agreement {s.Id}", s.State, "record asset disposal (only after expiry or termination, Art. 9)");
        return Decision<IAgreementEvent>.Accept(new AssetDisposalRecorded(c.By, now, c.Record));
    }

    public static AgreementState Evolve(AgreementState s, IAgreementEvent e) => e switch
    {
        AgreementDrafted x => s with
        {
            State = AgreementStatus.Drafted, ApplicationId = x.ApplicationId, CallId = x.CallId, OperatorId = x.OperatorId,
            Mode = x.Mode, AuthorizingUnit = x.By, Scope = x.Scope, StartsAt = x.StartsAt, EndsAt = x.EndsAt, Clauses = x.Clauses,
            // Drafts recorded before the authority was stored: a comprehensive or graded unit is itself the authority.
            AuthorityOrg = x.AuthorityOrg ?? (x.By.Role == Role.Authority ? x.By.Org : null),
        },
        AgreementSigned x => x.By.Is(Role.Operator, s.OperatorId) ? s with { OperatorSignedAt = x.At } : s with { UnitSignedAt = x.At },
        AgreementActivated => s with { State = AgreementStatus.Active },
        AgreementSuspended x => s with
        {
            State = AgreementStatus.Suspended, Rectification = new RectificationOrder(x.Reason, x.Items, x.Deadline, x.At),
            SuspensionCauses = x.Cause is null ? s.SuspensionCauses : [.. s.SuspensionCauses ?? [], x.Cause],
        },
        RectificationReported x => s with { RectificationReports = [.. s.RectificationReports, new RectificationReport(x.Summary, x.At)] },
        AgreementRestored => s with { State = AgreementStatus.Active },
        AgreementTerminated x => s with { State = AgreementStatus.Terminated, EndReason = x.Reason },
        AgreementExpired => s with { State = AgreementStatus.Expired, EndReason = "the agreed term ended (Art. 8(5))" },
        AssetDisposalRecorded x => s with { State = AgreementStatus.Closed, AssetDisposalRecord = x.Record },
        _ => s,
    };
}
