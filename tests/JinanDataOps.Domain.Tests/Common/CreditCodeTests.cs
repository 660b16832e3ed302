using JinanDataOps.Domain.Common;

namespace JinanDataOps.Domain.Tests.Common;

public sealed class CreditCodeTests
{
    /// <summary>Registration authority 9 (industry and commerce), type 1 (enterprise), Jinan's division code 370100.</summary>
    private const string First17 = "91370100MA3C5T7X4";

    private static string Valid(string first17 = First17) => first17 + CreditCode.CheckCharacterFor(first17);

    private static string WithCharAt(string code, int index, char c) => code[..index] + c + code[(index + 1)..];

    [Fact]
    public void A_code_completed_with_its_check_character_is_valid() => Assert.True(CreditCode.IsValid(Valid()));

    [Fact]
    public void A_valid_code_has_no_explanation() => Assert.Null(CreditCode.Explain(Valid()));

    [Theory]
    [InlineData("91370100000000000")]
    [InlineData("12370100004000000")]
    [InlineData("Y1370100ABCDEFGHJ")]
    [InlineData("93370100KLMNPQRTU")]
    [InlineData("52370100WXY123456")]
    public void Codes_built_with_the_check_character_are_valid(string first17) => Assert.True(CreditCode.IsValid(Valid(first17)));

    [Theory]
    [InlineData("914403001922038216")] // Huawei Technologies Co., Ltd. (Shenzhen)
    [InlineData("9144030071526726XG")] // Shenzhen Tencent Computer Systems Co., Ltd.
    [InlineData("91330100799655058B")] // Alibaba (China) Co., Ltd. (Hangzhou)
    public void Published_real_world_codes_are_valid(string code)
    {
        Assert.True(CreditCode.IsValid(code));
        Assert.Equal(code[17], CreditCode.CheckCharacterFor(code[..17]));
    }

    [Fact]
    public void Every_other_check_character_is_wrong()
    {
        var expected = CreditCode.CheckCharacterFor(First17);
        foreach (var c in "0123456789ABCDEFGHJKLMNPQRTUWXY".Where(c => c != expected))
            Assert.False(CreditCode.IsValid(First17 + c), $"check character {c} accepted");
    }

    [Fact]
    public void A_wrong_check_character_is_explained_with_the_right_one()
    {
        var expected = CreditCode.CheckCharacterFor(First17);
        var wrong = expected == '0' ? '1' : '0';
        var why = CreditCode.Explain(First17 + wrong);
        Assert.Contains($"should be '{expected}'", why);
        Assert.Contains(Art.Gb32100, why);
    }

    [Fact]
    public void A_sum_divisible_by_31_gives_the_check_character_0()
    {
        // Vary the last body character until the weighted sum is a multiple of 31 (31 - 0 → '0', not index 31).
        // Its weight, 28, is prime to 31, so exactly one of the 31 characters does it.
        var code = "0123456789ABCDEFGHJKLMNPQRTUWXY".Select(c => Valid(First17[..16] + c)).Single(v => v[17] == '0');
        Assert.True(CreditCode.IsValid(code));
    }

    [Fact]
    public void A_code_of_17_characters_is_refused() => Assert.Contains("18 characters", CreditCode.Explain(First17));

    [Fact]
    public void A_code_of_19_characters_is_refused() => Assert.False(CreditCode.IsValid(Valid() + "0"));

    [Fact]
    public void An_empty_code_is_refused() => Assert.Contains("required", CreditCode.Explain(""));

    [Fact]
    public void A_missing_code_is_refused() => Assert.False(CreditCode.IsValid(null));

    [Theory]
    [InlineData('I')]
    [InlineData('O')]
    [InlineData('Z')]
    [InlineData('S')]
    [InlineData('V')]
    public void The_letters_left_out_of_the_alphabet_are_refused(char letter) =>
        Assert.Contains("not allowed", CreditCode.Explain(WithCharAt(Valid(), 10, letter)));

    [Theory]
    [InlineData('I')]
    [InlineData('O')]
    [InlineData('Z')]
    [InlineData('S')]
    [InlineData('V')]
    public void A_forbidden_letter_as_check_character_is_refused(char letter) =>
        Assert.False(CreditCode.IsValid(First17 + letter));

    [Fact]
    public void Lower_case_letters_are_refused() => Assert.False(CreditCode.IsValid(Valid().ToLowerInvariant()));

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(7)]
    public void A_letter_in_the_administrative_division_code_is_refused(int index)
    {
        // Rebuild the check character so only the division rule can fail.
        var body = WithCharAt(First17, index, 'A');
        Assert.Contains("administrative division", CreditCode.Explain(Valid(body)));
    }

    [Fact]
    public void The_check_character_needs_exactly_17_characters() =>
        Assert.Throws<ArgumentException>(() => CreditCode.CheckCharacterFor(First17[..16]));

    [Fact]
    public void The_check_character_of_a_body_with_a_forbidden_letter_cannot_be_computed() =>
        Assert.Throws<ArgumentException>(() => CreditCode.CheckCharacterFor(WithCharAt(First17, 10, 'O')));
}
