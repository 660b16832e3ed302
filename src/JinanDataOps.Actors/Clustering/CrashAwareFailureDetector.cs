using Akka.Configuration;
using Akka.Event;
using Akka.Remote;

namespace JinanDataOps.Actors.Clustering;

/// <summary>The cluster's heartbeat failure detector (phi accrual, as configured), which also reports a node
/// unavailable as soon as its address is among the <see cref="CrashedNodes"/> — a process that is gone is
/// not waited for until its heartbeats have been missing for the whole acceptable pause (5 s, kept long so that a
/// node that only stalls is not downed; cluster-config/README.md, "Failure detection and split brain").
/// Configured as <c>akka.cluster.failure-detector.implementation-class</c>; the registry sets
/// <see cref="PhiAccrualFailureDetector.Address"/> on each detector it creates.</summary>
public sealed class CrashAwareFailureDetector(Config config, EventStream eventStream) : PhiAccrualFailureDetector(config, eventStream)
{
    private readonly CrashedNodes _crashed = CrashedNodes.Of(eventStream);

    public override bool IsAvailable => !_crashed.Contains(Address) && base.IsAvailable;
}
