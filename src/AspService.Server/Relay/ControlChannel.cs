using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace AspService.Server.Relay;

/// <summary>One office agent's control connection on this node.</summary>
public sealed class ControlChannel(Guid tenantId, Guid terminalId, WebSocket socket, DateTimeOffset now) : IDisposable
{
    private readonly SemaphoreSlim _send = new(1, 1);

    public Guid TenantId { get; } = tenantId;

    public Guid TerminalId { get; } = terminalId;

    public WebSocket Socket { get; } = socket;

    public DateTimeOffset LastHeard { get; set; } = now;

    public async Task<bool> SendAsync(object message, CancellationToken ct)
    {
        var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(message, ControlHub.Json));
        await _send.WaitAsync(ct);
        try
        {
            await Socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, ct);
            return true;
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            return false;
        }
        finally
        {
            _send.Release();
        }
    }

    public void Abort() => Socket.Abort();

    public void Dispose() => _send.Dispose();
}
