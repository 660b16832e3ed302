using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace JinanDataOps.Actors.ReadModels;

/// <summary>How the node-local views follow the journal: one live events-by-tag stream per tag, from the
/// beginning, each envelope sent to the view as a message. A stream that ends or fails is reported to the
/// view as a <see cref="Status.Failure"/>, on which the view throws, restarts and follows again.</summary>
public static class TaggedStreams
{
    public static void Follow(IActorContext context, IEnumerable<string> tags, Func<EventEnvelope, object> message)
    {
        var journal = PersistenceQuery.Get(context.System).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);
        var self = context.Self;
        foreach (var tag in tags)
            journal.EventsByTag(tag, Offset.NoOffset())
                .RunForeach(e => self.Tell(message(e)), context.Materializer())
                .PipeTo(self, success: () => new Status.Failure(new InvalidOperationException($"the {tag} stream ended")), failure: ex => new Status.Failure(ex));
    }
}
