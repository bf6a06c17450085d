using System.Text;

namespace AspService.Server.Consoles;

/// <summary>What people type: full-width digits and letters (ＡＢＣ１２３), spaces and hyphens around codes.</summary>
public static class Normalize
{
    /// <summary>NFKC folds full-width forms to ASCII; surrounding spaces go.</summary>
    public static string? Narrow(string? value) => value?.Normalize(NormalizationForm.FormKC).Trim();

    /// <summary>Only the digits (a TOTP code typed as "123 456" or "１２３４５６").</summary>
    public static string? Digits(string? value) =>
        Narrow(value) is { } narrow ? new string([.. narrow.Where(char.IsAsciiDigit)]) : null;

    /// <summary>
    /// A device user code in the form the server issued it, groups of four joined by hyphens
    /// ("１２３４ ５６７８－９０１２" → "1234-5678-9012"): letters and digits only, upper case, regrouped.
    /// </summary>
    public static string UserCode(string? value)
    {
        var plain = new string([.. (Narrow(value) ?? "").Where(char.IsAsciiLetterOrDigit).Select(char.ToUpperInvariant)]);
        return string.Join("-", plain.Chunk(4).Select(c => new string(c)));
    }
}
