using AspService.Billing;

namespace AspService.Tests.Billing;

public sealed class RegistrationNumberTests
{
    [Theory]
    [InlineData("000012050002", 7)] // 国税庁 7000012050002
    [InlineData("000000000000", 9)]
    [InlineData("999999999999", 9 - (((9 * 6) + (18 * 6)) % 9))]
    [InlineData("000000000001", 8)]
    [InlineData("000000000010", 7)]
    public void CheckDigit_KnownBodies_MatchesCorporateNumberRule(string body, int expected) =>
        Assert.Equal(expected, RegistrationNumber.CheckDigit(body));

    [Fact]
    public void CheckDigit_AlwaysOneToNine()
    {
        // The rule yields 1..9 (never 0): 9 - (x mod 9) with x mod 9 in 0..8.
        for (var i = 0; i < 5000; i++)
        {
            var body = (i * 7919L % 1_000_000_000_000L).ToString("000000000000", System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(RegistrationNumber.CheckDigit(body), 1, 9);
        }
    }

    [Fact]
    public void CheckDigit_EveryWrongDigitIsRejected()
    {
        for (var d = 0; d <= 9; d++)
        {
            var expected = d == 7 ? RegistrationNumberError.None : RegistrationNumberError.CheckDigit;
            Assert.Equal(expected, RegistrationNumber.Validate($"T{d}000012050002"));
        }
    }

    [Theory]
    [InlineData("T7000012050002", RegistrationNumberError.None)]
    [InlineData(null, RegistrationNumberError.Empty)]
    [InlineData("", RegistrationNumberError.Empty)]
    [InlineData("7000012050002", RegistrationNumberError.MissingPrefix)]
    [InlineData("t7000012050002", RegistrationNumberError.MissingPrefix)]
    [InlineData("Ｔ7000012050002", RegistrationNumberError.MissingPrefix)]
    [InlineData("T700001205000", RegistrationNumberError.Length)]
    [InlineData("T70000120500021", RegistrationNumberError.Length)]
    [InlineData("T700001205000A", RegistrationNumberError.NotDigits)]
    [InlineData("T7000-12050002", RegistrationNumberError.NotDigits)]
    [InlineData("T７000012050002", RegistrationNumberError.NotDigits)]
    [InlineData("T7000012050003", RegistrationNumberError.CheckDigit)]
    [InlineData("T1000012050002", RegistrationNumberError.CheckDigit)]
    public void Validate_Input_GivesExpectedError(string? input, RegistrationNumberError expected)
    {
        Assert.Equal(expected, RegistrationNumber.Validate(input));
        Assert.Equal(expected == RegistrationNumberError.None, RegistrationNumber.IsValid(input));
    }

    [Theory]
    [InlineData("12345678901")]
    [InlineData("1234567890123")]
    [InlineData("12345678901a")]
    public void CheckDigit_BadBody_Throws(string body) =>
        Assert.Throws<ArgumentException>(() => RegistrationNumber.CheckDigit(body));
}
