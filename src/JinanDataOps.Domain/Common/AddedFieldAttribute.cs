namespace JinanDataOps.Domain.Common;

/// <summary>Marks a field added to a persisted type after entries of it were written (an optional
/// constructor parameter defaulting to null). Entries written before lack it; the serializer omits it
/// while it is null, so those entries read and write back exactly as stored and the manifest keeps its
/// version: the change is additive.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class AddedFieldAttribute : Attribute;
