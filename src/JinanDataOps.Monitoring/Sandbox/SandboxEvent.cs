namespace JinanDataOps.Monitoring.Sandbox;

/// <summary>What an operator did inside the sandbox (API.md, Sandbox monitoring).</summary>
public enum ActionKind { Query, Export, Download, ModelOutput }

/// <summary>One action reported by the sandbox. <paramref name="Id"/> is given on intake (the batch's id
/// and the event's line), so an alert can name its evidence. <paramref name="Denied"/> is set when the
/// sandbox refused the action itself (optional in the report; absent means it was carried out).</summary>
public sealed record SandboxEvent(
    string Id, string OperatorId, string DataRequestId, ActionKind Kind, string Dataset,
    IReadOnlyList<string> Fields, long Rows, long Bytes, DateTimeOffset At, bool Denied = false);

/// <summary>A batch as the sandbox posted it, taken or refused as a whole.</summary>
public sealed record SandboxBatch(string BatchId, IReadOnlyList<SandboxEvent> Events);
