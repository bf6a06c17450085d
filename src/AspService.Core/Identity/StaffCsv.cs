using System.Text;
using AspService.Common;

namespace AspService.Identity;

/// <summary>One staff row of an import file, with the physical line it started on.</summary>
public sealed record StaffRow(int Line, string Email, string Name, string? Department, string Role);

/// <summary>
/// A problem in an import file. <see cref="Code"/> is a message key; <see cref="Column"/> the canonical
/// column (email, name, department, role) or null for the whole file/row.
/// </summary>
public sealed record StaffCsvProblem(int Line, string? Column, string Code, string? Argument = null);

public sealed record StaffCsvResult(IReadOnlyList<StaffRow> Rows, IReadOnlyList<StaffCsvProblem> Problems);

/// <summary>
/// Staff import files as personnel systems export them: UTF-8 (with or without BOM) or Shift_JIS,
/// RFC 4180 quoting, header names in Japanese or English. Every problem is reported, not just the first.
/// </summary>
public static class StaffCsv
{
    public const int MaxRows = 5000;
    public const int EmailMax = 256;
    public const int NameMax = 100;
    public const int DepartmentMax = 100;

    public const string AdminRole = "TenantAdmin";
    public const string StaffRole = "Staff";

    private static readonly Dictionary<string, string> HeaderAliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["email"] = "email", ["e-mail"] = "email", ["mail"] = "email", ["メールアドレス"] = "email", ["メール"] = "email", ["電子メール"] = "email",
        ["name"] = "name", ["displayname"] = "name", ["display name"] = "name", ["氏名"] = "name", ["名前"] = "name", ["職員名"] = "name",
        ["department"] = "department", ["dept"] = "department", ["所属"] = "department", ["部署"] = "department", ["所属課"] = "department",
        ["role"] = "role", ["権限"] = "role", ["ロール"] = "role", ["役割"] = "role",
    };

    private static readonly Dictionary<string, string> RoleAliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["TenantAdmin"] = AdminRole, ["admin"] = AdminRole, ["管理者"] = AdminRole,
        ["Staff"] = StaffRole, ["職員"] = StaffRole, ["一般"] = StaffRole,
    };

    public static readonly string[] RequiredColumns = ["email", "name"];

    /// <summary>
    /// Decodes the file: a UTF-8 BOM or valid UTF-8 means UTF-8, otherwise it must be valid Windows-31J (code page
    /// 932, what Excel and personnel systems write as "Shift_JIS"), including the NEC and IBM extensions where
    /// names like 髙 and 﨑 live. Null when it is neither.
    /// </summary>
    public static string? Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bytes = bytes[3..];
        }

        try
        {
            return Plausible(new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes));
        }
        catch (DecoderFallbackException)
        {
            // Not UTF-8: try Windows-31J below.
        }

        try
        {
            return Plausible(WindowsJapanese.GetString(NecSelectedToIbm(bytes)));
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>Windows-31J (code page 932) that fails on bytes it cannot map instead of guessing.</summary>
    public static Encoding WindowsJapanese { get; } =
        CodePagesEncodingProvider.Instance.GetEncoding(932, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback)!;

    // Windows reads rows 0xED–0xEE (the NEC-selected IBM extensions: 髙 as ED/EE…, 﨑 …) as the same characters as
    // the IBM extension rows 0xFA–0xFC, but .NET's strict code page 932 refuses them (only its best-fit path knows
    // them). Each such pair is rewritten to the IBM pair of the same character, found once from .NET's own tables,
    // so the strict decoder reads it and the character encodes back to the form Windows writes (髙 → FB FC).
    private static readonly Lazy<Dictionary<ushort, ushort>> NecToIbm = new(() =>
    {
        var bestFit = CodePagesEncodingProvider.Instance.GetEncoding(932)!;
        var map = new Dictionary<ushort, ushort>();
        for (var lead = 0xED; lead <= 0xEE; lead++)
        {
            for (var trail = 0x40; trail <= 0xFC; trail++)
            {
                if (trail == 0x7F)
                {
                    continue;
                }

                var text = bestFit.GetString([(byte)lead, (byte)trail]);
                if (text.Length != 1 || text[0] is '?' or '\uFFFD' or '\u30FB')
                {
                    continue;
                }

                try
                {
                    var ibm = WindowsJapanese.GetBytes(text);
                    if (ibm.Length == 2 && ibm[0] is not (0xED or 0xEE))
                    {
                        map[(ushort)((lead << 8) | trail)] = (ushort)((ibm[0] << 8) | ibm[1]);
                    }
                }
                catch (EncoderFallbackException)
                {
                    // No strict form: the pair stays and the strict decoder refuses it.
                }
            }
        }

        return map;
    });

    private static byte[] NecSelectedToIbm(ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        for (var i = 0; i < copy.Length; i++)
        {
            var b = copy[i];
            var lead = b is >= 0x81 and <= 0x9F or >= 0xE0 and <= 0xFC;
            if (!lead || i + 1 >= copy.Length)
            {
                continue;
            }

            if (b is 0xED or 0xEE && NecToIbm.Value.TryGetValue((ushort)((b << 8) | copy[i + 1]), out var ibm))
            {
                copy[i] = (byte)(ibm >> 8);
                copy[i + 1] = (byte)ibm;
            }

            i++;
        }

        return copy;
    }

    // Code page 932 maps some unassigned bytes (0xFD–0xFF) to private-use characters instead of failing;
    // a personnel export never contains those or control characters, so such a decode is a wrong guess.
    private static string? Plausible(string text) =>
        text.Any(c => c is >= '\uE000' and <= '\uF8FF' || (char.IsControl(c) && c is not ('\r' or '\n' or '\t'))) ? null : text;

    public static StaffCsvResult Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var problems = new List<StaffCsvProblem>();
        var records = Records(text, problems);
        if (records.Count == 0)
        {
            problems.Add(new StaffCsvProblem(1, null, "csv_empty"));
            return new StaffCsvResult([], problems);
        }

        var (headerLine, header) = records[0];
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i].Trim();
            if (name.Length == 0)
            {
                continue;
            }

            if (!HeaderAliases.TryGetValue(name, out var canonical))
            {
                problems.Add(new StaffCsvProblem(headerLine, null, "csv_unknown_column", name));
            }
            else if (!columns.TryAdd(canonical, i))
            {
                problems.Add(new StaffCsvProblem(headerLine, canonical, "csv_duplicate_column", name));
            }
        }

        foreach (var required in RequiredColumns.Where(c => !columns.ContainsKey(c)))
        {
            problems.Add(new StaffCsvProblem(headerLine, required, "csv_missing_column"));
        }

        if (problems.Count > 0)
        {
            return new StaffCsvResult([], problems);
        }

        if (records.Count - 1 > MaxRows)
        {
            problems.Add(new StaffCsvProblem(records[MaxRows + 1].Line, null, "csv_too_many_rows", MaxRows.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            return new StaffCsvResult([], problems);
        }

        var rows = new List<StaffRow>();
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var (line, fields) in records.Skip(1))
        {
            if (fields.All(f => f.Trim().Length == 0))
            {
                continue;
            }

            if (fields.Count != header.Count)
            {
                problems.Add(new StaffCsvProblem(line, null, "csv_field_count", header.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                continue;
            }

            string? Get(string column) => columns.TryGetValue(column, out var i) ? fields[i].Trim() : null;
            var before = problems.Count;
            var email = Required(problems, line, "email", Get("email"), EmailMax);
            if (email is not null && !EmailAddress.IsValid(email))
            {
                problems.Add(new StaffCsvProblem(line, "email", "csv_invalid_email"));
            }
            else if (email is not null && seen.TryGetValue(email, out var first))
            {
                problems.Add(new StaffCsvProblem(line, "email", "csv_duplicate_email", first.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
            else if (email is not null)
            {
                seen[email] = line;
            }

            var name = Required(problems, line, "name", Get("name"), NameMax);
            var department = Get("department") is { Length: > 0 } d ? d : null;
            if (department is { Length: > DepartmentMax })
            {
                problems.Add(new StaffCsvProblem(line, "department", "csv_too_long", DepartmentMax.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }

            var roleText = Get("role");
            var role = StaffRole;
            if (!string.IsNullOrEmpty(roleText) && !RoleAliases.TryGetValue(roleText, out role))
            {
                problems.Add(new StaffCsvProblem(line, "role", "csv_invalid_role", roleText));
            }

            if (problems.Count == before)
            {
                rows.Add(new StaffRow(line, email!, name!, department, role!));
            }
        }

        return new StaffCsvResult(rows, problems);
    }

    private static string? Required(List<StaffCsvProblem> problems, int line, string column, string? value, int max)
    {
        if (string.IsNullOrEmpty(value))
        {
            problems.Add(new StaffCsvProblem(line, column, "csv_required"));
            return null;
        }

        if (value.Length > max)
        {
            problems.Add(new StaffCsvProblem(line, column, "csv_too_long", max.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            return null;
        }

        return value;
    }

    /// <summary>RFC 4180 records with the physical line each starts on; an unclosed quote is a problem.</summary>
    private static List<(int Line, List<string> Fields)> Records(string text, List<StaffCsvProblem> problems)
    {
        var records = new List<(int, List<string>)>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var start = 1;
        var quoted = false;
        var any = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }

                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    any = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    any = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    records.Add((start, fields));
                    fields = [];
                    any = false;
                    line++;
                    start = line;
                    break;
                default:
                    field.Append(c);
                    any = true;
                    break;
            }
        }

        if (quoted)
        {
            problems.Add(new StaffCsvProblem(start, null, "csv_unclosed_quote"));
        }

        if (any || field.Length > 0)
        {
            fields.Add(field.ToString());
            records.Add((start, fields));
        }

        // Blank lines before the header are not a header.
        while (records.Count > 0 && records[0].Item2.All(f => f.Trim().Length == 0))
        {
            records.RemoveAt(0);
        }

        return records;
    }
}
