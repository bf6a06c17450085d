using System.Buffers.Binary;
using System.Text;

namespace AspService.Tests.Fuzz;

/// <summary>Hand-built WebSocket frames (RFC 6455), including the malformed ones a library would never send.</summary>
public static class WsFrame
{
    public const byte Text = 0x1;
    public const byte Binary = 0x2;
    public const byte Close = 0x8;
    public const byte Ping = 0x9;

    /// <summary>The upgrade request for <paramref name="path"/> (no <c>Connection: close</c>: the connection is kept).</summary>
    public static byte[] Upgrade(string path, string? ticket = null) => Encoding.ASCII.GetBytes(
        $"GET {path} HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
        (ticket is null ? "" : "X-Relay-Ticket: " + ticket + "\r\n") + "\r\n");

    /// <summary>A frame as a client sends it: masked, with the real payload length unless <paramref name="declaredLength"/> lies.</summary>
    public static byte[] Masked(byte opcode, byte[] payload, bool fin = true, long? declaredLength = null, bool mask = true)
    {
        var length = declaredLength ?? payload.Length;
        var frame = new List<byte> { (byte)((fin ? 0x80 : 0) | opcode) };
        var maskBit = mask ? 0x80 : 0;
        if (length < 126)
        {
            frame.Add((byte)(maskBit | (int)length));
        }
        else if (length <= ushort.MaxValue)
        {
            frame.Add((byte)(maskBit | 126));
            var ext = new byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(ext, (ushort)length);
            frame.AddRange(ext);
        }
        else
        {
            frame.Add((byte)(maskBit | 127));
            var ext = new byte[8];
            BinaryPrimitives.WriteInt64BigEndian(ext, length);
            frame.AddRange(ext);
        }

        byte[] key = [0x12, 0x34, 0x56, 0x78];
        if (mask)
        {
            frame.AddRange(key);
        }

        frame.AddRange(payload.Select((b, i) => mask ? (byte)(b ^ key[i % 4]) : b));
        return [.. frame];
    }

    public static byte[] Json(string text) => Masked(Text, Encoding.UTF8.GetBytes(text));
}
