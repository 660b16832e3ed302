using JinanDataOps.Domain.Agreements;
using JinanDataOps.Domain.Applications;
using JinanDataOps.Domain.Calls;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.DataRequests;
using JinanDataOps.Domain.Operators;

namespace JinanDataOps.Actors.Consequences;

/// <summary>Which events have consequences in other entities (DOMAIN.md): only these are tagged for the
/// consequence projection, so it reads nothing it does not act on.</summary>
public static class ConsequenceRules
{
    public static bool HasConsequences(IDomainEvent e) => e is
        ApplicationAccepted or ShortlistPublished or CallConcluded
        or ReviewRecorded
        or AgreementActivated or AgreementSuspended or AgreementRestored or AgreementTerminated or AgreementExpired
        or DataRequestOpened or TrainingRecorded
        or DataRequestApproved or DataRequestRejected or DataRequestRevoked or DataRequestClosed
        or Monitoring.AlertsRaised { Acting.Count: > 0 };
}
