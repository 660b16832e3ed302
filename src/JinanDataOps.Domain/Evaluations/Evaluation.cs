using JinanDataOps.Domain.Agreements;
using JinanDataOps.Domain.Common;

namespace JinanDataOps.Domain.Evaluations;

/// <summary>Art. 17–18: the authority's periodic evaluation of an operator under one agreement.</summary>
public enum EvaluationStatus { None, Opened, MaterialsSubmitted, Passed, Failed }

/// <summary>How the agreement came out of the rectification a failed evaluation led to (Art. 18): restored once
/// rectified, terminated when the deadline passed unrectified (or for an exit condition), or expired meanwhile.</summary>
public enum EvaluationOutcome { Restored, Terminated, Expired }

/// <summary>The agreement an evaluation is opened under, as the platform found it when the authority asked.</summary>
public sealed record EvaluatedAgreement(string Id, AgreementStatus State, string OperatorId, string? AuthorityOrg, Caller? AuthorizingUnit);

public sealed record EvaluationState(
    string Id, EvaluationStatus State, string OperatorId, string AgreementId, string Period, DateTimeOffset MaterialsDue,
    TimeSpan RectificationPeriod, string? AuthorityOrg, Caller? AuthorizingUnit, Caller? OpenedBy, DateTimeOffset? OpenedAt,
    IReadOnlyList<string> Documents, DateTimeOffset? MaterialsSubmittedAt,
    IReadOnlyList<string> Findings, DateTimeOffset? RectificationDeadline, Caller? DecidedBy, DateTimeOffset? DecidedAt, bool NonCooperation,
    EvaluationOutcome? Outcome, string? OutcomeReason, DateTimeOffset? OutcomeAt)
{
    /// <summary>The parties of an evaluation: the operator evaluated, the authority of its agreement (which evaluates) and
    /// the agreement's authorizing unit (which a failure notifies, Art. 18).</summary>
    public Parties Parties => new(Operator: OperatorId, AuthorizingUnit: AuthorizingUnit, Authority: AuthorityOrg);
}

public interface IEvaluationCommand : ICommand;
/// <summary>The authority opens an evaluation of <paramref name="OperatorId"/> under the agreement (null: it does not exist).
/// <paramref name="RectificationPeriod"/> is the platform's configured rectification period, which sets the deadline of a
/// failure for non-cooperation.</summary>
public sealed record OpenEvaluation(
    Caller By, string OperatorId, EvaluatedAgreement? Agreement, string Period, DateTimeOffset MaterialsDue, TimeSpan RectificationPeriod) : IEvaluationCommand;
public sealed record SubmitEvaluationMaterials(Caller By, IReadOnlyList<string> Documents) : IEvaluationCommand;
public sealed record RecordEvaluationResult(Caller By, bool Passed, IReadOnlyList<string> Findings, DateTimeOffset? RectificationDeadline) : IEvaluationCommand;
/// <summary>The platform's timer at the materials deadline: an evaluation still awaiting materials fails (Art. 17).</summary>
public sealed record FailForNonCooperation(Caller By) : IEvaluationCommand;
/// <summary>Sent back by the platform once the agreement suspended for this failure is restored, terminated or expired (Art. 18).</summary>
public sealed record RecordEvaluationOutcome(Caller By, EvaluationOutcome Outcome, string? Reason) : IEvaluationCommand;

public interface IEvaluationEvent : IDomainEvent;
public sealed record EvaluationOpened(
    Caller By, DateTimeOffset At, string OperatorId, string AgreementId, string Period, DateTimeOffset MaterialsDue, TimeSpan RectificationPeriod,
    string? AuthorityOrg, Caller? AuthorizingUnit) : IEvaluationEvent, Audit.IConcernsOperator
{
    public string OperatorOf(string entityId) => OperatorId;
}
public sealed record EvaluationMaterialsSubmitted(Caller By, DateTimeOffset At, IReadOnlyList<string> Documents) : IEvaluationEvent;
public sealed record EvaluationPassed(Caller By, DateTimeOffset At, IReadOnlyList<string> Findings) : IEvaluationEvent;
/// <summary>A failed evaluation (Art. 18): the findings are the content of the rectification the authorizing unit orders on
/// <paramref name="AgreementId"/>, with its deadline (named here, so the reaction needs nothing but the event).
/// <paramref name="NonCooperation"/>: failed by the platform because no materials came by the deadline (Art. 17).</summary>
public sealed record EvaluationFailed(Caller By, DateTimeOffset At, string AgreementId, IReadOnlyList<string> Findings, DateTimeOffset RectificationDeadline, bool NonCooperation)
    : IEvaluationEvent, IHasReason
{
    string IHasReason.Reason => string.Join("; ", Findings);
}
public sealed record EvaluationOutcomeRecorded(Caller By, DateTimeOffset At, EvaluationOutcome Outcome, string? Reason) : IEvaluationEvent;

