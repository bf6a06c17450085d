using AspService.Tenancy;

namespace AspService.Tests.Tenancy;

public sealed class LocalGovernmentCodeTests
{
    [Fact]
    public void CheckDigit_EveryShippedCode_Matches()
    {
        foreach (var lg in LocalGovernmentDirectory.Shipped.All)
        {
            Assert.True(LocalGovernmentCode.IsWellFormed(lg.Code), lg.Code);
        }
    }

    [Fact]
    public void Directory_Shipped_HasEveryLocalGovernment()
    {
        var all = LocalGovernmentDirectory.Shipped.All;
        Assert.Equal(47, all.Count(l => l.Kind == LocalGovernmentKind.Prefecture));
        Assert.Equal(1747, all.Count(l => l.Kind == LocalGovernmentKind.Municipality));
        Assert.Equal(175, all.Count(l => l.Kind == LocalGovernmentKind.Ward));
        Assert.Equal(1794, all.Count(l => l.CanBeTenant));
    }

    [Theory]
    [InlineData("131016", "131016")]
    [InlineData("13101", "131016")] // five digits without check digit, as many lists print it
    [InlineData("１３１０１６", "131016")] // full-width digits
    [InlineData(" 13-1016 ", "131016")]
    [InlineData("13 101", "131016")]
    [InlineData("131ー016", "131016")]
    public void Normalize_UnambiguousInput_Accepted(string input, string expected)
    {
        var result = LocalGovernmentCode.Normalize(input);
        Assert.True(result.Success);
        Assert.Equal(expected, result.Code);
    }

    [Theory]
    [InlineData("131017", CodeError.CheckDigitMismatch)] // not a typo to guess around
    [InlineData("131010", CodeError.CheckDigitMismatch)]
    [InlineData("", CodeError.Empty)]
    [InlineData("   ", CodeError.Empty)]
    [InlineData(null, CodeError.Empty)]
    [InlineData("13101a", CodeError.NotDigits)]
    [InlineData("千代田区", CodeError.NotDigits)]
    [InlineData("1310", CodeError.WrongLength)]
    [InlineData("1310160", CodeError.WrongLength)]
    public void Normalize_BadInput_PreciseError(string? input, CodeError error)
    {
        var result = LocalGovernmentCode.Normalize(input);
        Assert.False(result.Success);
        Assert.Equal(error, result.Error);
    }

    [Fact]
    public void Lookup_Ward_RefusedAndNamesDesignatedCity()
    {
        var lookup = LocalGovernmentDirectory.Shipped.Lookup("011011");
        Assert.Equal(LookupError.IsWard, lookup.Error);
        Assert.Equal("中央区", lookup.Entry!.Name);
        Assert.Equal("011002", lookup.Parent!.Code);
        Assert.Equal("札幌市", lookup.Parent.Name);
    }

    [Fact]
    public void Lookup_WellFormedButUnlisted_NotListed()
    {
        Assert.Equal(LookupError.NotListed, LocalGovernmentDirectory.Shipped.Lookup("999997").Error);
    }

    [Fact]
    public void Lookup_Prefecture_Accepted()
    {
        var lookup = LocalGovernmentDirectory.Shipped.Lookup("130001");
        Assert.True(lookup.Success);
        Assert.Equal("東京都", lookup.Entry!.Name);
    }

    [Fact]
    public void CheckDigit_AllBodies_SingleValidDigit()
    {
        // For any five-digit body exactly one of the ten possible sixth digits is valid.
        for (var body = 0; body < 100_000; body += 7)
        {
            var five = body.ToString("D5", System.Globalization.CultureInfo.InvariantCulture);
            Assert.Single(Enumerable.Range(0, 10), d => LocalGovernmentCode.IsWellFormed(five + d));
        }
    }
}
