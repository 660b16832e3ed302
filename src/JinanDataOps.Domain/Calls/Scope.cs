using JinanDataOps.Domain.Common;
using JinanDataOps.Domain.Datasets;

namespace JinanDataOps.Domain.Calls;

/// <summary>The authorization scope (授权范围, Art. 8(1), 9): whole domains and/or named datasets.</summary>
public sealed record Scope(IReadOnlyList<DataDomain> Domains, IReadOnlyList<string> Datasets)
{
    public static readonly Scope Empty = new([], []);

    public bool IsEmpty => Domains.Count == 0 && Datasets.Count == 0;

    public bool Covers(string datasetId, DataDomain domain) => Datasets.Contains(datasetId) || Domains.Contains(domain);

    /// <summary>True when every part of this scope lies inside <paramref name="outer"/>: its domains are
    /// outer domains, and each named dataset is named by the outer scope or belongs (per
    /// <paramref name="domainOf"/>) to one of its domains.</summary>
    public bool IsWithin(Scope outer, IReadOnlyDictionary<string, DataDomain> domainOf) =>
        Domains.All(outer.Domains.Contains)
        && Datasets.All(d => outer.Datasets.Contains(d) || domainOf.TryGetValue(d, out var domain) && outer.Domains.Contains(domain));

    public Rejection? Validate(string field)
    {
        if (IsEmpty) return Rejection.Validation($"'{field}' names no domain and no dataset.");
        if (Domains.Count > Check.MaxItems || Datasets.Count > Check.MaxItems) return Rejection.Validation($"'{field}' has more than {Check.MaxItems} entries.");
        if (Domains.Distinct().Count() != Domains.Count) return Rejection.Validation($"'{field}.domains' lists a domain twice.");
        return Datasets.Count == 0 ? null : Check.List(Datasets, $"{field}.datasets", maxItemLength: 64);
    }

    public bool SameAs(Scope other) =>
        Domains.Order().SequenceEqual(other.Domains.Order()) && Datasets.Order(StringComparer.Ordinal).SequenceEqual(other.Datasets.Order(StringComparer.Ordinal));
}
