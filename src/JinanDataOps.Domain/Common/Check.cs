namespace JinanDataOps.Domain.Common;

/// <summary>Small validation helpers shared by the deciders. Limits keep one request from
/// filling the journal with megabytes of text.</summary>
public static class Check
{
    public const int ShortText = 200;
    public const int LongText = 4000;
    public const int MaxItems = 200;

    public static Rejection? Text(string? value, string field, int max = ShortText)
    {
        if (string.IsNullOrWhiteSpace(value)) return Rejection.Validation($"'{field}' is required.");
        if (value.Length > max) return Rejection.Validation($"'{field}' is longer than {max} characters.");
        return null;
    }

    public static Rejection? List(IReadOnlyCollection<string>? values, string field, int max = MaxItems, bool required = true, int maxItemLength = ShortText)
    {
        if (values is null || values.Count == 0)
            return required ? Rejection.Validation($"'{field}' needs at least one entry.") : null;
        if (values.Count > max) return Rejection.Validation($"'{field}' has more than {max} entries.");
        foreach (var v in values)
        {
            if (string.IsNullOrWhiteSpace(v)) return Rejection.Validation($"'{field}' has an empty entry.");
            if (v.Length > maxItemLength) return Rejection.Validation($"an entry of '{field}' is longer than {maxItemLength} characters.");
        }
        if (values.Distinct(StringComparer.Ordinal).Count() != values.Count)
            return Rejection.Validation($"'{field}' lists an entry twice.");
        return null;
    }

    /// <summary>The first rejection of several checks, or null.</summary>
    public static Rejection? First(params Rejection?[] checks) => checks.FirstOrDefault(c => c is not null);
}
