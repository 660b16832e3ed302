using System.Globalization;
using System.Text.RegularExpressions;

namespace JinanDataOps.LoadDriver;

/// <summary>Durations and rates as a command line writes them: "60s", "1m30s", "500ms", "2h"; "200/s", "200", "12000/m".</summary>
public static partial class Durations
{
    [GeneratedRegex(@"^(?:(?<n>\d+(?:\.\d+)?)(?<u>ms|s|m|h))+$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"(?<n>\d+(?:\.\d+)?)(?<u>ms|s|m|h)")]
    private static partial Regex DurationPart();

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text) || !DurationPattern().IsMatch(text.Trim())) return false;
        foreach (Match m in DurationPart().Matches(text.Trim()))
        {
            var n = double.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
            duration += m.Groups["u"].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(n),
                "s" => TimeSpan.FromSeconds(n),
                "m" => TimeSpan.FromMinutes(n),
                _ => TimeSpan.FromHours(n),
            };
        }
        return true;
    }

    /// <summary>A rate per second from "R/s", "R/m" or a bare number (per second); positive.</summary>
    public static bool TryParseRate(string? text, out double perSecond)
    {
        perSecond = 0;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var parts = text.Trim().Split('/');
        if (parts.Length > 2 || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n <= 0 || double.IsInfinity(n)) return false;
        var per = parts.Length == 1 ? "s" : parts[1];
        double? seconds = per switch { "s" => 1, "m" or "min" => 60, "h" => 3600, _ => null };
        if (seconds is null) return false;
        perSecond = n / seconds.Value;
        return true;
    }

    public static string Format(TimeSpan d) =>
        d.TotalMilliseconds < 1000 ? $"{d.TotalMilliseconds:0.#}ms"
        : d.TotalSeconds < 120 ? $"{d.TotalSeconds:0.##}s"
        : $"{(int)d.TotalMinutes}m{(d.Seconds > 0 ? $"{d.Seconds}s" : "")}";
}
