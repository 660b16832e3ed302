using System.Security.Cryptography;
using System.Text;

namespace JinanDataOps.Api.Http;

/// <summary>Ids the server mints. With an Idempotency-Key the id is derived from (caller, route, key),
/// so a repeat addresses the same entity, whose decider treats the repeat as already satisfied: the
/// first response comes back and nothing changes — on any node, with no store besides the journal.</summary>
public static class Ids
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    public static string New(string prefix, string org, string route, string? idempotencyKey)
    {
        var bytes = idempotencyKey is null
            ? Guid.NewGuid().ToByteArray()
            : SHA256.HashData(Encoding.UTF8.GetBytes($"{org}\n{route}\n{idempotencyKey}"));
        return $"{prefix}-{Base32(bytes.AsSpan(0, 10))}";
    }

    private static string Base32(ReadOnlySpan<byte> data)
    {
        var sb = new StringBuilder(16);
        int buffer = 0, bits = 0;
        foreach (var b in data)
        {
            buffer = buffer << 8 | b;
            bits += 8;
            while (bits >= 5)
            {
                sb.Append(Alphabet[buffer >> (bits - 5) & 31]);
                bits -= 5;
            }
        }
        return sb.ToString();
    }

    /// <summary><see cref="IsValidClientId"/> as a pattern, for the contract.</summary>
    public const string ClientIdPattern = "^[a-z0-9][a-z0-9._-]{1,63}$";

    /// <summary>Client-chosen ids (datasets, operators) are short, URL-safe and lower-case.</summary>
    public static bool IsValidClientId(string? id) =>
        id is { Length: >= 2 and <= 64 } && id.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_' or '.') && char.IsAsciiLetterOrDigit(id[0]);
}
