namespace AspService.Billing;

public enum RegistrationNumberError
{
    None,
    Empty,
    MissingPrefix,
    Length,
    NotDigits,
    CheckDigit,
}

/// <summary>
/// 適格請求書発行事業者登録番号 of a corporation: <c>T</c> followed by its 13-digit 法人番号, whose first digit
/// is a check digit over the other twelve: 9 - (Σ digit × weight mod 9), the weights 1, 2, 1, 2… counted
/// from the rightmost digit of the twelve-digit body.
/// </summary>
public static class RegistrationNumber
{
    /// <summary>The check digit of a twelve-digit corporate number body.</summary>
    public static int CheckDigit(ReadOnlySpan<char> twelveDigits)
    {
        if (twelveDigits.Length != 12)
        {
            throw new ArgumentException("twelve digits expected", nameof(twelveDigits));
        }

        var sum = 0;
        for (var n = 1; n <= 12; n++)
        {
            var d = twelveDigits[12 - n] - '0';
            if (d is < 0 or > 9)
            {
                throw new ArgumentException("digits only", nameof(twelveDigits));
            }

            sum += d * (n % 2 == 1 ? 1 : 2);
        }

        return 9 - (sum % 9);
    }

    /// <summary>Checks a registration number exactly as printed: <c>T</c> + 13 ASCII digits, check digit valid.</summary>
    public static RegistrationNumberError Validate(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return RegistrationNumberError.Empty;
        }

        if (value[0] != 'T')
        {
            return RegistrationNumberError.MissingPrefix;
        }

        if (value.Length != 14)
        {
            return RegistrationNumberError.Length;
        }

        var digits = value.AsSpan(1);
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return RegistrationNumberError.NotDigits;
            }
        }

        return CheckDigit(digits[1..]) == digits[0] - '0' ? RegistrationNumberError.None : RegistrationNumberError.CheckDigit;
    }

    public static bool IsValid(string? value) => Validate(value) == RegistrationNumberError.None;
}
