using System.Text;

namespace AspService.Relay;

/// <summary>
/// The raw data tunnel's opening (decision 0075): one HTTP/1.1 request head, <c>GET /api/v1/relay/data</c> with
/// <c>Upgrade: aspservice-relay/1</c>, answered by <c>101</c> (then raw bytes both ways, the end of each direction a
/// TLS close_notify) or by a problem. Pure: reads and writes text only.
/// </summary>
public static class TunnelProtocol
{
    public const string Name = "aspservice-relay/1";

    public const string DataPath = "/api/v1/relay/data";

    /// <summary>Largest request or response head accepted.</summary>
    public const int MaxHead = 8192;

    public sealed record Request(string Method, string Path, string? Query, IReadOnlyDictionary<string, string> Headers)
    {
        public string? Header(string name) => Headers.GetValueOrDefault(name);

        /// <summary>The query's <c>session</c> value, if any.</summary>
        public string? Session => Query?.Split('&').Select(p => p.Split('=', 2)).FirstOrDefault(p => p[0] == "session") is [_, var value] ? Uri.UnescapeDataString(value) : null;
    }

    /// <summary>Parses a request head (without the final empty line); null when it is not HTTP/1.1 at all.</summary>
    public static Request? ParseRequest(string head)
    {
        ArgumentNullException.ThrowIfNull(head);
        var lines = head.Split("\r\n");
        var start = lines[0].Split(' ');
        if (start.Length != 3 || start[2] != "HTTP/1.1")
        {
            return null;
        }

        var target = start[1];
        var question = target.IndexOf('?', StringComparison.Ordinal);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                return null;
            }

            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        return new Request(start[0], question < 0 ? target : target[..question], question < 0 ? null : target[(question + 1)..], headers);
    }

    /// <summary>Whether the request asks for this tunnel (any other upgrade or path is refused).</summary>
    public static bool IsTunnelRequest(Request request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Method == "GET" && request.Path == DataPath
            && string.Equals(request.Header("Upgrade"), Name, StringComparison.OrdinalIgnoreCase)
            && (request.Header("Connection") ?? "").Split(',').Any(t => t.Trim().Equals("Upgrade", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The agent's request head for a data stream on <paramref name="host"/> (host[:port]).</summary>
    public static byte[] RequestHead(string pathAndQuery, string host, IEnumerable<KeyValuePair<string, string>> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var text = new StringBuilder($"GET {pathAndQuery} HTTP/1.1\r\nHost: {host}\r\nConnection: Upgrade\r\nUpgrade: {Name}\r\n");
        foreach (var (name, value) in headers)
        {
            text.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        return Encoding.ASCII.GetBytes(text.Append("\r\n").ToString());
    }

    /// <summary>The status code of a response head, or 0 when it is not HTTP/1.1.</summary>
    public static int Status(string head)
    {
        ArgumentNullException.ThrowIfNull(head);
        var start = head.Split("\r\n")[0].Split(' ');
        return start.Length >= 2 && start[0] == "HTTP/1.1" && int.TryParse(start[1], System.Globalization.CultureInfo.InvariantCulture, out var status) ? status : 0;
    }

    public static byte[] SwitchingProtocols() =>
        Encoding.ASCII.GetBytes($"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: {Name}\r\n\r\n");

    /// <summary>A refusal: the status, the problem's name in <c>X-Relay-Problem</c> (as on the WebSocket path) and the problem+json body.</summary>
    public static byte[] Refusal(int status, string? problem, string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var body = Encoding.UTF8.GetBytes(json);
        var name = problem is null ? "" : $"X-Relay-Problem: {problem}\r\n";
        var head = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status} {ReasonPhrase(status)}\r\nContent-Type: application/problem+json\r\nContent-Length: {body.Length}\r\n{name}Connection: close\r\n\r\n");
        return [.. head, .. body];
    }

    private static string ReasonPhrase(int status) => status switch
    {
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        _ => "Error",
    };

    /// <summary>Reads one head (up to the empty line) without reading a byte beyond it, so what follows stays in the stream.</summary>
    public static async Task<string?> ReadHeadAsync(Stream stream, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var bytes = new byte[MaxHead];
        var length = 0;
        while (length < bytes.Length)
        {
            // One byte at a time: the TLS stream serves these from its decrypted buffer, and the raw bytes after the
            // head belong to the session. A head is a few hundred bytes, once per data stream.
            if (await stream.ReadAsync(bytes.AsMemory(length, 1), ct) == 0)
            {
                return null;
            }

            length++;
            if (length >= 4 && bytes[length - 1] == '\n' && bytes[length - 2] == '\r' && bytes[length - 3] == '\n' && bytes[length - 4] == '\r')
            {
                return Encoding.ASCII.GetString(bytes, 0, length - 4);
            }
        }

        return null;
    }
}
