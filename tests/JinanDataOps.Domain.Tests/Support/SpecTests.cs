using JinanDataOps.Domain.Calls;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.Datasets;
using Xunit.Sdk;
using static JinanDataOps.Domain.Tests.Support.TestData;

namespace JinanDataOps.Domain.Tests.Support;

/// <summary>The helper itself: a spec that passes must also be able to fail.</summary>
public sealed class SpecTests() : DeciderSpec<Dataset, DatasetState, IDatasetCommand, IDatasetEvent>("ds-1")
{
    private static readonly IReadOnlyList<DatasetField> Fields = [new("a", false)];

    [Fact]
    public void Events_with_equal_lists_in_different_instances_compare_equal() =>
        Structural.Equal(new DatasetRegistered(TransportProvider, T0, "t", DataDomain.Transport, [new("a", false)]),
                         new DatasetRegistered(TransportProvider, T0, "t", DataDomain.Transport, new List<DatasetField> { new("a", false) }));

    [Fact]
    public void Decimals_compare_without_trailing_zeros() => Structural.Equal(new Criterion("a", 70m), new Criterion("a", 70.0000m));

    [Fact]
    public void Then_fails_on_a_different_event() =>
        Assert.ThrowsAny<XunitException>(() => Given().When(new RegisterDataset(TransportProvider, "t", DataDomain.Transport, Fields), T0)
            .Then(new DatasetRegistered(TransportProvider, T0, "t", DataDomain.Transport, [new("a", true)])));

    [Fact]
    public void Then_fails_on_a_rejection() =>
        Assert.ThrowsAny<XunitException>(() => Given().When(new RegisterDataset(OperatorA, "t", DataDomain.Transport, Fields), T0)
            .Then(new DatasetRegistered(OperatorA, T0, "t", DataDomain.Transport, Fields)));

    [Fact]
    public void ThenNothing_fails_on_events() =>
        Assert.ThrowsAny<XunitException>(() => Given().When(new RegisterDataset(TransportProvider, "t", DataDomain.Transport, Fields), T0).ThenNothing());

    [Fact]
    public void ThenRejected_fails_on_another_article() =>
        Assert.ThrowsAny<XunitException>(() => Given().When(new RegisterDataset(OperatorA, "t", DataDomain.Transport, Fields), T0)
            .ThenRejected(RejectionKind.Forbidden, Art.A12));

    [Fact]
    public void ThenDeadlines_fails_on_a_missing_deadline() =>
        Assert.ThrowsAny<XunitException>(() => Given().ThenDeadlines(new Deadline<IDatasetCommand>("x", T0, new RaiseQualityIssue(Platform, "x", true))));
}
