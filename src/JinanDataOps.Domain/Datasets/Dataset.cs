using JinanDataOps.Domain.Common;

namespace JinanDataOps.Domain.Datasets;

/// <summary>Domains of public data; Art. 6 favours public governance and public welfare first, then
/// finance, credit, medical, transport and culture.</summary>
public enum DataDomain
{
    Governance, PublicWelfare, Finance, Credit, Medical, Transport, Culture,
    Education, Employment, SocialSecurity, Environment, Agriculture, Tourism, Commerce, Other,
}

public sealed record DatasetField(string Name, bool Sensitive);

public enum DatasetStatus { None, Registered }

public enum QualityIssueStatus { Raised, Acknowledged, Resolved }

public sealed record QualityIssue(string Id, string Description, string RaisedBy, DateTimeOffset RaisedAt, QualityIssueStatus State, string? Resolution, string? Key = null);

public sealed record DatasetState(
    string Id, DatasetStatus State, string Title, DataDomain Domain, string Owner,
    IReadOnlyList<DatasetField> Fields, IReadOnlyList<QualityIssue> QualityIssues)
{
    public bool HasSensitiveFields => Fields.Any(f => f.Sensitive);

    /// <summary>Quality issue ids are "{datasetId}~q{n}" so a resolve can find its dataset on any node.</summary>
    public static bool TryParseQualityIssueId(string issueId, out string datasetId)
    {
        var at = issueId.LastIndexOf("~q", StringComparison.Ordinal);
        datasetId = at > 0 ? issueId[..at] : string.Empty;
        return at > 0 && int.TryParse(issueId.AsSpan(at + 2), out _);
    }
}

public interface IDatasetCommand : ICommand;
public sealed record RegisterDataset(Caller By, string Title, DataDomain Domain, IReadOnlyList<DatasetField> Fields) : IDatasetCommand;
/// <summary>Art. 10: an operator that finds a quality problem may ask for data governance.</summary>
/// <summary><paramref name="Key"/> is the caller's Idempotency-Key: a repeat with the same key raises nothing new.</summary>
public sealed record RaiseQualityIssue(Caller By, string Description, bool CallerHasAccess, string? Key = null) : IDatasetCommand;
public sealed record AcknowledgeQualityIssue(Caller By, string IssueId) : IDatasetCommand;
/// <summary>Art. 12: the provider governs its data so it is true, accurate and complete.</summary>
public sealed record ResolveQualityIssue(Caller By, string IssueId, string Resolution) : IDatasetCommand;

public interface IDatasetEvent : IDomainEvent;
public sealed record DatasetRegistered(Caller By, DateTimeOffset At, string Title, DataDomain Domain, IReadOnlyList<DatasetField> Fields) : IDatasetEvent;
public sealed record QualityIssueRaised(Caller By, DateTimeOffset At, string IssueId, string Description, string? Key = null) : IDatasetEvent;
public sealed record QualityIssueAcknowledged(Caller By, DateTimeOffset At, string IssueId) : IDatasetEvent;
public sealed record QualityIssueResolved(Caller By, DateTimeOffset At, string IssueId, string Resolution) : IDatasetEvent;

public sealed class Dataset : IDecider<DatasetState, IDatasetCommand, IDatasetEvent>
{
    public static string Kind => "dataset";

    public static DatasetState Initial(string id) => new(id, DatasetStatus.None, "", DataDomain.Other, "", [], []);

    public static bool Exists(DatasetState state) => state.State != DatasetStatus.None;

    public static IReadOnlyList<Deadline<IDatasetCommand>> Deadlines(DatasetState state) => [];

    public static Decision<IDatasetEvent> Decide(DatasetState s, IDatasetCommand command, DateTimeOffset now) => command switch
    {
        RegisterDataset c => Register(s, c, now),
        RaiseQualityIssue c => Raise(s, c, now),
        AcknowledgeQualityIssue c => Acknowledge(s, c, now),
        ResolveQualityIssue c => Resolve(s, c, now),
        _ => Rejection.Validation($"unknown dataset command {command.GetType().Name}"),
    };

    private static Decision<IDatasetEvent> Register(DatasetState s, RegisterDataset c, DateTimeOffset now)
    {
        if (Policy.Authorize(Act.RegisterDataset, c.By, Parties.None) is { } forbidden) return forbidden;
        var invalid = Check.First(
            Check.Text(c.Title, "title"),
            c.Fields.Count == 0 ? Rejection.Validation("'fields' needs at least one field.") : null,
            c.Fields.Count > Check.MaxItems ? Rejection.Validation($"'fields' has more than {Check.MaxItems} entries.") : null,
            Check.List(c.Fields.Select(f => f.Name).ToArray(), "fields[].name"));
        if (invalid is not null) return invalid;
        if (s.State == DatasetStatus.Registered)
        {
            // A repeat of the same registration by the same owner is already satisfied.
            var same = s.Owner == c.By.Org && s.Title == c.Title && s.Domain == c.Domain && s.Fields.SequenceEqual(c.Fields);
            return same ? Decision<IDatasetEvent>.Nothing : Rejection.InvalidTransition($"dataset {s.Id}", "already-registered", "register it again");
        }
        return Decision<IDatasetEvent>.Accept(new DatasetRegistered(c.By, now, c.Title, c.Domain, c.Fields));
    }

