using System.Net;
using AspService.Policy;

namespace AspService.Tests.Sessions;

public sealed class SourceNetworksTests
{
    [Theory]
    [InlineData("10.0.0.0/8", "10.0.0.0/8")]
    [InlineData(" 192.0.2.0/24 ", "192.0.2.0/24")]
    [InlineData("192.0.2.7", "192.0.2.7/32")] // bare address: one host
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    [InlineData("2001:db8::/32", "2001:db8::/32")]
    [InlineData("2001:DB8:0:0::/64", "2001:db8::/64")]
    [InlineData("2001:db8::1", "2001:db8::1/128")]
    [InlineData("::/0", "::/0")]
    public void TryParse_ValidEntry_Network(string text, string expected)
    {
        Assert.True(SourceNetworks.TryParse(text, out var network, out _));
        Assert.Equal(IPNetwork.Parse(expected), network);
    }

    [Theory]
    [InlineData(null, "ネットワークを入力してください")]
    [InlineData("", "ネットワークを入力してください")]
    [InlineData("   ", "ネットワークを入力してください")]
    [InlineData("abc", "CIDR 表記")]
    [InlineData("10.0.0/8", "CIDR 表記")] // IPAddress.Parse would read this as 10.0.0.8
    [InlineData("10/8", "CIDR 表記")]
    [InlineData("010.0.0.0/8", "CIDR 表記")] // leading zero: octal to some parsers
    [InlineData("300.0.0.0/8", "CIDR 表記")]
    [InlineData("10.0.0.0/", "CIDR 表記")]
    [InlineData("10.0.0.0/-1", "CIDR 表記")]
    [InlineData("10.0.0.0/8/8", "CIDR 表記")]
    [InlineData("10.0.0.0/ 8", "CIDR 表記")]
    [InlineData("10.0.0.0/0008", "CIDR 表記")]
    [InlineData("fe80::1%eth0/64", "CIDR 表記")] // zone ids name an interface, not a network
    [InlineData("2001:db8::g/32", "CIDR 表記")]
    [InlineData("10.0.0.0/33", "32 以下")]
    [InlineData("2001:db8::/129", "128 以下")]
    [InlineData("10.0.0.1/8", "10.0.0.0/8 のことですか")]
    [InlineData("192.168.1.5/16", "192.168.0.0/16 のことですか")]
    [InlineData("2001:db8::1/32", "2001:db8::/32 のことですか")]
    [InlineData("::ffff:192.0.2.0/120", "IPv4 の 192.0.2.0/24 として")]
    [InlineData("::ffff:0:0/96", "IPv4 の 0.0.0.0/0 として")]
    public void TryParse_BadEntry_PreciseError(string? text, string messagePart)
    {
        Assert.False(SourceNetworks.TryParse(text, out _, out var error));
        Assert.Contains(messagePart, error.Ja, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(error.En));
    }

    [Fact]
    public void TryParse_VeryLongEntry_RefusedWithoutEchoingItWhole()
    {
        var text = new string('1', 10_000);

        Assert.False(SourceNetworks.TryParse(text, out _, out var error));
        Assert.True(error.Ja.Length < 200);
    }

    [Fact]
    public void TryParse_HostBits_EnglishSuggestion()
    {
        Assert.False(SourceNetworks.TryParse("10.0.0.1/8", out _, out var error));

        Assert.Equal("\"10.0.0.1/8\" is not a network address. Did you mean 10.0.0.0/8?", error.En);
    }

    [Theory]
    [InlineData("198.51.100.0/22", "198.51.103.255", true)]
    [InlineData("198.51.100.0/22", "198.51.104.0", false)]
    [InlineData("198.51.100.0/22", "::ffff:198.51.101.1", true)]
    [InlineData("2400:4050::/32", "2400:4050:ffff::1", true)] // e.g. a closed-SIM carrier's IPv6 range
    [InlineData("2400:4050::/32", "2400:4051::1", false)]
    [InlineData("2400:4050::/32", "::ffff:198.51.101.1", false)]
    [InlineData("::/0", "::ffff:198.51.101.1", false)]
    [InlineData("::/0", "2400:4050::1", true)]
    public void Contains_Address_Result(string network, string address, bool expected)
    {
        Assert.Equal(expected, SourceNetworks.Contains([network], IPAddress.Parse(address)));
    }

    [Fact]
    public void Contains_EmptyList_MatchesNothing()
    {
        // "Empty means any" is the evaluator's rule, not this function's.
        Assert.False(SourceNetworks.Contains([], IPAddress.Parse("192.0.2.1")));
    }
}
