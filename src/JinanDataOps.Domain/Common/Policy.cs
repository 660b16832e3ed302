namespace JinanDataOps.Domain.Common;

/// <summary>Everything a caller can do through the API, one name per route (API.md "Resources"). The
/// policy below says who may do each; the endpoints carry the name, the deciders check it where the
/// facts live, and the role × organisation matrix test is generated from it.</summary>
public enum Act
{
    // Datasets and data quality (Art. 3, 10, 12)
    RegisterDataset, ReadDatasets, RaiseQualityIssue, AcknowledgeQualityIssue, ResolveQualityIssue, ListQualityIssues, ReadQualityIssue,
    // Operators (Art. 14, 16)
    RegisterOperator, ReadOperator, RecordTraining, FileSecurityReport,
    // Calls and applications (Art. 8(1)–(3))
    CreateCall, PublishCall, CancelCall, ReadCalls, Apply, PublishShortlist,
    ReadApplication, ReadApplicationMaterials, ReviewApplication, DeclareConflict, FileObjection, ResolveObjection,
    // Agreements (Art. 8(4)–(5), 9, 18)
    ReadAgreementTemplate, DraftAgreement, ReadAgreement, SignAgreement, SuspendAgreement, ReportRectification,
    RestoreAgreement, TerminateAgreement, RecordAssetDisposal,
    // Data requests (Art. 6, 12, 13)
    SubmitDataRequest, ReadDataRequest, ApproveDataRequest, RejectDataRequest, CloseDataRequest, ReinstateDataRequest, RevokeDataRequest,
    // Sandbox monitoring and incidents (Art. 15)
    ReportSandboxEvents, ReadAlerts, ReadMonitoringRules, ListIncidents, ReadIncident, OpenIncident, RecordMeasure, CloseIncident,
    // Reports (Art. 8, last paragraph)
    ReadSummary,
    // Data products (Art. 3, 13, 15)
    CreateProduct, SubmitProduct, ReviewProduct, ListProduct, DelistProduct, ReadProduct, ListProducts,
    // Evaluation (Art. 17–18)
    OpenEvaluation, SubmitEvaluationMaterials, RecordEvaluationResult, ReadEvaluation, ListEvaluations,
    // The tamper-evident record (Art. 8(5), 17)
    VerifyAudit, ReadOperatorRecord,
    // Running the platform (Art. 11): the details of GET /health/ready, whose answer itself is public
    ReadHealthDetails,
    // Operations of the platform (Art. 11): the cluster seen by those who run it and those who supervise it
    ReadClusterMembers, ReadClusterShards, FollowClusterEvents,
}

/// <summary>How the caller's organisation must stand to the resource, beyond holding the role (API.md,
/// "Identity": a role that is right but the organisation wrong is refused).</summary>
public enum Relation
{
    /// <summary>Any organisation that holds the role.</summary>
    AnyOrganisation,
    /// <summary>The operator the resource belongs to: its organisation is the operator's id.</summary>
    TheOperator,
    /// <summary>The organisation that drafted the agreement — the authority for comprehensive and graded
    /// authorization, the owning provider for domain authorization (Art. 7, 8(4)).</summary>
    AuthorizingUnit,
    /// <summary>The authority organisation the resource answers to: the one that runs the call, or the
    /// authority of the agreement a request, an incident or an application stands under (city or district).</summary>
    ResponsibleAuthority,
    /// <summary>The provider a domain call names, which co-organises the review (Art. 8(3)).</summary>
    CallProvider,
    /// <summary>A provider owning a dataset the resource names (Art. 12).</summary>
    DatasetOwner,
    /// <summary>An operator holding a live data request that names the dataset (Art. 10: "with access").</summary>
    WithAccess,
    /// <summary>Any organisation, once the resource is public: a data product listed for trading on a data exchange
    /// (Art. 13) is offered to society (Art. 3).</summary>
    WhenPublic,
}

public sealed record Grant(Role Role, Relation Relation);

/// <summary>The parties of one resource as its state knows them; what a <see cref="Relation"/> is checked against.</summary>
public sealed record Parties(
    string? Operator = null, Caller? AuthorizingUnit = null, string? Authority = null, string? CallProvider = null,
    IReadOnlyCollection<string>? DatasetOwners = null, bool CallerHasAccess = false, bool IsPublic = false)
{
    public static readonly Parties None = new();
}

