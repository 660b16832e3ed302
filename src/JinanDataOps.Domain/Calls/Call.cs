using JinanDataOps.Domain.Common;

namespace JinanDataOps.Domain.Calls;

/// <summary>Art. 7: comprehensive and graded authorization by the authority; domain authorization by the provider.</summary>
public enum AuthorizationMode { Comprehensive, Domain, Graded }

public enum CallStatus { None, Draft, Open, Closed, UnderReview, Noticed, Concluded, Cancelled }

public sealed record Criterion(string Name, decimal Weight);

/// <summary>What a call for applications announces (Art. 8(1)): mode, scope, conditions, criteria, window.</summary>
public sealed record CallTerms(
    AuthorizationMode Mode, string Title, string? ProviderId, Scope Scope, IReadOnlyList<string> Conditions,
    IReadOnlyList<Criterion> Criteria, decimal PassScore, DateTimeOffset OpensAt, DateTimeOffset ClosesAt, TimeSpan NoticePeriod)
{
    /// <summary>Art. 7: who authorizes (and signs) under this call.</summary>
    public Caller AuthorizingUnit(string authorityOrg) =>
        Mode == AuthorizationMode.Domain ? new Caller(Role.Provider, ProviderId!) : new Caller(Role.Authority, authorityOrg);
}

public sealed record CallEntry(string ApplicationId, string OperatorId);

public sealed record CallState(
    string Id, CallStatus State, string AuthorityOrg, CallTerms? Terms, IReadOnlyList<CallEntry> Applications,
    DateTimeOffset? NoticeEndsAt, string? CancelReason);

public interface ICallCommand : ICommand;
public sealed record CreateCall(Caller By, CallTerms Terms) : ICallCommand;
public sealed record PublishCall(Caller By) : ICallCommand;
public sealed record CancelCall(Caller By, string Reason) : ICallCommand;
/// <summary>An operator applies (Art. 8(2)); <paramref name="IsPlatformMaintainer"/> is the Art. 11 fact from configuration;
/// <paramref name="OperatorRegistered"/> and <paramref name="OperatorTerminated"/> come from the operator entity.</summary>
public sealed record AcceptApplication(
    Caller By, string ApplicationId, string MaterialsJson, IReadOnlyList<string> AffiliatedOrgs,
    bool IsPlatformMaintainer, bool OperatorRegistered, bool OperatorTerminated) : ICallCommand;
public sealed record CloseCall(Caller By) : ICallCommand;
public sealed record StartReview(Caller By) : ICallCommand;
/// <summary>Art. 8(3): the shortlist (初步确定运营单位名单) is published and the public notice starts.</summary>
public sealed record PublishShortlist(Caller By) : ICallCommand;
public sealed record ConcludeCall(Caller By) : ICallCommand;

public interface ICallEvent : IDomainEvent;
public sealed record CallCreated(Caller By, DateTimeOffset At, CallTerms Terms) : ICallEvent;
public sealed record CallPublished(Caller By, DateTimeOffset At) : ICallEvent;
public sealed record CallCancelled(Caller By, DateTimeOffset At, string Reason) : ICallEvent, IHasReason;
/// <summary>Carries the materials so the application entity can be created from this event alone.</summary>
public sealed record ApplicationAccepted(Caller By, DateTimeOffset At, string ApplicationId, string OperatorId, string MaterialsJson, IReadOnlyList<string> AffiliatedOrgs) : ICallEvent;
public sealed record CallClosed(Caller By, DateTimeOffset At) : ICallEvent;
public sealed record CallReviewStarted(Caller By, DateTimeOffset At) : ICallEvent;
public sealed record ShortlistPublished(Caller By, DateTimeOffset At, DateTimeOffset NoticeEndsAt) : ICallEvent;
public sealed record CallConcluded(Caller By, DateTimeOffset At) : ICallEvent;

public sealed class Call : IDecider<CallState, ICallCommand, ICallEvent>
{
    public static string Kind => "call";

    public static CallState Initial(string id) => new(id, CallStatus.None, "", null, [], null, null);

    public static bool Exists(CallState state) => state.State != CallStatus.None;

    /// <summary>The window closes by itself at closesAt; the call concludes by itself when the notice ends.</summary>
    public static IReadOnlyList<Deadline<ICallCommand>> Deadlines(CallState s) => s switch
    {
        { State: CallStatus.Open, Terms: { } t } => [new("window-closes", t.ClosesAt, new CloseCall(Caller.Platform))],
        { State: CallStatus.Noticed, NoticeEndsAt: { } end } => [new("notice-ends", end, new ConcludeCall(Caller.Platform))],
        _ => [],
    };

