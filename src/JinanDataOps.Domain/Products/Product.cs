using JinanDataOps.Domain.Agreements;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.DataRequests;

namespace JinanDataOps.Domain.Products;

/// <summary>Art. 3: the forms of a public data product — 数据组件、数据模型、数据核验、数据服务、数据工具、数据报告.</summary>
public enum ProductKind { Component, Model, Verification, Service, Tool, Report }

public enum ProductStatus { None, Draft, Submitted, Approved, Returned, Listed, Delisted }

/// <summary>What the platform knew of the agreement a product stands under when it was asked (null: no such agreement).</summary>
public sealed record ProductAgreement(string Id, AgreementStatus State, string OperatorId, Caller? AuthorizingUnit, string? AuthorityOrg);

/// <summary>What the platform knew of a data request a product is built from.</summary>
public sealed record ProductSource(string RequestId, string OperatorId, string AgreementId, DataRequestStatus State, IReadOnlyList<string> Datasets);

/// <summary>A source dataset of a product, with the names of its fields marked sensitive (Art. 4, 6).</summary>
public sealed record SourceDataset(string Id, IReadOnlyList<string> SensitiveFields);

/// <summary>The security-compliance review of a product (Art. 15): the verdict, the notes, who and when.</summary>
public sealed record ProductReview(bool Approved, string? Notes, Caller By, DateTimeOffset At);

public sealed record ProductState(
    string Id, ProductStatus State, string OperatorId, string AgreementId, IReadOnlyList<string> DataRequestIds,
    IReadOnlyList<string> SourceDatasets, ProductKind Kind, string Name, string Description, IReadOnlyList<string> OutputFields,
    bool Aggregated, Caller? AuthorizingUnit, string? AuthorityOrg, ProductReview? Review, string? Exchange, string? DelistedBecause,
    DateTimeOffset? CreatedAt)
{
    /// <summary>The parties of a product: its operator, the agreement's authorizing unit and authority; everyone once listed.</summary>
    public Parties Parties => new(Operator: OperatorId, AuthorizingUnit: AuthorizingUnit, Authority: AuthorityOrg, IsPublic: State == ProductStatus.Listed);
}

/// <summary>The rules a product's declared output must keep (Art. 13: processing stays in the sandbox and raw public data
/// never leaves it).</summary>
public static class ProductRules
{
    /// <summary>Kinds whose answer is about records (a verification says yes or no of one; a report describes many):
    /// they must declare aggregated output, never a per-record one.</summary>
    public static bool NeedsAggregation(ProductKind kind) => kind is ProductKind.Report or ProductKind.Verification;

    /// <summary>An output field is sensitive when it names (alone or as "dataset.field", in any case) a field marked
    /// sensitive in a source dataset.</summary>
    public static IReadOnlyList<string> SensitiveOutput(IReadOnlyList<string> outputFields, IReadOnlyList<SourceDataset> sources) =>
        outputFields.Where(o => sources.Any(d => d.SensitiveFields.Any(f =>
            string.Equals(o, f, StringComparison.OrdinalIgnoreCase) || string.Equals(o, $"{d.Id}.{f}", StringComparison.OrdinalIgnoreCase)))).ToArray();

    /// <summary>Art. 13: checked when the product is registered and again when it is submitted for review.</summary>
    public static Rejection? CheckOutput(ProductKind kind, IReadOnlyList<string> outputFields, bool aggregated, IReadOnlyList<SourceDataset> sources)
    {
        if (SensitiveOutput(outputFields, sources) is { Count: > 0 } sensitive)
            return Rejection.Rule("Art. 13", $"raw public data never leaves the sandbox: output field(s) {string.Join(", ", sensitive)} are marked sensitive in a source dataset");
        if (NeedsAggregation(kind) && !aggregated)
            return Rejection.Rule("Art. 13", $"a data {Kebab.Of(kind)} gives no per-record output: it must declare aggregated output");
        return null;
    }
}

public interface IProductCommand : ICommand;
/// <summary>Registered by the operator from its own provisioned requests under its active agreement. <paramref name="Agreement"/>
/// is null when no such agreement exists; requests that do not exist are absent from <paramref name="Sources"/>;
/// <paramref name="Datasets"/> are the datasets those requests name.</summary>
public sealed record CreateProduct(
    Caller By, string AgreementId, IReadOnlyList<string> DataRequestIds, ProductKind Kind, string Name, string Description,
    IReadOnlyList<string> OutputFields, bool Aggregated, ProductAgreement? Agreement, IReadOnlyList<ProductSource> Sources,
    IReadOnlyList<SourceDataset> Datasets) : IProductCommand;
