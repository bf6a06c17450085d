using AspService.Common;

namespace AspService.Tests.Common;

/// <summary>The one CSV field writer, e-mail check and secret hash every feature uses.</summary>
public sealed class CommonRulesTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("line\nbreak", "\"line\nbreak\"")]
    [InlineData("=SUM(A1)", "'=SUM(A1)")]
    [InlineData("+81-3-1234", "'+81-3-1234")]
    [InlineData("-1+1", "'-1+1")]
    [InlineData("@cmd", "'@cmd")]
    [InlineData("\tTAB", "'\tTAB")]
    [InlineData("\r=1", "\"'\r=1\"")]
    [InlineData("-1200", "-1200")]
    [InlineData("-0.5", "-0.5")]
    [InlineData("髙橋", "髙橋")]
    [InlineData(null, "")]
    public void CsvField_QuotesAndNeutralizesFormulas_KeepsNumbers(string? value, string expected) => Assert.Equal(expected, Csv.Field(value));

    [Theory]
    [InlineData("taro@city.example.lg.jp", true)]
    [InlineData("a@b.jp", true)]
    [InlineData("no-at.example", false)]
    [InlineData("two@@example.jp", false)]
    [InlineData("space @example.jp", false)]
    [InlineData("dot@example.", false)]
    [InlineData("@example.jp", false)]
    public void EmailAddress_IsValid(string value, bool valid) => Assert.Equal(valid, EmailAddress.IsValid(value));

    [Fact]
    public void SecretHash_IsSha256HexOfUtf8() =>
        Assert.Equal("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", SecretHash.Of("hello"));
}
