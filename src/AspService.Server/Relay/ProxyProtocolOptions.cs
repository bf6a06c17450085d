using System.Net;

namespace AspService.Server.Relay;

/// <summary>Section <c>Relay:ProxyProtocol</c>: the TCP load balancers whose PROXY protocol v2 header is believed.</summary>
public sealed class ProxyProtocolOptions
{
    public const string Section = "Relay:ProxyProtocol";

    /// <summary>Addresses or CIDR ranges of the load balancers (empty: no PROXY header is accepted from anyone).</summary>
    public string[] TrustedProxies { get; set; } = [];

    public IPNetwork[] Networks() => TrustedProxies.Select(Parse).ToArray();

    private static IPNetwork Parse(string entry)
    {
        var text = entry.Trim();
        if (IPAddress.TryParse(text, out var address))
        {
            return new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        }

        return IPNetwork.TryParse(text, out var network) ? network
            : throw new InvalidOperationException($"{Section}:TrustedProxies: '{text}' is not an address or CIDR range");
    }
}
