using JinanDataOps.Actors.Entities;
using JinanDataOps.Domain.Agreements;
using JinanDataOps.Domain.Applications;
using JinanDataOps.Domain.Calls;
using JinanDataOps.Domain.DataRequests;
using JinanDataOps.Domain.Datasets;
using JinanDataOps.Domain.Operators;

namespace JinanDataOps.Actors.Tests.Entities;

public sealed class PersistenceIdsTests
{
    public static TheoryData<string, string> KindsAndIds => new()
    {
        { Call.Kind, "call-1" },
        { Application.Kind, "app-1" },
        { Agreement.Kind, "agr-app-1" },
        { DataRequest.Kind, "req-1" },
        { Dataset.Kind, "ds-bus-gps" },
        { Operator.Kind, "op-quancheng" },
    };

    [Theory]
    [MemberData(nameof(KindsAndIds))]
    public void The_entity_id_is_read_back_from_the_persistence_id_the_entity_writes(string kind, string entityId)
    {
        var persistenceId = kind switch
        {
            "call" => DeciderEntity<Call, CallState, ICallCommand, ICallEvent>.PersistenceIdFor(entityId),
            "application" => DeciderEntity<Application, ApplicationState, IApplicationCommand, IApplicationEvent>.PersistenceIdFor(entityId),
            "agreement" => DeciderEntity<Agreement, AgreementState, IAgreementCommand, IAgreementEvent>.PersistenceIdFor(entityId),
            "data-request" => DeciderEntity<DataRequest, DataRequestState, IDataRequestCommand, IDataRequestEvent>.PersistenceIdFor(entityId),
            "dataset" => DeciderEntity<Dataset, DatasetState, IDatasetCommand, IDatasetEvent>.PersistenceIdFor(entityId),
            _ => DeciderEntity<Operator, OperatorState, IOperatorCommand, IOperatorEvent>.PersistenceIdFor(entityId),
        };

        Assert.Equal($"{kind}-{entityId}", persistenceId);
        Assert.Equal(entityId, PersistenceIds.EntityIdOf(kind, persistenceId));
    }

    [Fact]
    public void Only_the_first_kind_prefix_is_removed_from_an_id_that_contains_dashes() =>
        Assert.Equal("data-request-7", PersistenceIds.EntityIdOf("data-request", "data-request-data-request-7"));

    [Fact]
    public void A_kind_that_is_only_a_prefix_of_another_word_is_not_removed() =>
        Assert.Equal("callback-1", PersistenceIds.EntityIdOf("call", "callback-1"));

    [Fact]
    public void A_persistence_id_of_another_kind_is_returned_unchanged() =>
        Assert.Equal("agreement-agr-app-1", PersistenceIds.EntityIdOf("call", "agreement-agr-app-1"));

    [Fact]
    public void The_prefix_must_match_in_case() =>
        Assert.Equal("Call-1", PersistenceIds.EntityIdOf("call", "Call-1"));
}
