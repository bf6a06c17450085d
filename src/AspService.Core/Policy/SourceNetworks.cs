using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace AspService.Policy;

/// <summary>Parsing and matching of the policy's allowed source networks (CIDR, IPv4 and IPv6).</summary>
public static class SourceNetworks
{
    private const int MaxEntryLength = 64;

    /// <summary>
    /// Parses one entry strictly: dotted-quad IPv4 or IPv6, then <c>/prefix</c>. A bare address means that one host
    /// (/32 or /128). An address with bits set past the prefix (192.0.2.1/24) is refused rather than silently widened,
    /// because in an allow-list that is almost always a typo.
    /// </summary>
    public static bool TryParse(string? text, out IPNetwork network, out LocalizedText error)
    {
        network = default;
        error = default;
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            error = PolicyText.Format("cidr_empty");
            return false;
        }

        // The longest valid entry (IPv6 with an embedded IPv4 and /128) has 49 characters; longer input is not echoed whole.
        if (trimmed.Length > MaxEntryLength)
        {
            error = PolicyText.Format("cidr_invalid", trimmed[..MaxEntryLength] + "…");
            return false;
        }

        var slash = trimmed.IndexOf('/', StringComparison.Ordinal);
        var addressPart = slash < 0 ? trimmed : trimmed[..slash];
        if (!TryParseAddress(addressPart, out var address))
        {
            error = PolicyText.Format("cidr_invalid", trimmed);
            return false;
        }

        var maxPrefix = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = maxPrefix;
        if (slash >= 0)
        {
            var prefixPart = trimmed[(slash + 1)..];
            if (prefixPart.Length is 0 or > 3 || !prefixPart.All(char.IsAsciiDigit))
            {
                error = PolicyText.Format("cidr_invalid", trimmed);
                return false;
            }

            prefix = int.Parse(prefixPart, CultureInfo.InvariantCulture);
            if (prefix > maxPrefix)
            {
                error = PolicyText.Format("cidr_prefix", trimmed, maxPrefix);
                return false;
            }
        }

        var masked = Mask(address, prefix);
        if (!masked.Equals(address))
        {
            error = PolicyText.Format("cidr_host_bits", trimmed, $"{masked}/{prefix}");
            return false;
        }

        // Peers are matched as plain IPv4 (see Contains), so a ::ffff:a.b.c.d range would never match anything.
        if (address.IsIPv4MappedToIPv6)
        {
            error = PolicyText.Format("cidr_mapped", trimmed, $"{address.MapToIPv4()}/{prefix - 96}");
            return false;
        }

        network = new IPNetwork(address, prefix);
        return true;
    }

    /// <summary>
    /// Whether <paramref name="address"/> lies in any of <paramref name="networks"/>. An IPv4-mapped IPv6 address
    /// (::ffff:192.0.2.1, as dual-stack sockets report IPv4 peers) is the IPv4 peer it carries and matches IPv4 ranges;
    /// IPv4 peers never match IPv6 ranges, so ::/0 means "all IPv6", not everything. Entries that do not parse match
    /// nothing (fail closed).
    /// </summary>
    public static bool Contains(IEnumerable<string> networks, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(networks);
        ArgumentNullException.ThrowIfNull(address);
        // Normalize first rather than rely on IPNetwork.Contains for mapped addresses: it matches them against IPv4
        // networks but not against IPv6 networks of prefix 96 or shorter, which is no rule an admin could predict.
        var peer = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        foreach (var entry in networks)
        {
            if (TryParse(entry, out var network, out _) && network.Contains(peer))
            {
                return true;
            }
        }

        return false;
    }

    // IPAddress.TryParse accepts "10" (0.0.0.10) and "10.1" (10.0.0.1); an allow-list wants exactly what the admin meant.
    private static bool TryParseAddress(string text, out IPAddress address)
    {
        address = IPAddress.None;
        if (text.Contains('%', StringComparison.Ordinal))
        {
            return false; // a zone id names a local interface, not a network
        }

        if (text.Contains(':', StringComparison.Ordinal))
        {
            return IPAddress.TryParse(text, out address!) && address.AddressFamily == AddressFamily.InterNetworkV6;
        }

        var parts = text.Split('.');
        // Leading zeros are refused too: some parsers read 010 as octal.
        if (parts.Length != 4 || parts.Any(p => p.Length is 0 or > 3 || (p.Length > 1 && p[0] == '0') || !p.All(char.IsAsciiDigit)))
        {
            return false;
        }

        return IPAddress.TryParse(text, out address!) && address.AddressFamily == AddressFamily.InterNetwork;
    }

    private static IPAddress Mask(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var bitsHere = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF00 >> bitsHere);
        }

        return new IPAddress(bytes);
    }
}
