using System.Globalization;

namespace JinanDataOps.LoadTests;

/// <summary>The host's Prometheus histograms (GET /metrics) scraped before and after a phase: what one stage of a path
/// cost in that phase — count, mean (sum ÷ count) and p50/p99 as the upper bound of the bucket they fall in.</summary>
public sealed class MetricsScrape
{
    private readonly Dictionary<string, double> _values;

    private MetricsScrape(Dictionary<string, double> values) => _values = values;

    public static async Task<MetricsScrape> Take(HttpClient http)
    {
        var text = await http.GetStringAsync("/metrics");
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var space = line.LastIndexOf(' ');
            if (space < 0) continue;
            // "name{labels} value" or "name{labels} value timestamp"
            var head = line[..space];
            var tail = line[(space + 1)..];
            if (head.LastIndexOf('}') is var close && close >= 0 && close < head.Length - 1)
            {
                tail = head[(close + 2)..];
                head = head[..(close + 1)];
            }
            if (double.TryParse(tail, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) values[head] = v;
        }
        return new MetricsScrape(values);
    }

    /// <summary>The stage of <paramref name="histogram"/> (e.g. jdo_sandbox_lane_wait_seconds) whose labels include
    /// <paramref name="label"/> (e.g. pipeline="express"), between <paramref name="before"/> and this scrape.</summary>
    public string Stage(MetricsScrape before, string histogram, string? label = null)
    {
        double Delta(Func<string, bool> match) =>
            _values.Where(kv => match(kv.Key)).Sum(kv => kv.Value) - before._values.Where(kv => match(kv.Key)).Sum(kv => kv.Value);
        bool Is(string key, string suffix) => key.StartsWith(histogram + suffix + "{", StringComparison.Ordinal) && (label is null || key.Contains(label, StringComparison.Ordinal));
        var count = Delta(k => Is(k, "_count"));
        if (count <= 0) return "—";
        var mean = Delta(k => Is(k, "_sum")) / count * 1000;
        var bounds = _values.Keys.Where(k => Is(k, "_bucket")).Select(k => Le(k)).Distinct().Order().ToArray();
        string Pct(double p)
        {
            foreach (var le in bounds)
                if (Delta(k => Is(k, "_bucket") && Le(k) == le) >= count * p) return double.IsPositiveInfinity(le) ? "> max" : $"≤ {le * 1000:0.#}";
            return "?";
        }
        return $"n {count:0}, mean {mean:0.0} ms, p50 {Pct(0.5)}, p99 {Pct(0.99)}";
    }

    private static double Le(string key)
    {
        var i = key.IndexOf("le=\"", StringComparison.Ordinal) + 4;
        var value = key[i..key.IndexOf('"', i)];
        return value == "+Inf" ? double.PositiveInfinity : double.Parse(value, CultureInfo.InvariantCulture);
    }

    /// <summary>The stages of a violation's path, printed under a phase's figures.</summary>
    public static void PrintViolationPath(MetricsScrape before, MetricsScrape after)
    {
        Console.WriteLine($"      intake → lane (jdo_sandbox_lane_wait, express):    {after.Stage(before, "jdo_sandbox_lane_wait_seconds", "pipeline=\"express\"")}");
        Console.WriteLine($"      lane records (jdo_sandbox_lane_record, express):   {after.Stage(before, "jdo_sandbox_lane_record_seconds", "pipeline=\"express\"")}");
        Console.WriteLine($"      lane journal write (monitor-lane, all parts):      {after.Stage(before, "jdo_persist_duration_seconds", "aggregate=\"monitor-lane\"")}");
        Console.WriteLine($"      closed loop after 202 (jdo_sandbox_closed_loop):   {after.Stage(before, "jdo_sandbox_closed_loop_seconds")}");
        Console.WriteLine($"      request suspension write (data-request):           {after.Stage(before, "jdo_persist_duration_seconds", "aggregate=\"data-request\"")}");
        Console.WriteLine($"      incident write (incident):                         {after.Stage(before, "jdo_persist_duration_seconds", "aggregate=\"incident\"")}");
        Console.WriteLine($"      POST /api/sandbox/events (all batches):            {after.Stage(before, "http_server_request_duration_seconds", "http_route=\"/api/sandbox/events\"")}");
        Console.WriteLine($"      GET /api/data-requests/{{id}} (the polls):           {after.Stage(before, "http_server_request_duration_seconds", "http_route=\"/api/data-requests/{id}\"")}");
    }
}