/// <summary>One row of the policy: the act, the article that assigns it, who may, and in words for the refusal.</summary>
public sealed record Permission(Act Act, string Article, string Who, IReadOnlyList<Grant> Grants)
{
    /// <summary>Whether the act changes anything: a regulator never does one (Art. 5), nor a maintainer in the procedure (Art. 11).</summary>
    public bool Mutates { get; init; } = true;
}

/// <summary>Who may do what — the one place that says it (API.md "Identity"; DOMAIN.md "Parties").
/// Regulators read and never act (Art. 5); the maintainer runs the platform and never acts in the
/// procedure (Art. 11); every relation is to one organisation, never to a role as a whole.</summary>
public static class Policy
{
    /// <summary>The roles a token may carry: every party but the platform itself.</summary>
    public static readonly IReadOnlyList<Role> TokenRoles = Enum.GetValues<Role>().Where(r => r != Role.Platform).ToArray();

    private static Grant G(Role role, Relation relation = Relation.AnyOrganisation) => new(role, relation);

    private static Grant[] Everyone() => TokenRoles.Select(r => G(r)).ToArray();

    private static Grant Platform => G(Role.Platform);

    private static Permission Read(Act act, string article, string who, params Grant[] grants) => new(act, article, who, grants) { Mutates = false };

