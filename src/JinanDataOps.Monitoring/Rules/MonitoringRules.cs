namespace JinanDataOps.Monitoring.Rules;

/// <summary>Thresholds and switches of the rules: the <c>Monitoring</c> section of
/// <c>cluster-config/monitoring.json</c>, re-read when the file changes (no restart). Every rule is on
/// unless switched off by name in <see cref="Off"/>.</summary>
public sealed record MonitoringRules
{
    /// <summary>Length of the windows: alerts are de-duplicated per operator, rule and window, and the
    /// windowed rules count over the last window (sliding, in <see cref="BucketsPerWindow"/> steps).</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(1);

    public int BucketsPerWindow { get; init; } = 12;

    /// <summary>Names of rules switched off (<see cref="RuleNames"/>).</summary>
    public List<string> Off { get; init; } = [];

    public VolumeRule Volume { get; init; } = new();

    public DeniedBurstRule DeniedBurst { get; init; } = new();

    public WorkingHours Hours { get; init; } = new();

    /// <summary>A warning repeated in this many distinct windows within <see cref="EscalationPeriod"/> is
    /// raised as critical ("escalating to critical on repetition").</summary>
    public int RepeatsToCritical { get; init; } = 3;

    public TimeSpan EscalationPeriod { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How many triggering event ids an alert keeps as evidence (its count goes on).</summary>
    public int EvidencePerAlert { get; init; } = 20;

    /// <summary>Closed loop: a critical alert suspends the data request, and by this policy its agreement too
    /// (which suspends the operator's other requests).</summary>
    public bool SuspendAgreementOnCritical { get; init; } = true;

    /// <summary>The rectification deadline set when monitoring suspends an agreement (Art. 18: suspension
    /// states its rectification and deadline).</summary>
    public TimeSpan RectificationPeriod { get; init; } = TimeSpan.FromDays(30);

    public bool IsOn(string rule) => !Off.Contains(rule, StringComparer.Ordinal);

    /// <summary>Refuses settings that would make the rules meaningless, so a bad edit of the file is
    /// reported and the previous rules stay in force.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (BucketsPerWindow is < 1 or > 3600) problems.Add("BucketsPerWindow must be between 1 and 3600");
        if (Window <= TimeSpan.Zero) problems.Add("Window must be positive");
        else if (Window.Ticks / Math.Max(1, BucketsPerWindow) < TimeSpan.TicksPerMillisecond) problems.Add("a window step (Window / BucketsPerWindow) must be at least 1 ms");
        foreach (var name in Off.Where(n => !RuleNames.All.Contains(n))) problems.Add($"Off names an unknown rule '{name}' (known: {string.Join(", ", RuleNames.All)})");
        if (Volume.Factor <= 1) problems.Add("Volume.Factor must be above 1");
        if (Volume.CriticalFactor <= Volume.Factor) problems.Add("Volume.CriticalFactor must be above Volume.Factor");
        if (Volume.CeilingRows < 1) problems.Add("Volume.CeilingRows must be at least 1");
        if (Volume.MinRows < 0) problems.Add("Volume.MinRows must not be negative");
        if (Volume.Smoothing is <= 0 or > 1) problems.Add("Volume.Smoothing must be in (0, 1]");
        if (Volume.WarmupWindows < 1) problems.Add("Volume.WarmupWindows must be at least 1");
        if (DeniedBurst.Threshold < 1) problems.Add("DeniedBurst.Threshold must be at least 1");
        if (Hours.Start < TimeSpan.Zero || Hours.Start >= TimeSpan.FromDays(1) || Hours.End <= TimeSpan.Zero || Hours.End > TimeSpan.FromDays(1))
            problems.Add("Hours.Start and Hours.End are times of day");
        if (Hours.UtcOffset.Duration() > TimeSpan.FromHours(14)) problems.Add("Hours.UtcOffset is at most ±14 h");
        if (RepeatsToCritical < 2) problems.Add("RepeatsToCritical must be at least 2");
        if (EscalationPeriod < Window) problems.Add("EscalationPeriod must be at least one Window");
        if (EvidencePerAlert < 1) problems.Add("EvidencePerAlert must be at least 1");
        if (RectificationPeriod <= TimeSpan.Zero) problems.Add("RectificationPeriod must be positive");
        return problems;
    }
}

/// <summary>Rows read per operator in the sliding window against that operator's own baseline: an
/// exponentially weighted mean of its past windows (weight <see cref="Smoothing"/> for the newest).
/// Warns above <see cref="Factor"/> × baseline and is critical above <see cref="CriticalFactor"/> × baseline
/// — "a volume far above the operator's baseline" (DOMAIN.md, Art. 15), which suspends — once the baseline has
/// seen <see cref="WarmupWindows"/> windows, and never below <see cref="MinRows"/> (a quiet operator reading a
/// little more is no alarm). Before any baseline exists, one query reading more than <see cref="CeilingRows"/>
/// rows under its data request warns from the first event.</summary>
public sealed record VolumeRule
{
    public double Factor { get; init; } = 10;
    public double CriticalFactor { get; init; } = 100;
    public long CeilingRows { get; init; } = 1_000_000;
    public long MinRows { get; init; } = 10_000;
    public double Smoothing { get; init; } = 0.2;
    public int WarmupWindows { get; init; } = 3;
}

/// <summary>Accesses the sandbox itself refused, per operator in the sliding window.</summary>
public sealed record DeniedBurstRule
{
    public int Threshold { get; init; } = 20;
}

/// <summary>Hours in which activity is expected, in local time (Jinan: UTC+8). Start after End means
/// the hours run over midnight.</summary>
public sealed record WorkingHours
{
    public TimeSpan Start { get; init; } = TimeSpan.FromHours(7);
    public TimeSpan End { get; init; } = TimeSpan.FromHours(22);
    public TimeSpan UtcOffset { get; init; } = TimeSpan.FromHours(8);

    public bool Contains(DateTimeOffset at)
    {
        var local = at.ToOffset(UtcOffset).TimeOfDay;
        return Start <= End ? local >= Start && local < End : local >= Start || local < End;
    }
}

/// <summary>The rules' stable names: in configuration, in alerts, in the API.</summary>
public static class RuleNames
{
    public const string RawExport = "raw-export";
    public const string RequestNotProvisioned = "request-not-provisioned";
    public const string OutsideRequest = "outside-request";
    public const string SensitiveWithoutConsent = "sensitive-without-consent";
    public const string VolumeAboveBaseline = "volume-above-baseline";
    public const string VolumeFarAboveBaseline = "volume-far-above-baseline";
    public const string VolumeAboveCeiling = "volume-above-ceiling";
    public const string DeniedBurst = "denied-burst";
    public const string OutsideHours = "outside-hours";

    public static readonly IReadOnlyList<string> All =
        [RawExport, RequestNotProvisioned, OutsideRequest, SensitiveWithoutConsent, VolumeAboveBaseline, VolumeFarAboveBaseline, VolumeAboveCeiling, DeniedBurst, OutsideHours];
}
