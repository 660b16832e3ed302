using JinanDataOps.Actors.Consequences;
using JinanDataOps.Actors.Entities;
using JinanDataOps.Actors.Hosting;
using JinanDataOps.Domain.Agreements;
using JinanDataOps.Domain.Applications;
using JinanDataOps.Domain.Calls;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.DataRequests;
using JinanDataOps.Domain.Datasets;
using JinanDataOps.Domain.Evaluations;
using JinanDataOps.Domain.Incidents;
using JinanDataOps.Domain.Operators;
using JinanDataOps.Domain.Products;
using JinanDataOps.Monitoring.Rules;

namespace JinanDataOps.Actors.Procedures;

/// <summary>A data request as the operator sends it.</summary>
public sealed record DataRequestInput(string AgreementId, string Scenario, IReadOnlyList<string> Datasets, string Purpose, string? ConsentEvidence);

/// <summary>A data product as the operator registers it.</summary>
public sealed record ProductInput(
    string AgreementId, IReadOnlyList<string> DataRequestIds, ProductKind Kind, string Name, string Description, IReadOnlyList<string> OutputFields, bool Aggregated);

/// <summary>An agreement as the authorizing unit drafts it.</summary>
public sealed record AgreementDraftInput(string ApplicationId, Scope Scope, DateTimeOffset StartsAt, DateTimeOffset EndsAt, AgreementClauses Clauses);

/// <summary>The answer to a shortlist: the call and each of its applications as settled.</summary>
public sealed record ShortlistOutcome(CallState Call, IReadOnlyList<ApplicationState> Applications);

/// <summary>The application calls of the procedure (STYLE.md: an endpoint is one call): each gathers the facts a
/// decider needs from other entities, sends the one command, and runs at once the consequences its caller must
/// see in the answer (the consequence projection repeats them, deciding nothing). A null outcome means the entity
/// the command leads to is still being created: the caller retries.</summary>
public sealed class ProcedureService(EntityGateway gateway, ConsequenceHandler consequences, Records records, PlatformOptions platform, RulesSource rules)
{
    /// <summary>Art. 12, 13: opened through the operator, the one place that knows every live scenario of the
    /// operator; checked against the agreement and the datasets as they are now.</summary>
    public async Task<Outcome<DataRequestState>?> SubmitDataRequest(Caller caller, string requestId, DataRequestInput input, bool repeat, CancellationToken ct)
    {
        // A repeat (same Idempotency-Key) of a request that exists changes nothing; sent on to the operator it
        // would re-open a request that has ended among the live scenarios (Art. 13) for good.
        if (repeat && await gateway.Get<DataRequest, DataRequestState>(requestId, ct) is { } existing)
            return new Outcome<DataRequestState>(existing, [], null);
        var agreement = await gateway.Get<Agreement, AgreementState>(input.AgreementId, ct);
        var found = new List<DatasetSnapshot>();
        foreach (var id in input.Datasets.Distinct())
            if (await gateway.Get<Dataset, DatasetState>(id, ct) is { } ds) found.Add(new DatasetSnapshot(ds.Id, ds.Owner, ds.Domain, ds.HasSensitiveFields));
        var submission = new DataRequestSubmission(requestId, input.AgreementId, input.Scenario, input.Datasets, input.Purpose, input.ConsentEvidence,
            agreement is null ? null : new AgreementSnapshot(agreement.Id, agreement.State, agreement.OperatorId, agreement.Scope, agreement.AuthorityOrg), found);
        var opened = await gateway.Execute<Operator, OperatorState>(caller.Org, new OpenDataRequest(caller, submission), ct);
        if (opened.Rejection is { } refused) return new Outcome<DataRequestState>(null!, [], refused);
        await consequences.HandleNow(Operator.Kind, caller.Org, opened.Events, ct);
        return await gateway.Get<DataRequest, DataRequestState>(requestId, ct) is { } created ? new Outcome<DataRequestState>(created, opened.Events, null) : null;
    }

    /// <summary>Art. 8(2), 11: the call decides, knowing whether the applicant is registered, terminated or the
    /// platform's maintainer; the application entity follows from the call's event.</summary>
    public async Task<Outcome<ApplicationState>?> Apply(
        Caller caller, string callId, string applicationId, string materialsJson, IReadOnlyList<string> affiliatedOrgs, IReadOnlyList<string> maintainerOrgs, CancellationToken ct)
    {
        var op = await gateway.Get<Operator, OperatorState>(caller.Org, ct);
        var accept = new AcceptApplication(caller, applicationId, materialsJson, affiliatedOrgs,
            maintainerOrgs.Contains(caller.Org), op is not null, op?.State == OperatorStatus.Terminated);
        var accepted = await gateway.Execute<Call, CallState>(callId, accept, ct);
        if (accepted.Rejection is { } refused) return new Outcome<ApplicationState>(null!, [], refused);
        await consequences.HandleNow(Call.Kind, callId, accepted.Events, ct);
        return await gateway.Get<Application, ApplicationState>(applicationId, ct) is { } created ? new Outcome<ApplicationState>(created, accepted.Events, null) : null;
    }

