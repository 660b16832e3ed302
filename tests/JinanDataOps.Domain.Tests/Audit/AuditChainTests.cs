using System.Text;
using JinanDataOps.Domain.Agreements;
using JinanDataOps.Domain.Audit;
using JinanDataOps.Domain.Calls;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.Operators;

namespace JinanDataOps.Domain.Tests.Audit;

public sealed class AuditChainTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 8, 0, 0, TimeSpan.FromHours(8));
    private static readonly Caller Unit = new(Role.Authority, "jinan-bda");

    private static AuditLink First() => AuditChain.Next(
        null, "agreement-agr-app-1", 7, 42, "agreement", "agr-app-1", "agr.terminated.v1",
        new AgreementTerminated(Unit, T0, "exit condition met"), ["op-quancheng"],
        """{"reason":"exit condition met","by":{"role":"authority","org":"jinan-bda"},"at":"2026-12-01T08:00:00+08:00"}""");

    private static IReadOnlyList<AuditLink> Chain(int n)
    {
        var links = new List<AuditLink>();
        for (var i = 0; i < n; i++)
            links.Add(AuditChain.Next(links.LastOrDefault(), $"operator-op-{i % 3}", i + 1, 100 + i, "operator", $"op-{i % 3}", "op.security-report-filed.v1",
                new SecurityReportFiled(new Caller(Role.Operator, $"op-{i % 3}"), T0.AddMinutes(i), "2026-Q4", $"report {i}"), [$"op-{i % 3}"],
                $$"""{"period":"2026-Q4","summary":"report {{i}}"}"""));
        return links;
    }

    [Fact]
    public void The_hash_of_a_fixed_link_is_pinned() =>
        // A change of this value is a change of the canonical form: every stored chain would stop verifying.
        Assert.Equal("6ed1340c103b3960e1e8d165584b1979e1508f5254efc642477599419ff2b238", First().Hash); // = sha256sum of the canonical text below

    [Fact]
    public void The_canonical_serialization_is_a_fixed_array_with_the_event_as_sorted_json_and_utc_times() =>
        Assert.Equal(
            """["jdo-audit-link/1",1,"agreement-agr-app-1",7,42,"agreement","agr-app-1","agr.terminated.v1","2026-12-01T00:00:00.0000000Z","authority","jinan-bda",["op-quancheng"],"exit condition met","{\"at\":\"2026-12-01T08:00:00+08:00\",\"by\":{\"org\":\"jinan-bda\",\"role\":\"authority\"},\"reason\":\"exit condition met\"}","0000000000000000000000000000000000000000000000000000000000000000"]""",
            Encoding.UTF8.GetString(AuditChain.Canonical(First())));

    [Fact]
    public void The_same_link_hashes_the_same_every_time() =>
        Assert.Equal(First().Hash, First().Hash);

    [Fact]
    public void The_first_link_follows_the_genesis_and_each_next_one_its_predecessor()
    {
        var chain = Chain(3);
        Assert.Equal(new string('0', 64), chain[0].PreviousHash);
        Assert.Equal([1L, 2L, 3L], chain.Select(l => l.Index));
        Assert.Equal(chain[0].Hash, chain[1].PreviousHash);
        Assert.Equal(chain[1].Hash, chain[2].PreviousHash);
        Assert.All(chain, l => Assert.Matches("^[0-9a-f]{64}$", l.Hash));
    }

    [Fact]
    public void Key_order_and_whitespace_of_the_event_do_not_change_its_canonical_text() =>
        Assert.Equal(AuditChain.CanonicalJson("""{"b":1,"a":{"d":[1,{"z":"中","y":null}],"c":true}}"""),
            AuditChain.CanonicalJson("""{ "a": { "c": true, "d": [ 1, { "y": null, "z": "中" } ] }, "b": 1 }"""));

    [Fact]
    public void Chinese_text_stays_readable_in_the_canonical_event() =>
        Assert.Equal("""{"name":"泉城数据"}""", AuditChain.CanonicalJson("""{"name":"\u6cc9\u57ce\u6570\u636e"}"""));

    [Fact]
    public void An_untouched_chain_is_valid_with_its_record_count() =>
        Assert.Equal(new AuditVerdict(true, 5, null), AuditChain.Verify(Chain(5)));

    [Fact]
    public void An_empty_chain_is_valid() =>
        Assert.Equal(new AuditVerdict(true, 0, null), AuditChain.Verify([]));

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public void Altered_content_breaks_the_chain_at_the_altered_link(int k)
    {
        var chain = Chain(5).ToList();
        chain[k - 1] = chain[k - 1] with { Event = chain[k - 1].Event.Replace("report", "rep0rt") };
        Assert.Equal(new AuditVerdict(false, k - 1, k), AuditChain.Verify(chain));
    }

    [Fact]
    public void Each_field_is_covered_by_the_hash()
    {
        var link = First();
        AuditLink[] altered =
        [
            link with { PersistenceId = "agreement-agr-app-2" }, link with { SequenceNr = 8 }, link with { SourceOrdering = 43 },
            link with { Kind = "call" }, link with { EntityId = "agr-app-2" }, link with { EventType = "agr.expired.v1" },
            link with { At = link.At.AddTicks(1) }, link with { ByRole = Role.Provider }, link with { ByOrg = "other" },
            link with { Operators = [] }, link with { Reason = null }, link with { Event = "{}" },
        ];
        Assert.All(altered, a => Assert.NotEqual(link.Hash, AuditChain.HashOf(a)));
    }

    [Fact]
    public void An_altered_previous_hash_breaks_the_chain_at_that_link_even_with_its_own_hash_recomputed()
    {
        var chain = Chain(5).ToList();
        var forged = chain[2] with { PreviousHash = new string('1', 64) };
        chain[2] = forged with { Hash = AuditChain.HashOf(forged) };
        Assert.Equal(new AuditVerdict(false, 2, 3), AuditChain.Verify(chain));
    }

    [Fact]
    public void A_rewritten_link_with_its_hash_recomputed_breaks_the_chain_at_the_next_link()
    {
        var chain = Chain(5).ToList();
        var forged = chain[1] with { ByOrg = "someone-else" };
        chain[1] = forged with { Hash = AuditChain.HashOf(forged) };
        Assert.Equal(3, AuditChain.Verify(chain).FirstBrokenAt);
    }

    [Fact]
    public void A_missing_link_is_named_by_its_index()
    {
        var chain = Chain(5).ToList();
        chain.RemoveAt(3);
        Assert.Equal(new AuditVerdict(false, 3, 4), AuditChain.Verify(chain));
    }

    [Fact]
    public void A_link_that_cannot_be_read_is_named_after_the_last_one_read() =>
        Assert.Equal(new AuditVerdict(false, 2, 3), AuditChain.Verify(Chain(2), readToEnd: false));

    [Fact]
    public void Operators_are_kept_distinct_and_in_order()
    {
        var link = AuditChain.Next(null, "lane-3", 2, 9, "lane", "3", "mon.alerts-raised.v1",
            new SecurityReportFiled(Caller.Platform, T0, "p", "s"), ["op-b", "op-a", "op-b"], "{}");
        Assert.Equal(["op-a", "op-b"], link.Operators);
    }

    [Fact]
    public void Creation_events_name_the_operator_they_concern()
    {
        Assert.Equal("op-1", new OperatorRegistered(Unit, T0, "n", "c", "l", "s").OperatorOf("op-1"));
        Assert.Equal("op-2", new AgreementDrafted(Unit, T0, "app-1", "call-1", "op-2", AuthorizationMode.Comprehensive,
            new Scope([], []), T0, T0.AddDays(1), new AgreementClauses("", "", "", "", "")).OperatorOf("agr-app-1"));
    }
}
