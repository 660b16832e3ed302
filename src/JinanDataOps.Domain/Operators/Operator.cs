using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.DataRequests;

namespace JinanDataOps.Domain.Operators;

public enum OperatorStatus { None, Registered, Authorized, Suspended, Terminated }

/// <summary>How one of the operator's agreements stands, as the operator has been told of it.</summary>
public enum AgreementStanding { Active, Suspended, Terminated, Expired }

public sealed record Training(IReadOnlyList<string> Staff, DateOnly CompletedOn, DateTimeOffset RecordedAt);
public sealed record SecurityReport(string Period, string Summary, DateTimeOffset FiledAt);
public sealed record LiveRequest(string RequestId, string Scenario, string AgreementId, IReadOnlyList<string> Datasets);
/// <summary>A data product of the operator: the agreement it stands under and the requests it is built from, so that
/// when one of them stops the platform finds the products to delist (Art. 18).</summary>
public sealed record OperatorProduct(string ProductId, string AgreementId, IReadOnlyList<string> DataRequestIds);

public sealed record OperatorState(
    string Id, OperatorStatus State, string Name, string CreditCode, string LegalRepresentative, string SecurityContact,
    IReadOnlyList<Training> Trainings, IReadOnlyList<SecurityReport> SecurityReports,
    IReadOnlyDictionary<string, AgreementStanding> Agreements, IReadOnlyList<LiveRequest> LiveRequests,
    [AddedField] TimeSpan? ReportEvery = null, [AddedField] DateTimeOffset? ReportingSince = null, [AddedField] DateTimeOffset? ReportOverdueSince = null,
    [AddedField] IReadOnlyList<OperatorProduct>? Products = null)
{
    /// <summary>The operator's products under an agreement (to delist when it is suspended, terminated or expires).</summary>
    public IEnumerable<OperatorProduct> ProductsUnder(string agreementId) => (Products ?? []).Where(p => p.AgreementId == agreementId);

    /// <summary>The operator's products built from a data request (to delist when it is suspended, revoked or closed).</summary>
    public IEnumerable<OperatorProduct> ProductsFrom(string requestId) => (Products ?? []).Where(p => p.DataRequestIds.Contains(requestId));

    /// <summary>Art. 16: technical staff are trained before the job; without it no data is provisioned.</summary>
    public bool HasTraining => Trainings.Count > 0;

    /// <summary>Art. 16 (按要求定期报告运营安全情况): while it holds an agreement (active or suspended), the operator
    /// reports on its operational security every <see cref="ReportEvery"/>, counted from its last report or, before the
    /// first one, from when it was first authorized. Null when no reporting period applies.</summary>
    public DateTimeOffset? NextReportDue =>
        ReportEvery is { } every && ReportingSince is { } since && State is OperatorStatus.Authorized or OperatorStatus.Suspended
            ? (SecurityReports.Count > 0 ? SecurityReports[^1].FiledAt : since) + every
            : null;
}

public interface IOperatorCommand : ICommand;
public sealed record RegisterOperator(Caller By, string Name, string CreditCode, string LegalRepresentative, string SecurityContact) : IOperatorCommand;
public sealed record RecordTraining(Caller By, IReadOnlyList<string> Staff, DateOnly CompletedOn) : IOperatorCommand;
public sealed record FileSecurityReport(Caller By, string Period, string Summary) : IOperatorCommand;
/// <summary>A consequence: one of the operator's agreements changed standing.</summary>
/// <summary>The platform notes an agreement's standing; with it, the security-report period the platform requires of
/// authorized operators (Art. 16), which applies from the operator's first authorization.</summary>
public sealed record NoteAgreementStanding(Caller By, string AgreementId, AgreementStanding Standing, TimeSpan? ReportEvery = null) : IOperatorCommand;
/// <summary>The platform flags a periodic security report that is due and not filed (Art. 16).</summary>
public sealed record FlagOverdueSecurityReport(Caller By) : IOperatorCommand;
/// <summary>Art. 13 gate: the operator holds at most one live request per application scenario.</summary>
public sealed record OpenDataRequest(Caller By, DataRequestSubmission Submission) : IOperatorCommand;
/// <summary>A consequence: the request ended (rejected, revoked, closed), so its scenario is free again.</summary>
public sealed record ReleaseScenario(Caller By, string RequestId) : IOperatorCommand;
/// <summary>Sent by the platform once a product is registered: the operator's record knows its products.</summary>
public sealed record NoteProduct(Caller By, string ProductId, string AgreementId, IReadOnlyList<string> DataRequestIds) : IOperatorCommand;

