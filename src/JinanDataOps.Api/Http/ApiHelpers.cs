using JinanDataOps.Actors.Entities;
using JinanDataOps.Domain.Common;
using Microsoft.AspNetCore.Http;

namespace JinanDataOps.Api.Http;

/// <summary>Shared plumbing of the endpoint groups: run a command, map the outcome.</summary>
public static class ApiHelpers
{
    public static IResult Map<TState>(Outcome<TState> outcome, Func<TState, IResult> accepted) =>
        outcome.Rejection is { } r ? Problems.From(r) : accepted(outcome.State);

    /// <summary>The Idempotency-Key, whole (the middleware refuses one that is too long), or null.</summary>
    public static string? IdempotencyKey(this HttpContext http)
    {
        var key = http.Request.Headers[Idempotency.Header].ToString();
        return string.IsNullOrWhiteSpace(key) ? null : key;
    }

    /// <summary>The ISO-8601 durations <see cref="TryDuration"/> takes, as a pattern for the contract.</summary>
    public const string DurationPattern = @"^P(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$";

    /// <summary>ISO-8601 durations as API.md uses them: P5D, PT2S, P1DT12H.</summary>
    public static bool TryDuration(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text) || text[0] != 'P') return false;
        try
        {
            value = System.Xml.XmlConvert.ToTimeSpan(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    public static Rejection? Required<T>(T? value, string field) where T : struct =>
        value is null ? Rejection.Validation($"'{field}' is required.") : null;

    public static Rejection? Required(object? value, string field) =>
        value is null ? Rejection.Validation($"'{field}' is required.") : null;
}
