using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using AspService.Agent.Configuration;
using AspService.Agent.Output;
using AspService.Agent.Relay;
using AspService.Agent.Transport;

namespace AspService.Agent.Office;

/// <summary>One relayed session on the office side: a TCP connection to the target, a data stream to the relay, bridged.</summary>
public sealed class OfficeSession(ConfigDirectory directory, LocalEndpoint target, ProxyChoice proxy, AgentContext context)
{
    /// <param name="tunnelUrl">The relay's raw data tunnel named in the offer (decision 0075); null: WebSocket.</param>
    public async Task RunAsync(Guid sessionId, Uri? tunnelUrl, CancellationToken stop)
    {
        var text = context.Text;
        var console = context.Console;
        console.Event(new JsonObject { ["event"] = "session", ["sessionId"] = sessionId, ["target"] = target.ToString() },
            text.Get("office_session", sessionId, target));
        var local = await ConnectTargetAsync(sessionId, stop).ConfigureAwait(false);
        try
        {
            var config = directory.Load(text) ?? throw new AgentException(ExitCode.NotEnrolled, "not-enrolled", text.Get("not_enrolled", directory.Path));
            using var credentials = RelayCredentials.Load(directory, config, text);
            using var relay = credentials.Client(proxy, text);
            using var stream = await relay.OpenDataAsync(config.AgentEndpoint, tunnelUrl, "api/v1/relay/data?session=" + sessionId.ToString("D"), null, stop)
                .ConfigureAwait(false);
            if (local is null)
            {
                // Tell the home side at once instead of letting it wait for the relay's timeout.
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await stream.CloseAsync("target unreachable", timeout.Token).ConfigureAwait(false);
                return;
            }

            var result = await new ByteBridge(context.Time, OfficeAgent.Linger).RunAsync(stream, local, stop).ConfigureAwait(false);
            local = null;
            console.Event(
                new JsonObject { ["event"] = "session-ended", ["sessionId"] = sessionId, ["bytesToRelay"] = result.ToRelay, ["bytesFromRelay"] = result.FromRelay },
                text.Get("office_session_ended", sessionId, result.ToRelay, result.FromRelay));
        }
        catch (AgentException failure)
        {
            console.Event(new JsonObject { ["event"] = "session-failed", ["sessionId"] = sessionId, ["error"] = failure.Code, ["message"] = failure.Message },
                text.Get("office_session_failed", sessionId, failure.Message), problem: true);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or SocketException or IOException or System.Security.Authentication.AuthenticationException)
        {
            console.Event(new JsonObject { ["event"] = "session-failed", ["sessionId"] = sessionId, ["error"] = "failed", ["message"] = ServerCall.Reason(ex) },
                text.Get("office_session_failed", sessionId, ServerCall.Reason(ex)), problem: true);
        }
        finally
        {
            local?.Dispose();
        }
    }

    private async Task<Socket?> ConnectTargetAsync(Guid sessionId, CancellationToken stop)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(OfficeAgent.TargetConnectTimeout);
        try
        {
            await socket.ConnectAsync(target.Host, target.Port, timeout.Token).ConfigureAwait(false);
            return socket;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            context.Console.Event(
                new JsonObject { ["event"] = "target-unreachable", ["sessionId"] = sessionId, ["target"] = target.ToString(), ["message"] = ServerCall.Reason(ex) },
                context.Text.Get("office_target_failed", target, ServerCall.Reason(ex)), problem: true);
            return null;
        }
    }
}
