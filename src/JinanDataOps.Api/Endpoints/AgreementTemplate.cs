using JinanDataOps.Api.Contracts;

namespace JinanDataOps.Api.Endpoints;

/// <summary>The model text (示范文本) the city publishes (Art. 9): every clause the agreement must carry,
/// in the field names POST /api/agreements takes.</summary>
public static class AgreementTemplate
{
    public static readonly AgreementTemplateView Model = new(
        "公共数据授权运营协议（示范文本） — Model agreement for the authorized operation of public data",
        "济南市公共数据授权运营管理办法 (Jinan Municipal Government Order No. 286), Art. 9",
        [
            new("parties", "授权主体 — parties", "The authorizing unit (the authority for comprehensive and graded authorization, the data provider for domain authorization, Art. 7) and the operator; filled in from the confirmed application.", null),
            new("scope", "授权运营范围 — scope", "Domains and datasets authorized; must lie within the scope of the call (Art. 8(1)).", "{\"domains\":[\"transport\"],\"datasets\":[\"bus-ridership\"]}"),
            new("startsAt/endsAt", "运营期限 — term", "Start and end of the operation; at the end the data-use rights end and the work logs are kept (Art. 8(5)).", "2027-01-01T00:00:00Z / 2029-12-31T23:59:59Z"),
            new("rightsAndObligations", "权利和义务 — rights and obligations", "Processing only inside the platform; raw data never leaves it (Art. 13); accept supervision and evaluation (Art. 16, 17).", "The operator may process the authorized data inside the operations platform to build data products …"),
            new("securityRequirements", "安全要求 — security requirements", "Legal representative as first person responsible (Art. 14); pre-job security training; periodic security reports (Art. 16).", "The operator trains its technical staff before they start and reports on security every quarter …"),
            new("exitConditions", "退出情形 — exit conditions", "When the agreement ends early: unrectified evaluation failure (Art. 18), serious violation, loss of eligibility.", "The agreement terminates if a rectification order is not met by its deadline …"),
            new("breachLiability", "违约责任 — liability for breach", "Consequences of breach, including civil, administrative and criminal liability (Art. 19).", "A party in breach compensates the losses it causes …"),
            new("assetDisposal", "授权期限届满后资产处置 — disposal of assets at expiry", "What happens to data products, models and derived data when the term ends.", "At expiry, derived datasets are deleted inside the platform and products are transferred or delisted …"),
        ]);
}