public interface IOperatorEvent : IDomainEvent;
public sealed record OperatorRegistered(Caller By, DateTimeOffset At, string Name, string CreditCode, string LegalRepresentative, string SecurityContact) : IOperatorEvent, Audit.IConcernsOperator
{
    /// <summary>An operator's id is its organisation, the id of its entity.</summary>
    public string OperatorOf(string entityId) => entityId;
}
public sealed record TrainingRecorded(Caller By, DateTimeOffset At, IReadOnlyList<string> Staff, DateOnly CompletedOn) : IOperatorEvent;
public sealed record SecurityReportFiled(Caller By, DateTimeOffset At, string Period, string Summary) : IOperatorEvent;
public sealed record AgreementStandingNoted(
    Caller By, DateTimeOffset At, string AgreementId, AgreementStanding Standing, [AddedField] TimeSpan? ReportEvery = null) : IOperatorEvent;
/// <summary>The report due at <paramref name="Due"/> was not filed (Art. 16); <paramref name="LastFiledAt"/> is the last one, if any.</summary>
public sealed record SecurityReportOverdue(Caller By, DateTimeOffset At, DateTimeOffset Due, DateTimeOffset? LastFiledAt) : IOperatorEvent;
public sealed record DataRequestOpened(Caller By, DateTimeOffset At, DataRequestSubmission Submission) : IOperatorEvent;
public sealed record ScenarioReleased(Caller By, DateTimeOffset At, string RequestId, string Scenario) : IOperatorEvent;
public sealed record ProductNoted(Caller By, DateTimeOffset At, string ProductId, string AgreementId, IReadOnlyList<string> DataRequestIds) : IOperatorEvent;

public sealed class Operator : IDecider<OperatorState, IOperatorCommand, IOperatorEvent>
{
    public static string Kind => "operator";

    public static OperatorState Initial(string id) =>
        new(id, OperatorStatus.None, "", "", "", "", [], [], new Dictionary<string, AgreementStanding>(), []);

    public static bool Exists(OperatorState state) => state.State != OperatorStatus.None;

    /// <summary>The next periodic security report (Art. 16), unless it is already flagged as overdue.</summary>
    public static IReadOnlyList<Deadline<IOperatorCommand>> Deadlines(OperatorState state) =>
        state.NextReportDue is { } due && state.ReportOverdueSince != due
            ? [new("security-report-due", due, new FlagOverdueSecurityReport(Caller.Platform))]
            : [];

