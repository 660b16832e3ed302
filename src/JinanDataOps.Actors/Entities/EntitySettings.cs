namespace JinanDataOps.Actors.Entities;

/// <summary>Tuning of every entity shell.</summary>
/// <param name="SnapshotEvery">Save a snapshot after this many events, so recovery replays at most that many.</param>
/// <param name="PassivateAfter">Stop an entity idle this long, unless it has a deadline to keep.</param>
/// <param name="LongestTimer">Timers further away are re-checked at this interval (the scheduler wants bounded delays).</param>
public sealed record EntitySettings(int SnapshotEvery, TimeSpan PassivateAfter, TimeSpan LongestTimer)
{
    public static readonly EntitySettings Default = new(50, TimeSpan.FromMinutes(2), TimeSpan.FromHours(12));
}
