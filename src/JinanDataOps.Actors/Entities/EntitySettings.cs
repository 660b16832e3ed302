namespace JinanDataOps.Actors.Entities;

/// <summary>Tuning of every entity shell.</summary>
/// <param name="SnapshotEvery">Save a snapshot after this many events (and the entity's spread, <see cref="EntitySettings.SnapshotSpread"/>),
/// so recovery replays at most that many.</param>
/// <param name="PassivateAfter">Stop an entity idle this long, unless it has a deadline to keep.</param>
/// <param name="LongestTimer">Timers further away are re-checked at this interval (the scheduler wants bounded delays).</param>
public sealed record EntitySettings(int SnapshotEvery, TimeSpan PassivateAfter, TimeSpan LongestTimer)
{
    public static readonly EntitySettings Default = new(50, TimeSpan.FromMinutes(2), TimeSpan.FromHours(12)) { SnapshotSpread = 25 };

    /// <summary>Each entity snapshots after <see cref="SnapshotEvery"/> plus its own 0 to this many events (fixed per
    /// entity, from its persistence id). With one threshold for all, entities that receive commands at the same pace
    /// (a thousand operators filing reports in turn) reach it together, and a thousand snapshots are written in the
    /// same instant: under a fixed arrival rate the platform then fell behind for a second or more every ~16 s
    /// (docs/benchmarks.md, issue 14, "latency under a fixed arrival rate"). Spread, they are written one by one.</summary>
    public int SnapshotSpread { get; init; }

    /// <summary>How many events this entity records between two snapshots.</summary>
    public int SnapshotThresholdFor(string persistenceId)
    {
        if (SnapshotSpread <= 0) return SnapshotEvery;
        // FNV-1a: the same spread on every node and after every restart (string.GetHashCode is per process).
        var hash = 2166136261u;
        foreach (var c in persistenceId) hash = (hash ^ c) * 16777619u;
        return SnapshotEvery + (int)(hash % (uint)(SnapshotSpread + 1));
    }
}