    public static Decision<IOperatorEvent> Decide(OperatorState s, IOperatorCommand command, DateTimeOffset now)
    {
        if (command is RegisterOperator register) return Register(s, register, now);
        if (s.State == OperatorStatus.None) return Rejection.NotFound($"operator {s.Id} is not registered");
        return command switch
        {
            RecordTraining c => Train(s, c, now),
            FileSecurityReport c => Report(s, c, now),
            NoteAgreementStanding c => s.Agreements.TryGetValue(c.AgreementId, out var was) && was == c.Standing
                ? Decision<IOperatorEvent>.Nothing
                : Decision<IOperatorEvent>.Accept(new AgreementStandingNoted(c.By, now, c.AgreementId, c.Standing, c.ReportEvery)),
            FlagOverdueSecurityReport c => s.NextReportDue is { } due && now >= due && s.ReportOverdueSince != due
                ? Decision<IOperatorEvent>.Accept(new SecurityReportOverdue(c.By, now, due, s.SecurityReports.Count > 0 ? s.SecurityReports[^1].FiledAt : null))
                : Decision<IOperatorEvent>.Nothing,
            OpenDataRequest c => Open(s, c, now),
            ReleaseScenario c => s.LiveRequests.FirstOrDefault(r => r.RequestId == c.RequestId) is { } live
                ? Decision<IOperatorEvent>.Accept(new ScenarioReleased(c.By, now, live.RequestId, live.Scenario))
                : Decision<IOperatorEvent>.Nothing,
            NoteProduct c => c.By.Role != Role.Platform
                ? Rejection.Forbidden($"only the platform notes an operator's products, not {c.By}", "Art. 15")
                : (s.Products ?? []).Any(p => p.ProductId == c.ProductId)
                    ? Decision<IOperatorEvent>.Nothing
                    : Decision<IOperatorEvent>.Accept(new ProductNoted(c.By, now, c.ProductId, c.AgreementId, c.DataRequestIds)),
            _ => Rejection.Validation($"unknown operator command {command.GetType().Name}"),
        };
    }

    /// <summary>The parties of an operator's record: the operator itself.</summary>
    public static Parties PartiesOf(OperatorState s) => new(Operator: s.Id);

    /// <summary>The policy for the act, and in any case an operator acts on its own record only (its id is its organisation).</summary>
    private static Rejection? Self(OperatorState s, Caller by, Act act) =>
        Policy.Authorize(act, by, PartiesOf(s))
        ?? (by.Is(Role.Operator, s.Id) ? null : Rejection.Forbidden($"operator {by.Org} acts on its own record only, not on operator {s.Id}'s", "Art. 14"));

    private static Decision<IOperatorEvent> Register(OperatorState s, RegisterOperator c, DateTimeOffset now)
    {
        if (Self(s, c.By, Act.RegisterOperator) is { } forbidden) return forbidden;
        var invalid = Check.First(
            Check.Text(c.Name, "name"),
            CreditCode.Explain(c.CreditCode) is { } why ? Rejection.Validation($"'creditCode': {why}.") : null,
            // Art. 14: the legal representative is the first person responsible for data security.
            Check.Text(c.LegalRepresentative, "legalRepresentative"),
            Check.Text(c.SecurityContact, "securityContact"));
        if (invalid is not null) return invalid;
        if (s.State != OperatorStatus.None)
        {
            var same = s.Name == c.Name && s.CreditCode == c.CreditCode && s.LegalRepresentative == c.LegalRepresentative && s.SecurityContact == c.SecurityContact;
            return same ? Decision<IOperatorEvent>.Nothing : Rejection.InvalidTransition($"operator {s.Id}", s.State, "register again");
        }
        return Decision<IOperatorEvent>.Accept(new OperatorRegistered(c.By, now, c.Name, c.CreditCode, c.LegalRepresentative, c.SecurityContact));
    }

    private static Decision<IOperatorEvent> Train(OperatorState s, RecordTraining c, DateTimeOffset now)
    {
        if (Self(s, c.By, Act.RecordTraining) is { } forbidden) return forbidden;
        if (Check.List(c.Staff, "staff") is { } bad) return bad;
        if (c.CompletedOn > DateOnly.FromDateTime(now.UtcDateTime))
            return Rejection.Validation("'completedOn' is in the future: record training once it is done.");
        if (s.State == OperatorStatus.Terminated) return Rejection.InvalidTransition($"operator {s.Id}", s.State, "record training");
        return Decision<IOperatorEvent>.Accept(new TrainingRecorded(c.By, now, c.Staff, c.CompletedOn));
    }

