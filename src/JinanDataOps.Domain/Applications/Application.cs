using JinanDataOps.Domain.Calls;
using JinanDataOps.Domain.Common;

namespace JinanDataOps.Domain.Applications;

public enum ApplicationStatus { None, Submitted, UnderReview, Shortlisted, NotSelected, Confirmed, Rejected }

public enum ObjectionStatus { Pending, Upheld, Dismissed }

public sealed record Review(string Expert, IReadOnlyDictionary<string, decimal> Scores, decimal Weighted, DateTimeOffset At);
public sealed record Objection(string Id, string Reason, Caller FiledBy, DateTimeOffset FiledAt, ObjectionStatus State, string? Key = null);

public sealed record ApplicationState(
    string Id, ApplicationStatus State, string CallId, string OperatorId, string AuthorityOrg, CallTerms? Terms,
    string MaterialsJson, IReadOnlyList<string> AffiliatedOrgs, IReadOnlyList<string> DeclaredConflicts,
    IReadOnlyList<Review> Reviews, IReadOnlyList<Objection> Objections, decimal? Score,
    DateTimeOffset? NoticeEndsAt, bool NoticeEnded, string? RejectionReason)
{
    /// <summary>Objection ids are "{applicationId}~o{n}" so a resolve can find its application on any node.</summary>
    public static bool TryParseObjectionId(string objectionId, out string applicationId)
    {
        var at = objectionId.LastIndexOf("~o", StringComparison.Ordinal);
        applicationId = at > 0 ? objectionId[..at] : string.Empty;
        return at > 0 && int.TryParse(objectionId.AsSpan(at + 2), out _);
    }

    /// <summary>Conflict of interest (Art. 8(3) asks for independent third-party experts): declared,
    /// the applicant itself, or an organisation the applicant names as affiliated.</summary>
    public bool IsConflicted(string expertOrg) =>
        DeclaredConflicts.Contains(expertOrg) || expertOrg == OperatorId || AffiliatedOrgs.Contains(expertOrg);
}

public interface IApplicationCommand : ICommand;
public sealed record SubmitApplication(Caller By, string CallId, string OperatorId, string AuthorityOrg, CallTerms Terms, string MaterialsJson, IReadOnlyList<string> AffiliatedOrgs) : IApplicationCommand;
public sealed record DeclareConflict(Caller By, string Reason) : IApplicationCommand;
public sealed record ReviewApplication(Caller By, IReadOnlyDictionary<string, decimal> Scores) : IApplicationCommand;
/// <summary>A consequence of the shortlist being published: decide shortlisted or not selected.</summary>
public sealed record EvaluateApplication(Caller By, DateTimeOffset NoticeEndsAt) : IApplicationCommand;
/// <summary><paramref name="Key"/> is the caller's Idempotency-Key: a repeat with the same key files nothing new.</summary>
public sealed record FileObjection(Caller By, string Reason, string? Key = null) : IApplicationCommand;
public sealed record ResolveObjection(Caller By, string ObjectionId, bool Upheld) : IApplicationCommand;
/// <summary>A consequence of the call's notice period ending (Art. 8(4): 公示无异议).</summary>
public sealed record ConcludeNotice(Caller By) : IApplicationCommand;

public interface IApplicationEvent : IDomainEvent;
public sealed record ApplicationSubmitted(Caller By, DateTimeOffset At, string CallId, string OperatorId, string AuthorityOrg, CallTerms Terms, string MaterialsJson, IReadOnlyList<string> AffiliatedOrgs) : IApplicationEvent, Audit.IConcernsOperator
{
    public string OperatorOf(string entityId) => OperatorId;
}
public sealed record ConflictDeclared(Caller By, DateTimeOffset At, string Reason) : IApplicationEvent, IHasReason;
public sealed record ReviewRecorded(Caller By, DateTimeOffset At, IReadOnlyDictionary<string, decimal> Scores, decimal Weighted) : IApplicationEvent;
public sealed record ApplicationShortlisted(Caller By, DateTimeOffset At, decimal Score, DateTimeOffset NoticeEndsAt) : IApplicationEvent;
public sealed record ApplicationNotSelected(Caller By, DateTimeOffset At, decimal? Score, string Reason) : IApplicationEvent, IHasReason;
public sealed record ObjectionFiled(Caller By, DateTimeOffset At, string ObjectionId, string Reason, string? Key = null) : IApplicationEvent, IHasReason;
public sealed record ObjectionResolved(Caller By, DateTimeOffset At, string ObjectionId, bool Upheld) : IApplicationEvent;
public sealed record ApplicationRejected(Caller By, DateTimeOffset At, string Reason) : IApplicationEvent, IHasReason;
public sealed record NoticeEnded(Caller By, DateTimeOffset At) : IApplicationEvent;
public sealed record ApplicationConfirmed(Caller By, DateTimeOffset At) : IApplicationEvent;

