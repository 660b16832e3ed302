// Each collection runs its own host process and spends most of its time waiting for the platform's
// timers, so all of them run side by side (xunit's default caps this at the number of cores).
[assembly: CollectionBehavior(MaxParallelThreads = 4)]
