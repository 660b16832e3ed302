using Akka.Actor;
using Akka.Hosting;
using JinanDataOps.Actors.Clustering;
using JinanDataOps.Actors.Entities;
using JinanDataOps.Actors.Protocol;
using JinanDataOps.Domain.Operators;

namespace JinanDataOps.Actors.Tests.Clustering;

/// <summary>While the node knows of trouble, a request waits the degraded timeout, not the whole ask timeout.</summary>
public sealed class DegradationTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Forever = TimeSpan.FromHours(1);

    [Fact]
    public void Trouble_begins_with_the_first_reason_and_ends_with_the_last()
    {
        var degradation = new Degradation();
        Assert.False(degradation.IsDegraded);
        var began = degradation.Began;
        Assert.False(began.IsCompleted);

        degradation.Set("cluster", "members unreachable: a");
        degradation.Set("journal", "down");
        Assert.True(began.IsCompleted);
        Assert.Equal(["cluster", "journal"], degradation.Reasons.Keys.Order());

        degradation.Clear("cluster");
        Assert.True(degradation.IsDegraded);
        Assert.True(degradation.Began.IsCompleted);
        degradation.Clear("journal");
        Assert.False(degradation.IsDegraded);
        Assert.False(degradation.Began.IsCompleted); // the next trouble is awaited afresh
        degradation.Clear("journal"); // clearing what is not set changes nothing
        Assert.False(degradation.IsDegraded);
    }

    [Fact]
    public async Task A_request_waiting_when_trouble_begins_is_given_up_after_the_degraded_timeout()
    {
        var (gateway, degradation, region) = Gateway(degradedTimeout: TimeSpan.FromMilliseconds(200));
        var request = gateway.Get<Operator, OperatorState>("op-1");
        region.ExpectMsg<object>(); // delivered to a region that will never answer (its node has died)
        Assert.False(request.IsCompleted);

        degradation.Set("cluster", "members unreachable: akka.tcp://jinandataops@10.0.0.9:4053");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request.WaitAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task A_request_made_during_trouble_waits_only_the_degraded_timeout()
    {
        var (gateway, degradation, region) = Gateway(degradedTimeout: TimeSpan.FromMilliseconds(200));
        degradation.Set("journal", "the journal does not answer");
        var request = gateway.Get<Operator, OperatorState>("op-1");
        region.ExpectMsg<object>();
        await Assert.ThrowsAnyAsync<AskTimeoutException>(() => request.WaitAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task Without_trouble_a_slow_answer_is_waited_for()
    {
        var (gateway, _, region) = Gateway(degradedTimeout: TimeSpan.FromMilliseconds(1));
        var request = gateway.Get<Operator, OperatorState>("op-1");
        region.ExpectMsg<object>();
        region.Reply(new CurrentState(null!, false));
        Assert.Null(await request.WaitAsync(TimeSpan.FromSeconds(60)));
    }

    private (EntityGateway, Degradation, Akka.TestKit.TestProbe) Gateway(TimeSpan degradedTimeout)
    {
        var registry = new ActorRegistry();
        var region = CreateTestProbe();
        registry.Register<Region<Operator>>(region.Ref);
        var degradation = new Degradation();
        return (new EntityGateway(registry, Forever, degradation, degradedTimeout), degradation, region);
    }
}
