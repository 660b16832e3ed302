using JinanDataOps.Domain.Audit;
using JinanDataOps.Domain.Calls;
using JinanDataOps.Domain.Common;

namespace JinanDataOps.Domain.Tests.Audit;

/// <summary>The operator's record (Art. 8(5)) finds an entity's events through the event that names its operator: every
/// event carrying an <c>OperatorId</c> says it concerns that operator — except a call's, which concern the call.</summary>
public sealed class ConcernedOperatorTests
{
    [Fact]
    public void Every_event_that_names_an_operator_concerns_it()
    {
        var events = typeof(IDomainEvent).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IDomainEvent).IsAssignableFrom(t) && !typeof(ICallEvent).IsAssignableFrom(t))
            .Where(t => t.GetProperty("OperatorId")?.PropertyType == typeof(string))
            .ToArray();
        Assert.NotEmpty(events);
        Assert.All(events, t => Assert.True(typeof(IConcernsOperator).IsAssignableFrom(t), $"{t.Name} names an operator but does not say it concerns it"));
    }
}
