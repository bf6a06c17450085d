using System.Net.Sockets;
using System.Text;

namespace AspService.Tests.Fuzz;

/// <summary>What came back for one hand-written request.</summary>
public sealed record RawReply(int? Status, bool Hung, string Head)
{
    /// <summary>The server closed the connection without any response (a refusal, not an error).</summary>
    public bool Dropped => Status is null && !Hung;
}

/// <summary>
/// HTTP/1.1 written byte by byte over a plain TCP socket or a TLS stream, so that malformed request lines, raw
/// path bytes, oversized headers and truncated bodies reach the server exactly as sent (HttpClient would fix them).
/// </summary>
public static class RawHttp
{
    /// <summary>A request's head: request line with the raw target, then headers; <c>Connection: close</c> is added.</summary>
    public static byte[] Head(string method, string target, IEnumerable<(string Name, string Value)> headers)
    {
        var text = new StringBuilder().Append(method).Append(' ').Append(target).Append(" HTTP/1.1\r\n");
        foreach (var (name, value) in headers)
        {
            text.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        text.Append("Connection: close\r\n\r\n");
        return Encoding.Latin1.GetBytes(text.ToString());
    }

    /// <summary>Sends to a plain-HTTP listener.</summary>
    public static async Task<RawReply> SendAsync(Uri server, byte[] head, byte[]? body, TimeSpan timeout)
    {
        using var tcp = new TcpClient();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await tcp.ConnectAsync(server.Host, server.Port, cts.Token);
            return await ExchangeAsync(tcp.GetStream(), head, body, cts.Token);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            return new RawReply(null, true, "");
        }
    }

    /// <summary>Writes head and body while reading the reply until the server closes; a reply cut short still counts.</summary>
    public static async Task<RawReply> ExchangeAsync(Stream stream, byte[] head, byte[]? body, CancellationToken ct)
    {
        var writing = WriteAsync(stream, head, body, ct);
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(buffer, ct);
                if (read == 0)
                {
                    break;
                }

                // Only the status line and headers matter; stop keeping bytes after that (bodies can be large).
                if (received.Length < 64 * 1024)
                {
                    received.Write(buffer, 0, read);
                }
            }
        }
        catch (IOException)
        {
            // Reset by the server after it answered (or instead of answering): judged by what was received.
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await Ignore(writing);
            return new RawReply(Parse(received.ToArray()).Status, true, "");
        }

        await Ignore(writing);
        return Parse(received.ToArray());
    }

    private static async Task WriteAsync(Stream stream, byte[] head, byte[]? body, CancellationToken ct)
    {
        await stream.WriteAsync(head, ct);
        if (body is not null)
        {
            for (var offset = 0; offset < body.Length; offset += 64 * 1024)
            {
                await stream.WriteAsync(body.AsMemory(offset, Math.Min(64 * 1024, body.Length - offset)), ct);
            }
        }

        await stream.FlushAsync(ct);
    }

    private static async Task Ignore(Task writing)
    {
        try
        {
            await writing;
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The server stopped reading (it answered early, e.g. 413): expected for hostile bodies.
        }
    }

    private static RawReply Parse(byte[] received)
    {
        var text = Encoding.Latin1.GetString(received);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = end < 0 ? text : text[..end];
        var parts = head.Split(' ', 3);
        int? status = parts.Length >= 2 && parts[0].StartsWith("HTTP/", StringComparison.Ordinal) && int.TryParse(parts[1], out var s) ? s : null;
        return new RawReply(status, false, head.Length > 2000 ? head[..2000] : head);
    }
}
