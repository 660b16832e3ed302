using JinanDataOps.Domain.Agreements;
using JinanDataOps.Domain.Calls;
using JinanDataOps.Domain.DataRequests;
using JinanDataOps.Domain.Datasets;
using static JinanDataOps.Domain.Tests.Support.TestData;

namespace JinanDataOps.Domain.Tests.Support;

/// <summary>Data request submissions checked against an agreement of operator A whose scope is the transport
/// domain plus one named medical dataset.</summary>
public static class Requests
{
    public static readonly AgreementSnapshot ActiveAgreement =
        new("agr-app-1", AgreementStatus.Active, OperatorA.Org, new Scope([DataDomain.Transport], ["ds-clinic-visits"]), Authority.Org);

    /// <summary>Owned by the transport provider, no sensitive field.</summary>
    public static readonly DatasetSnapshot BusGps = new("ds-bus-gps", TransportProvider.Org, DataDomain.Transport, false);

    /// <summary>Owned by the health provider, with sensitive fields (Art. 6).</summary>
    public static readonly DatasetSnapshot ClinicVisits = new("ds-clinic-visits", MedicalProvider.Org, DataDomain.Medical, true);

    /// <summary>Owned by the health provider, outside the agreement's scope.</summary>
    public static readonly DatasetSnapshot Prescriptions = new("ds-prescriptions", MedicalProvider.Org, DataDomain.Medical, false);

    public static DataRequestSubmission Submission(
        string requestId = "dr-1", string scenario = "bus punctuality", string purpose = "publish punctuality statistics",
        string? consent = null, AgreementSnapshot? agreement = null, bool noAgreement = false, params DatasetSnapshot[] found)
    {
        if (found.Length == 0) found = [BusGps];
        return new(requestId, "agr-app-1", scenario, found.Select(d => d.Id).ToArray(), purpose, consent,
            noAgreement ? null : agreement ?? ActiveAgreement, found);
    }
}
