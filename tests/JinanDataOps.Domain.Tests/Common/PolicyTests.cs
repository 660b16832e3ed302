using JinanDataOps.Domain.Common;
using static JinanDataOps.Domain.Tests.Support.TestData;

namespace JinanDataOps.Domain.Tests.Common;

public sealed class PolicyTests
{
    public static TheoryData<Act> Acts => new(Enum.GetValues<Act>());

    [Theory]
    [MemberData(nameof(Acts))]
    public void Every_act_has_one_row_citing_an_article(Act act)
    {
        var row = Policy.Table[act];
        Assert.StartsWith("Art. ", row.Article);
        Assert.NotEmpty(row.Grants);
        Assert.False(string.IsNullOrWhiteSpace(row.Who));
    }

    [Fact]
    public void A_regulator_reads_and_never_acts_Art_5() =>
        Assert.Empty(Policy.Table.Values.Where(r => r.Mutates && r.Grants.Any(g => g.Role == Role.Regulator)).Select(r => r.Act));

    [Fact]
    public void The_maintainer_never_acts_in_the_procedure_Art_11() =>
        Assert.Empty(Policy.Table.Values.Where(r => r.Mutates && r.Grants.Any(g => g.Role == Role.Maintainer)).Select(r => r.Act));

    [Fact]
    public void A_right_role_from_the_wrong_organisation_is_refused()
    {
        var request = new Parties(Operator: OperatorA.Org, Authority: Authority.Org, DatasetOwners: [TransportProvider.Org]);
        Assert.True(Policy.Allows(Act.ApproveDataRequest, Authority, request));
        Assert.False(Policy.Allows(Act.ApproveDataRequest, OtherAuthority, request));
        Assert.True(Policy.Allows(Act.ApproveDataRequest, TransportProvider, request));
        Assert.False(Policy.Allows(Act.ApproveDataRequest, MedicalProvider, request));
        Assert.False(Policy.Allows(Act.CloseDataRequest, OperatorB, request));
    }

    [Fact]
    public void A_relation_to_a_party_the_resource_does_not_have_allows_no_one() =>
        Assert.False(Policy.Allows(Act.PublishShortlist, TransportProvider, new Parties(Authority: Authority.Org)));

    [Fact]
    public void A_refusal_says_who_may_and_cites_the_article()
    {
        var refusal = Policy.Authorize(Act.CloseIncident, OtherAuthority, new Parties(Operator: OperatorA.Org, Authority: Authority.Org))!;
        Assert.Equal((RejectionKind.Forbidden, Art.A15), (refusal.Kind, refusal.Article));
        Assert.Contains("closed with a report by its authority", refusal.Detail);
    }

    [Fact]
    public void The_platform_acts_only_where_the_table_says() =>
        Assert.Equal([Act.SuspendAgreement, Act.TerminateAgreement, Act.RevokeDataRequest, Act.OpenIncident, Act.RecordMeasure, Act.DelistProduct],
            Policy.Table.Values.Where(r => r.Grants.Any(g => g.Role == Role.Platform)).Select(r => r.Act));
}
