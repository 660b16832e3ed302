using JinanDataOps.Api.Http;

namespace JinanDataOps.Api.Tests;

public class ApiHelpersTests
{
    [Theory]
    [InlineData("P5D", 5 * 24 * 3600)]
    [InlineData("PT2S", 2)]
    [InlineData("P1DT12H", 36 * 3600)]
    [InlineData("PT0.5S", 0.5)]
    public void Iso_8601_durations_parse(string text, double seconds)
    {
        Assert.True(ApiHelpers.TryDuration(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("5 days")]
    [InlineData("00:00:05")]
    [InlineData("P")]
    [InlineData("PTXS")]
    [InlineData("")]
    [InlineData(null)]
    public void Anything_else_is_not_a_duration(string? text) => Assert.False(ApiHelpers.TryDuration(text, out _));
}
