using System.Net.WebSockets;
using System.Text.Json;
using AspService.Pki;
using AspService.Server.Hosting;
using AspService.Server.Pki;
using AspService.Policy;

namespace AspService.Server.Relay;

/// <summary>
/// An office agent's control connection: online while it lasts, heartbeats, session offers. It holds no request
/// scope or DbContext while it waits (decision 0075); each state write is its own short update.
/// </summary>
public sealed class ControlEndpoint(ControlHub controls, TerminalPresence presence, TimeProvider time, ILogger<ControlEndpoint> logger)
{
    private const int MaxMessage = 4096;

    public async Task<IResult> RunAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var terminal = http.Terminal()!;
        if (terminal.Kind != TerminalKind.Office)
        {
            return Problems.Titled(StatusCodes.Status403Forbidden, "office-only", RelayText.Get("office_only"));
        }

        if (!http.WebSockets.IsWebSocketRequest)
        {
            return Problems.Titled(StatusCodes.Status400BadRequest, "websocket-required", RelayText.Get("websocket_required"));
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        var aborted = http.RequestAborted;
        var client = http.Connection.RemoteIpAddress?.ToString();
        await RelayEndpoints.ReleaseRequestScopeAsync(http);
        var tenant = terminal.Tenant;
        using var channel = new ControlChannel(tenant.TenantId, terminal.TerminalId, socket, time.GetUtcNow());
        controls.Register(channel);
        await controls.WritePresenceAsync(channel, online: true, () => presence.OnlineAsync(tenant, terminal.TerminalId, redirection: null, client, audit: true));
        try
        {
            var buffer = new byte[MaxMessage];
            while (socket.State == WebSocketState.Open)
            {
                var message = await ReceiveAsync(socket, buffer, aborted);
                if (message is null)
                {
                    break;
                }

                channel.LastHeard = time.GetUtcNow();
                if (Redirection(message.Value) is { } reported)
                {
                    await controls.WritePresenceAsync(channel, online: true, () => presence.OnlineAsync(tenant, terminal.TerminalId, reported, client, audit: false));
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or JsonException)
        {
            logger.LogInformation("Control connection of terminal {Terminal} ended: {Error}", terminal.TerminalId, ex.GetType().Name);
        }
        finally
        {
            controls.Unregister(channel);
            await controls.WritePresenceAsync(channel, online: false,
                () => DurableWrite.UntilWrittenAsync(() => presence.OfflineAsync(tenant, terminal.TerminalId, client), logger, "office offline"));
        }

        return Results.Empty;
    }

    /// <summary>The hello's redirection report as stored JSON; null for any other message.</summary>
    private static string? Redirection(JsonElement message)
    {
        // Any JSON may arrive: a bare string or array is no hello (TryGetProperty throws on non-objects).
        if (message.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var type = message.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (type != "hello" || !message.TryGetProperty("redirection", out var redirection) || redirection.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var reported = redirection.Deserialize<ReportedRedirection>(ControlHub.Json) ?? ReportedRedirection.Unknown;
        return JsonSerializer.Serialize(reported, ControlHub.Json);
    }

    /// <summary>One text message (at most 4 KiB), or null when the agent closed.</summary>
    private static async Task<JsonElement?> ReceiveAsync(WebSocket socket, byte[] buffer, CancellationToken ct)
    {
        var length = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(length), ct);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                return null;
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                return JsonDocument.Parse(buffer.AsMemory(0, length)).RootElement.Clone();
            }

            if (length >= buffer.Length)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, null, ct);
                return null;
            }
        }
    }
}