public sealed class Application : IDecider<ApplicationState, IApplicationCommand, IApplicationEvent>
{
    public static string Kind => "application";

    public static ApplicationState Initial(string id) =>
        new(id, ApplicationStatus.None, "", "", "", null, "", [], [], [], [], null, null, false, null);

    public static bool Exists(ApplicationState state) => state.State != ApplicationStatus.None;

    public static IReadOnlyList<Deadline<IApplicationCommand>> Deadlines(ApplicationState state) => [];

    public static Decision<IApplicationEvent> Decide(ApplicationState s, IApplicationCommand command, DateTimeOffset now)
    {
        if (command is SubmitApplication submit)
        {
            // Created only from the call's ApplicationAccepted, which checked the window (Art. 8(2)).
            if (s.State != ApplicationStatus.None) return Decision<IApplicationEvent>.Nothing;
            return Decision<IApplicationEvent>.Accept(new ApplicationSubmitted(submit.By, now, submit.CallId, submit.OperatorId, submit.AuthorityOrg, submit.Terms, submit.MaterialsJson, submit.AffiliatedOrgs));
        }
        if (s.State == ApplicationStatus.None) return Rejection.NotFound($"application {s.Id} does not exist");
        return command switch
        {
            DeclareConflict c => Declare(s, c, now),
            ReviewApplication c => ReviewIt(s, c, now),
            EvaluateApplication c => Evaluate(s, c, now),
            FileObjection c => Object(s, c, now),
            ResolveObjection c => Resolve(s, c, now),
            ConcludeNotice c => Conclude(s, c, now),
            _ => Rejection.Validation($"unknown application command {command.GetType().Name}"),
        };
    }

    /// <summary>The parties of an application: the applicant, the authority running the call and a domain call's provider.</summary>
    public static Parties PartiesOf(ApplicationState s) =>
        new(Operator: s.OperatorId, Authority: s.AuthorityOrg, CallProvider: s.Terms is { Mode: AuthorizationMode.Domain } t ? t.ProviderId : null);

    private static bool InReview(ApplicationState s) => s.State is ApplicationStatus.Submitted or ApplicationStatus.UnderReview;

    private static Decision<IApplicationEvent> Declare(ApplicationState s, DeclareConflict c, DateTimeOffset now)
    {
        if (Policy.Authorize(Act.DeclareConflict, c.By, PartiesOf(s)) is { } forbidden) return forbidden;
        if (Check.Text(c.Reason, "reason", Check.LongText) is { } bad) return bad;
        if (s.DeclaredConflicts.Contains(c.By.Org)) return Decision<IApplicationEvent>.Nothing;
        if (!InReview(s)) return Rejection.InvalidTransition($"application {s.Id}", s.State, "take a conflict declaration");
        return Decision<IApplicationEvent>.Accept(new ConflictDeclared(c.By, now, c.Reason));
    }

