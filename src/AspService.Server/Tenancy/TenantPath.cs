using AspService.Tenancy;

namespace AspService.Server.Tenancy;

/// <summary>Pure parsing of the tenant part of a request: host label and <c>/t/{code}</c> prefix.</summary>
public static class TenantPath
{
    /// <summary>The public address of a tenant: its own host under the base domain, else the path prefix on the shared host.</summary>
    public static string PublicRoot(string code, string publicBaseUrl, string? baseDomain)
    {
        ArgumentNullException.ThrowIfNull(publicBaseUrl);
        var domain = baseDomain?.Trim('.');
        return string.IsNullOrEmpty(domain) ? publicBaseUrl.TrimEnd('/') + Prefix + code : "https://" + code + "." + domain;
    }

    public const string Prefix = "/t/";

    /// <summary>The code in <c>{code}.{baseDomain}</c>, or null. Only an exact six-digit label counts.</summary>
    public static string? CodeFromHost(string host, string? baseDomain)
    {
        if (string.IsNullOrEmpty(baseDomain))
        {
            return null;
        }

        var suffix = "." + baseDomain.Trim('.');
        if (!host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var label = host[..^suffix.Length];
        return LocalGovernmentCode.IsWellFormed(label) ? label : null;
    }

    /// <summary>
    /// Splits <c>/t/{code}/rest</c> into code and rest. Strict on purpose: lower-case <c>t</c>, exactly six
    /// ASCII digits, then end or '/'. Anything else is not a tenant path (and tenant endpoints then 404).
    /// </summary>
    public static (string Code, string Remainder)? SplitPrefix(string path)
    {
        if (!path.StartsWith(Prefix, StringComparison.Ordinal) || path.Length < Prefix.Length + 6)
        {
            return null;
        }

        var code = path.Substring(Prefix.Length, 6);
        var rest = path[(Prefix.Length + 6)..];
        if (!code.All(char.IsAsciiDigit) || (rest.Length > 0 && rest[0] != '/'))
        {
            return null;
        }

        return (code, rest.Length == 0 ? "/" : rest);
    }

    /// <summary>Dot segments and encoded separators are refused outright rather than interpreted.</summary>
    public static bool IsSuspicious(string path) =>
        path.Contains("/../", StringComparison.Ordinal) || path.EndsWith("/..", StringComparison.Ordinal)
        || path.Contains("/./", StringComparison.Ordinal) || path.EndsWith("/.", StringComparison.Ordinal)
        || path.Contains("%2f", StringComparison.OrdinalIgnoreCase) || path.Contains("%5c", StringComparison.OrdinalIgnoreCase)
        || path.Contains('\\', StringComparison.Ordinal) || path.Contains("//", StringComparison.Ordinal);
}
