using System.Data.Common;
using System.Diagnostics;
using JinanDataOps.Actors.Consequences;
using JinanDataOps.Actors.Entities;
using JinanDataOps.Actors.Hosting;
using JinanDataOps.Actors.Tests.Support;
using JinanDataOps.Domain.Agreements;
using JinanDataOps.Domain.Calls;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.Datasets;
using JinanDataOps.Domain.Operators;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;
using static JinanDataOps.Actors.Tests.Support.LiveData;

namespace JinanDataOps.Actors.Tests.Stores;

/// <summary>The store suite, written once and run against every SQL provider the platform runs on (one subclass
/// each): the journal, snapshots, the eventsByTag read side, the remember-entities store and the consequence
/// projection's offset, each through the platform's own Akka setup (<see cref="StoreNode"/>) and across a restart —
/// a second actor system on the same database. Every test has a database of its own. The clock of the entities
/// stands still unless a test moves it, so no deadline passes while a test is still setting up; everything else
/// is awaited as an event or a state, never a sleep.</summary>
public abstract class StoreSuite(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly List<StoreNode> _nodes = [];
    private string? _connectionString;

    protected abstract PersistenceProvider Provider { get; }

    /// <summary>A fresh, empty database for one test, as a connection string; null when the provider is skipped on
    /// explicit request (a subclass fails instead when it simply has no server).</summary>
    protected abstract Task<string?> CreateDatabase();

    protected abstract Task DropDatabase();

    /// <summary>A plain ADO.NET connection to the test's database (not opened).</summary>
    protected abstract DbConnection Connection(string connectionString);

    public async Task InitializeAsync() => _connectionString = await CreateDatabase();

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes) await node.DisposeAsync();
        await DropDatabase();
    }

    private bool Skipped
    {
        get
        {
            if (_connectionString is null) output.WriteLine($"{Provider}: skipped on request (JDO_SKIP_POSTGRES=1)");
            return _connectionString is null;
        }
    }

    private async Task<StoreNode> StartNode(int snapshotEvery = 50)
    {
        var started = Stopwatch.StartNew();
        var node = await StoreNode.Start(Provider, _connectionString!, _clock,
            EntitySettings.Default with { SnapshotEvery = snapshotEvery, SnapshotSpread = 0 });
        _nodes.Add(node);
        output.WriteLine($"{Provider}: node {_nodes.Count} up after {started.Elapsed.TotalSeconds:F1} s");
        return node;
    }

    private static RegisterOperator Register => new(OperatorA, "Quancheng Data", Samples.QuanchengCreditCode, "Li Wei", "security@op-a.example");

    private RecordTraining Training(string who) => new(OperatorA, [who], DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime).AddDays(-1));

    private static string PersistenceIdOf(string kind, string id) => PersistenceIds.For(kind, id);

    [Fact]
    public async Task A_sharded_entity_is_recovered_from_the_journal_by_a_new_actor_system()
    {
        if (Skipped) return;
        var first = await StartNode();
        await first.Accept<Operator, OperatorState>(OperatorA.Org, Register);
        await first.Accept<Operator, OperatorState>(OperatorA.Org, Training("alice"));
        await first.Stop();

        var second = await StartNode();
        var recovered = await second.Get<Operator, OperatorState>(OperatorA.Org);

        Assert.NotNull(recovered);
        Assert.Equal("Quancheng Data", recovered.Name);
        Assert.Equal(["alice"], recovered.Trainings.SelectMany(t => t.Staff));
        // The recovered entity goes on writing after the events of the first system (sequence numbers continue).
        var after = await second.Accept<Operator, OperatorState>(OperatorA.Org, Training("bob"));
        Assert.Equal(2, after.Trainings.Count);
        Assert.Equal([typeof(OperatorRegistered), typeof(TrainingRecorded), typeof(TrainingRecorded)],
            (await second.Events(PersistenceIdOf(Operator.Kind, OperatorA.Org))).Select(e => e.GetType()));
    }

    [Fact]
    public async Task An_entity_recovers_from_its_snapshot_and_the_events_after_it()
    {
        if (Skipped) return;
        var pid = PersistenceIdOf(Operator.Kind, OperatorA.Org);
        var first = await StartNode(snapshotEvery: 3);
        await first.Accept<Operator, OperatorState>(OperatorA.Org, Register);
        await first.Accept<Operator, OperatorState>(OperatorA.Org, Training("alice"));
        await first.Accept<Operator, OperatorState>(OperatorA.Org, Training("bob")); // the third event: a snapshot
        await first.Accept<Operator, OperatorState>(OperatorA.Org, Training("chen"));
        await first.Accept<Operator, OperatorState>(OperatorA.Org, Training("dong"));
        // The snapshot is saved after the reply: wait for its row.
        await Until(async () => await Scalar("SELECT COALESCE(MAX(sequence_number), 0) FROM snapshot WHERE persistence_id = @id", pid) == 3,
            "the snapshot at sequence number 3");
        await first.Stop();
        // Without the events it covers, only the snapshot can bring back what they did.
        Assert.Equal(3, await Execute("DELETE FROM journal WHERE persistence_id = @id AND sequence_number <= 3", pid));

        var second = await StartNode(snapshotEvery: 3);
        var recovered = await second.Get<Operator, OperatorState>(OperatorA.Org);

        Assert.NotNull(recovered);
        Assert.Equal(OperatorStatus.Registered, recovered.State);
        Assert.Equal(["alice", "bob", "chen", "dong"], recovered.Trainings.SelectMany(t => t.Staff));
    }

    [Fact]
    public async Task A_tagged_event_is_seen_by_the_read_side_and_again_after_a_restart()
    {
        if (Skipped) return;
        var provider = new Caller(Role.Provider, "transport-bureau");
        var first = await StartNode();
        await first.Accept<Dataset, DatasetState>("ds-bus-gps", new RegisterDataset(provider, "Bus GPS", DataDomain.Transport, [new("route", Sensitive: false)]));

        // The catalog follows the journal's tags with eventsByTag (CatalogView): the registration shows up in its listing.
        await Until(async () => (await first.ListedDatasets()).Contains("ds-bus-gps"), "the dataset in the catalog of the first node");
        await first.Stop();

        var second = await StartNode();
        await Until(async () => (await second.ListedDatasets()).Contains("ds-bus-gps"), "the dataset in the catalog rebuilt by the second node");
    }

    [Fact]
    public async Task A_remembered_entity_comes_back_after_a_restart_and_its_deadline_fires()
    {
        if (Skipped) return;
        const string id = "call-remembered";
        var pid = PersistenceIdOf(Call.Kind, id);
        var first = await StartNode();
        await first.Accept<Call, CallState>(id, new CreateCall(Authority, Terms(_clock.GetUtcNow().AddMinutes(1))));
        await first.Accept<Call, CallState>(id, new PublishCall(Authority));
        await first.Stop();
        Assert.Equal(0, await Scalar("SELECT COUNT(*) FROM journal WHERE persistence_id = @id AND manifest = 'call.closed.v1'", pid));

        // The window closes while no node runs. Nothing is sent to the call from now on: only the remember-entities
        // store can bring it back, and then its recovered deadline (overdue) closes it by itself.
        _clock.Advance(TimeSpan.FromMinutes(2));
        var second = await StartNode();

        await Until(async () => (await second.Events(pid)).Any(e => e is CallClosed), "the call closed by its own deadline on the second node");
        Assert.Equal([typeof(CallCreated), typeof(CallPublished), typeof(CallClosed)], (await second.Events(pid)).Select(e => e.GetType()));
    }

    [Fact]
    public async Task A_consequence_is_carried_out_once_and_its_offset_survives_a_restart()
    {
        if (Skipped) return;
        const string applicationId = "app-stores";
        var agreementId = AgreementState.IdFor(applicationId);
        var operatorPid = PersistenceIdOf(Operator.Kind, OperatorA.Org);
        var agreementPid = PersistenceIdOf(Agreement.Kind, agreementId);
        var now = _clock.GetUtcNow();

        var first = await StartNode();
        await first.Accept<Operator, OperatorState>(OperatorA.Org, Register);
        await first.Accept<Agreement, AgreementState>(agreementId, Draft(ConfirmedApplication(applicationId, now), now));
        await first.Accept<Agreement, AgreementState>(agreementId, new SignAgreement(OperatorA));
        await first.Accept<Agreement, AgreementState>(agreementId, new SignAgreement(Authority));
        // Art. 18: the activation reaches the operator through the consequence projection only (the gateway runs none).
        await Until(async () => Standings(await first.Events(operatorPid)).SequenceEqual([AgreementStanding.Active]), "the operator noting the active agreement");
        var activated = await Scalar("SELECT MAX(ordering) FROM journal WHERE persistence_id = @id", agreementPid);
        await Until(async () => await StoredOffset(first) >= activated, "the projection's offset stored past the activation");

        // Suspended, then the node stops at once: the reaction may or may not have run, its offset may or may not be stored.
        await first.Accept<Agreement, AgreementState>(agreementId, new SuspendAgreement(Authority, "failed evaluation", ["encrypt exports"], now.AddDays(30)));
        await first.Stop();

        var second = await StartNode();
        await Until(async () => Standings(await second.Events(operatorPid)).Count == 2, "the suspension noted by the operator");
        await second.Accept<Agreement, AgreementState>(agreementId, new SubmitRectificationReport(OperatorA, "exports encrypted"));
        await second.Accept<Agreement, AgreementState>(agreementId, new RestoreAgreement(Authority));
        await Until(async () => Standings(await second.Events(operatorPid)).Count == 3, "the restoration noted by the operator");
        var restored = await Scalar("SELECT MAX(ordering) FROM journal WHERE persistence_id = @id", agreementPid);
        await Until(async () => await StoredOffset(second) >= restored, "the projection's offset stored past the restoration");

        // Each agreement event noted exactly once, in order: a projection that started again from the beginning after
        // the restart would have noted the old activation and suspension a second time; one that skipped, not at all.
        Assert.Equal([AgreementStanding.Active, AgreementStanding.Suspended, AgreementStanding.Active], Standings(await second.Events(operatorPid)));
        Assert.Equal(AgreementStanding.Active, (await second.Get<Operator, OperatorState>(OperatorA.Org))!.Agreements[agreementId]);
    }

    private static List<AgreementStanding> Standings(IEnumerable<object> events) => events.OfType<AgreementStandingNoted>().Select(e => e.Standing).ToList();

    /// <summary>The highest offset the consequence projection has stored (0 for none).</summary>
    private static async Task<long> StoredOffset(StoreNode node) =>
        (await node.Events("projection-reactions")).OfType<OffsetStored>().Select(s => s.Offset).DefaultIfEmpty(0).Max();

    private static async Task Until(Func<Task<bool>> condition, string what)
    {
        var waited = Stopwatch.StartNew();
        Exception? last = null;
        while (waited.Elapsed < StoreNode.Patience)
        {
            try
            {
                if (await condition()) return;
            }
            catch (Exception ex) when (ex is Akka.Actor.AskTimeoutException or DbException or InvalidOperationException)
            {
                last = ex; // the node is still starting (shards allocating, read side initializing)
            }
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"waited {StoreNode.Patience.TotalSeconds} s for {what}{(last is null ? "" : $"; last error: {last.Message}")}");
    }

    private async Task<long> Scalar(string sql, string persistenceId)
    {
        await using var connection = Connection(_connectionString!);
        await connection.OpenAsync();
        await using var command = Command(connection, sql, persistenceId);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? 0 : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<int> Execute(string sql, string persistenceId)
    {
        await using var connection = Connection(_connectionString!);
        await connection.OpenAsync();
        await using var command = Command(connection, sql, persistenceId);
        return await command.ExecuteNonQueryAsync();
    }

    private static DbCommand Command(DbConnection connection, string sql, string persistenceId)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        var id = command.CreateParameter();
        id.ParameterName = "@id";
        id.Value = persistenceId;
        command.Parameters.Add(id);
        return command;
    }
}
