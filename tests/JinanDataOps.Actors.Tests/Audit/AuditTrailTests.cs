using Akka.Actor;
using JinanDataOps.Actors.Audit;
using JinanDataOps.Actors.Monitoring;
using JinanDataOps.Actors.Tests.Support;
using JinanDataOps.Domain.Audit;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.Datasets;
using JinanDataOps.Domain.Idempotency;
using JinanDataOps.Domain.Incidents;
using JinanDataOps.Domain.Operators;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;
using static JinanDataOps.Actors.Tests.Support.LiveData;

namespace JinanDataOps.Actors.Tests.Audit;

/// <summary>The chain follows the journal: every governance event of every audited entity, in journal order, once.</summary>
public sealed class AuditTrailTests(ITestOutputHelper output) : PersistentEntitySpec(output)
{
    private static readonly AuditScope Scope = new([Dataset.Kind, Operator.Kind, Incident.Kind, MonitorLane.Kind]);
    private static readonly AuditTrailSettings Quick = AuditTrailSettings.Default with { SnapshotEvery = 3 };
    private static readonly Caller Provider = new(Role.Provider, "transport-bureau");

    [Fact]
    public async Task The_chain_links_the_events_of_several_entities_in_journal_order_and_survives_a_restart_without_duplicates_or_gaps()
    {
        var op = Start<Operator, OperatorState, IOperatorCommand, IOperatorEvent>("op-a");
        var ds = Start<Dataset, DatasetState, IDatasetCommand, IDatasetEvent>("ds-bus-gps");
        var inc = Start<Incident, IncidentState, IIncidentCommand, IIncidentEvent>("inc-1");
        var idem = Start<IdempotentRequest, IdempotentRequestState, IIdempotentRequestCommand, IIdempotentRequestEvent>("k-1");
        await Accept(op, "op-a", new RegisterOperator(OperatorA, "Op A", Samples.QuanchengCreditCode, "Zhang San", "sec@a.example"));
        await Accept(ds, "ds-bus-gps", new RegisterDataset(Provider, "Bus GPS", DataDomain.Transport, [new DatasetField("route", false)]));
        await Accept(inc, "inc-1", new OpenIncident(Caller.Platform, "op-a", null, null, "unusual volume", "Art. 15", null, Authority.Org));
        await Accept(idem, "k-1", new BeginRequest(OperatorA, "h", TimeSpan.FromSeconds(30)));
        await Accept(op, "op-a", new FileSecurityReport(OperatorA, "2026-Q4", "no incidents"));

        var trail = Sys.ActorOf(Props.Create(() => new AuditTrail(Scope, Quick)));
        Assert.Equal(4, Governance().Count); // the Idempotency-Key record is not governance
        var first = await ChainOf(4);
        Assert.Equal(Governance(), first.Select(l => (l.PersistenceId, l.SequenceNr)));
        Assert.Equal(new AuditVerdict(true, 4, null), AuditChain.Verify(first));
        Assert.Equal(["op-a"], first.Single(l => l.EventType == "inc.opened.v1").Operators);
        Assert.Empty(first.Single(l => l.Kind == Dataset.Kind).Operators);

        await Stop(trail);
        await Accept(inc, "inc-1", new RecordMeasure(Caller.Platform, "credentials rotated"));
        await Accept(op, "op-a", new FileSecurityReport(OperatorA, "2027-Q1", "one drill"));
        Sys.ActorOf(Props.Create(() => new AuditTrail(Scope, Quick)));

        var governance = Governance();
        Assert.True(governance.Count >= 6);
        var all = await ChainOf(governance.Count);
        Assert.Equal(governance, all.Select(l => (l.PersistenceId, l.SequenceNr)));
        Assert.Equal(all.Count, all.Select(l => (l.PersistenceId, l.SequenceNr)).Distinct().Count());
        Assert.Equal(first.Select(l => l.Hash), all.Take(4).Select(l => l.Hash));
        Assert.Equal(new AuditVerdict(true, governance.Count, null), AuditChain.Verify(all));
        Assert.Equal(["op-a"], all.Single(l => l.EventType == "inc.measure-recorded.v1").Operators); // learned from the opening
    }

    /// <summary>Waits for the chain to hold <paramref name="count"/> links and no more arrive; reads it as verification does.</summary>
    private async Task<IReadOnlyList<AuditLink>> ChainOf(int count)
    {
        var records = new AuditRecords(Sys);
        IReadOnlyList<AuditLink> links = [];
        await AwaitAssertAsync(async () =>
        {
            var (read, toEnd) = await records.Chain(CancellationToken.None);
            Assert.True(toEnd);
            Assert.Equal(count, read.Count);
            links = read;
        }, Patience, TimeSpan.FromMilliseconds(100));
        return links;
    }

    /// <summary>The governance events in the journal, in its order (what the chain must hold).</summary>
    private IReadOnlyList<(string, long)> Governance()
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT persistence_id, sequence_number FROM journal WHERE persistence_id IN ('operator-op-a', 'dataset-ds-bus-gps', 'incident-inc-1') ORDER BY ordering";
        using var reader = command.ExecuteReader();
        var rows = new List<(string, long)>();
        while (reader.Read()) rows.Add((reader.GetString(0), reader.GetInt64(1)));
        return rows;
    }
}
