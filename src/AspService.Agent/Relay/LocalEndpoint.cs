using System.Globalization;
using System.Net;
using AspService.Agent.Output;

namespace AspService.Agent.Relay;

/// <summary>A <c>host:port</c> option: the office agent's target, the home agent's listening address.</summary>
public sealed record LocalEndpoint(string Host, int Port)
{
    /// <summary><c>host:port</c>, <c>[v6]:port</c>; the port may be 0 only where <paramref name="allowPortZero"/>.</summary>
    public static LocalEndpoint? TryParse(string? value, bool allowPortZero)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        value = value.Trim();
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || colon == value.Length - 1)
        {
            return null;
        }

        var host = value[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
            if (!IPAddress.TryParse(host, out var v6) || v6.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                return null;
            }
        }
        else if (host.Contains(':', StringComparison.Ordinal) || Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            return null;
        }

        if (!int.TryParse(value[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port > 65535 || (port == 0 && !allowPortZero))
        {
            return null;
        }

        return new LocalEndpoint(host, port);
    }

    /// <summary>The office agent's --target: any host name or address with a port (default 127.0.0.1:3389).</summary>
    public static LocalEndpoint Target(string? value, AgentText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(value ?? "127.0.0.1:3389", allowPortZero: false)
            ?? throw new AgentException(ExitCode.Usage, "usage", text.Get("target_invalid", value));
    }

    /// <summary>
    /// The home agent's --listen: a loopback address only (127.0.0.0/8 or ::1, as written), port 0 = any free one.
    /// Anything else would offer the office PC's screen to the home network.
    /// </summary>
    public static IPEndPoint Listen(string? value, AgentText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parsed = TryParse(value ?? "127.0.0.1:0", allowPortZero: true);
        if (parsed is null || !IPAddress.TryParse(parsed.Host, out var address))
        {
            throw new AgentException(ExitCode.Usage, "usage", text.Get("listen_invalid", value));
        }

        return IPAddress.IsLoopback(address)
            ? new IPEndPoint(address, parsed.Port)
            : throw new AgentException(ExitCode.Usage, "usage", text.Get("listen_not_loopback", value));
    }

    public override string ToString() =>
        (Host.Contains(':', StringComparison.Ordinal) ? "[" + Host + "]" : Host) + ":" + Port.ToString(CultureInfo.InvariantCulture);
}