    public static Decision<ICallEvent> Decide(CallState s, ICallCommand command, DateTimeOffset now)
    {
        if (command is CreateCall create) return Create(s, create, now);
        if (s.State == CallStatus.None) return Rejection.NotFound($"call {s.Id} does not exist");
        var t = s.Terms!;
        return command switch
        {
            PublishCall c => Publish(s, t, c, now),
            CancelCall c => Cancel(s, c, now),
            AcceptApplication c => Accept(s, t, c, now),
            CloseCall c => s.State == CallStatus.Open && now >= t.ClosesAt
                ? Decision<ICallEvent>.Accept(new CallClosed(c.By, now))
                : Decision<ICallEvent>.Nothing,
            StartReview c => s.State == CallStatus.Closed
                ? Decision<ICallEvent>.Accept(new CallReviewStarted(c.By, now))
                : Decision<ICallEvent>.Nothing,
            PublishShortlist c => Shortlist(s, t, c, now),
            ConcludeCall c => s.State == CallStatus.Noticed && now >= s.NoticeEndsAt
                ? Decision<ICallEvent>.Accept(new CallConcluded(c.By, now))
                : Decision<ICallEvent>.Nothing,
            _ => Rejection.Validation($"unknown call command {command.GetType().Name}"),
        };
    }

    public static Rejection? ValidateTerms(CallTerms t)
    {
        var invalid = Check.First(
            Check.Text(t.Title, "title"),
            t.Scope.Validate("scope"),
            Check.List(t.Conditions, "conditions", required: false, maxItemLength: Check.LongText),
            t.Criteria.Count == 0 ? Rejection.Validation("'criteria' needs at least one review criterion (Art. 8(1)).") : null,
            Check.List(t.Criteria.Select(c => c.Name).ToArray(), "criteria[].name"),
            t.Criteria.Any(c => c.Weight <= 0 || c.Weight > 1000) ? Rejection.Validation("every criterion weight must be above 0 and at most 1000.") : null,
            t.PassScore is < 0 or > 100 ? Rejection.Validation("'passScore' must be between 0 and 100.") : null,
            t.OpensAt >= t.ClosesAt ? Rejection.Validation("'opensAt' must be before 'closesAt'.") : null,
            t.NoticePeriod <= TimeSpan.Zero ? Rejection.Validation("'noticePeriod' must be a positive duration.") : null,
            t.NoticePeriod > TimeSpan.FromDays(366) ? Rejection.Validation("'noticePeriod' may not exceed a year.") : null);
        if (invalid is not null) return invalid;
        // Art. 7 and 8(3): a domain call names the provider that authorizes and co-organises the review;
        // comprehensive and graded calls are the authority's alone.
        if (t.Mode == AuthorizationMode.Domain && string.IsNullOrWhiteSpace(t.ProviderId))
            return Rejection.Rule("Art. 7", "a domain call must name its data provider ('providerId')");
        if (t.Mode != AuthorizationMode.Domain && !string.IsNullOrEmpty(t.ProviderId))
            return Rejection.Rule("Art. 7", $"a {Kebab.Of(t.Mode)} call is run by the authority alone and names no provider");
        return null;
    }

    /// <summary>The parties of a call: the authority that drafted it and, for a domain call, its provider.</summary>
    public static Parties PartiesOf(CallState s) =>
        new(Authority: s.AuthorityOrg, CallProvider: s.Terms is { Mode: AuthorizationMode.Domain } t ? t.ProviderId : null);

    private static Decision<ICallEvent> Create(CallState s, CreateCall c, DateTimeOffset now)
    {
        if (Policy.Authorize(Act.CreateCall, c.By, Parties.None) is { } forbidden) return forbidden;
        if (ValidateTerms(c.Terms) is { } invalid) return invalid;
        if (s.State != CallStatus.None)
            return s.Terms == c.Terms || SameTerms(s.Terms!, c.Terms) ? Decision<ICallEvent>.Nothing : Rejection.InvalidTransition($"call {s.Id}", s.State, "create it again");
        return Decision<ICallEvent>.Accept(new CallCreated(c.By, now, c.Terms));
    }

    private static bool SameTerms(CallTerms a, CallTerms b) =>
        a with { Scope = Scope.Empty, Conditions = [], Criteria = [] } == b with { Scope = Scope.Empty, Conditions = [], Criteria = [] }
        && a.Scope.SameAs(b.Scope) && a.Conditions.SequenceEqual(b.Conditions) && a.Criteria.SequenceEqual(b.Criteria);

    private static Decision<ICallEvent> Publish(CallState s, CallTerms t, PublishCall c, DateTimeOffset now)
    {
        if (Policy.Authorize(Act.PublishCall, c.By, PartiesOf(s)) is { } forbidden) return forbidden;
        if (s.State == CallStatus.Open) return Decision<ICallEvent>.Nothing;
        if (s.State != CallStatus.Draft) return Rejection.InvalidTransition($"call {s.Id}", s.State, "publish it");
        if (now >= t.ClosesAt) return Rejection.Rule("Art. 8(2)", $"the application window closed at {t.ClosesAt:O}; a call cannot be published after its window");
        return Decision<ICallEvent>.Accept(new CallPublished(c.By, now));
    }

