using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AspService.Agent.Configuration;
using AspService.Agent.Output;
using AspService.Agent.Relay;
using AspService.Agent.Transport;
using AspService.Policy;

namespace AspService.Agent.Office;

/// <summary>
/// The office agent (docs/relay-protocol.md, office side): keeps a control connection to the relay (hello with the
/// redirection report, a heartbeat every 10 s), reconnects with <see cref="Backoff"/>, and for each session the
/// relay offers opens a data stream and bridges it to a new TCP connection to the local target (the PC's own RDP
/// server). Sessions outlive a control reconnect; a stop (Ctrl-C, SIGTERM, service stop) closes everything cleanly.
/// </summary>
public sealed class OfficeAgent(ConfigDirectory directory, LocalEndpoint target, ProxyChoice proxy, AgentContext context)
{
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan TargetConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>After one side of a session ended, how long the other may still drain.</summary>
    public static readonly TimeSpan Linger = TimeSpan.FromSeconds(10);

    private const int MaxControlMessage = 4096;
    private readonly ConcurrentDictionary<Guid, Task> _sessions = new();
    private readonly AgentText _text = context.Text;
    private readonly AgentConsole _console = context.Console;
    private readonly TimeProvider _time = context.Time;

    // Sessions stop with the agent, not with the control connection that offered them.
    private CancellationToken _stop;

    public async Task RunAsync(CancellationToken stop)
    {
        _stop = stop;
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            var connectedAt = (DateTimeOffset?)null;
            try
            {
                // Read every time: a renewal (aspagent renew) replaces the certificate on disk.
                var config = directory.Load(_text)
                    ?? throw new AgentException(ExitCode.NotEnrolled, "not-enrolled", _text.Get("not_enrolled", directory.Path));
                using var credentials = RelayCredentials.Load(directory, config, _text);
                using var relay = credentials.Client(proxy, _text);
                var address = ServerAddress.Combine(config.AgentEndpoint, "api/v1/relay/control");
                using var socket = await relay.OpenAsync(address, null, stop).ConfigureAwait(false);
                connectedAt = _time.GetUtcNow();
                var redirection = RedirectionReport.Read();
                await SendAsync(socket, Hello(redirection), CancellationToken.None).ConfigureAwait(false);
                _console.Event(
                    new JsonObject { ["event"] = "connected", ["relay"] = address.GetLeftPart(UriPartial.Authority), ["target"] = target.ToString(), ["redirection"] = Redirection(redirection) },
                    _text.Get("office_connected", address.GetLeftPart(UriPartial.Authority), config.Name, target));
                var reason = await ControlLoopAsync(socket, stop).ConfigureAwait(false);
                if (!stop.IsCancellationRequested)
                {
                    _console.Event(new JsonObject { ["event"] = "disconnected", ["reason"] = reason }, _text.Get("office_disconnected", reason), problem: true);
                }
            }
            catch (AgentException failure) when (failure.ExitCode is not (ExitCode.NotEnrolled or ExitCode.Usage))
            {
                _console.Event(new JsonObject { ["event"] = "connect-failed", ["error"] = failure.Code, ["message"] = failure.Message },
                    _text.Get("office_connect_failed", failure.Message), problem: true);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }

            if (stop.IsCancellationRequested)
            {
                break;
            }

            failures = connectedAt is { } at && _time.GetUtcNow() - at >= Backoff.Healthy ? 1 : failures + 1;
            var delay = Backoff.Delay(failures, Random.Shared.NextDouble());
            _console.Event(new JsonObject { ["event"] = "retry", ["delaySeconds"] = Math.Round(delay.TotalSeconds, 1) },
                _text.Get("office_retry", Math.Round(delay.TotalSeconds, 1)), problem: true);
            try
            {
                await Task.Delay(delay, _time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        // A stop lets live sessions close with a close frame each (bounded by their linger).
        await Task.WhenAll(_sessions.Values).ConfigureAwait(false);
    }

    private JsonObject Hello(ReportedRedirection redirection) => new()
    {
        ["type"] = "hello",
        ["agentVersion"] = AgentHttp.Version,
        ["target"] = target.ToString(),
        ["redirection"] = Redirection(redirection),
    };

    private static JsonObject Redirection(ReportedRedirection r) => new()
    {
        ["clipboard"] = r.Clipboard,
        ["drives"] = r.Drives,
        ["printers"] = r.Printers,
        ["ports"] = r.Ports,
    };

    /// <summary>Heartbeats out, session offers in; returns why the connection ended.</summary>
    private async Task<string> ControlLoopAsync(WebSocket socket, CancellationToken stop)
    {
        // Pending WebSocket operations are never cancelled by a stop (that would abort the socket): a stop ends the
        // heartbeats, sends a close frame and lets the receive loop see the relay's answer.
        using var abort = new CancellationTokenSource();
        using var heartbeatStop = CancellationTokenSource.CreateLinkedTokenSource(stop, abort.Token);
        var heartbeats = HeartbeatsAsync(socket, heartbeatStop.Token, abort.Token);
        var receiving = ReceiveLoopAsync(socket, abort.Token);
        using var onStop = stop.Register(() => _ = CloseAfterAsync(heartbeats, socket, abort));
        string reason;
        try
        {
            reason = await receiving.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or JsonException or IOException)
        {
            reason = ServerCall.Reason(ex);
        }

        await abort.CancelAsync().ConfigureAwait(false);
        try
        {
            await heartbeats.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // The connection is gone; the reason came from the receive side.
        }

        return reason;
    }

    private static async Task CloseAfterAsync(Task heartbeats, WebSocket socket, CancellationTokenSource abort)
    {
        try
        {
            await heartbeats.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // Stopped.
        }

        try
        {
            if (socket.State == WebSocketState.Open)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "stopping", abort.Token).ConfigureAwait(false);
            }

            abort.CancelAfter(TimeSpan.FromSeconds(2));
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            socket.Abort();
        }
    }

