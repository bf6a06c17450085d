using System.Text;
using AspService.Identity;

namespace AspService.Tests.Identity;

public sealed class TotpTests
{
    private static readonly byte[] RfcSecret = Encoding.ASCII.GetBytes("12345678901234567890");

    // RFC 6238 appendix B (SHA-1), last six digits of the eight-digit values.
    [Theory]
    [InlineData(59L, "287082")]
    [InlineData(1111111109L, "081804")]
    [InlineData(1111111111L, "050471")]
    [InlineData(1234567890L, "005924")]
    [InlineData(2000000000L, "279037")]
    [InlineData(20000000000L, "353130")]
    public void Compute_RfcVectors_Match(long unixSeconds, string expected)
    {
        Assert.Equal(expected, Totp.Compute(RfcSecret, Totp.StepAt(DateTimeOffset.FromUnixTimeSeconds(unixSeconds))));
    }

    [Fact]
    public void Verify_AdjacentSteps_AcceptedOnlyWithinOne()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var step = Totp.StepAt(now);
        Assert.Equal(step - 1, Totp.Verify(RfcSecret, Totp.Compute(RfcSecret, step - 1), now, null));
        Assert.Equal(step + 1, Totp.Verify(RfcSecret, Totp.Compute(RfcSecret, step + 1), now, null));
        Assert.Null(Totp.Verify(RfcSecret, Totp.Compute(RfcSecret, step - 2), now, null));
        Assert.Null(Totp.Verify(RfcSecret, Totp.Compute(RfcSecret, step + 2), now, null));
    }

    [Fact]
    public void Verify_CodeAlreadyUsed_Refused()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var code = Totp.Compute(RfcSecret, Totp.StepAt(now));
        var used = Totp.Verify(RfcSecret, code, now, null);
        Assert.NotNull(used);
        Assert.Null(Totp.Verify(RfcSecret, code, now, used));
        Assert.Null(Totp.Verify(RfcSecret, code, now.AddSeconds(30), used));
    }

    [Fact]
    public void Verify_FullWidthDigitsAndSpaces_Accepted()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var code = Totp.Compute(RfcSecret, Totp.StepAt(now));
        var typed = string.Concat(code[..3].Select(c => (char)(c - '0' + '０'))) + " " + code[3..];

        Assert.NotNull(Totp.Verify(RfcSecret, typed, now, null));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("abcdef")]
    public void Verify_Malformed_Null(string? code)
    {
        Assert.Null(Totp.Verify(RfcSecret, code, DateTimeOffset.UnixEpoch.AddDays(1), null));
    }

    [Fact]
    public void Base32_RoundTrip()
    {
        var secret = Totp.NewSecret();
        Assert.Equal(secret, Base32.Decode(Base32.Encode(secret)));
        Assert.Equal("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", Base32.Encode(RfcSecret));
    }
}
