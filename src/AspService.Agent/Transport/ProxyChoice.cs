using System.Net;
using AspService.Agent.Output;

namespace AspService.Agent.Transport;

public enum ProxyKind
{
    /// <summary>The system's proxy: HTTPS_PROXY / ALL_PROXY / NO_PROXY, or the Windows settings.</summary>
    System,

    /// <summary>No proxy at all (--no-proxy).</summary>
    None,

    /// <summary>One proxy for every connection (--proxy URL, or <c>proxy</c> in agent.json).</summary>
    Explicit,
}

/// <summary>Which outbound HTTP proxy the agent uses. LGWAN-side networks often allow nothing but a proxy.</summary>
public sealed record ProxyChoice(ProxyKind Kind, Uri? Address, NetworkCredential? Credentials)
{
    public static ProxyChoice System { get; } = new(ProxyKind.System, null, null);

    public static ProxyChoice None { get; } = new(ProxyKind.None, null, null);

    /// <summary>
    /// --no-proxy wins, then --proxy, then the configuration's <c>proxy</c>, else the system's. A proxy is an
    /// <c>http://</c> or <c>https://</c> URL with a host and optionally a port and <c>user:password@</c>.
    /// </summary>
    public static ProxyChoice Resolve(string? option, bool noProxy, string? configured, AgentText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (noProxy)
        {
            if (!string.IsNullOrWhiteSpace(option))
            {
                throw new AgentException(ExitCode.Usage, "usage", text.Get("proxy_both"));
            }

            return None;
        }

        var value = !string.IsNullOrWhiteSpace(option) ? option.Trim() : configured?.Trim();
        return string.IsNullOrEmpty(value) ? System : Parse(value, text);
    }

    private static ProxyChoice Parse(string value, AgentText text)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(uri.Host)
            || uri.AbsolutePath != "/"
            || !string.IsNullOrEmpty(uri.Query)
            || !string.IsNullOrEmpty(uri.Fragment))
        {
            throw new AgentException(ExitCode.Usage, "usage", text.Get("proxy_invalid", Redact(value)));
        }

        NetworkCredential? credentials = null;
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            var user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            var password = colon < 0 ? "" : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            credentials = new NetworkCredential(user, password);
        }

        return new ProxyChoice(ProxyKind.Explicit, new Uri(uri.GetLeftPart(UriPartial.Authority).Replace(uri.UserInfo + "@", "", StringComparison.Ordinal)), credentials);
    }

    /// <summary>A proxy URL as it may be printed: never with its password.</summary>
    public static string Redact(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var at = value.IndexOf('@', StringComparison.Ordinal);
        var scheme = value.IndexOf("://", StringComparison.Ordinal);
        return at > 0 && scheme > 0 && at > scheme ? value[..(scheme + 3)] + "***@" + value[(at + 1)..] : value;
    }

    /// <summary>
    /// Whether connections to <paramref name="destination"/> go straight to it (no proxy set, or the address bypasses
    /// it). The relay's raw tunnel is used only then: through a proxy the agent keeps WebSocket (decision 0075).
    /// </summary>
    public bool IsDirect(Uri destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return Kind switch
        {
            ProxyKind.None => true,
            ProxyKind.Explicit => false,
            _ => HttpClient.DefaultProxy.IsBypassed(destination) || HttpClient.DefaultProxy.GetProxy(destination) is null,
        };
    }

    /// <summary>How the choice is shown to people and in --json (no password).</summary>
    public string Describe() => Kind switch
    {
        ProxyKind.None => "none",
        ProxyKind.Explicit => Address!.GetLeftPart(UriPartial.Authority),
        _ => "system",
    };
}