    private async Task HeartbeatsAsync(WebSocket socket, CancellationToken stop, CancellationToken abort)
    {
        var heartbeat = new JsonObject { ["type"] = "heartbeat" };
        while (true)
        {
            try
            {
                await Task.Delay(HeartbeatInterval, _time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await SendAsync(socket, heartbeat, abort).ConfigureAwait(false);
        }
    }

    private async Task<string> ReceiveLoopAsync(WebSocket socket, CancellationToken abort)
    {
        var buffer = new byte[MaxControlMessage];
        while (true)
        {
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (length == buffer.Length)
                {
                    // The relay's messages are small; a huge one is a broken peer.
                    await socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, null, abort).ConfigureAwait(false);
                    return "message too big";
                }

                result = await socket.ReceiveAsync(buffer.AsMemory(length), abort).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (socket.State == WebSocketState.CloseReceived)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, abort).ConfigureAwait(false);
                    }

                    return socket.CloseStatusDescription is { Length: > 0 } description ? description : _text.Get("closed_by_relay");
                }

                length += result.Count;
            }
            while (!result.EndOfMessage);

            if (result.MessageType == WebSocketMessageType.Text)
            {
                Handle(buffer.AsSpan(0, length));
            }
        }
    }

    private void Handle(ReadOnlySpan<byte> message)
    {
        using var document = JsonDocument.Parse(message.ToArray());
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            return;
        }

        switch (type.GetString())
        {
            case "session" when root.TryGetProperty("sessionId", out var id) && id.TryGetGuid(out var sessionId):
                var tunnel = root.TryGetProperty("tunnelUrl", out var t) && Uri.TryCreate(t.GetString(), UriKind.Absolute, out var u) ? u : null;
                // Each session runs on its own; the relay never offers one session twice, but a repeat is harmless.
                _sessions.GetOrAdd(sessionId, key => Task.Run(async () =>
                {
                    await new OfficeSession(directory, target, proxy, context).RunAsync(key, tunnel, _stop).ConfigureAwait(false);
                    _sessions.TryRemove(key, out _);
                }));
                break;
            case "closed" when root.TryGetProperty("sessionId", out var closed):
                _console.Event(new JsonObject { ["event"] = "closed", ["sessionId"] = closed.ToString(), ["reason"] = root.TryGetProperty("reason", out var r) ? r.ToString() : null },
                    _text.Get("office_session_closed", closed.ToString(), root.TryGetProperty("reason", out var why) ? why.ToString() : "-"));
                break;
        }
    }

    private static Task SendAsync(WebSocket socket, JsonObject message, CancellationToken ct) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, endOfMessage: true, ct);
}
