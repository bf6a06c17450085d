using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using AspService.Agent.Configuration;
using AspService.Agent.Enrollment;
using AspService.Agent.Output;
using AspService.Agent.Relay;
using AspService.Agent.Transport;

namespace AspService.Agent.Home;

public sealed record ConnectOptions(string? Terminal, string? Listen, bool NoLaunch, string? CaFile, string? Proxy, bool NoProxy);

/// <summary>
/// <c>aspagent connect [terminal]</c> (home mode, docs/relay-protocol.md): signs the staff member in when needed,
/// asks the broker for a session to their office PC, listens on a loopback port, writes the .rdp file, starts
/// mstsc where there is one, and bridges the one local connection to the relay. Ctrl-C or the local client
/// closing ends the session with a close frame.
/// </summary>
public static class ConnectCommand
{
    /// <summary>After one side ended, how long the other may still drain.</summary>
    public static readonly TimeSpan Linger = TimeSpan.FromSeconds(10);

    public static async Task<ExitCode> RunAsync(ConnectOptions options, AgentContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        var text = context.Text;
        var listen = LocalEndpoint.Listen(options.Listen, text);
        var (directory, config) = context.Enrolled();
        if (config.Kind != "home")
        {
            throw new AgentException(ExitCode.Usage, "usage", text.Get("needs_home", text.Word("kind_", config.Kind)));
        }

        var proxy = ProxyChoice.Resolve(options.Proxy, options.NoProxy, config.Proxy, text);
        var webTrust = ServerTrust.System(EnrollCommand.LoadCaFile(options.CaFile, text));
        using var web = AgentHttp.ForEnrollment(webTrust, text.LanguageTag, proxy);
        using var terminal = TerminalConnection.Open(directory, config, text, proxy);
        var signIn = new DeviceSignIn(directory, config.Server, web, webTrust, context);

        var access = await signIn.AccessTokenAsync(null, cancellationToken).ConfigureAwait(false);
        var (offices, token) = await WithTokenAsync(signIn, access, t => OfficesAsync(terminal, t, text, cancellationToken), cancellationToken).ConfigureAwait(false);
        var office = OfficePick.Pick(offices, options.Terminal, text);
        var (offer, sessionToken) = await WithTokenAsync(signIn, token, t => RequestAsync(terminal, t, office, text, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (offer.RelayUrl is not { IsAbsoluteUri: true } relayUrl || relayUrl.Scheme != Uri.UriSchemeHttps || string.IsNullOrEmpty(offer.Ticket))
        {
            throw new AgentException(ExitCode.Failed, "bad-response", text.Get("bad_response", "relayUrl must be an https URL, ticket required"));
        }

        using var listener = new TcpListener(listen);
        listener.Start(1);
        var local = (IPEndPoint)listener.LocalEndpoint;
        var address = local.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{local.Address}]:{local.Port}" : $"{local.Address}:{local.Port}";
        var rdpPath = directory.FileIn(ConfigDirectory.RdpFile);
        directory.WriteOne(ConfigDirectory.RdpFile, RdpFile.Build(local, offer.Redirection), text);
        try
        {
            context.Console.Event(
                new JsonObject
                {
                    ["event"] = "listening", ["address"] = address, ["rdpFile"] = rdpPath, ["sessionId"] = offer.SessionId,
                    ["officeTerminalId"] = office.Id, ["office"] = office.Name, ["expiresAt"] = offer.ExpiresAt,
                },
                text.Get("listening", office.Name, address, rdpPath));
            if (!options.NoLaunch && Mstsc() is { } mstsc)
            {
                Launch(mstsc, rdpPath, context);
            }

            using var client = await AcceptOneAsync(listener, offer, context, cancellationToken).ConfigureAwait(false);
            listener.Stop(); // One connection per session: nothing else may reach the office PC through this port.
            client.NoDelay = true;
            using var credentials = RelayCredentials.Load(directory, config, text);
            using var relay = credentials.Client(proxy, text);
            var headers = new Dictionary<string, string> { ["X-Relay-Ticket"] = offer.Ticket };
            using var stream = await relay.OpenDataAsync(relayUrl, offer.TunnelUrl, "api/v1/relay/data", headers, cancellationToken).ConfigureAwait(false);
            context.Console.Event(new JsonObject { ["event"] = "connected", ["sessionId"] = offer.SessionId, ["relay"] = relayUrl.GetLeftPart(UriPartial.Authority), ["transport"] = stream.IsTunnel ? "tunnel" : "websocket" },
                text.Get("session_connected", office.Name));
            var result = await new ByteBridge(context.Time, Linger).RunAsync(stream, client, cancellationToken).ConfigureAwait(false);
            var endedBy = cancellationToken.IsCancellationRequested ? "stopped" : result.LocalClosedFirst ? "local" : "relay";
            // Over WebSocket the relay names its reason in the close frame (disconnected_by_admin, idle_timeout, ...).
            var reason = stream.CloseReason ?? (endedBy == "relay" && stream.IsTunnel
                ? (await WithTokenAsync(signIn, sessionToken, t => EndReasonAsync(terminal, t, offer.SessionId, context.Time, cancellationToken), cancellationToken).ConfigureAwait(false)).Result
                : null);
            var summary = new JsonObject
            {
                ["result"] = "session-ended", ["sessionId"] = offer.SessionId, ["officeTerminalId"] = office.Id, ["endedBy"] = endedBy,
                ["reason"] = reason, ["bytesSent"] = result.ToRelay, ["bytesReceived"] = result.FromRelay,
            };
            var line = endedBy == "relay" && reason is not null
                ? text.Get("session_ended_reason", reason, result.ToRelay, result.FromRelay)
                : text.Get("session_ended_" + endedBy, result.ToRelay, result.FromRelay);
            return context.Console.Result(summary, line);
        }
        finally
        {
            TryDelete(directory, text);
        }
    }

    /// <summary>Runs a call with the access token; a token the server refuses (401) is replaced once (refresh or sign-in).</summary>
    private static async Task<(T Result, string Token)> WithTokenAsync<T>(DeviceSignIn signIn, string token, Func<string, Task<T>> call, CancellationToken ct)
    {
        try
        {
            return (await call(token).ConfigureAwait(false), token);
        }
        catch (AgentException failure) when (failure.Details["status"]?.GetValue<int>() == 401)
        {
            var fresh = await signIn.AccessTokenAsync(token, ct).ConfigureAwait(false);
            return (await call(fresh).ConfigureAwait(false), fresh);
        }
    }

    private static async Task<List<OfficeView>> OfficesAsync(TerminalConnection terminal, string token, AgentText text, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, ServerAddress.Combine(terminal.Endpoint, "api/v1/relay/offices"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await terminal.SendAsync(request, ct).ConfigureAwait(false);
        return await ServerCall.ReadAsync(response, HttpStatusCode.OK, HomeJson.Default.ListOfficeView, text, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Why the relay ended a tunnelled session (the tunnel's close carries no reason): the session record, where the
    /// relay names it before closing (asked a few times over about two seconds in case of a race). Null when it does not tell.
    /// </summary>
    private static async Task<string?> EndReasonAsync(TerminalConnection terminal, string token, Guid sessionId, TimeProvider time, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, ServerAddress.Combine(terminal.Endpoint, "api/v1/relay/sessions/" + sessionId.ToString("D")));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await terminal.SendAsync(request, ct).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                var expired = new AgentException(ExitCode.Failed, "token-invalid", "token-invalid");
                expired.Details["status"] = 401; // WithTokenAsync refreshes and asks again
                throw expired;
            }

            var status = response.IsSuccessStatusCode
                ? await response.Content.ReadFromJsonAsync(HomeJson.Default.SessionStatusView, ct).ConfigureAwait(false)
                : null;
            if (status is null || status.EndReason is not null || status.State == "ended")
            {
                return status?.EndReason;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), time, ct).ConfigureAwait(false);
        }

        return null;
    }

    private static async Task<SessionOffer> RequestAsync(TerminalConnection terminal, string token, OfficeView office, AgentText text, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, ServerAddress.Combine(terminal.Endpoint, "api/v1/relay/sessions"))
        {
            Content = JsonContent.Create(new SessionRequest(office.Id), HomeJson.Default.SessionRequest),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await terminal.SendAsync(request, ct).ConfigureAwait(false);
        try
        {
            return await ServerCall.ReadAsync(response, HttpStatusCode.Created, HomeJson.Default.SessionOffer, text, ct).ConfigureAwait(false);
        }
        catch (AgentException failure) when (Refusal(failure) is { } refusal)
        {
            throw refusal;
        }
    }

    /// <summary>The broker's refusals that have their own exit codes; the summary first, then every reason on its own line.</summary>
    private static AgentException? Refusal(AgentException failure)
    {
        var (exit, code) = failure.Details["problem"]?.GetValue<string>() switch
        {
            "session-denied" => (ExitCode.SessionDenied, "session-denied"),
            "office-offline" or "office-inactive" => (ExitCode.OfficeUnavailable, "office-unavailable"),
            "terminal-not-found" => (ExitCode.OfficeNotFound, "office-not-found"),
            _ => (ExitCode.Ok, null),
        };
        if (code is null)
        {
            return null;
        }

        var refusal = new AgentException(exit, code, failure.Message, failure);
        foreach (var line in failure.MoreLines)
        {
            refusal.MoreLines.Add(line);
        }

        foreach (var (name, value) in failure.Details)
        {
            refusal.Details[name] = value?.DeepClone();
        }

        return refusal;
    }

    /// <summary>
    /// The one local connection, before the ticket runs out (the relay would refuse it afterwards). The wait is taken
    /// from the ticket's expiry on our clock, within sane bounds in case the clocks disagree.
    /// </summary>
    private static async Task<Socket> AcceptOneAsync(TcpListener listener, SessionOffer offer, AgentContext context, CancellationToken ct)
    {
        var left = offer.ExpiresAt - context.Time.GetUtcNow();
        var wait = left > TimeSpan.FromSeconds(5) && left <= TimeSpan.FromMinutes(5) ? left : TimeSpan.FromSeconds(55);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(wait);
        try
        {
            return await listener.AcceptSocketAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new AgentException(ExitCode.NoLocalConnection, "no-local-connection", context.Text.Get("no_local_connection", (int)wait.TotalSeconds));
        }
    }

    /// <summary>mstsc.exe on Windows, where it exists.</summary>
    private static string? Mstsc()
    {
        if (!OperatingSystem.IsWindows())
        {
            return null;
        }

        var path = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.System), "mstsc.exe");
        return File.Exists(path) ? path : null;
    }

    private static void Launch(string mstsc, string rdpPath, AgentContext context)
    {
        try
        {
            var start = new ProcessStartInfo(mstsc) { UseShellExecute = false };
            start.ArgumentList.Add(rdpPath);
            using var process = Process.Start(start);
            context.Console.Event(new JsonObject { ["event"] = "launched", ["program"] = mstsc }, context.Text.Get("mstsc_started"));
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            context.Console.Event(new JsonObject { ["event"] = "launch-failed", ["message"] = ex.Message }, context.Text.Get("mstsc_failed", ex.Message), problem: true);
        }
    }

    private static void TryDelete(ConfigDirectory directory, AgentText text)
    {
        try
        {
            directory.DeleteOne(ConfigDirectory.RdpFile, text);
        }
        catch (AgentException)
        {
            // A stale .rdp file names a port nobody listens on any more; harmless.
        }
    }
}
