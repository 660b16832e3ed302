using System.Globalization;
using System.Text.RegularExpressions;

namespace JinanDataOps.LoadDriver;

/// <summary>A limit a run must meet, written "[scenario][/step]:metric op value": "p99&lt;25ms",
/// "fail%&lt;1", "operator-lifecycle/register:p95&lt;=200ms", "*/apply:fail%&lt;0.5", "*/*:fail%&lt;1" (every step of every scenario), "sandbox-burst:rps&gt;10".
/// Without a scenario it holds for every scenario; without a step, for whole iterations; "*" as the step
/// means every step. Metrics: min, mean, max, p50, p75, p95, p99 (ms, or with the unit ms or s), fail% (of
/// all answers), rps (ok answers per second), ok and fail (counts). A threshold with nothing to measure
/// fails: a run that recorded nothing has not shown anything.</summary>
public sealed partial record Threshold(string? Scenario, string? Step, string Metric, string Op, double Value, string Text)
{
    [GeneratedRegex(@"^(?:(?<scope>[^:]+):)?(?<metric>min|mean|max|p50|p75|p95|p99|fail%|rps|ok|fail)\s*(?<op><=|>=|<|>)\s*(?<value>\d+(?:\.\d+)?)\s*(?<unit>ms|s|%)?$")]
    private static partial Regex Pattern();

    public static Threshold Parse(string text, string? scenario = null) =>
        TryParse(text, scenario, out var t, out var error) ? t : throw new FormatException(error);

    public static bool TryParse(string text, string? scenario, out Threshold threshold, out string error)
    {
        threshold = null!;
        var m = Pattern().Match(text.Trim());
        if (!m.Success)
        {
            error = $"'{text}' is not a threshold: write [scenario][/step]:metric op value, e.g. p99<25ms, fail%<1, */register:p95<=200ms (metrics: min mean max p50 p75 p95 p99 fail% rps ok fail).";
            return false;
        }
        var metric = m.Groups["metric"].Value;
        var unit = m.Groups["unit"].Value;
        var value = double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
        var isLatency = metric is "min" or "mean" or "max" or "p50" or "p75" or "p95" or "p99";
        if (unit == "s" && isLatency) value *= 1000;
        else if (unit.Length > 0 && !(isLatency && unit == "ms") && !(metric == "fail%" && unit == "%"))
        {
            error = $"'{text}': the unit '{unit}' does not fit {metric}.";
            return false;
        }
        string? s = scenario, step = null;
        if (m.Groups["scope"].Success)
        {
            var scope = m.Groups["scope"].Value.Trim();
            var slash = scope.IndexOf('/');
            var named = slash < 0 ? scope : scope[..slash];
            if (named.Length > 0 && named != "*") s = named;
            if (slash >= 0) step = scope[(slash + 1)..];
            if (step is { Length: 0 })
            {
                error = $"'{text}': name the step after the '/' (or '*' for every step).";
                return false;
            }
        }
        threshold = new Threshold(s, step, metric, m.Groups["op"].Value, value, text.Trim());
        error = "";
        return true;
    }

    public IEnumerable<Verdict> Evaluate(IReadOnlyList<ScenarioReport> scenarios)
    {
        var matched = scenarios.Where(r => Scenario is null || r.Name == Scenario).ToArray();
        if (matched.Length == 0)
        {
            yield return new Verdict("threshold", Scenario ?? "(any scenario)", Text, false, "no such scenario ran");
            yield break;
        }
        foreach (var r in matched)
        {
            if (Step == "*")
            {
                yield return EveryStep(r);
                continue;
            }
            var (subject, stats) = Step is null ? (r.Name, r.Iterations) : ($"{r.Name}/{Step}", r.Steps.FirstOrDefault(s => s.Step == Step));
            yield return Measure(stats) is { } a
                ? new Verdict("threshold", subject, Text, Holds(a), Format(a))
                : new Verdict("threshold", subject, Text, false, "nothing recorded");
        }
    }

    /// <summary>One verdict for every step of a scenario: it holds when each step does; the actual names the
    /// steps that fail, or the one closest to the limit.</summary>
    private Verdict EveryStep(ScenarioReport r)
    {
        var measured = r.Steps.Select(s => (s.Step, Value: Measure(s))).ToArray();
        if (measured.Length == 0) return new Verdict("threshold", $"{r.Name}/*", Text, false, "nothing recorded");
        var failing = measured.Where(m => m.Value is not { } v || !Holds(v)).ToArray();
        if (failing.Length > 0)
            return new Verdict("threshold", $"{r.Name}/*", Text, false,
                "failing: " + string.Join(", ", failing.Select(f => $"{f.Step} {(f.Value is { } v ? Format(v) : "nothing recorded")}")));
        var closest = Op is "<" or "<=" ? measured.MaxBy(m => m.Value) : measured.MinBy(m => m.Value);
        return new Verdict("threshold", $"{r.Name}/*", Text, true, $"all {measured.Length} steps hold; closest: {closest.Step} {Format(closest.Value!.Value)}");
    }

    private double? Measure(StepStats? s)
    {
        if (s is null || s.Total == 0) return null;
        return Metric switch
        {
            "fail%" => s.FailPercent,
            "rps" => s.Rps,
            "ok" => s.Ok,
            "fail" => s.Fail,
            _ when s.Latency is not { } l => null,
            _ => Metric switch
            {
                "min" => s.Latency.Min,
                "mean" => s.Latency.Mean,
                "max" => s.Latency.Max,
                "p50" => s.Latency.P50,
                "p75" => s.Latency.P75,
                "p95" => s.Latency.P95,
                _ => s.Latency.P99,
            },
        };
    }

    private bool Holds(double actual) => Op switch
    {
        "<" => actual < Value,
        "<=" => actual <= Value,
        ">" => actual > Value,
        _ => actual >= Value,
    };

    private string Format(double actual) => Metric switch
    {
        "fail%" => $"{actual:0.###} %",
        "rps" => $"{actual:0.#}/s",
        "ok" or "fail" => $"{actual:0}",
        _ => $"{actual:0.0} ms",
    };
}
