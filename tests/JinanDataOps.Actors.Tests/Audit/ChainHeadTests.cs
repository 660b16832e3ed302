using JinanDataOps.Actors.Audit;
using JinanDataOps.Actors.Monitoring;
using JinanDataOps.Domain.Agreements;
using JinanDataOps.Domain.Audit;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.Idempotency;
using JinanDataOps.Domain.Operators;
using JinanDataOps.Monitoring.Rules;
using static JinanDataOps.Actors.Tests.Support.Samples;

namespace JinanDataOps.Actors.Tests.Audit;

public sealed class ChainHeadTests
{
    private static readonly AuditScope Scope = new(["dataset", "operator", "data-request", "agreement", "incident", MonitorLane.Kind]);

    private static AuditLink Linked(ChainHead head, string pid, long seq, long ordering, object payload)
    {
        var link = head.Link(Scope, pid, seq, ordering, payload) ?? throw new Xunit.Sdk.XunitException($"{pid}#{seq} was not linked");
        head.Apply(link);
        return link;
    }

    [Theory]
    [InlineData("data-request-req-1", "data-request", "req-1")]
    [InlineData("dataset-ds-bus-gps", "dataset", "ds-bus-gps")]
    [InlineData("agreement-agr-app-1", "agreement", "agr-app-1")]
    [InlineData("monitor-lane-03", "monitor-lane", "03")]
    public void The_kind_and_entity_id_are_read_from_the_persistence_id(string pid, string kind, string entityId) =>
        Assert.Equal((kind, entityId), Scope.Resolve(pid));

    [Theory]
    [InlineData("idempotency-k-1")]
    [InlineData("audit-chain")]
    [InlineData("projection-reactions")]
    [InlineData("operator-")]
    public void Streams_outside_the_audited_kinds_are_not_resolved(string pid) => Assert.Null(Scope.Resolve(pid));

    [Fact]
    public void Only_domain_events_of_audited_streams_are_linked()
    {
        var head = new ChainHead();
        Assert.Null(head.Link(Scope, "idempotency-k-1", 1, 1, new RequestStarted(Quancheng, At, "h")));
        Assert.Null(head.Link(Scope, "projection-reactions", 1, 2, new JinanDataOps.Actors.Consequences.OffsetStored(4)));
        Assert.Null(head.Link(Scope, "audit-chain", 1, 3, AuditLinkSample));
        Assert.NotNull(head.Link(Scope, "operator-op-quancheng", 1, 4, new SecurityReportFiled(Quancheng, At, "Q1", "ok")));
    }

    [Fact]
    public void Later_events_of_an_entity_concern_the_operator_its_creation_event_named()
    {
        var head = new ChainHead();
        var drafted = Linked(head, "agreement-agr-app-1", 1, 10, new AgreementDrafted(Provider, At, "app-1", "call-1", "op-quancheng",
            Domain.Calls.AuthorizationMode.Domain, Scope0, At, At.AddYears(1), Clauses));
        var terminated = Linked(head, "agreement-agr-app-1", 2, 11, new AgreementTerminated(Provider, At, "exit"));
        var registered = Linked(head, "operator-op-lixia", 1, 12, new OperatorRegistered(new Caller(Role.Operator, "op-lixia"), At, "Lixia", "c", "l", "s"));
        var dataset = Linked(head, "dataset-ds-1", 1, 13, new Domain.Datasets.DatasetRegistered(Provider, At, "t", Domain.Datasets.DataDomain.Transport, Fields));

        Assert.Equal(["op-quancheng"], drafted.Operators);
        Assert.Equal(["op-quancheng"], terminated.Operators);
        Assert.Equal("exit", terminated.Reason);
        Assert.Equal(["op-lixia"], registered.Operators);
        Assert.Empty(dataset.Operators);
        Assert.Equal([1L, 2L, 3L, 4L], new[] { drafted, terminated, registered, dataset }.Select(l => l.Index));
        Assert.Equal(13, head.Offset);
    }

    [Fact]
    public void A_batch_of_alerts_concerns_every_operator_it_names_and_shows_each_only_its_own()
    {
        var other = AlertOf("op-lixia");
        var raised = new AlertsRaised(Platform, At, "b-8", [AlertOf("op-quancheng"), other], [other.Id], true, TimeSpan.FromDays(1));
        var link = Linked(new ChainHead(), "monitor-lane-03", 5, 20, raised);

        Assert.Equal(["op-lixia", "op-quancheng"], link.Operators);
        var own = Assert.IsType<AlertsRaised>(raised.For("op-quancheng"));
        Assert.Equal(["op-quancheng"], own.Alerts.Select(a => a.OperatorId));
        Assert.Empty(own.Acting);
    }

    [Fact]
    public void An_event_read_again_is_not_linked_twice()
    {
        var head = new ChainHead();
        Linked(head, "operator-op-quancheng", 1, 4, new SecurityReportFiled(Quancheng, At, "Q1", "ok"));

        // Read again below the offset, or (after a snapshot taken ahead of its links) above it: linked once.
        Assert.Null(head.Link(Scope, "operator-op-quancheng", 1, 4, new SecurityReportFiled(Quancheng, At, "Q1", "ok")));
        Assert.Null(new ChainHead(head.Snapshot() with { Offset = 0 }).Link(Scope, "operator-op-quancheng", 1, 4, new SecurityReportFiled(Quancheng, At, "Q1", "ok")));
    }

    [Fact]
    public void A_head_restored_from_its_snapshot_makes_the_same_next_link()
    {
        var live = new ChainHead();
        Linked(live, "agreement-agr-app-1", 1, 10, new AgreementDrafted(Provider, At, "app-1", "call-1", "op-quancheng",
            Domain.Calls.AuthorizationMode.Domain, Scope0, At, At.AddYears(1), Clauses));
        var restored = new ChainHead(live.Snapshot());

        var next = new AgreementSigned(Quancheng, At);
        Assert.Equal(live.Link(Scope, "agreement-agr-app-1", 2, 11, next)!.Hash, restored.Link(Scope, "agreement-agr-app-1", 2, 11, next)!.Hash);
    }

    [Fact]
    public void The_event_is_linked_as_its_canonical_json()
    {
        var link = Linked(new ChainHead(), "operator-op-quancheng", 1, 4, new SecurityReportFiled(Quancheng, At, "Q1", "ok"));
        Assert.Equal("""{"at":"2024-03-01T09:30:00+08:00","by":{"org":"op-quancheng","role":"operator"},"period":"Q1","summary":"ok"}""", link.Event);
        Assert.Equal("op.security-report-filed.v1", link.EventType);
        Assert.Equal((Role.Operator, "op-quancheng"), (link.ByRole, link.ByOrg));
    }

    private static readonly Domain.Calls.Scope Scope0 = new([Domain.Datasets.DataDomain.Transport], ["ds-bus-gps"]);

    private static Alert AlertOf(string operatorId) => new(Alert.IdOf(operatorId, "raw-export", At), "raw-export", Severity.Critical, "Art. 13", operatorId,
        null, null, "export", At, 1, [], new Dictionary<string, string>(), At, At, false);
}
