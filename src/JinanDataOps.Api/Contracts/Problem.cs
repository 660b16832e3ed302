using JinanDataOps.Monitoring.Rules;

namespace JinanDataOps.Api.Contracts;

/// <summary>The machine codes of API.md "Errors".</summary>
public enum ProblemCode
{
    ValidationFailed, Unauthenticated, Forbidden, NotFound, MethodNotAllowed, InvalidTransition, RuleViolation,
    IdempotencyKeyReused, Overloaded, NotReady, InternalError,
}

/// <summary>One line of a sandbox batch that stopped it (400 on <c>POST /api/sandbox/events</c>).</summary>
public sealed record LineErrorView(int Line, string Problem);

/// <summary>Every refusal: RFC 9457 problem+json with the machine <see cref="Code"/> and, when a rule of the
/// Measures refuses, the <see cref="Article"/> it cites. What <c>Problems</c> writes, as the contract shows it.</summary>
public sealed record ApiProblem(
    string? Type, string Title, int Status, string Detail, ProblemCode Code, string? Article = null, string? TraceId = null,
    IReadOnlyList<LineErrorView>? Errors = null);

/// <summary>An event as the sandbox reports it (API.md "Sandbox monitoring"); a batch is a JSON array of these
/// or NDJSON, one per line.</summary>
public sealed record SandboxEventBody(
    string OperatorId, string DataRequestId, SandboxEventKind Kind, string Dataset, IReadOnlyList<string> Fields, long Rows, long Bytes,
    DateTimeOffset At, bool? Denied = null);

/// <summary>What the sandbox saw the operator do.</summary>
public enum SandboxEventKind { Query, Export, Download, ModelOutput }

/// <summary>An alert as <c>GET /api/alerts</c> lists it and the stream sends it.</summary>
public sealed record AlertView(
    string Id, string Rule, Severity Severity, string Article, string OperatorId, string? DataRequestId, string? AgreementId,
    string Summary, DateTimeOffset WindowStart, int Count, IReadOnlyList<string> Evidence,
    IReadOnlyDictionary<string, string> Observed, DateTimeOffset FirstAt, DateTimeOffset LastAt, bool Escalated)
{
    public static AlertView Of(Alert a) => new(a.Id, a.Rule, a.Severity, a.Article, a.OperatorId, a.DataRequestId, a.AgreementId,
        a.Summary, a.WindowStart, a.Count, a.Evidence, a.Observed, a.FirstAt, a.LastAt, a.Escalated);
}