    private static Decision<IDatasetEvent> Raise(DatasetState s, RaiseQualityIssue c, DateTimeOffset now)
    {
        if (s.State == DatasetStatus.None) return Rejection.NotFound($"dataset {s.Id} does not exist");
        if (Policy.Authorize(Act.RaiseQualityIssue, c.By, new Parties(CallerHasAccess: c.CallerHasAccess)) is { } forbidden)
            return c.By.Role == Role.Operator
                ? Rejection.Forbidden($"operator {c.By.Org} has no live data request naming dataset {s.Id}", "Art. 10")
                : forbidden;
        if (Check.Text(c.Description, "description", Check.LongText) is { } bad) return bad;
        if (c.Key is not null && s.QualityIssues.Any(q => q.Key == c.Key && q.RaisedBy == c.By.Org)) return Decision<IDatasetEvent>.Nothing;
        var id = $"{s.Id}~q{s.QualityIssues.Count + 1}";
        return Decision<IDatasetEvent>.Accept(new QualityIssueRaised(c.By, now, id, c.Description, c.Key));
    }

    private static Decision<IDatasetEvent> Acknowledge(DatasetState s, AcknowledgeQualityIssue c, DateTimeOffset now)
    {
        if (FindIssue(s, Act.AcknowledgeQualityIssue, c.By, c.IssueId, out var issue) is { } refused) return refused;
        return issue!.State switch
        {
            QualityIssueStatus.Raised => Decision<IDatasetEvent>.Accept(new QualityIssueAcknowledged(c.By, now, c.IssueId)),
            QualityIssueStatus.Acknowledged => Decision<IDatasetEvent>.Nothing,
            _ => Rejection.InvalidTransition($"quality issue {c.IssueId}", issue.State, "acknowledge it"),
        };
    }

    private static Decision<IDatasetEvent> Resolve(DatasetState s, ResolveQualityIssue c, DateTimeOffset now)
    {
        if (FindIssue(s, Act.ResolveQualityIssue, c.By, c.IssueId, out var issue) is { } refused) return refused;
        if (Check.Text(c.Resolution, "resolution", Check.LongText) is { } bad) return bad;
        if (issue!.State == QualityIssueStatus.Resolved)
            return issue.Resolution == c.Resolution ? Decision<IDatasetEvent>.Nothing
                : Rejection.InvalidTransition($"quality issue {c.IssueId}", issue.State, "resolve it again");
        return Decision<IDatasetEvent>.Accept(new QualityIssueResolved(c.By, now, c.IssueId, c.Resolution));
    }

    private static Rejection? FindIssue(DatasetState s, Act act, Caller by, string issueId, out QualityIssue? issue)
    {
        issue = s.QualityIssues.FirstOrDefault(q => q.Id == issueId);
        if (issue is null) return Rejection.NotFound($"quality issue {issueId} does not exist");
        // Art. 12: the provider that owns the data governs it; no one else closes its issues.
        return Policy.Authorize(act, by, PartiesOf(s));
    }

    /// <summary>The parties of a dataset: its owning provider.</summary>
    public static Parties PartiesOf(DatasetState s) => new(DatasetOwners: [s.Owner]);

    public static DatasetState Evolve(DatasetState s, IDatasetEvent e) => e switch
    {
        DatasetRegistered r => s with { State = DatasetStatus.Registered, Title = r.Title, Domain = r.Domain, Owner = r.By.Org, Fields = r.Fields },
        QualityIssueRaised q => s with { QualityIssues = [.. s.QualityIssues, new QualityIssue(q.IssueId, q.Description, q.By.Org, q.At, QualityIssueStatus.Raised, null, q.Key)] },
        QualityIssueAcknowledged q => s with { QualityIssues = s.QualityIssues.Select(i => i.Id == q.IssueId ? i with { State = QualityIssueStatus.Acknowledged } : i).ToArray() },
        QualityIssueResolved q => s with { QualityIssues = s.QualityIssues.Select(i => i.Id == q.IssueId ? i with { State = QualityIssueStatus.Resolved, Resolution = q.Resolution } : i).ToArray() },
        _ => s,
    };
}
