using System.Globalization;

namespace AspService.Common;

/// <summary>
/// The one CSV field writer for every export (users, audit, telework records, billing, usage reports): RFC 4180
/// quoting, and OWASP's defence against formula injection — a text that starts with = + - @ tab or carriage return
/// gets a leading apostrophe so a spreadsheet shows it instead of evaluating it. A field that is a number as a whole
/// (a negative correction, -1200) cannot be a formula and stays a number.
/// </summary>
public static class Csv
{
    public static string Field(string? value)
    {
        value ??= "";
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r'
            && !decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _))
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