/// <summary>Submitted for review; <paramref name="Datasets"/> are its source datasets as they stand now.</summary>
public sealed record SubmitProduct(Caller By, IReadOnlyList<SourceDataset> Datasets) : IProductCommand;
public sealed record ReviewProduct(Caller By, bool Approved, string? Notes) : IProductCommand;
/// <summary>Listed on a data exchange, knowing whether the agreement is active and which source requests are no
/// longer provisioned (<paramref name="StoppedRequests"/>).</summary>
public sealed record ListProduct(Caller By, string Exchange, bool AgreementActive, IReadOnlyList<string> StoppedRequests) : IProductCommand;
/// <summary>Delisted by the operator or the authorizing unit, or by the platform when the agreement or a source request stops.</summary>
public sealed record DelistProduct(Caller By, string Reason) : IProductCommand;

public interface IProductEvent : IDomainEvent;
public sealed record ProductCreated(
    Caller By, DateTimeOffset At, string OperatorId, string AgreementId, IReadOnlyList<string> DataRequestIds, IReadOnlyList<string> SourceDatasets,
    ProductKind Kind, string Name, string Description, IReadOnlyList<string> OutputFields, bool Aggregated,
    Caller? AuthorizingUnit, string? AuthorityOrg) : IProductEvent, Audit.IConcernsOperator
{
    public string OperatorOf(string entityId) => OperatorId;
}
public sealed record ProductSubmitted(Caller By, DateTimeOffset At) : IProductEvent;
public sealed record ProductApproved(Caller By, DateTimeOffset At, string? Notes) : IProductEvent;
public sealed record ProductReturned(Caller By, DateTimeOffset At, string Notes) : IProductEvent, IHasReason
{
    string IHasReason.Reason => Notes;
}
public sealed record ProductListed(Caller By, DateTimeOffset At, string Exchange) : IProductEvent;
public sealed record ProductDelisted(Caller By, DateTimeOffset At, string Reason) : IProductEvent, IHasReason;

/// <summary><c>Draft → Submitted → Approved | Returned → Listed → Delisted</c> (DOMAIN.md, Art. 3, 13, 15): registered
/// from the operator's provisioned requests, it passes the authority's security-compliance review before it is listed
/// on a lawful data exchange. A returned product may be submitted again; a delisted one needs a new review (submit,
/// review) before it is listed again.</summary>
public sealed class Product : IDecider<ProductState, IProductCommand, IProductEvent>
{
    public static string Kind => "product";

    public static ProductState Initial(string id) =>
        new(id, ProductStatus.None, "", "", [], [], ProductKind.Component, "", "", [], false, null, null, null, null, null, null);

    public static bool Exists(ProductState state) => state.State != ProductStatus.None;

    public static IReadOnlyList<Deadline<IProductCommand>> Deadlines(ProductState state) => [];

    public static Decision<IProductEvent> Decide(ProductState s, IProductCommand command, DateTimeOffset now)
    {
        if (command is CreateProduct create) return Create(s, create, now);
        if (s.State == ProductStatus.None) return Rejection.NotFound($"product {s.Id} does not exist");
        return command switch
        {
            SubmitProduct c => Submit(s, c, now),
            ReviewProduct c => Review(s, c, now),
            ListProduct c => List(s, c, now),
            DelistProduct c => Delist(s, c, now),
            _ => Rejection.Validation($"unknown product command {command.GetType().Name}"),
        };
    }