    private static Decision<ICallEvent> Cancel(CallState s, CancelCall c, DateTimeOffset now)
    {
        if (Policy.Authorize(Act.CancelCall, c.By, PartiesOf(s)) is { } forbidden) return forbidden;
        if (Check.Text(c.Reason, "reason", Check.LongText) is { } bad) return bad;
        if (s.State == CallStatus.Cancelled) return Decision<ICallEvent>.Nothing;
        if (s.State is not (CallStatus.Draft or CallStatus.Open)) return Rejection.InvalidTransition($"call {s.Id}", s.State, "cancel it");
        return Decision<ICallEvent>.Accept(new CallCancelled(c.By, now, c.Reason));
    }

    private static Decision<ICallEvent> Accept(CallState s, CallTerms t, AcceptApplication c, DateTimeOffset now)
    {
        if (Policy.Authorize(Act.Apply, c.By, Parties.None) is { } forbidden) return forbidden;
        if (s.Applications.Any(a => a.ApplicationId == c.ApplicationId)) return Decision<ICallEvent>.Nothing;
        // Art. 11: the third party maintaining the platform may not be an operator while it maintains it.
        if (c.IsPlatformMaintainer) return Rejection.Rule("Art. 11", $"{c.By.Org} maintains the operations platform and may not apply to operate public data while it does");
        if (!c.OperatorRegistered) return Rejection.Rule("Art. 8(2)", $"operator {c.By.Org} must register (name, credit code, legal representative) before applying");
        if (c.OperatorTerminated) return Rejection.Rule("Art. 18", $"operator {c.By.Org} had an authorization terminated and may not apply");
        if (Check.Text(c.MaterialsJson, "materials", 64 * 1024) is { } bad) return bad;
        if (s.State is CallStatus.Draft or CallStatus.Cancelled)
            return Rejection.InvalidTransition($"call {s.Id}", s.State, "accept applications");
        // Art. 8(2): materials are submitted within the time the call sets.
        if (now < t.OpensAt) return Rejection.Rule("Art. 8(2)", $"too early: the application window opens at {t.OpensAt:O}");
        if (s.State != CallStatus.Open || now >= t.ClosesAt) return Rejection.Rule("Art. 8(2)", $"too late: the application window closed at {t.ClosesAt:O}");
        if (s.Applications.FirstOrDefault(a => a.OperatorId == c.By.Org) is { } earlier)
            return Rejection.Rule("Art. 8(2)", $"operator {c.By.Org} already applied to call {s.Id} (application {earlier.ApplicationId})", conflict: true);
        return Decision<ICallEvent>.Accept(new ApplicationAccepted(c.By, now, c.ApplicationId, c.By.Org, c.MaterialsJson, c.AffiliatedOrgs));
    }

    private static Decision<ICallEvent> Shortlist(CallState s, CallTerms t, PublishShortlist c, DateTimeOffset now)
    {
        // Art. 8(3): the authority organises the review; for a domain call the provider co-organises it.
        if (Policy.Authorize(Act.PublishShortlist, c.By, PartiesOf(s)) is { } forbidden) return forbidden;
        if (s.State is CallStatus.Noticed or CallStatus.Concluded) return Decision<ICallEvent>.Nothing;
        if (s.State == CallStatus.Open && now < t.ClosesAt)
            return Rejection.Rule("Art. 8(3)", $"the review follows the application window, which closes at {t.ClosesAt:O}");
        if (s.State is not (CallStatus.Open or CallStatus.Closed or CallStatus.UnderReview))
            return Rejection.InvalidTransition($"call {s.Id}", s.State, "publish a shortlist");
        var events = new List<ICallEvent>();
        // The window may have passed while the close timer was still in flight: close first, in order.
        if (s.State == CallStatus.Open) events.Add(new CallClosed(Caller.Platform, now));
        events.Add(new ShortlistPublished(c.By, now, now + t.NoticePeriod));
        return Decision<ICallEvent>.Accept(events);
    }

    public static CallState Evolve(CallState s, ICallEvent e) => e switch
    {
        CallCreated x => s with { State = CallStatus.Draft, AuthorityOrg = x.By.Org, Terms = x.Terms },
        CallPublished => s with { State = CallStatus.Open },
        CallCancelled x => s with { State = CallStatus.Cancelled, CancelReason = x.Reason },
        ApplicationAccepted x => s with { Applications = [.. s.Applications, new CallEntry(x.ApplicationId, x.OperatorId)] },
        CallClosed => s with { State = CallStatus.Closed },
        CallReviewStarted => s with { State = CallStatus.UnderReview },
        ShortlistPublished x => s with { State = CallStatus.Noticed, NoticeEndsAt = x.NoticeEndsAt },
        CallConcluded => s with { State = CallStatus.Concluded },
        _ => s,
    };
}
