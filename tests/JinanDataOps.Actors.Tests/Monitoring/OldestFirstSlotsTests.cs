using JinanDataOps.Actors.Monitoring;

namespace JinanDataOps.Actors.Tests.Monitoring;

/// <summary>The intake's bulk slots: a freed slot goes to the oldest waiting batch's part, whatever order the parts asked in.</summary>
public sealed class OldestFirstSlotsTests
{
    [Fact]
    public async Task Free_slots_are_taken_at_once_and_a_freed_one_goes_to_the_lowest_order_waiting()
    {
        var slots = new OldestFirstSlots(2);
        Assert.True(slots.Take(7).IsCompletedSuccessfully);
        Assert.True(slots.Take(8).IsCompletedSuccessfully);
        var late = slots.Take(9);
        var oldest = slots.Take(3);
        var middle = slots.Take(5);
        Assert.False(late.IsCompleted || oldest.IsCompleted || middle.IsCompleted);

        slots.Release();
        await oldest;
        Assert.False(late.IsCompleted || middle.IsCompleted);
        slots.Release();
        await middle;
        Assert.False(late.IsCompleted);
        slots.Release();
        await late;
    }

    [Fact]
    public async Task A_slot_released_with_no_one_waiting_is_free_again()
    {
        var slots = new OldestFirstSlots(1);
        Assert.True(slots.Take(1).IsCompletedSuccessfully);
        var waiting = slots.Take(2);
        slots.Release();
        await waiting;
        slots.Release();
        Assert.True(slots.Take(3).IsCompletedSuccessfully);
        Assert.Throws<ArgumentOutOfRangeException>(() => new OldestFirstSlots(0));
    }
}
