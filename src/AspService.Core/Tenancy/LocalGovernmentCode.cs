using System.Globalization;
using System.Text;

namespace AspService.Tenancy;

/// <summary>全国地方公共団体コード: five digits plus a check digit (JIS X 0402 style).</summary>
public static class LocalGovernmentCode
{
    /// <summary>The check digit of a five-digit body: (11 - (6a+5b+4c+3d+2e) mod 11) mod 10.</summary>
    public static int CheckDigit(ReadOnlySpan<char> fiveDigits)
    {
        if (fiveDigits.Length != 5)
        {
            throw new ArgumentException("five digits expected", nameof(fiveDigits));
        }

        var sum = 0;
        for (var i = 0; i < 5; i++)
        {
            var d = fiveDigits[i] - '0';
            if (d is < 0 or > 9)
            {
                throw new ArgumentException("digits only", nameof(fiveDigits));
            }

            sum += (6 - i) * d;
        }

        return (11 - (sum % 11)) % 10;
    }

    /// <summary>True when <paramref name="code"/> is exactly six ASCII digits with a valid check digit.</summary>
    public static bool IsWellFormed(string? code) =>
        code is { Length: 6 } && code.All(char.IsAsciiDigit) && CheckDigit(code.AsSpan(0, 5)) == code[5] - '0';

    /// <summary>
    /// Normalises what people type: full-width digits, spaces and dashes are accepted, and a five-digit
    /// code (without check digit, as many lists print it) gets its check digit computed. A six-digit code
    /// with a wrong check digit is an error: it is not a typo to guess around.
    /// </summary>
    public static CodeParseResult Normalize(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return CodeParseResult.Fail(CodeError.Empty);
        }

        var folded = input.Normalize(NormalizationForm.FormKC);
        var digits = new StringBuilder(6);
        foreach (var c in folded)
        {
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
            else if (!IsSeparator(c))
            {
                return CodeParseResult.Fail(CodeError.NotDigits);
            }
        }

        var text = digits.ToString();
        switch (text.Length)
        {
            case 5:
                return CodeParseResult.Ok(text + CheckDigit(text).ToString(CultureInfo.InvariantCulture));
            case 6 when CheckDigit(text.AsSpan(0, 5)) == text[5] - '0':
                return CodeParseResult.Ok(text);
            case 6:
                return CodeParseResult.Fail(CodeError.CheckDigitMismatch);
            default:
                return CodeParseResult.Fail(CodeError.WrongLength);
        }
    }

    private static bool IsSeparator(char c) =>
        char.IsWhiteSpace(c) || c is '-' or '‐' or '‑' or '‒' or '–' or '—' or '―' or 'ー' or '－' or '−' or '_';
}

public enum CodeError
{
    None,
    Empty,
    NotDigits,
    WrongLength,
    CheckDigitMismatch,
}

public readonly record struct CodeParseResult(string? Code, CodeError Error)
{
    public bool Success => Error == CodeError.None;

    public static CodeParseResult Ok(string code) => new(code, CodeError.None);

    public static CodeParseResult Fail(CodeError error) => new(null, error);
}
