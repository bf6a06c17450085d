using AspService.Billing;
using AspService.Server.Resources;
using Microsoft.Extensions.Localization;

namespace AspService.Server.Consoles;

/// <summary>年度 as the consoles show it: 「2026年度（令和8年度）」 in Japanese, "FY2026" in English (no 和暦 there).</summary>
public static class FiscalYearText
{
    public static string FiscalYear(this IStringLocalizer<ConsoleText> text, int fiscalYear)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text["wareki.fy", fiscalYear, Wareki.FiscalYear(fiscalYear)];
    }
}
