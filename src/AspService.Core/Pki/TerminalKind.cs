namespace AspService.Pki;

/// <summary>庁内端末 (office, on the LGWAN side) or 自宅端末 (home device).</summary>
public enum TerminalKind
{
    Office,
    Home,
}

/// <summary>
/// The identity a terminal certificate carries in its SAN URI:
/// <c>urn:aspservice:tenant:{tenantId}:terminal:{terminalId}:{kind}</c>.
/// </summary>
public sealed record TerminalIdentity(Guid TenantId, Guid TerminalId, TerminalKind Kind)
{
    private const string Prefix = "urn:aspservice:tenant:";

    public Uri ToUri() => new($"{Prefix}{TenantId:D}:terminal:{TerminalId:D}:{Kind.ToString().ToLowerInvariant()}");

    public static TerminalIdentity? TryParse(string? uri)
    {
        if (uri is null || !uri.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = uri[Prefix.Length..].Split(':');
        return parts.Length == 4 && parts[1] == "terminal"
            && Guid.TryParseExact(parts[0], "D", out var tenant) && Guid.TryParseExact(parts[2], "D", out var terminal)
            && parts[3] is "office" or "home"
            && Enum.TryParse<TerminalKind>(parts[3], ignoreCase: true, out var kind)
                ? new TerminalIdentity(tenant, terminal, kind)
                : null;
    }
}
