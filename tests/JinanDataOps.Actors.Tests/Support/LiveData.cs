using JinanDataOps.Domain.Agreements;
using JinanDataOps.Domain.Applications;
using JinanDataOps.Domain.Calls;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.Datasets;

namespace JinanDataOps.Actors.Tests.Support;

/// <summary>Commands for entities that run on the real clock: windows and deadlines relative to now.</summary>
public static class LiveData
{
    public static readonly Caller Authority = new(Role.Authority, "jinan-bdb");
    public static readonly Caller OtherAuthority = new(Role.Authority, "licheng-bdb");
    public static readonly Caller OperatorA = new(Role.Operator, "op-a");
    public static readonly Caller OperatorB = new(Role.Operator, "op-b");

    public static readonly Scope Scope = new([DataDomain.Transport], ["ds-bus-gps"]);

    public static CallTerms Terms(DateTimeOffset closesAt) => new(
        AuthorizationMode.Comprehensive, "Transport data for smart mobility", null, Scope, ["registered in Jinan"],
        [new("innovation", 3m), new("security", 1m)], 60m, closesAt.AddDays(-10), closesAt, TimeSpan.FromDays(5));

    public static AcceptApplication Apply(Caller op, string applicationId) =>
        new(op, applicationId, "{\"plan\":\"bus\"}", [$"{op.Org}-parent"], IsPlatformMaintainer: false, OperatorRegistered: true, OperatorTerminated: false);

    /// <summary>Built by hand: what the application entity holds once the notice ended without objection (Art. 8(4)).</summary>
    public static ApplicationState ConfirmedApplication(string applicationId, DateTimeOffset now)
    {
        var terms = Terms(now.AddDays(-20));
        return new ApplicationState(
            applicationId, ApplicationStatus.Confirmed, "call-7", OperatorA.Org, Authority.Org, terms, "{\"plan\":\"bus\"}",
            [], [], [new Review("expert-1", new Dictionary<string, decimal> { ["innovation"] = 80m, ["security"] = 70m }, 77.5m, now.AddDays(-19))],
            [], 77.5m, now.AddDays(-10), NoticeEnded: true, RejectionReason: null);
    }

    public static DraftAgreement Draft(ApplicationState application, DateTimeOffset now) => new(
        Authority, application, Scope, now.AddDays(-1), now.AddYears(1),
        new AgreementClauses("operate within scope", "level-3 protection", "exit on breach", "liquidated damages", "return models"),
        new Dictionary<string, DataDomain> { ["ds-bus-gps"] = DataDomain.Transport });
}