    private static readonly Permission[] Rows =
    [
        new(Act.RegisterDataset, "Art. 3", "a data-provider agency registers its own datasets", [G(Role.Provider)]),
        Read(Act.ReadDatasets, "Art. 3", "the catalogue of public datasets is open to every caller", Everyone()),
        new(Act.RaiseQualityIssue, "Art. 10", "an operator with access (a live data request naming the dataset) raises a quality issue", [G(Role.Operator, Relation.WithAccess)]),
        new(Act.AcknowledgeQualityIssue, "Art. 12", "the owning provider governs its data", [G(Role.Provider, Relation.DatasetOwner)]),
        new(Act.ResolveQualityIssue, "Art. 12", "the owning provider governs its data", [G(Role.Provider, Relation.DatasetOwner)]),
        Read(Act.ListQualityIssues, "Art. 12", "quality issues and how long they have been open are followed by the authority, regulators and each provider for its own datasets",
            G(Role.Authority), G(Role.Provider), G(Role.Regulator)),
        Read(Act.ReadQualityIssue, "Art. 12", "a quality issue in the list is seen by the authority, regulators and the provider owning the dataset",
            G(Role.Authority), G(Role.Provider, Relation.DatasetOwner), G(Role.Regulator)),

        new(Act.RegisterOperator, "Art. 14", "an operator registers itself; its id is its organisation", [G(Role.Operator)]),
        Read(Act.ReadOperator, "Art. 16", "an operator's record is read by the operator itself, the authority and regulators",
            G(Role.Operator, Relation.TheOperator), G(Role.Authority), G(Role.Regulator)),
        new(Act.RecordTraining, "Art. 16", "the operator itself records its staff's security training", [G(Role.Operator, Relation.TheOperator)]),
        new(Act.FileSecurityReport, "Art. 16", "the operator itself files its security reports", [G(Role.Operator, Relation.TheOperator)]),

        new(Act.CreateCall, "Art. 8(1)", "the big-data authority drafts calls for applications", [G(Role.Authority)]),
        new(Act.PublishCall, "Art. 8(1)", "the authority that drafted the call publishes it", [G(Role.Authority, Relation.ResponsibleAuthority)]),
        new(Act.CancelCall, "Art. 8(1)", "the authority that drafted the call cancels it", [G(Role.Authority, Relation.ResponsibleAuthority)]),
        Read(Act.ReadCalls, "Art. 8(1)", "calls for applications are public", Everyone()),
        new(Act.Apply, "Art. 8(2)", "an operator (a legal person or unincorporated organisation) applies", [G(Role.Operator)]),
        new(Act.PublishShortlist, "Art. 8(3)", "the authority that runs the call (and, for a domain call, its provider) publishes the shortlist",
            [G(Role.Authority, Relation.ResponsibleAuthority), G(Role.Provider, Relation.CallProvider)]),
        Read(Act.ReadApplication, "Art. 8(3)", "applications under public notice are public", Everyone()),
        Read(Act.ReadApplicationMaterials, "Art. 8(3)", "materials and score sheets are read by the applicant, the reviewing side and regulators",
            G(Role.Operator, Relation.TheOperator), G(Role.Authority, Relation.ResponsibleAuthority), G(Role.Provider, Relation.CallProvider),
            G(Role.Expert), G(Role.Regulator)),
        new(Act.ReviewApplication, "Art. 8(3)", "third-party experts score applications", [G(Role.Expert)]),
        new(Act.DeclareConflict, "Art. 8(3)", "a third-party expert declares its conflict of interest", [G(Role.Expert)]),
        new(Act.FileObjection, "Art. 8(3)", "anyone may object during the public notice, except regulators (Art. 5) and the platform's maintainer (Art. 11)",
            [G(Role.Authority), G(Role.Provider), G(Role.Operator), G(Role.Expert), G(Role.Sandbox), G(Role.Public)]),
        new(Act.ResolveObjection, "Art. 8(3)", "the authority that runs the call resolves objections", [G(Role.Authority, Relation.ResponsibleAuthority)]),

        Read(Act.ReadAgreementTemplate, "Art. 9", "the model text is public", Everyone()),
        new(Act.DraftAgreement, "Art. 8(4)", "the authorizing unit of the call's mode drafts the agreement (the authority that ran a comprehensive or graded call, the provider of a domain call)",
            [G(Role.Authority, Relation.AuthorizingUnit), G(Role.Provider, Relation.AuthorizingUnit)]),
        Read(Act.ReadAgreement, "Art. 8(5)", "an agreement and its work log are read by its parties, its authority and regulators",
            G(Role.Operator, Relation.TheOperator), G(Role.Authority, Relation.ResponsibleAuthority), G(Role.Provider, Relation.AuthorizingUnit), G(Role.Regulator)),
        new(Act.SignAgreement, "Art. 8(4)", "the operator and the authorizing unit sign the agreement",
            [G(Role.Operator, Relation.TheOperator), G(Role.Authority, Relation.AuthorizingUnit), G(Role.Provider, Relation.AuthorizingUnit)]),
        new(Act.SuspendAgreement, "Art. 18", "the authorizing unit suspends the agreement with a rectification order",
            [G(Role.Authority, Relation.AuthorizingUnit), G(Role.Provider, Relation.AuthorizingUnit), Platform]),
        new(Act.ReportRectification, "Art. 18", "the operator reports its rectification", [G(Role.Operator, Relation.TheOperator)]),
        new(Act.RestoreAgreement, "Art. 18", "the authorizing unit accepts the rectification and restores the agreement",
            [G(Role.Authority, Relation.AuthorizingUnit), G(Role.Provider, Relation.AuthorizingUnit)]),
        new(Act.TerminateAgreement, "Art. 18", "the authorizing unit terminates the agreement",
            [G(Role.Authority, Relation.AuthorizingUnit), G(Role.Provider, Relation.AuthorizingUnit), Platform]),
        new(Act.RecordAssetDisposal, "Art. 9", "the authorizing unit records the disposal of assets",
            [G(Role.Authority, Relation.AuthorizingUnit), G(Role.Provider, Relation.AuthorizingUnit)]),

        new(Act.SubmitDataRequest, "Art. 12", "the operator holding the agreement requests public data under it", [G(Role.Operator, Relation.TheOperator)]),
        Read(Act.ReadDataRequest, "Art. 12", "a data request is read by its operator, the agreement's authority, the owning providers and regulators",
            G(Role.Operator, Relation.TheOperator), G(Role.Authority, Relation.ResponsibleAuthority), G(Role.Provider, Relation.DatasetOwner), G(Role.Regulator)),
        new(Act.ApproveDataRequest, "Art. 12", "the agreement's authority and every provider owning a named dataset consent",
            [G(Role.Authority, Relation.ResponsibleAuthority), G(Role.Provider, Relation.DatasetOwner)]),
        new(Act.RejectDataRequest, "Art. 12", "the agreement's authority or a provider owning a named dataset refuses consent",
            [G(Role.Authority, Relation.ResponsibleAuthority), G(Role.Provider, Relation.DatasetOwner)]),
        new(Act.CloseDataRequest, "Art. 13", "the operator closes its own request", [G(Role.Operator, Relation.TheOperator)]),
        new(Act.ReinstateDataRequest, "Art. 15", "the authorizing unit of the agreement reinstates a request suspended for its own violation, once the incident is closed",
            [G(Role.Authority, Relation.AuthorizingUnit), G(Role.Provider, Relation.AuthorizingUnit)]),
        new(Act.RevokeDataRequest, "Art. 18", "the authorizing unit of the agreement revokes a request suspended for its own violation",
            [G(Role.Authority, Relation.AuthorizingUnit), G(Role.Provider, Relation.AuthorizingUnit), Platform]),

        new(Act.ReportSandboxEvents, "Art. 15", "only the platform's sandbox reports operator activity", [G(Role.Sandbox)]),
        Read(Act.ReadAlerts, "Art. 15", "an operator sees its own alerts; the authority, regulators and maintainers see all",
            G(Role.Operator, Relation.TheOperator), G(Role.Authority), G(Role.Regulator), G(Role.Maintainer)),
        Read(Act.ReadMonitoringRules, "Art. 15", "the monitoring rules are read by the authority, regulators and the platform's maintainers",
            G(Role.Authority), G(Role.Regulator), G(Role.Maintainer)),
        Read(Act.ListIncidents, "Art. 15", "an operator lists its own incidents; the authority those under its agreements; regulators and maintainers all",
            G(Role.Operator), G(Role.Authority), G(Role.Regulator), G(Role.Maintainer)),
        Read(Act.ReadIncident, "Art. 15", "an incident is read by the operator concerned, its authority, regulators and maintainers",
            G(Role.Operator, Relation.TheOperator), G(Role.Authority, Relation.ResponsibleAuthority), G(Role.Regulator), G(Role.Maintainer)),
        new(Act.OpenIncident, "Art. 15", "incidents are opened by monitoring, or by hand by the authority of the agreement concerned",
            [G(Role.Authority, Relation.ResponsibleAuthority), Platform]),
        new(Act.RecordMeasure, "Art. 15", "emergency measures are recorded by the incident's authority and the operator concerned",
            [G(Role.Authority, Relation.ResponsibleAuthority), G(Role.Operator, Relation.TheOperator), Platform]),
        new(Act.CloseIncident, "Art. 15", "an incident is closed with a report by its authority", [G(Role.Authority, Relation.ResponsibleAuthority)]),

        Read(Act.ReadSummary, "Art. 8", "the summary of authorized operation is produced by the authority (of what it is responsible for) and read by regulators",
            G(Role.Authority), G(Role.Regulator)),
        new(Act.CreateProduct, "Art. 3", "an operator registers a data product built from its own provisioned requests under its agreement", [G(Role.Operator, Relation.TheOperator)]),
        new(Act.SubmitProduct, "Art. 15", "the owning operator submits its product to the security-compliance review", [G(Role.Operator, Relation.TheOperator)]),
        new(Act.ReviewProduct, "Art. 15", "the authority of the product's agreement reviews its security and compliance", [G(Role.Authority, Relation.ResponsibleAuthority)]),
        new(Act.ListProduct, "Art. 13", "the owning operator lists an approved product on a lawfully established data exchange", [G(Role.Operator, Relation.TheOperator)]),
        new(Act.DelistProduct, "Art. 15", "the owning operator or the agreement's authorizing unit delists a product; the platform does when its agreement or a source request stops",
            [G(Role.Operator, Relation.TheOperator), G(Role.Authority, Relation.AuthorizingUnit), G(Role.Provider, Relation.AuthorizingUnit), Platform]),
        Read(Act.ReadProduct, "Art. 3", "a product is read by its operator, the agreement's authority and authorizing unit and regulators; anyone once it is listed",
            [G(Role.Operator, Relation.TheOperator), G(Role.Authority, Relation.ResponsibleAuthority), G(Role.Provider, Relation.AuthorizingUnit), G(Role.Regulator),
             .. TokenRoles.Select(r => G(r, Relation.WhenPublic))]),
        Read(Act.ListProducts, "Art. 3", "every caller lists the products it may read: an operator its own, an authority those under its agreements, regulators all, everyone the listed ones",
            Everyone()),
        new(Act.OpenEvaluation, "Art. 17", "the authority an agreement answers to evaluates its operator", [G(Role.Authority, Relation.ResponsibleAuthority)]),
        new(Act.SubmitEvaluationMaterials, "Art. 17", "the operator evaluated submits its materials (it may not refuse or obstruct the evaluation)",
            [G(Role.Operator, Relation.TheOperator)]),
        new(Act.RecordEvaluationResult, "Art. 18", "the authority that opened the evaluation records its result", [G(Role.Authority, Relation.ResponsibleAuthority)]),
        Read(Act.ReadEvaluation, "Art. 17", "an evaluation is read by the operator evaluated, the agreement's authority, its authorizing unit (which a failure notifies) and regulators",
            G(Role.Operator, Relation.TheOperator), G(Role.Authority, Relation.ResponsibleAuthority), G(Role.Authority, Relation.AuthorizingUnit),
            G(Role.Provider, Relation.AuthorizingUnit), G(Role.Regulator)),
        Read(Act.ListEvaluations, "Art. 17", "an operator lists its own evaluations; an authority those under its agreements, a provider those of the agreements it authorized; regulators all",
            G(Role.Operator), G(Role.Authority), G(Role.Provider), G(Role.Regulator)),
        Read(Act.VerifyAudit, "Art. 17", "the hash-chained record of every governance event is verified by the authority and regulators",
            G(Role.Authority), G(Role.Regulator)),
        Read(Act.ReadOperatorRecord, "Art. 8(5)", "every governance event about an operator, kept after termination, is read by the authority, regulators and the operator itself",
            G(Role.Operator, Relation.TheOperator), G(Role.Authority), G(Role.Regulator)),
        Read(Act.ReadHealthDetails, "Art. 11", "the health checks of a node are read by the platform's maintainers, the authority and regulators",
            G(Role.Authority), G(Role.Maintainer), G(Role.Regulator)),
        Read(Act.ReadClusterMembers, "Art. 11", "the platform's cluster members are seen by its maintainers, the authority and regulators",
            G(Role.Authority), G(Role.Maintainer), G(Role.Regulator)),
        Read(Act.ReadClusterShards, "Art. 11", "where the platform's shards and entities run is seen by its maintainers, the authority and regulators",
            G(Role.Authority), G(Role.Maintainer), G(Role.Regulator)),
        Read(Act.FollowClusterEvents, "Art. 11", "the platform's live operations summary is followed by its maintainers, the authority and regulators",
            G(Role.Authority), G(Role.Maintainer), G(Role.Regulator)),
    ];

