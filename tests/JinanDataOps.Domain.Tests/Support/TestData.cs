using JinanDataOps.Domain.Calls;
using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.Datasets;

namespace JinanDataOps.Domain.Tests.Support;

/// <summary>Fixed times and parties shared by the specs. Never the real clock.</summary>
public static class TestData
{
    public static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-12-01T00:00:00Z");

    /// <summary>The application window of the standard call: opens a day after T0, closes ten days later.</summary>
    public static readonly DateTimeOffset OpensAt = T0.AddDays(1);
    public static readonly DateTimeOffset ClosesAt = T0.AddDays(11);
    public static readonly TimeSpan NoticePeriod = TimeSpan.FromDays(5);
    public static readonly DateTimeOffset DuringWindow = T0.AddDays(5);
    public static readonly DateTimeOffset AfterWindow = T0.AddDays(12);

    public static readonly Caller Authority = new(Role.Authority, "jinan-bdb");
    public static readonly Caller OtherAuthority = new(Role.Authority, "licheng-bdb");
    public static readonly Caller TransportProvider = new(Role.Provider, "jn-transport");
    public static readonly Caller MedicalProvider = new(Role.Provider, "jn-health");
    public static readonly Caller OperatorA = new(Role.Operator, "op-a");
    public static readonly Caller OperatorB = new(Role.Operator, "op-b");
    public static readonly Caller Expert1 = new(Role.Expert, "expert-1");
    public static readonly Caller Expert2 = new(Role.Expert, "expert-2");
    public static readonly Caller Expert3 = new(Role.Expert, "expert-3");
    public static readonly Caller Maintainer = new(Role.Maintainer, "jn-maint");
    public static readonly Caller Regulator = new(Role.Regulator, "jn-cac");
    public static readonly Caller Sandbox = new(Role.Sandbox, "sandbox");
    public static readonly Caller Citizen = new(Role.Public, "citizen-1");
    public static readonly Caller Platform = Caller.Platform;

    /// <summary>Two criteria, weights 3 and 1, pass score 60: weighted = (3·a + b) / 4.</summary>
    public static readonly IReadOnlyList<Criterion> Criteria = [new("innovation", 3m), new("security", 1m)];

    public static CallTerms Terms(AuthorizationMode mode = AuthorizationMode.Comprehensive, decimal passScore = 60m) => new(
        mode, "Transport data for smart mobility", mode == AuthorizationMode.Domain ? TransportProvider.Org : null,
        new Scope([DataDomain.Transport], ["ds-bus-gps"]), ["registered in Jinan"], Criteria, passScore,
        OpensAt, ClosesAt, NoticePeriod);

    public static Dictionary<string, decimal> Scores(decimal innovation, decimal security) =>
        new() { ["innovation"] = innovation, ["security"] = security };
}