    private static Decision<IProductEvent> Create(ProductState s, CreateProduct c, DateTimeOffset now)
    {
        // The role first; that the agreement and the requests are the caller's own is checked against them below.
        if (Policy.Authorize(Act.CreateProduct, c.By, new Parties(Operator: c.By.Org)) is { } forbidden) return forbidden;
        // The id comes from the caller's Idempotency-Key: a repeat finds the product and changes nothing.
        if (s.State != ProductStatus.None) return Decision<IProductEvent>.Nothing;
        var invalid = Check.First(
            Check.Text(c.AgreementId, "agreementId", 64),
            Check.List(c.DataRequestIds, "dataRequestIds", max: 50, maxItemLength: 64),
            Check.Text(c.Name, "name"),
            Check.Text(c.Description, "description", Check.LongText),
            Check.List(c.OutputFields, "outputFields", maxItemLength: 128));
        if (invalid is not null) return invalid;
        if (c.Agreement is not { } agreement) return Rejection.NotFound($"agreement {c.AgreementId} does not exist");
        if (agreement.OperatorId != c.By.Org)
            return Rejection.Forbidden($"agreement {agreement.Id} is not operator {c.By.Org}'s agreement", "Art. 3");
        var missing = c.DataRequestIds.Where(id => c.Sources.All(r => r.RequestId != id)).ToArray();
        if (missing.Length > 0) return Rejection.NotFound($"data request(s) {string.Join(", ", missing)} do not exist");
        var others = c.Sources.Where(r => r.OperatorId != c.By.Org).Select(r => r.RequestId).ToArray();
        if (others.Length > 0)
            return Rejection.Forbidden($"data request(s) {string.Join(", ", others)} are not operator {c.By.Org}'s requests", "Art. 13");
        // Art. 18: data-use rights stop with the agreement's suspension and end with it.
        if (agreement.State != AgreementStatus.Active)
            return Rejection.Rule("Art. 18", $"a product is built only under an active agreement; agreement {agreement.Id} is {Kebab.Of(agreement.State)}");
        var outside = c.Sources.Where(r => r.AgreementId != agreement.Id).Select(r => r.RequestId).ToArray();
        if (outside.Length > 0)
            return Rejection.Rule("Art. 13", $"data request(s) {string.Join(", ", outside)} are not under agreement {agreement.Id}: one request per scenario, under its agreement");
        // Art. 13: products are made inside the sandbox, from requests that have access to it.
        var notProvisioned = c.Sources.Where(r => r.State != DataRequestStatus.Provisioned).Select(r => $"{r.RequestId} ({Kebab.Of(r.State)})").ToArray();
        if (notProvisioned.Length > 0)
            return Rejection.Rule("Art. 13", $"a product is built in the sandbox from provisioned requests only; data request(s) {string.Join(", ", notProvisioned)} are not provisioned");
        if (ProductRules.CheckOutput(c.Kind, c.OutputFields, c.Aggregated, c.Datasets) is { } raw) return raw;
        var datasets = c.Sources.SelectMany(r => r.Datasets).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        return Decision<IProductEvent>.Accept(new ProductCreated(
            c.By, now, c.By.Org, agreement.Id, c.DataRequestIds, datasets, c.Kind, c.Name, c.Description, c.OutputFields, c.Aggregated,
            agreement.AuthorizingUnit, agreement.AuthorityOrg));
    }

    private static Decision<IProductEvent> Submit(ProductState s, SubmitProduct c, DateTimeOffset now)
    {
        if (Policy.Authorize(Act.SubmitProduct, c.By, s.Parties) is { } forbidden) return forbidden;
        if (s.State == ProductStatus.Submitted) return Decision<IProductEvent>.Nothing;
        // A returned product is submitted again; a delisted one needs a new review before it is listed again.
        if (s.State is not (ProductStatus.Draft or ProductStatus.Returned or ProductStatus.Delisted))
            return Rejection.InvalidTransition($"product {s.Id}", s.State, "submit it for review");
        if (ProductRules.CheckOutput(s.Kind, s.OutputFields, s.Aggregated, c.Datasets) is { } raw) return raw;
        return Decision<IProductEvent>.Accept(new ProductSubmitted(c.By, now));
    }

    private static Decision<IProductEvent> Review(ProductState s, ReviewProduct c, DateTimeOffset now)
    {
        // Art. 15: the security-compliance review is the agreement's authority's.
        if (Policy.Authorize(Act.ReviewProduct, c.By, s.Parties) is { } forbidden) return forbidden;
        if (c.Notes is { Length: > Check.LongText }) return Rejection.Validation($"'notes' is longer than {Check.LongText} characters.");
        if (!c.Approved && string.IsNullOrWhiteSpace(c.Notes))
            return Rejection.Validation("'notes' is required when a product is returned: say what must change.");
        if (s.State != ProductStatus.Submitted)
        {
            var same = s.Review is { } last && last.Approved == c.Approved && last.By == c.By
                && s.State == (c.Approved ? ProductStatus.Approved : ProductStatus.Returned);
            return same ? Decision<IProductEvent>.Nothing : Rejection.InvalidTransition($"product {s.Id}", s.State, "review it");
        }
        var notes = string.IsNullOrWhiteSpace(c.Notes) ? null : c.Notes;
        return c.Approved
            ? Decision<IProductEvent>.Accept(new ProductApproved(c.By, now, notes))
            : Decision<IProductEvent>.Accept(new ProductReturned(c.By, now, notes!));
    }

