namespace AspService.Tenancy;

public enum LocalGovernmentKind
{
    Prefecture,
    Municipality,
    Ward,
}

/// <summary>One row of the ministry's list of local government codes.</summary>
public sealed record LocalGovernment(
    string Code,
    LocalGovernmentKind Kind,
    string Name,
    string Kana,
    string PrefectureCode,
    string? ParentCode)
{
    /// <summary>Only prefectures and municipalities are local governments that can be tenants.</summary>
    public bool CanBeTenant => Kind != LocalGovernmentKind.Ward;
}

/// <summary>The shipped list of every local government code (public facts from the ministry).</summary>
public sealed class LocalGovernmentDirectory
{
    private readonly Dictionary<string, LocalGovernment> _byCode;

    public LocalGovernmentDirectory(IEnumerable<LocalGovernment> entries)
    {
        _byCode = entries.ToDictionary(e => e.Code, StringComparer.Ordinal);
    }

    public static LocalGovernmentDirectory Shipped { get; } = LoadShipped();

    public IReadOnlyCollection<LocalGovernment> All => _byCode.Values;

    public LocalGovernment? Find(string code) => _byCode.GetValueOrDefault(code);

    /// <summary>
    /// Turns typed input into a local government that may be a tenant, or a precise reason why not.
    /// </summary>
    public CodeLookup Lookup(string? input)
    {
        var parsed = LocalGovernmentCode.Normalize(input);
        if (!parsed.Success)
        {
            return new CodeLookup(null, parsed.Error switch
            {
                CodeError.Empty => LookupError.Empty,
                CodeError.NotDigits => LookupError.NotDigits,
                CodeError.WrongLength => LookupError.WrongLength,
                _ => LookupError.CheckDigitMismatch,
            }, null);
        }

        var entry = Find(parsed.Code!);
        if (entry is null)
        {
            return new CodeLookup(null, LookupError.NotListed, null);
        }

        if (!entry.CanBeTenant)
        {
            return new CodeLookup(entry, LookupError.IsWard, entry.ParentCode is null ? null : Find(entry.ParentCode));
        }

        return new CodeLookup(entry, LookupError.None, null);
    }

    private static LocalGovernmentDirectory LoadShipped()
    {
        using var stream = typeof(LocalGovernmentDirectory).Assembly
            .GetManifestResourceStream("AspService.Tenancy.lg-codes.csv")
            ?? throw new InvalidOperationException("lg-codes.csv resource missing");
        using var reader = new StreamReader(stream);
        return new LocalGovernmentDirectory(Parse(reader));
    }

    private static IEnumerable<LocalGovernment> Parse(TextReader reader)
    {
        _ = reader.ReadLine(); // header
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var f = line.Split(',');
            var kind = f[1] switch
            {
                "prefecture" => LocalGovernmentKind.Prefecture,
                "municipality" => LocalGovernmentKind.Municipality,
                "ward" => LocalGovernmentKind.Ward,
                _ => throw new InvalidDataException($"unknown kind {f[1]}"),
            };
            yield return new LocalGovernment(f[0], kind, f[2], f[3], f[4], f[5].Length == 0 ? null : f[5]);
        }
    }
}

public enum LookupError
{
    None,
    Empty,
    NotDigits,
    WrongLength,
    CheckDigitMismatch,
    NotListed,
    IsWard,
}

/// <param name="Entry">The matched row (also set for a ward, to name it in the error).</param>
/// <param name="Error">Why the code cannot be a tenant, or None.</param>
/// <param name="Parent">For a ward: the designated city it belongs to.</param>
public sealed record CodeLookup(LocalGovernment? Entry, LookupError Error, LocalGovernment? Parent)
{
    public bool Success => Error == LookupError.None;
}
