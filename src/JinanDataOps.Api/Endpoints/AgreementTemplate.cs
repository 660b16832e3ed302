namespace JinanDataOps.Api.Endpoints;

/// <summary>The model text (示范文本) the city publishes (Art. 9): every clause the agreement must carry,
/// in the field names POST /api/agreements takes.</summary>
public static class AgreementTemplate
{
    public static readonly object Model = new
    {
        Title = "公共数据授权运营协议（示范文本） — Model agreement for the authorized operation of public data",
        Basis = "济南市公共数据授权运营管理办法 (Jinan Municipal Government Order No. 286), Art. 9",
        Clauses = new object[]
        {
            new { Field = "parties", Name = "授权主体 — parties", Guidance = "The authorizing unit (the authority for comprehensive and graded authorization, the data provider for domain authorization, Art. 7) and the operator; filled in from the confirmed application.", Example = (string?)null },
            new { Field = "scope", Name = "授权运营范围 — scope", Guidance = "Domains and datasets authorized; must lie within the scope of the call (Art. 8(1)).", Example = (string?)"{\"domains\":[\"transport\"],\"datasets\":[\"bus-ridership\"]}" },
            new { Field = "startsAt/endsAt", Name = "运营期限 — term", Guidance = "Start and end of the operation; at the end the data-use rights end and the work logs are kept (Art. 8(5)).", Example = (string?)"2027-01-01T00:00:00Z / 2029-12-31T23:59:59Z" },
            new { Field = "rightsAndObligations", Name = "权利和义务 — rights and obligations", Guidance = "Processing only inside the platform; raw data never leaves it (Art. 13); accept supervision and evaluation (Art. 16, 17).", Example = (string?)"The operator may process the authorized data inside the operations platform to build data products …" },
            new { Field = "securityRequirements", Name = "安全要求 — security requirements", Guidance = "Legal representative as first person responsible (Art. 14); pre-job security training; periodic security reports (Art. 16).", Example = (string?)"The operator trains its technical staff before they start and reports on security every quarter …" },
            new { Field = "exitConditions", Name = "退出情形 — exit conditions", Guidance = "When the agreement ends early: unrectified evaluation failure (Art. 18), serious violation, loss of eligibility.", Example = (string?)"The agreement terminates if a rectification order is not met by its deadline …" },
            new { Field = "breachLiability", Name = "违约责任 — liability for breach", Guidance = "Consequences of breach, including civil, administrative and criminal liability (Art. 19).", Example = (string?)"A party in breach compensates the losses it causes …" },
            new { Field = "assetDisposal", Name = "授权期限届满后资产处置 — disposal of assets at expiry", Guidance = "What happens to data products, models and derived data when the term ends.", Example = (string?)"At expiry, derived datasets are deleted inside the platform and products are transferred or delisted …" },
        },
    };
}
