using JinanDataOps.Actors.Entities;

namespace JinanDataOps.Actors.Tests.Entities;

public class EntitySettingsTests
{
    [Fact]
    public void Each_entity_snapshots_after_its_own_number_of_events_within_the_spread()
    {
        var settings = EntitySettings.Default;
        var thresholds = Enumerable.Range(0, 1000).Select(i => settings.SnapshotThresholdFor($"operator-op-{i:D4}")).ToArray();
        Assert.All(thresholds, t => Assert.InRange(t, settings.SnapshotEvery, settings.SnapshotEvery + settings.SnapshotSpread));
        // Spread over the whole range, so a thousand entities at one pace do not snapshot in the same instant.
        Assert.Equal(settings.SnapshotSpread + 1, thresholds.Distinct().Count());
        Assert.True(thresholds.GroupBy(t => t).Max(g => g.Count()) < 100);
    }

    [Fact]
    public void The_threshold_is_the_same_on_every_node_and_after_every_restart()
    {
        // FNV-1a of the persistence id, not the per-process string hash: the same values in any process.
        var settings = EntitySettings.Default;
        Assert.Equal(59, settings.SnapshotThresholdFor("operator-op-0001"));
        Assert.Equal(56, settings.SnapshotThresholdFor("operator-op-0002"));
        Assert.Equal(60, settings.SnapshotThresholdFor("data-request-req-1"));
    }

    [Fact]
    public void Without_a_spread_every_entity_snapshots_after_the_same_number_of_events() =>
        Assert.Equal(3, (EntitySettings.Default with { SnapshotEvery = 3, SnapshotSpread = 0 }).SnapshotThresholdFor("operator-op-0001"));
}
