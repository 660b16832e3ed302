using Akka.Actor;
using Akka.Configuration;
using JinanDataOps.Actors.Hosting;
using JinanDataOps.Actors.Entities;
using JinanDataOps.Actors.Protocol;
using JinanDataOps.Domain.Common;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace JinanDataOps.Actors.Tests.Support;

/// <summary>A test kit whose actor system journals and snapshots into a SQLite file of its own through
/// Akka.Persistence.Sql, with every message serialized on the way (as between nodes).</summary>
public abstract class PersistentEntitySpec : Akka.TestKit.Xunit2.TestKit
{
    /// <summary>An upper bound, never a pace: two loaded cores running several actor systems and SQLite at
    /// once. A test waits this long only when it is about to fail.</summary>
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    protected PersistentEntitySpec(ITestOutputHelper output) : this(NewDatabasePath(), output)
    {
    }

    private PersistentEntitySpec(string databasePath, ITestOutputHelper output)
        : base(BootstrapSetup.Create().WithConfig(Hocon(databasePath)).And(AkkaSetup.SqliteJournalSetup($"Data Source={databasePath}")), "entity-spec", output)
    {
        DatabasePath = databasePath;
    }

    protected string DatabasePath { get; }

    protected static EntitySettings Settings(int snapshotEvery = 100) =>
        // Passivation is the shard's business; these entities have no shard, so keep them up.
        new(snapshotEvery, PassivateAfter: TimeSpan.FromHours(1), LongestTimer: TimeSpan.FromHours(12));

    /// <summary>Starts the entity on the real clock, or on <paramref name="clock"/> (a test that must not race a
    /// deadline holds the clock still and moves it by hand).</summary>
    protected IActorRef Start<TDecider, TState, TCommand, TEvent>(string entityId, EntitySettings? settings = null, TimeProvider? clock = null)
        where TDecider : IDecider<TState, TCommand, TEvent>
        where TState : class
        where TCommand : ICommand
        where TEvent : IDomainEvent
    {
        var s = settings ?? Settings();
        var c = clock ?? TimeProvider.System;
        return Sys.ActorOf(Props.Create(() => new DeciderEntity<TDecider, TState, TCommand, TEvent>(entityId, c, s)));
    }

    /// <summary>Sends the command with the test actor as sender, so the reply is serialized as well.</summary>
    protected async Task<IJinanMessage> Send(IActorRef entity, string entityId, ICommand command)
    {
        entity.Tell(new Execute(entityId, command), TestActor);
        return await ExpectMsgAsync<IJinanMessage>(Patience);
    }

    protected async Task<CommandAccepted> Accept(IActorRef entity, string entityId, ICommand command)
    {
        var reply = await Send(entity, entityId, command);
        return reply as CommandAccepted
            ?? throw new Xunit.Sdk.XunitException($"{command.GetType().Name} was not accepted: {(reply as CommandRejected)?.Rejection}");
    }

    protected async Task<TState> StateOf<TState>(IActorRef entity, string entityId)
    {
        entity.Tell(new GetState(entityId), TestActor);
        var current = await ExpectMsgAsync<CurrentState>(Patience);
        return Assert.IsType<TState>(current.State);
    }

    protected async Task Stop(IActorRef entity)
    {
        Watch(entity);
        entity.Tell(PoisonPill.Instance);
        await ExpectTerminatedAsync(entity, Patience);
        Unwatch(entity);
    }

    /// <summary>The manifests of the events journaled for <paramref name="persistenceId"/>, in order, read
    /// straight from the SQLite file rather than through the actor.</summary>
    protected IReadOnlyList<string> JournaledManifests(string persistenceId) =>
        Query("SELECT manifest FROM journal WHERE persistence_id = $id ORDER BY sequence_number", persistenceId, r => r.GetString(0));