    /// <summary>Art. 8(3): the shortlist is published and each application settled at once, so the answer shows it.</summary>
    public async Task<Outcome<ShortlistOutcome>> PublishShortlist(Caller caller, string callId, CancellationToken ct)
    {
        var outcome = await gateway.Execute<Call, CallState>(callId, new PublishShortlist(caller), ct);
        if (outcome.Rejection is { } refused) return new Outcome<ShortlistOutcome>(null!, [], refused);
        await consequences.HandleNow(Call.Kind, callId, outcome.Events, ct);
        var applications = new List<ApplicationState>();
        foreach (var entry in outcome.State.Applications)
            if (await gateway.Get<Application, ApplicationState>(entry.ApplicationId, ct) is { } app) applications.Add(app);
        return new Outcome<ShortlistOutcome>(new ShortlistOutcome(outcome.State, applications), outcome.Events, null);
    }

    /// <summary>Art. 8(4), 9: drafted from the application as it stands and the datasets' domains.</summary>
    public async Task<Outcome<AgreementState>> DraftAgreement(Caller caller, AgreementDraftInput input, CancellationToken ct)
    {
        var application = await gateway.Get<Application, ApplicationState>(input.ApplicationId, ct);
        var known = new Dictionary<string, DataDomain>();
        foreach (var id in input.Scope.Datasets.Distinct())
            if (await gateway.Get<Dataset, DatasetState>(id, ct) is { } ds) known[id] = ds.Domain;
        var command = new DraftAgreement(caller, application, input.Scope, input.StartsAt, input.EndsAt, input.Clauses, known);
        return await gateway.Execute<Agreement, AgreementState>(AgreementState.IdFor(input.ApplicationId), command, ct);
    }

    /// <summary>Art. 15, 18: a request suspended for its own violation is reinstated by the agreement's authorizing unit
    /// once no incident about it is open and the agreement is active; the incidents are read from the incident
    /// listing (the read side: an incident closed a moment ago may still show open, and the caller retries).</summary>
    public Task<Outcome<DataRequestState>> ReinstateDataRequest(Caller caller, string requestId, CancellationToken ct) =>
        WithAgreement(requestId, async agreement =>
        {
            var open = (await records.Incidents(ct)).Where(i => i.DataRequestId == requestId && i.State != IncidentStatus.Closed).Select(i => i.Id).ToArray();
            return new ReinstateDataRequest(caller, agreement?.AuthorizingUnit, open, agreement?.State == AgreementStatus.Active);
        }, ct);

    /// <summary>Art. 18: the agreement's authorizing unit revokes a request suspended for its own violation.</summary>
    public Task<Outcome<DataRequestState>> RevokeDataRequest(Caller caller, string requestId, string reason, CancellationToken ct) =>
        WithAgreement(requestId, agreement => Task.FromResult<IDataRequestCommand>(new RevokeDataRequest(caller, reason, agreement?.AuthorizingUnit)), ct);

    /// <summary>A command on a data request that needs the facts of its agreement (its authorizing unit, its state).</summary>
    private async Task<Outcome<DataRequestState>> WithAgreement(string requestId, Func<AgreementState?, Task<IDataRequestCommand>> command, CancellationToken ct)
    {
        if (await gateway.Get<DataRequest, DataRequestState>(requestId, ct) is not { } request)
            return new Outcome<DataRequestState>(null!, [], Rejection.NotFound($"data request {requestId} does not exist"));
        var agreement = await gateway.Get<Agreement, AgreementState>(request.AgreementId, ct);
        return await gateway.Execute<DataRequest, DataRequestState>(requestId, await command(agreement), ct);
    }

    /// <summary>Art. 10: "an operator with access" is one holding a live request that names the dataset.</summary>
    public async Task<Outcome<DatasetState>> RaiseQualityIssue(Caller caller, string datasetId, string description, string? key, CancellationToken ct)
    {
        var hasAccess = caller.Role == Role.Operator
            && await gateway.Get<Operator, OperatorState>(caller.Org, ct) is { } op
            && op.LiveRequests.Any(r => r.Datasets.Contains(datasetId));
        return await gateway.Execute<Dataset, DatasetState>(datasetId, new RaiseQualityIssue(caller, description, hasAccess, key), ct);
    }

    /// <summary>Art. 15: an incident by hand stands under the agreement concerned, whose authority responds to it.</summary>
    public async Task<Outcome<IncidentState>> OpenIncident(
        Caller caller, string incidentId, string agreementId, string? operatorId, string? dataRequestId, string summary, CancellationToken ct)
    {
        if (await gateway.Get<Agreement, AgreementState>(agreementId, ct) is not { } agreement)
            return new Outcome<IncidentState>(null!, [], Rejection.NotFound($"agreement {agreementId} does not exist"));
        if (operatorId is not null && operatorId != agreement.OperatorId)
            return new Outcome<IncidentState>(null!, [], Rejection.Validation($"'operatorId' {operatorId} is not the operator of agreement {agreement.Id} ({agreement.OperatorId})."));
        return await gateway.Execute<Incident, IncidentState>(incidentId,
            new OpenIncident(caller, agreement.OperatorId, dataRequestId, agreement.Id, summary, "Art. 15", Source: null, agreement.AuthorityOrg ?? platform.CityAuthority), ct);
    }