/// <summary><c>Opened → MaterialsSubmitted → Passed | Failed</c> (DOMAIN.md, Art. 17–18): the authority of a running
/// agreement opens it with a materials deadline; the operator submits its materials (it may not refuse or obstruct the
/// evaluation, Art. 17: by the deadline without them it fails); the authority records the result. A failure notifies the
/// authorizing unit, which orders rectification and suspends (Art. 18); how the agreement came out is recorded back.</summary>
public sealed class Evaluation : IDecider<EvaluationState, IEvaluationCommand, IEvaluationEvent>
{
    public static string Kind => "evaluation";

    public static EvaluationState Initial(string id) =>
        new(id, EvaluationStatus.None, "", "", "", DateTimeOffset.MinValue, TimeSpan.Zero, null, null, null, null, [], null, [], null, null, null, false, null, null, null);

    public static bool Exists(EvaluationState state) => state.State != EvaluationStatus.None;

    public static IReadOnlyList<Deadline<IEvaluationCommand>> Deadlines(EvaluationState s) =>
        s.State == EvaluationStatus.Opened ? [new("materials-due", s.MaterialsDue, new FailForNonCooperation(Caller.Platform))] : [];

    public static Decision<IEvaluationEvent> Decide(EvaluationState s, IEvaluationCommand command, DateTimeOffset now)
    {
        if (command is OpenEvaluation open) return Open(s, open, now);
        if (s.State == EvaluationStatus.None) return Rejection.NotFound($"evaluation {s.Id} does not exist");
        return command switch
        {
            SubmitEvaluationMaterials c => Submit(s, c, now),
            RecordEvaluationResult c => Result(s, c, now),
            FailForNonCooperation c => FailUncooperative(s, c, now),
            RecordEvaluationOutcome c => Outcome(s, c, now),
            _ => Rejection.Validation($"unknown evaluation command {command.GetType().Name}"),
        };
    }

    private static Decision<IEvaluationEvent> Open(EvaluationState s, OpenEvaluation c, DateTimeOffset now)
    {
        if (c.Agreement is not { } agreement) return Rejection.NotFound("the agreement does not exist");
        // Art. 17: the authority the agreement answers to evaluates its operator, not any authority.
        if (Policy.Authorize(Act.OpenEvaluation, c.By, new Parties(Operator: agreement.OperatorId, AuthorizingUnit: agreement.AuthorizingUnit, Authority: agreement.AuthorityOrg)) is { } forbidden)
            return forbidden;
        // The id comes from the Idempotency-Key: a repeat finds it opened and changes nothing.
        if (s.State != EvaluationStatus.None)
            return s.AgreementId == agreement.Id && s.Period == c.Period
                ? Decision<IEvaluationEvent>.Nothing
                : Rejection.InvalidTransition($"evaluation {s.Id}", s.State, "open it again");
        var invalid = Check.First(
            Check.Text(c.OperatorId, "operatorId"),
            Check.Text(c.Period, "period", 64),
            c.MaterialsDue <= now ? Rejection.Validation("'materialsDue' must be in the future.") : null,
            c.RectificationPeriod <= TimeSpan.Zero ? Rejection.Validation("the rectification period must be positive.") : null);
        if (invalid is not null) return invalid;
        if (c.OperatorId != agreement.OperatorId)
            return Rejection.Validation($"'operatorId' {c.OperatorId} is not the operator of agreement {agreement.Id} ({agreement.OperatorId}).");
        if (agreement.State is not (AgreementStatus.Active or AgreementStatus.Suspended))
            return Rejection.Rule("Art. 17", $"agreement {agreement.Id} is {Kebab.Of(agreement.State)}: only a running authorization (active or suspended) is evaluated", conflict: true);
        return Decision<IEvaluationEvent>.Accept(new EvaluationOpened(
            c.By, now, agreement.OperatorId, agreement.Id, c.Period, c.MaterialsDue, c.RectificationPeriod, agreement.AuthorityOrg, agreement.AuthorizingUnit));
    }

    private static Decision<IEvaluationEvent> Submit(EvaluationState s, SubmitEvaluationMaterials c, DateTimeOffset now)
    {
        if (Policy.Authorize(Act.SubmitEvaluationMaterials, c.By, s.Parties) is { } forbidden) return forbidden;
        if (Check.List(c.Documents, "documents") is { } bad) return bad;
        if (s.State == EvaluationStatus.MaterialsSubmitted && s.Documents.SequenceEqual(c.Documents, StringComparer.Ordinal)) return Decision<IEvaluationEvent>.Nothing;
        // Art. 17: the deadline is the operator's to meet; past it the evaluation fails, whether or not the timer has fired yet.
        if (s.State == EvaluationStatus.Opened && now >= s.MaterialsDue || s is { State: EvaluationStatus.Failed, NonCooperation: true })
            return Rejection.Rule("Art. 17", $"the materials of evaluation {s.Id} were due by {s.MaterialsDue:O}: too late, the evaluation fails for non-cooperation (an operator may not refuse or obstruct evaluation)", conflict: true);
        if (s.State != EvaluationStatus.Opened) return Rejection.InvalidTransition($"evaluation {s.Id}", s.State, "take materials");
        return Decision<IEvaluationEvent>.Accept(new EvaluationMaterialsSubmitted(c.By, now, c.Documents));
    }