    private static Decision<IApplicationEvent> ReviewIt(ApplicationState s, ReviewApplication c, DateTimeOffset now)
    {
        var t = s.Terms!;
        if (Policy.Authorize(Act.ReviewApplication, c.By, PartiesOf(s)) is { } forbidden) return forbidden;
        if (!InReview(s)) return Rejection.InvalidTransition($"application {s.Id}", s.State, "take a review");
        if (now < t.ClosesAt) return Rejection.Rule("Art. 8(3)", $"experts score applications once the window has closed ({t.ClosesAt:O})");
        if (s.IsConflicted(c.By.Org))
            return Rejection.Rule("Art. 8(3)", $"expert {c.By.Org} has a conflict of interest with applicant {s.OperatorId} and may not score this application", conflict: true);
        if (s.Reviews.Any(r => r.Expert == c.By.Org))
            return Rejection.Rule("Art. 8(3)", $"expert {c.By.Org} already submitted a score sheet for application {s.Id}; one sheet per expert", conflict: true);
        var unknown = c.Scores.Keys.Where(k => t.Criteria.All(cr => cr.Name != k)).ToArray();
        if (unknown.Length > 0) return Rejection.Validation($"'scores' names criteria the call does not have: {string.Join(", ", unknown)}.");
        var missing = t.Criteria.Where(cr => !c.Scores.ContainsKey(cr.Name)).Select(cr => cr.Name).ToArray();
        if (missing.Length > 0) return Rejection.Validation($"'scores' must score every criterion; missing: {string.Join(", ", missing)}.");
        if (c.Scores.Values.Any(v => v is < 0 or > 100)) return Rejection.Validation("every score must be between 0 and 100.");
        var weighted = Math.Round(t.Criteria.Sum(cr => cr.Weight * c.Scores[cr.Name]) / t.Criteria.Sum(cr => cr.Weight), 4);
        return Decision<IApplicationEvent>.Accept(new ReviewRecorded(c.By, now, c.Scores, weighted));
    }

    /// <summary>The score is the mean over experts of Σ(weight × score) / Σ(weight); at or above the pass
    /// score → shortlisted, below (or unreviewed) → not selected (Art. 8(3)).</summary>
    public static decimal? ScoreOf(IReadOnlyList<Review> reviews) =>
        reviews.Count == 0 ? null : Math.Round(reviews.Average(r => r.Weighted), 2);

    private static Decision<IApplicationEvent> Evaluate(ApplicationState s, EvaluateApplication c, DateTimeOffset now)
    {
        if (!InReview(s)) return Decision<IApplicationEvent>.Nothing;
        var score = ScoreOf(s.Reviews);
        if (score is null) return Decision<IApplicationEvent>.Accept(new ApplicationNotSelected(c.By, now, null, "no expert reviewed the application"));
        // Art. 8(3): compare the exact mean, not the rounded one shown, so that rounding never lifts a score
        // below the pass score (69.9967 shows as 70.00) onto it. Cross-multiplied, the comparison is exact:
        // mean over n experts of Σ(w × s) / Σw ≥ pass  ⇔  Σ over experts of Σ(w × s) ≥ pass × Σw × n.
        var t = s.Terms!;
        var totalWeight = t.Criteria.Sum(cr => cr.Weight);
        var total = s.Reviews.Sum(r => t.Criteria.Sum(cr => cr.Weight * r.Scores[cr.Name]));
        if (total >= t.PassScore * totalWeight * s.Reviews.Count)
            return Decision<IApplicationEvent>.Accept(new ApplicationShortlisted(c.By, now, score.Value, c.NoticeEndsAt));
        var shown = score < t.PassScore ? score.Value : Math.Round(total / (totalWeight * s.Reviews.Count), 6);
        return Decision<IApplicationEvent>.Accept(new ApplicationNotSelected(c.By, now, score, $"score {shown} is below the pass score {t.PassScore}"));
    }

    private static Decision<IApplicationEvent> Object(ApplicationState s, FileObjection c, DateTimeOffset now)
    {
        if (Policy.Authorize(Act.FileObjection, c.By, PartiesOf(s)) is { } forbidden) return forbidden;
        if (Check.Text(c.Reason, "reason", Check.LongText) is { } bad) return bad;
        if (c.Key is not null && s.Objections.Any(o => o.Key == c.Key && o.FiledBy == c.By)) return Decision<IApplicationEvent>.Nothing;
        if (s.State != ApplicationStatus.Shortlisted) return Rejection.InvalidTransition($"application {s.Id}", s.State, "take objections (only shortlisted applications are under public notice)");
        if (s.NoticeEnded || now >= s.NoticeEndsAt)
            return Rejection.Rule("Art. 8(3)", $"the public notice period ended at {s.NoticeEndsAt:O}");
        if (s.Objections.Count >= 1000) return Rejection.Rule("Art. 8(3)", "this application has taken the most objections the platform records");
        return Decision<IApplicationEvent>.Accept(new ObjectionFiled(c.By, now, $"{s.Id}~o{s.Objections.Count + 1}", c.Reason, c.Key));
    }