    private static Decision<IProductEvent> List(ProductState s, ListProduct c, DateTimeOffset now)
    {
        if (Policy.Authorize(Act.ListProduct, c.By, s.Parties) is { } forbidden) return forbidden;
        if (Check.Text(c.Exchange, "exchange") is { } bad) return bad;
        if (s.State == ProductStatus.Listed)
            return s.Exchange == c.Exchange ? Decision<IProductEvent>.Nothing : Rejection.InvalidTransition($"product {s.Id}", s.State, $"list it on {c.Exchange}");
        // Only an approved product is listed: a delisted one goes through a new review first.
        if (s.State != ProductStatus.Approved) return Rejection.InvalidTransition($"product {s.Id}", s.State, "list it (only an approved product is listed)");
        if (!c.AgreementActive)
            return Rejection.Rule("Art. 18", $"agreement {s.AgreementId} is no longer active: its products are not offered", conflict: true);
        if (c.StoppedRequests.Count > 0)
            return Rejection.Rule("Art. 13", $"source data request(s) {string.Join(", ", c.StoppedRequests)} are no longer provisioned", conflict: true);
        return Decision<IProductEvent>.Accept(new ProductListed(c.By, now, c.Exchange));
    }

    private static Decision<IProductEvent> Delist(ProductState s, DelistProduct c, DateTimeOffset now)
    {
        if (c.By.Role == Role.Platform)
        {
            // The platform stops a product when its agreement or a source request stops (Art. 18). A listed one is
            // delisted; an approved one is delisted too, so that it is not listed on the strength of a review given
            // before the stop: it needs a new review. Drafts and products under or awaiting review change nothing —
            // they pass a review (and the listing's own checks) before they are offered.
            return s.State is ProductStatus.Listed or ProductStatus.Approved
                ? Decision<IProductEvent>.Accept(new ProductDelisted(c.By, now, c.Reason))
                : Decision<IProductEvent>.Nothing;
        }
        if (Policy.Authorize(Act.DelistProduct, c.By, s.Parties) is { } forbidden) return forbidden;
        if (Check.Text(c.Reason, "reason", Check.LongText) is { } bad) return bad;
        if (s.State == ProductStatus.Delisted) return Decision<IProductEvent>.Nothing;
        if (s.State != ProductStatus.Listed) return Rejection.InvalidTransition($"product {s.Id}", s.State, "delist it");
        return Decision<IProductEvent>.Accept(new ProductDelisted(c.By, now, c.Reason));
    }

    public static ProductState Evolve(ProductState s, IProductEvent e) => e switch
    {
        ProductCreated x => s with
        {
            State = ProductStatus.Draft, OperatorId = x.OperatorId, AgreementId = x.AgreementId, DataRequestIds = x.DataRequestIds,
            SourceDatasets = x.SourceDatasets, Kind = x.Kind, Name = x.Name, Description = x.Description, OutputFields = x.OutputFields,
            Aggregated = x.Aggregated, AuthorizingUnit = x.AuthorizingUnit, AuthorityOrg = x.AuthorityOrg, CreatedAt = x.At,
        },
        // A new submission is a new review: the last verdict, exchange and delisting reason belong to the work log.
        ProductSubmitted => s with { State = ProductStatus.Submitted, Review = null, Exchange = null, DelistedBecause = null },
        ProductApproved x => s with { State = ProductStatus.Approved, Review = new ProductReview(true, x.Notes, x.By, x.At) },
        ProductReturned x => s with { State = ProductStatus.Returned, Review = new ProductReview(false, x.Notes, x.By, x.At) },
        ProductListed x => s with { State = ProductStatus.Listed, Exchange = x.Exchange },
        ProductDelisted x => s with { State = ProductStatus.Delisted, DelistedBecause = x.Reason },
        _ => s,
    };
}
