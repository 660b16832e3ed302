namespace JinanDataOps.Domain.Common;

public enum RejectionKind
{
    /// <summary>The command is malformed (400).</summary>
    Validation,
    /// <summary>The caller may not issue this command on this resource (403).</summary>
    Forbidden,
    /// <summary>A resource the command names does not exist (404).</summary>
    NotFound,
    /// <summary>The state machine refuses the command in its current state (409).</summary>
    InvalidTransition,
    /// <summary>A rule of the Measures refuses it (422, or 409 when it conflicts with existing state).</summary>
    RuleViolation,
}

/// <summary>A typed business refusal. Deciders return these; they never throw for business reasons.</summary>
public sealed record Rejection(RejectionKind Kind, string Detail, string? Article = null, bool IsConflict = false)
{
    public static Rejection Validation(string detail) => new(RejectionKind.Validation, detail);

    public static Rejection Forbidden(string detail, string? article = null) =>
        new(RejectionKind.Forbidden, article is null ? detail : $"{detail} ({article})", article);

    public static Rejection NotFound(string detail) => new(RejectionKind.NotFound, detail);

    public static Rejection InvalidTransition(string what, object state, string command) =>
        new(RejectionKind.InvalidTransition, $"{what} is {Kebab.Of(state)}: cannot {command}.", IsConflict: true);

    /// <summary>A rule of the Measures refuses the command; the detail always cites the article.</summary>
    public static Rejection Rule(string article, string detail, bool conflict = false) =>
        new(RejectionKind.RuleViolation, $"{detail} ({article})", article, conflict);
}