    /// <summary>The policy, one row per act.</summary>
    public static readonly IReadOnlyDictionary<Act, Permission> Table = Rows.ToDictionary(r => r.Act);

    /// <summary>Whether a caller with this role could ever do the act, whatever its organisation: the
    /// check an endpoint makes before it asks any entity.</summary>
    public static bool RoleMay(Act act, Role role) => Table[act].Grants.Any(g => g.Role == role);

    public static bool Allows(Act act, Caller caller, Parties parties) =>
        Table[act].Grants.Any(g => g.Role == caller.Role && Holds(g.Relation, caller, parties));

    /// <summary>Null when allowed; otherwise the 403 that says who may, citing the article.</summary>
    public static Rejection? Authorize(Act act, Caller caller, Parties parties)
    {
        if (Allows(act, caller, parties)) return null;
        var row = Table[act];
        return Rejection.Forbidden($"{caller} may not do this: {row.Who}", row.Article);
    }

    private static bool Holds(Relation relation, Caller caller, Parties p) => relation switch
    {
        Relation.AnyOrganisation => true,
        Relation.TheOperator => Same(p.Operator, caller.Org),
        Relation.AuthorizingUnit => p.AuthorizingUnit is { } unit && caller.Is(unit.Role, unit.Org),
        Relation.ResponsibleAuthority => Same(p.Authority, caller.Org),
        Relation.CallProvider => Same(p.CallProvider, caller.Org),
        Relation.DatasetOwner => p.DatasetOwners?.Contains(caller.Org) == true,
        Relation.WithAccess => p.CallerHasAccess,
        Relation.WhenPublic => p.IsPublic,
        _ => false,
    };

    private static bool Same(string? org, string callerOrg) => !string.IsNullOrEmpty(org) && string.Equals(org, callerOrg, StringComparison.Ordinal);
}