    private static Decision<IOperatorEvent> Report(OperatorState s, FileSecurityReport c, DateTimeOffset now)
    {
        if (Self(s, c.By, Act.FileSecurityReport) is { } forbidden) return forbidden;
        var invalid = Check.First(Check.Text(c.Period, "period", 64), Check.Text(c.Summary, "summary", Check.LongText));
        if (invalid is not null) return invalid;
        return Decision<IOperatorEvent>.Accept(new SecurityReportFiled(c.By, now, c.Period, c.Summary));
    }

    private static Decision<IOperatorEvent> Open(OperatorState s, OpenDataRequest c, DateTimeOffset now)
    {
        var sub = c.Submission;
        if (Self(s, c.By, Act.SubmitDataRequest) is { } forbidden) return forbidden;
        if (s.LiveRequests.Any(r => r.RequestId == sub.RequestId)) return Decision<IOperatorEvent>.Nothing;
        if (s.State == OperatorStatus.Terminated)
            return Rejection.InvalidTransition($"operator {s.Id}", s.State, "request public data");
        if (DataRequestRules.CheckSubmission(s.Id, sub, now) is { } refused) return refused;
        if (s.LiveRequests.FirstOrDefault(r => r.Scenario == sub.Scenario) is { } twin)
            return Rejection.Rule("Art. 13", $"one request per application scenario: request {twin.RequestId} is already live for scenario '{sub.Scenario}'", conflict: true);
        return Decision<IOperatorEvent>.Accept(new DataRequestOpened(c.By, now, sub));
    }

    public static OperatorState Evolve(OperatorState s, IOperatorEvent e) => e switch
    {
        OperatorRegistered r => s with
        {
            State = OperatorStatus.Registered, Name = r.Name, CreditCode = r.CreditCode,
            LegalRepresentative = r.LegalRepresentative, SecurityContact = r.SecurityContact,
        },
        TrainingRecorded t => s with { Trainings = [.. s.Trainings, new Training(t.Staff, t.CompletedOn, t.At)] },
        SecurityReportFiled r => s with { SecurityReports = [.. s.SecurityReports, new SecurityReport(r.Period, r.Summary, r.At)], ReportOverdueSince = null },
        SecurityReportOverdue o => s with { ReportOverdueSince = o.Due },
        AgreementStandingNoted n => WithStanding(s, n.AgreementId, n.Standing) with
        {
            ReportEvery = n.ReportEvery ?? s.ReportEvery,
            // The reporting obligation starts with the first authorization and runs from then on.
            ReportingSince = s.ReportingSince ?? (n.Standing == AgreementStanding.Active ? n.At : null),
        },
        DataRequestOpened o => s with
        {
            LiveRequests = [.. s.LiveRequests, new LiveRequest(o.Submission.RequestId, o.Submission.Scenario, o.Submission.AgreementId, o.Submission.Datasets)],
        },
        ScenarioReleased r => s with { LiveRequests = s.LiveRequests.Where(l => l.RequestId != r.RequestId).ToArray() },
        ProductNoted p => s with { Products = [.. s.Products ?? [], new OperatorProduct(p.ProductId, p.AgreementId, p.DataRequestIds)] },
        _ => s,
    };

    /// <summary>The operator's own state follows its agreements. Termination is final and dominant: a
    /// terminated operator's access is gone everywhere (DOMAIN.md, Operator). Otherwise it is authorized
    /// while any agreement is active, suspended while none is active but one is suspended, and merely
    /// registered when its agreements have all expired.</summary>
    private static OperatorState WithStanding(OperatorState s, string agreementId, AgreementStanding standing)
    {
        var agreements = new Dictionary<string, AgreementStanding>(s.Agreements) { [agreementId] = standing };
        var state =
            s.State == OperatorStatus.Terminated || standing == AgreementStanding.Terminated ? OperatorStatus.Terminated
            : agreements.Values.Any(a => a == AgreementStanding.Active) ? OperatorStatus.Authorized
            : agreements.Values.Any(a => a == AgreementStanding.Suspended) ? OperatorStatus.Suspended
            : OperatorStatus.Registered;
        return s with { Agreements = agreements, State = state };
    }
}
