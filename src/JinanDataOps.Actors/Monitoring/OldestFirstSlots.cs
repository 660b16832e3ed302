namespace JinanDataOps.Actors.Monitoring;

/// <summary>A counting semaphore that hands a freed slot to the waiter with the lowest <c>order</c> (the oldest batch),
/// not to the one that asked first. The intake's lanes ask for slots independently, each for its next part: served in
/// the order they asked, a lane that runs ahead — its parts of later batches queued behind every other lane's — took
/// the slots while the oldest batch's last parts waited, so every batch in the intake finished late and the journal
/// saw fewer parts than it could take (sandbox ingestion at 16 clients fell to a third with 4 slots). Oldest first, the
/// lanes stay in step and the batches complete in about the order they came.</summary>
public sealed class OldestFirstSlots
{
    private readonly Lock _gate = new();
    private readonly PriorityQueue<TaskCompletionSource, (long Order, long Arrival)> _waiting = new();
    private int _free;
    private long _arrivals;

    public OldestFirstSlots(int slots)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        _free = slots;
    }

    /// <summary>Completes once a slot is this caller's; give it back with <see cref="Release"/>.</summary>
    public Task Take(long order)
    {
        lock (_gate)
        {
            if (_free > 0)
            {
                _free--;
                return Task.CompletedTask;
            }
            // Continuations run on the thread pool, never inside Release (which runs on an ask's completion).
            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Enqueue(waiter, (order, _arrivals++));
            return waiter.Task;
        }
    }

    public void Release()
    {
        TaskCompletionSource? next;
        lock (_gate)
        {
            if (!_waiting.TryDequeue(out next, out _))
            {
                _free++;
                return;
            }
        }
        next.SetResult();
    }
}
