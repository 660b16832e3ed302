using JinanDataOps.Domain.Common;

namespace JinanDataOps.Domain.Incidents;

/// <summary>Art. 15: a security incident and the emergency response to it.</summary>
public enum IncidentStatus { None, Opened, EmergencyResponse, Closed }

/// <summary>What opened an incident when monitoring did: the alert, its rule and severity, and the ids of
/// the sandbox events that triggered it.</summary>
public sealed record IncidentSource(string AlertId, string Rule, string Severity, IReadOnlyList<string> Evidence);

public sealed record Measure(Caller By, DateTimeOffset At, string Description);

public sealed record IncidentState(
    string Id, IncidentStatus State, string OperatorId, string? DataRequestId, string? AgreementId,
    string Summary, string? Article, IncidentSource? Source, Caller? OpenedBy, DateTimeOffset? OpenedAt,
    IReadOnlyList<Measure> Measures, string? Report, DateTimeOffset? ClosedAt, [AddedField] string? AuthorityOrg = null)
{
    /// <summary>The parties of an incident: the operator concerned and the authority of its agreement.</summary>
    public Parties Parties => new(Operator: OperatorId, Authority: AuthorityOrg);
}

public interface IIncidentCommand : ICommand;
/// <summary>Opened by monitoring (the platform) on a critical alert, or by hand by the authority of the agreement
/// concerned. <paramref name="AuthorityOrg"/> is that agreement's authority organisation: it responds and closes.</summary>
public sealed record OpenIncident(
    Caller By, string OperatorId, string? DataRequestId, string? AgreementId, string Summary, string? Article, IncidentSource? Source,
    [AddedField] string? AuthorityOrg = null) : IIncidentCommand;
public sealed record RecordMeasure(Caller By, string Description) : IIncidentCommand;
public sealed record CloseIncident(Caller By, string Report) : IIncidentCommand;

public interface IIncidentEvent : IDomainEvent;
public sealed record IncidentOpened(
    Caller By, DateTimeOffset At, string OperatorId, string? DataRequestId, string? AgreementId, string Summary, string? Article, IncidentSource? Source,
    [AddedField] string? AuthorityOrg = null) : IIncidentEvent, Audit.IConcernsOperator
{
    public string OperatorOf(string entityId) => OperatorId;
}
public sealed record EmergencyResponseStarted(Caller By, DateTimeOffset At) : IIncidentEvent;
public sealed record MeasureRecorded(Caller By, DateTimeOffset At, string Description) : IIncidentEvent;
public sealed record IncidentClosed(Caller By, DateTimeOffset At, string Report) : IIncidentEvent, IHasReason
{
    string IHasReason.Reason => Report;
}

/// <summary><c>Opened → EmergencyResponse → Closed</c> (DOMAIN.md, Art. 15): opened with its evidence; the
/// first measure recorded starts the emergency response; closed with a report to the authority, and only
/// once some measure is on record.</summary>
public sealed class Incident : IDecider<IncidentState, IIncidentCommand, IIncidentEvent>
{
    public static string Kind => "incident";

    public static IncidentState Initial(string id) => new(id, IncidentStatus.None, "", null, null, "", null, null, null, null, [], null, null);

    public static bool Exists(IncidentState state) => state.State != IncidentStatus.None;

    public static IReadOnlyList<Deadline<IIncidentCommand>> Deadlines(IncidentState state) => [];

    public static Decision<IIncidentEvent> Decide(IncidentState s, IIncidentCommand command, DateTimeOffset now)
    {
        if (command is OpenIncident open) return Open(s, open, now);
        if (s.State == IncidentStatus.None) return Rejection.NotFound($"incident {s.Id} does not exist");
        switch (command)
        {
            case RecordMeasure c:
                // Art. 15: the incident's authority and the operator concerned respond; regulators only read (Art. 5).
                if (Policy.Authorize(Act.RecordMeasure, c.By, s.Parties) is { } forbidden) return forbidden;
                if (Check.Text(c.Description, "description", Check.LongText) is { } bad) return bad;
                if (s.State == IncidentStatus.Closed) return Rejection.InvalidTransition($"incident {s.Id}", s.State, "record a measure");
                var measure = new MeasureRecorded(c.By, now, c.Description);
                return s.State == IncidentStatus.Opened
                    ? Decision<IIncidentEvent>.Accept(new EmergencyResponseStarted(c.By, now), measure)
                    : Decision<IIncidentEvent>.Accept(measure);
            case CloseIncident c:
                if (Policy.Authorize(Act.CloseIncident, c.By, s.Parties) is { } notAllowed) return notAllowed;
                if (Check.Text(c.Report, "report", Check.LongText) is { } missing) return missing;
                if (s.State == IncidentStatus.Closed) return Decision<IIncidentEvent>.Nothing;
                if (s.State == IncidentStatus.Opened)
                    return Rejection.Rule("Art. 15", $"incident {s.Id} has no emergency measure on record; record the response before closing it", conflict: true);
                return Decision<IIncidentEvent>.Accept(new IncidentClosed(c.By, now, c.Report));
            default:
                return Rejection.Validation($"unknown incident command {command.GetType().Name}");
        }
    }

    private static Decision<IIncidentEvent> Open(IncidentState s, OpenIncident c, DateTimeOffset now)
    {
        if (Policy.Authorize(Act.OpenIncident, c.By, new Parties(Operator: c.OperatorId, Authority: c.AuthorityOrg)) is { } forbidden) return forbidden;
        // Monitoring opens an incident at least once per critical alert; the id comes from the alert, so a
        // repeat finds it open and changes nothing.
        if (s.State != IncidentStatus.None) return Decision<IIncidentEvent>.Nothing;
        if (Check.First(Check.Text(c.OperatorId, "operatorId"), Check.Text(c.Summary, "summary", Check.LongText)) is { } bad) return bad;
        return Decision<IIncidentEvent>.Accept(new IncidentOpened(c.By, now, c.OperatorId, c.DataRequestId, c.AgreementId, c.Summary, c.Article, c.Source, c.AuthorityOrg));
    }

    public static IncidentState Evolve(IncidentState s, IIncidentEvent e) => e switch
    {
        IncidentOpened x => s with
        {
            State = IncidentStatus.Opened, OperatorId = x.OperatorId, DataRequestId = x.DataRequestId, AgreementId = x.AgreementId,
            Summary = x.Summary, Article = x.Article, Source = x.Source, OpenedBy = x.By, OpenedAt = x.At, AuthorityOrg = x.AuthorityOrg,
        },
        EmergencyResponseStarted => s with { State = IncidentStatus.EmergencyResponse },
        MeasureRecorded x => s with { Measures = [.. s.Measures, new Measure(x.By, x.At, x.Description)] },
        IncidentClosed x => s with { State = IncidentStatus.Closed, Report = x.Report, ClosedAt = x.At },
        _ => s,
    };
}