    private static Decision<IApplicationEvent> Resolve(ApplicationState s, ResolveObjection c, DateTimeOffset now)
    {
        if (Policy.Authorize(Act.ResolveObjection, c.By, PartiesOf(s)) is { } forbidden) return forbidden;
        var objection = s.Objections.FirstOrDefault(o => o.Id == c.ObjectionId);
        if (objection is null) return Rejection.NotFound($"objection {c.ObjectionId} does not exist");
        var wanted = c.Upheld ? ObjectionStatus.Upheld : ObjectionStatus.Dismissed;
        if (objection.State == wanted) return Decision<IApplicationEvent>.Nothing;
        if (objection.State != ObjectionStatus.Pending) return Rejection.InvalidTransition($"objection {c.ObjectionId}", objection.State, "resolve it differently");
        var resolved = new ObjectionResolved(c.By, now, c.ObjectionId, c.Upheld);
        if (c.Upheld)
        {
            // An upheld objection rejects the application (Art. 8(4): only 公示无异议 leads to an agreement).
            return s.State == ApplicationStatus.Shortlisted
                ? Decision<IApplicationEvent>.Accept(resolved, new ApplicationRejected(c.By, now, $"objection {c.ObjectionId} upheld: {objection.Reason}"))
                : Decision<IApplicationEvent>.Accept(resolved);
        }
        // The last pending objection dismissed after the notice ended: the notice is now without objection.
        var stillPending = s.Objections.Any(o => o.Id != c.ObjectionId && o.State == ObjectionStatus.Pending);
        return s.State == ApplicationStatus.Shortlisted && s.NoticeEnded && !stillPending
            ? Decision<IApplicationEvent>.Accept(resolved, new ApplicationConfirmed(Caller.Platform, now))
            : Decision<IApplicationEvent>.Accept(resolved);
    }

    private static Decision<IApplicationEvent> Conclude(ApplicationState s, ConcludeNotice c, DateTimeOffset now)
    {
        if (s.State != ApplicationStatus.Shortlisted || s.NoticeEnded) return Decision<IApplicationEvent>.Nothing;
        // An objection still pending keeps the application waiting for its resolution.
        return s.Objections.Any(o => o.State == ObjectionStatus.Pending)
            ? Decision<IApplicationEvent>.Accept(new NoticeEnded(c.By, now))
            : Decision<IApplicationEvent>.Accept(new NoticeEnded(c.By, now), new ApplicationConfirmed(c.By, now));
    }

    public static ApplicationState Evolve(ApplicationState s, IApplicationEvent e) => e switch
    {
        ApplicationSubmitted x => s with
        {
            State = ApplicationStatus.Submitted, CallId = x.CallId, OperatorId = x.OperatorId, AuthorityOrg = x.AuthorityOrg,
            Terms = x.Terms, MaterialsJson = x.MaterialsJson, AffiliatedOrgs = x.AffiliatedOrgs,
        },
        ConflictDeclared x => s with { DeclaredConflicts = [.. s.DeclaredConflicts, x.By.Org] },
        ReviewRecorded x => WithReview(s, new Review(x.By.Org, x.Scores, x.Weighted, x.At)),
        ApplicationShortlisted x => s with { State = ApplicationStatus.Shortlisted, Score = x.Score, NoticeEndsAt = x.NoticeEndsAt },
        ApplicationNotSelected x => s with { State = ApplicationStatus.NotSelected, Score = x.Score },
        ObjectionFiled x => s with { Objections = [.. s.Objections, new Objection(x.ObjectionId, x.Reason, x.By, x.At, ObjectionStatus.Pending, x.Key)] },
        ObjectionResolved x => s with
        {
            Objections = s.Objections.Select(o => o.Id == x.ObjectionId ? o with { State = x.Upheld ? ObjectionStatus.Upheld : ObjectionStatus.Dismissed } : o).ToArray(),
        },
        ApplicationRejected x => s with { State = ApplicationStatus.Rejected, RejectionReason = x.Reason },
        NoticeEnded => s with { NoticeEnded = true },
        ApplicationConfirmed => s with { State = ApplicationStatus.Confirmed, NoticeEnded = true },
        _ => s,
    };

    private static ApplicationState WithReview(ApplicationState s, Review review)
    {
        var reviews = s.Reviews.Append(review).ToArray();
        return s with { State = ApplicationStatus.UnderReview, Reviews = reviews, Score = ScoreOf(reviews) };
    }
}