    protected IReadOnlyList<long> SnapshotSequenceNumbers(string persistenceId) =>
        Query("SELECT sequence_number FROM snapshot WHERE persistence_id = $id ORDER BY sequence_number", persistenceId, r => r.GetInt64(0));

    /// <summary>The tags of one journal row (the journal's CSV tag mode: ";a;b;" in the row's tags column).</summary>
    protected IReadOnlyList<string> TagsOf(string persistenceId, long sequenceNr) =>
        Query($"SELECT tags FROM journal WHERE persistence_id = $id AND sequence_number = {sequenceNr}", persistenceId, r => r.IsDBNull(0) ? "" : r.GetString(0))
            .SelectMany(csv => csv.Split(';', StringSplitOptions.RemoveEmptyEntries)).Order(StringComparer.Ordinal).ToArray();

    protected int Execute(string sql, string persistenceId)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", persistenceId);
        return command.ExecuteNonQuery();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { DatabasePath, DatabasePath + "-wal", DatabasePath + "-shm", DatabasePath + "-journal" })
        {
            try { File.Delete(file); }
            catch (IOException) { /* a handle still open on some platform: the temp folder is cleaned anyway */ }
        }
    }

    private IReadOnlyList<T> Query<T>(string sql, string persistenceId, Func<SqliteDataReader, T> read)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", persistenceId);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read()) rows.Add(read(reader));
        return rows;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        return connection;
    }

    private static string NewDatabasePath() => Path.Combine(Path.GetTempPath(), $"jinan-actors-{Guid.NewGuid():N}.db");

    private static Config Hocon(string databasePath)
    {
        var connectionString = $"Data Source={databasePath}";
        // As AkkaSetup: SQLite reads open deferred transactions (read-uncommitted) so they do not take the write lock;
        // one writer that batches; tags in the journal row's column.
        var hocon = $$"""
            akka.loglevel = INFO
            # What the test kit waits for when a test names no limit (ChildActorOf's reply, say): an upper
            # bound for a loaded machine, like Patience, not the 3 s default.
            akka.test.single-expect-default = 30s
            akka.actor.serializers.{{LocalOnlySerializer.Name}} = "{{typeof(LocalOnlySerializer).FullName}}, {{typeof(LocalOnlySerializer).Assembly.GetName().Name}}"
            akka.actor.serialization-bindings {
            {{string.Join("\n", LocalOnlySerializer.Types.Select(t => $"  \"{t}\" = {LocalOnlySerializer.Name}"))}}
            }
            akka.actor.serialize-messages = on
            akka.actor.serialize-creators = off
            akka.persistence {
              journal {
                plugin = "akka.persistence.journal.sql"
                sql {
                  class = "Akka.Persistence.Sql.Journal.SqlWriteJournal, Akka.Persistence.Sql"
                  connection-string = "{{connectionString}}"
                  provider-name = "SQLite.MS"
                  auto-initialize = on
                  read-isolation-level = read-uncommitted
                  parallelism = 1
                  tag-write-mode = Csv
                }
              }
              snapshot-store {
                plugin = "akka.persistence.snapshot-store.sql"
                sql {
                  class = "Akka.Persistence.Sql.Snapshot.SqlSnapshotStore, Akka.Persistence.Sql"
                  connection-string = "{{connectionString}}"
                  provider-name = "SQLite.MS"
                  auto-initialize = on
                  read-isolation-level = read-uncommitted
                }
              }
              query.journal.sql {
                class = "Akka.Persistence.Sql.Query.SqlReadJournalProvider, Akka.Persistence.Sql"
                connection-string = "{{connectionString}}"
                provider-name = "SQLite.MS"
                read-isolation-level = read-uncommitted
                tag-read-mode = Csv
              }
            }
            """;
        return ConfigurationFactory.ParseString(hocon)
            .WithFallback(JinanHocon.Serialization())
            .WithFallback(Akka.Persistence.Sql.SqlPersistence.DefaultConfiguration);
    }
}
