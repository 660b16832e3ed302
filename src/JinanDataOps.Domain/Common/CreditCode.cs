namespace JinanDataOps.Domain.Common;

/// <summary>The unified social credit code (统一社会信用代码) of GB 32100-2015: 18 characters from a
/// 31-character alphabet (no I, O, Z, S, V), the last one a check character over the first 17.</summary>
public static class CreditCode
{
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    public static bool IsValid(string? code) => Explain(code) is null;

    /// <summary>Null when valid; otherwise why not, for the error text.</summary>
    public static string? Explain(string? code)
    {
        if (string.IsNullOrEmpty(code)) return "the unified social credit code is required";
        if (code.Length != 18) return $"a unified social credit code has 18 characters, not {code.Length} (GB 32100-2015)";
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var v = Alphabet.IndexOf(code[i]);
            if (v < 0) return $"character {i + 1} '{code[i]}' is not allowed in a unified social credit code (GB 32100-2015)";
            sum += v * Weights[i];
        }
        if (code.AsSpan(2, 6).ContainsAnyExcept("0123456789"))
            return $"characters 3–8 must be the administrative division code, digits only (GB 32100-2015)";
        var expected = CheckCharacter(sum);
        return code[17] == expected
            ? null
            : $"the check character is '{code[17]}' but should be '{expected}' (GB 32100-2015)";
    }

    /// <summary>The check character for the first 17 characters (used by tests to build valid codes).</summary>
    public static char CheckCharacterFor(string first17)
    {
        if (first17.Length != 17) throw new ArgumentException("17 characters expected", nameof(first17));
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var v = Alphabet.IndexOf(first17[i]);
            if (v < 0) throw new ArgumentException($"'{first17[i]}' is not in the code alphabet", nameof(first17));
            sum += v * Weights[i];
        }
        return CheckCharacter(sum);
    }

    private static char CheckCharacter(int weightedSum)
    {
        var c = 31 - weightedSum % 31;
        return Alphabet[c == 31 ? 0 : c];
    }
}
