using System.Globalization;
using AspService.Server.Consoles;

namespace AspService.Server.Pages.Terminals;

/// <summary>The optional lifetime (minutes) of an enrollment token as typed on a page: full-width digits allowed.</summary>
internal static class TokenLifetime
{
    /// <summary>Null when left empty (the standard lifetime) or not a whole number (then the field's error is added).</summary>
    public static int? Parse(string? input, FormErrors errors, string notANumber)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return null;
        }

        if (int.TryParse(Normalize.Narrow(input), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes))
        {
            return minutes;
        }

        errors.Add("ttlMinutes", notANumber);
        return null;
    }
}
