using System.Buffers.Binary;
using System.Net;

namespace AspService.Server.Relay;

/// <summary>
/// A parsed PROXY protocol header (HAProxy's specification, version 2, binary). <see cref="Length"/> is how many
/// bytes it occupies at the start of the connection (including its TLVs, which are skipped).
/// </summary>
public sealed record ProxyHeader(ProxyHeaderStatus Status, int Length, IPEndPoint? Source, IPEndPoint? Destination)
{
    /// <summary>The 12-byte signature that opens every version 2 header.</summary>
    public static ReadOnlySpan<byte> Signature => [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    /// <summary>Fixed part: signature, version/command, family/protocol, length.</summary>
    public const int FixedLength = 16;

    /// <summary>Largest header accepted (addresses + TLVs); load balancers send well under this.</summary>
    public const int MaxLength = 2048;

    private static ReadOnlySpan<byte> Version1 => "PROXY "u8;

    private static readonly ProxyHeader NeedMore = new(ProxyHeaderStatus.Incomplete, 0, null, null);
    private static readonly ProxyHeader None = new(ProxyHeaderStatus.Absent, 0, null, null);
    private static readonly ProxyHeader Bad = new(ProxyHeaderStatus.Invalid, 0, null, null);

    /// <summary>Reads the start of a connection. Pure: no I/O, decides from the bytes given so far.</summary>
    public static ProxyHeader Parse(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return NeedMore;
        }

        var signature = Signature;
        var prefix = Math.Min(data.Length, signature.Length);
        if (!data[..prefix].SequenceEqual(signature[..prefix]))
        {
            var v1 = Math.Min(data.Length, Version1.Length);
            return !data[..v1].SequenceEqual(Version1[..v1]) ? None : v1 < Version1.Length ? NeedMore : Bad;
        }

        if (data.Length < FixedLength)
        {
            return NeedMore;
        }

        var versionCommand = data[12];
        var familyProtocol = data[13];
        var length = FixedLength + BinaryPrimitives.ReadUInt16BigEndian(data[14..16]);
        if (versionCommand >> 4 != 2 || (versionCommand & 0x0F) > 1 || length > MaxLength)
        {
            return Bad;
        }

        if (data.Length < length)
        {
            return NeedMore;
        }

        var family = familyProtocol >> 4;
        var protocol = familyProtocol & 0x0F;
        var body = data[FixedLength..length];
        if ((versionCommand & 0x0F) == 0 || family == 0)
        {
            // LOCAL: the proxy speaks for itself; the addresses (if any) are to be ignored.
            return new ProxyHeader(ProxyHeaderStatus.Local, length, null, null);
        }

        if (protocol != 1)
        {
            return Bad; // Only TCP (STREAM) reaches a TLS listener.
        }

        return family switch
        {
            1 when body.Length >= 12 => new ProxyHeader(ProxyHeaderStatus.Proxied, length,
                new IPEndPoint(new IPAddress(body[..4]), BinaryPrimitives.ReadUInt16BigEndian(body[8..10])),
                new IPEndPoint(new IPAddress(body[4..8]), BinaryPrimitives.ReadUInt16BigEndian(body[10..12]))),
            2 when body.Length >= 36 => new ProxyHeader(ProxyHeaderStatus.Proxied, length,
                new IPEndPoint(new IPAddress(body[..16]), BinaryPrimitives.ReadUInt16BigEndian(body[32..34])),
                new IPEndPoint(new IPAddress(body[16..32]), BinaryPrimitives.ReadUInt16BigEndian(body[34..36]))),
            _ => Bad,
        };
    }
}