    private static Decision<IEvaluationEvent> Result(EvaluationState s, RecordEvaluationResult c, DateTimeOffset now)
    {
        if (Policy.Authorize(Act.RecordEvaluationResult, c.By, s.Parties) is { } forbidden) return forbidden;
        var invalid = Check.First(
            Check.List(c.Findings, "findings", required: !c.Passed, maxItemLength: Check.LongText),
            // Art. 18: a failure orders rectification, with its content (the findings) and a deadline.
            !c.Passed && c.RectificationDeadline is null ? Rejection.Validation("'rectificationDeadline' is required when the evaluation fails (Art. 18).") : null,
            !c.Passed && c.RectificationDeadline <= now ? Rejection.Validation("'rectificationDeadline' must be in the future.") : null);
        if (invalid is not null) return invalid;
        var findings = c.Findings ?? [];
        if (s.State == EvaluationStatus.Passed && c.Passed && s.Findings.SequenceEqual(findings, StringComparer.Ordinal)) return Decision<IEvaluationEvent>.Nothing;
        if (s is { State: EvaluationStatus.Failed, NonCooperation: false } && !c.Passed && s.Findings.SequenceEqual(findings, StringComparer.Ordinal)
            && s.RectificationDeadline == c.RectificationDeadline)
            return Decision<IEvaluationEvent>.Nothing;
        if (s.State != EvaluationStatus.MaterialsSubmitted)
            return Rejection.InvalidTransition($"evaluation {s.Id}", s.State,
                s.State == EvaluationStatus.Opened ? "record a result: the operator's materials are awaited (Art. 17)" : "record another result");
        return c.Passed
            ? Decision<IEvaluationEvent>.Accept(new EvaluationPassed(c.By, now, findings))
            : Decision<IEvaluationEvent>.Accept(new EvaluationFailed(c.By, now, s.AgreementId, findings, c.RectificationDeadline!.Value, NonCooperation: false));
    }

    private static Decision<IEvaluationEvent> FailUncooperative(EvaluationState s, FailForNonCooperation c, DateTimeOffset now)
    {
        if (c.By.Role != Role.Platform) return Rejection.Forbidden("only the platform fails an evaluation at its materials deadline", "Art. 17");
        if (s.State != EvaluationStatus.Opened || now < s.MaterialsDue) return Decision<IEvaluationEvent>.Nothing;
        // Art. 17: an operator may not refuse or obstruct evaluation; no materials by the deadline is a failure (Art. 18).
        var finding = $"no materials were submitted by {s.MaterialsDue:O} (Art. 17: evaluation may not be refused or obstructed)";
        return Decision<IEvaluationEvent>.Accept(new EvaluationFailed(c.By, now, s.AgreementId, [finding], now + s.RectificationPeriod, NonCooperation: true));
    }

    private static Decision<IEvaluationEvent> Outcome(EvaluationState s, RecordEvaluationOutcome c, DateTimeOffset now)
    {
        if (c.By.Role != Role.Platform) return Rejection.Forbidden("only the platform records how the agreement came out of the rectification", "Art. 18");
        if (c.Reason is not null && Check.Text(c.Reason, "reason", Check.LongText) is { } bad) return bad;
        // Only a failed evaluation leads to a rectification; the first outcome stands (a repeat changes nothing).
        if (s.State != EvaluationStatus.Failed || s.Outcome is not null) return Decision<IEvaluationEvent>.Nothing;
        return Decision<IEvaluationEvent>.Accept(new EvaluationOutcomeRecorded(c.By, now, c.Outcome, c.Reason));
    }

    public static EvaluationState Evolve(EvaluationState s, IEvaluationEvent e) => e switch
    {
        EvaluationOpened x => s with
        {
            State = EvaluationStatus.Opened, OperatorId = x.OperatorId, AgreementId = x.AgreementId, Period = x.Period, MaterialsDue = x.MaterialsDue,
            RectificationPeriod = x.RectificationPeriod, AuthorityOrg = x.AuthorityOrg, AuthorizingUnit = x.AuthorizingUnit, OpenedBy = x.By, OpenedAt = x.At,
        },
        EvaluationMaterialsSubmitted x => s with { State = EvaluationStatus.MaterialsSubmitted, Documents = x.Documents, MaterialsSubmittedAt = x.At },
        EvaluationPassed x => s with { State = EvaluationStatus.Passed, Findings = x.Findings, DecidedBy = x.By, DecidedAt = x.At },
        EvaluationFailed x => s with
        {
            State = EvaluationStatus.Failed, Findings = x.Findings, RectificationDeadline = x.RectificationDeadline, DecidedBy = x.By, DecidedAt = x.At,
            NonCooperation = x.NonCooperation,
        },
        EvaluationOutcomeRecorded x => s with { Outcome = x.Outcome, OutcomeReason = x.Reason, OutcomeAt = x.At },
        _ => s,
    };
}
