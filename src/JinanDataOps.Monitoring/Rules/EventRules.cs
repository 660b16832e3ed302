using System.Globalization;
using JinanDataOps.Domain.Common;
using JinanDataOps.Monitoring.Sandbox;

namespace JinanDataOps.Monitoring.Rules;

/// <summary>The rules that judge a single event on its own: each a pure function of the event, what is
/// known of its request and dataset, and the configured switches. What the sandbox let through although it
/// must not is critical (Art. 13, 6, 15); activity outside working hours and a query above the volume ceiling
/// are warnings.</summary>
public static class EventRules
{
    public static void Judge(EnrichedEvent e, MonitoringRules rules, List<Finding> found)
    {
        if (rules.IsOn(RuleNames.RawExport) && RawExport(e) is { } export) found.Add(export);
        if (rules.IsOn(RuleNames.RequestNotProvisioned) && RequestNotProvisioned(e) is { } unprovisioned) found.Add(unprovisioned);
        if (rules.IsOn(RuleNames.OutsideRequest) && OutsideRequest(e) is { } outside) found.Add(outside);
        if (rules.IsOn(RuleNames.SensitiveWithoutConsent) && SensitiveWithoutConsent(e) is { } sensitive) found.Add(sensitive);
        if (rules.IsOn(RuleNames.OutsideHours) && OutsideHours(e, rules.Hours) is { } hours) found.Add(hours);
        if (rules.IsOn(RuleNames.VolumeAboveCeiling) && AboveCeiling(e, rules.Volume) is { } ceiling) found.Add(ceiling);
    }

    /// <summary>Art. 15: one query reading more rows than the configured ceiling, judged on its own from the first
    /// event — before the operator has any baseline (a first-day query of millions of rows).</summary>
    public static Finding? AboveCeiling(EnrichedEvent e, VolumeRule volume) =>
        e.Event.Rows > volume.CeilingRows
            ? new Finding(RuleNames.VolumeAboveCeiling, Severity.Warning, "Art. 15",
                $"Art. 15: one {Kebab.Of(e.Event.Kind)} read {e.Event.Rows} rows of '{e.Event.Dataset}' under request '{e.Event.DataRequestId}', above the ceiling of {volume.CeilingRows} rows",
                Observed(("rows", Num(e.Event.Rows)), ("ceiling", Num(volume.CeilingRows))))
            : null;

    /// <summary>Art. 13: raw public data never leaves the platform; products leave through their own
    /// review, never as an export or download of rows.</summary>
    public static Finding? RawExport(EnrichedEvent e) =>
        e.Event.Kind is ActionKind.Export or ActionKind.Download
            ? new Finding(RuleNames.RawExport, Severity.Critical, "Art. 13",
                $"Art. 13: an attempt to {Kebab.Of(e.Event.Kind)} raw data ({e.Event.Rows} rows, {e.Event.Bytes} bytes of '{e.Event.Dataset}'); raw public data must not leave the platform",
                Observed(("kind", Kebab.Of(e.Event.Kind)), ("rows", Num(e.Event.Rows)), ("bytes", Num(e.Event.Bytes)), ("denied", e.Event.Denied ? "true" : "false")))
            : null;

    /// <summary>Art. 13/15: activity under a request the sandbox must not serve — unknown, another
    /// operator's, or not provisioned (suspended, revoked, closed): the sandbox failed to enforce.</summary>
    public static Finding? RequestNotProvisioned(EnrichedEvent e)
    {
        var r = e.Request;
        var why = r is null ? $"data request '{e.Event.DataRequestId}' is not known to the platform"
            : r.OperatorId != e.Event.OperatorId ? $"data request '{r.RequestId}' belongs to operator '{r.OperatorId}'"
            : !r.Provisioned ? $"data request '{r.RequestId}' is {r.State}, not provisioned"
            : null;
        return why is null ? null : new Finding(RuleNames.RequestNotProvisioned, Severity.Critical, "Art. 13",
            $"Art. 13, 15: activity in the sandbox although {why}; the sandbox failed to enforce its access",
            Observed(("request", e.Event.DataRequestId), ("requestState", r?.State ?? "unknown"), ("requestOperator", r?.OperatorId ?? "unknown")));
    }

    /// <summary>Art. 13: one request per scenario, for the datasets approved in it and no others.</summary>
    public static Finding? OutsideRequest(EnrichedEvent e) =>
        e.Request is { } r && !r.Datasets.Contains(e.Event.Dataset)
            ? new Finding(RuleNames.OutsideRequest, Severity.Critical, "Art. 13",
                $"Art. 13: dataset '{e.Event.Dataset}' is not among the datasets approved in data request '{r.RequestId}' ({string.Join(", ", r.Datasets.Order(StringComparer.Ordinal))})",
                Observed(("dataset", e.Event.Dataset), ("approved", string.Join(",", r.Datasets.Order(StringComparer.Ordinal)))))
            : null;

    /// <summary>Art. 6: sensitive fields only with the recorded consent of the data subjects.</summary>
    public static Finding? SensitiveWithoutConsent(EnrichedEvent e)
    {
        if (e.Request?.ConsentRecorded == true || e.SensitiveFields.Count == 0) return null;
        var touched = e.Event.Fields.Where(e.SensitiveFields.Contains).Distinct(StringComparer.Ordinal).ToArray();
        return touched.Length == 0 ? null : new Finding(RuleNames.SensitiveWithoutConsent, Severity.Critical, "Art. 6",
            $"Art. 6: sensitive fields {string.Join(", ", touched)} of '{e.Event.Dataset}' were touched without recorded consent of the data subjects",
            Observed(("fields", string.Join(",", touched)), ("consentRecorded", "false")));
    }

    /// <summary>Art. 15: activity outside the configured hours is unusual, not forbidden: a warning,
    /// which repetition escalates.</summary>
    public static Finding? OutsideHours(EnrichedEvent e, WorkingHours hours) =>
        hours.Contains(e.Event.At) ? null : new Finding(RuleNames.OutsideHours, Severity.Warning, "Art. 15",
            $"Art. 15: activity at {e.Event.At.ToOffset(hours.UtcOffset):HH:mm} local time, outside the hours {hours.Start:hh\\:mm}–{hours.End:hh\\:mm}",
            Observed(("localTime", e.Event.At.ToOffset(hours.UtcOffset).ToString("HH:mm", CultureInfo.InvariantCulture)),
                ("hours", $"{hours.Start:hh\\:mm}-{hours.End:hh\\:mm}")));

    internal static IReadOnlyDictionary<string, string> Observed(params (string Key, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    internal static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);
}
