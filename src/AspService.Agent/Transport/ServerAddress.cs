using System.Net;
using AspService.Agent.Output;

namespace AspService.Agent.Transport;

/// <summary>Checks the --server URL: http(s) only, and plain http only to this computer.</summary>
public static class ServerAddress
{
    public static Uri Parse(string? value, AgentText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new AgentException(ExitCode.Usage, "usage", text.Get("missing_server"));
        }

        value = value.Trim();
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(uri.Host)
            || !string.IsNullOrEmpty(uri.UserInfo)
            || !string.IsNullOrEmpty(uri.Query)
            || !string.IsNullOrEmpty(uri.Fragment))
        {
            throw new AgentException(ExitCode.Usage, "usage", text.Get("invalid_server", value));
        }

        // The token and the issued certificate must not cross a network in clear text.
        if (uri.Scheme == Uri.UriSchemeHttp && !IsLoopback(uri))
        {
            throw new AgentException(ExitCode.Usage, "usage", text.Get("http_not_loopback", value));
        }

        return uri;
    }

    /// <summary>localhost, 127.0.0.0/8 and ::1 — never a name that merely resolves to them.</summary>
    public static bool IsLoopback(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
            && IPAddress.TryParse(uri.DnsSafeHost, out var address)
            && IPAddress.IsLoopback(address);
    }

    /// <summary><c>{base}/{path}</c> keeping the base's own path (e.g. /t/131016).</summary>
    public static Uri Combine(Uri baseAddress, string path)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        ArgumentNullException.ThrowIfNull(path);
        return new Uri(baseAddress.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/" + path.TrimStart('/'));
    }
}
