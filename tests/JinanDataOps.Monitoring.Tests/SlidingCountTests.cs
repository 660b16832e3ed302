using JinanDataOps.Monitoring.Rules;

namespace JinanDataOps.Monitoring.Tests;

public class SlidingCountTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    // A 60 s window in 6 steps of 10 s.
    private readonly SlidingCount _count = new(TimeSpan.FromSeconds(10).Ticks, 6);
    private readonly List<(long Total, long Steps)> _closed = [];

    public SlidingCountTests() => _count.StepClosed = (total, steps) => _closed.Add((total, steps));

    [Fact]
    public void It_sums_what_falls_in_the_last_window()
    {
        _count.Add(T0, 5);
        _count.Add(T0.AddSeconds(30), 7);
        Assert.Equal(12, _count.Sum);
        _count.Add(T0.AddSeconds(65), 1); // the step at T0 has left the window
        Assert.Equal(8, _count.Sum);
        Assert.Equal([(5L, 1L)], _closed);
    }

    [Fact]
    public void A_late_event_inside_the_window_counts_and_one_older_than_the_window_does_not()
    {
        _count.Add(T0.AddSeconds(100), 1); // the window is now [50 s, 110 s)
        Assert.True(_count.Add(T0.AddSeconds(55), 2));
        Assert.False(_count.Add(T0.AddSeconds(49), 4));
        Assert.Equal(3, _count.Sum);
    }

    [Fact]
    public void Closed_steps_are_reported_in_order_and_a_long_gap_as_one_run_of_empty_steps()
    {
        _count.Add(T0, 3);
        _count.Add(T0.AddSeconds(10), 4);
        _count.Add(T0.AddSeconds(200), 1); // steps 0..14 leave: 3, 4, then 13 that saw nothing
        Assert.Equal([(3L, 1L), (4L, 1L), (0, 13)], _closed);
        Assert.Equal(1, _count.Sum);
        Assert.Equal(15, _closed.Sum(c => c.Steps));
    }

    [Fact]
    public void Steps_before_the_first_event_teach_nothing()
    {
        _count.Add(T0.AddSeconds(25), 2);
        _count.Add(T0.AddSeconds(85), 0);
        Assert.Equal([(2L, 1L)], _closed);
    }
}
