using System.Buffers.Binary;
using System.Net;
using AspService.Server.Relay;

namespace AspService.Tests.Relay;

/// <summary>Builds PROXY protocol v2 headers the way a load balancer sends them.</summary>
public static class ProxyV2
{
    public static byte[] Proxy(IPEndPoint source, IPEndPoint destination, int tlvBytes = 0)
    {
        var v6 = source.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        var addressBytes = v6 ? 36 : 12;
        var header = Fixed(0x21, (byte)(v6 ? 0x21 : 0x11), addressBytes + tlvBytes);
        var size = v6 ? 16 : 4;
        source.Address.GetAddressBytes().CopyTo(header, 16);
        destination.Address.GetAddressBytes().CopyTo(header, 16 + size);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(16 + (2 * size)), (ushort)source.Port);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(18 + (2 * size)), (ushort)destination.Port);
        return header;
    }

    public static byte[] Local() => Fixed(0x20, 0x00, 0);

    public static byte[] Fixed(byte versionCommand, byte familyProtocol, int bodyLength)
    {
        var header = new byte[ProxyHeader.FixedLength + bodyLength];
        ProxyHeader.Signature.CopyTo(header);
        header[12] = versionCommand;
        header[13] = familyProtocol;
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(14), (ushort)bodyLength);
        return header;
    }
}
