namespace AspService.Common;

/// <summary>The one e-mail address check (sign-up, invitations, CSV import, operators, settings).</summary>
public static class EmailAddress
{
    /// <summary>A pragmatic check: one @, a dot in the domain, no spaces or control characters.</summary>
    public static bool IsValid(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var at = value.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at == value.LastIndexOf('@') && at < value.Length - 3
            && value.IndexOf('.', at) > at + 1 && !value.EndsWith('.')
            && !value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));
    }
}
