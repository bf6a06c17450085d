namespace AspService.Tests.Consoles;

/// <summary>The Latin-only rule itself, so the browser test's check cannot pass by accident.</summary>
public sealed class PageChecksTests
{
    [Theory]
    [InlineData("Sign in", true)]
    [InlineData("団体コード / Local government code", false)]
    [InlineData("サインイン", false)]
    [InlineData("aspagent", false)]
    [InlineData("staff-1@131016.lg.example", false)]
    [InlineData("1234-5678-9012", false)]
    [InlineData("Approve aspagent", true)]
    public void LatinOnly_FlagsEnglishWords_NotNamesAddressesOrCodes(string text, bool flagged) =>
        Assert.Equal(flagged, PageChecks.IsLatinOnly(text, ["aspagent", "AspService"]));
}