    /// <summary>Art. 3, 13, 18: a product is registered from the operator's own provisioned requests under its active
    /// agreement, its output checked against the sensitive fields of the requests' datasets. The operator's record then
    /// notes it, so that a stop of the agreement or of a request finds it (the platform, idempotent).</summary>
    public async Task<Outcome<ProductState>> CreateProduct(Caller caller, string productId, ProductInput input, CancellationToken ct)
    {
        var agreement = await gateway.Get<Agreement, AgreementState>(input.AgreementId, ct);
        var sources = new List<ProductSource>();
        foreach (var id in input.DataRequestIds.Distinct())
            if (await gateway.Get<DataRequest, DataRequestState>(id, ct) is { } r)
                sources.Add(new ProductSource(r.Id, r.OperatorId, r.AgreementId, r.State, r.Datasets));
        var datasets = await SourceDatasets(sources.SelectMany(r => r.Datasets), ct);
        var command = new CreateProduct(caller, input.AgreementId, input.DataRequestIds, input.Kind, input.Name, input.Description, input.OutputFields, input.Aggregated,
            agreement is null ? null : new ProductAgreement(agreement.Id, agreement.State, agreement.OperatorId, agreement.AuthorizingUnit, agreement.AuthorityOrg ?? platform.CityAuthority),
            sources, datasets);
        var outcome = await gateway.Execute<Product, ProductState>(productId, command, ct);
        // The operator notes its product at once (the reaction to ProductCreated), so a stop right after delists it.
        if (outcome.Rejection is null) await consequences.HandleNow(Product.Kind, productId, outcome.Events, ct);
        return outcome;
    }

    /// <summary>Art. 13, 15: submitted for the review with its output checked again against its source datasets as they are.</summary>
    public async Task<Outcome<ProductState>> SubmitProduct(Caller caller, string productId, CancellationToken ct)
    {
        if (await gateway.Get<Product, ProductState>(productId, ct) is not { } product)
            return new Outcome<ProductState>(null!, [], Rejection.NotFound($"product {productId} does not exist"));
        return await gateway.Execute<Product, ProductState>(productId, new SubmitProduct(caller, await SourceDatasets(product.SourceDatasets, ct)), ct);
    }

    /// <summary>Art. 13, 18: listed only while its agreement is active and every source request still provisioned.</summary>
    public async Task<Outcome<ProductState>> ListProduct(Caller caller, string productId, string exchange, CancellationToken ct)
    {
        if (await gateway.Get<Product, ProductState>(productId, ct) is not { } product)
            return new Outcome<ProductState>(null!, [], Rejection.NotFound($"product {productId} does not exist"));
        var agreement = await gateway.Get<Agreement, AgreementState>(product.AgreementId, ct);
        var stopped = new List<string>();
        foreach (var id in product.DataRequestIds)
            if (await gateway.Get<DataRequest, DataRequestState>(id, ct) is not { State: DataRequestStatus.Provisioned }) stopped.Add(id);
        return await gateway.Execute<Product, ProductState>(productId,
            new ListProduct(caller, exchange, agreement?.State == AgreementStatus.Active, stopped), ct);
    }

    /// <summary>The datasets a product draws on, each with the names of its fields marked sensitive.</summary>
    private async Task<IReadOnlyList<SourceDataset>> SourceDatasets(IEnumerable<string> ids, CancellationToken ct)
    {
        var found = new List<SourceDataset>();
        foreach (var id in ids.Distinct())
            if (await gateway.Get<Dataset, DatasetState>(id, ct) is { } ds)
                found.Add(new SourceDataset(ds.Id, ds.Fields.Where(f => f.Sensitive).Select(f => f.Name).ToArray()));
        return found;
    }

    /// <summary>Art. 17: an evaluation stands under the agreement evaluated, as it is now (its operator, state, authority and
    /// authorizing unit). A failure for non-cooperation takes the platform's configured rectification period, the one a
    /// suspension by monitoring takes (<see cref="MonitoringRules.RectificationPeriod"/>), as it is when the evaluation opens.</summary>
    public async Task<Outcome<EvaluationState>> OpenEvaluation(
        Caller caller, string evaluationId, string operatorId, string agreementId, string period, DateTimeOffset materialsDue, CancellationToken ct)
    {
        var agreement = await gateway.Get<Agreement, AgreementState>(agreementId, ct);
        var evaluated = agreement is null
            ? null
            : new EvaluatedAgreement(agreement.Id, agreement.State, agreement.OperatorId, agreement.AuthorityOrg ?? platform.CityAuthority, agreement.AuthorizingUnit);
        return await gateway.Execute<Evaluation, EvaluationState>(evaluationId,
            new OpenEvaluation(caller, operatorId, evaluated, period, materialsDue, rules.Current.RectificationPeriod), ct);
    }
}
