namespace JinanDataOps.Domain.Common;

/// <summary>The parties of DOMAIN.md. <see cref="Platform"/> is the platform itself (timers, consequences):
/// it never appears in a token.</summary>
public enum Role { Authority, Provider, Operator, Expert, Maintainer, Regulator, Sandbox, Public, Platform }

/// <summary>Who issues a command: the role claim and the organisation claim of the token.</summary>
public sealed record Caller(Role Role, string Org)
{
    /// <summary>The platform acting on its own (a deadline, a consequence of another entity's event).</summary>
    public static readonly Caller Platform = new(Role.Platform, "platform");

    public bool Is(Role role, string org) => Role == role && string.Equals(Org, org, StringComparison.Ordinal);

    public override string ToString() => $"{Role.ToString().ToLowerInvariant()}:{Org}";
}
