using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using AspService.Tests.Infrastructure;
using AspService.Tests.Relay;
using AspService.Tests.Terminals;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace AspService.Tests.Fuzz;

/// <summary>
/// The relay's agent listener under hostile clients: bytes before and instead of the TLS handshake, garbage after it,
/// truncated and malformed WebSocket frames, unknown control messages, slow (slowloris) connections. Each connection
/// must end (or be answered) within a bound, the listener keeps serving honest agents meanwhile, the office PC is not
/// left "online", and the host logs no Error.
/// </summary>
[Collection(FuzzGroup.Name)]
public sealed class RelayFuzzTests(FuzzHost host, ITestOutputHelper output)
{
    public const int Seed = 12_2026;

    /// <summary>Longer than the listener's 10 s TLS handshake timeout, so a connection that waits for it still counts as ended.</summary>
    private static readonly TimeSpan PerConnection = TimeSpan.FromSeconds(25);

    private enum Ending
    {
        Closed,
        Answered,
        Hung,
    }

    [Fact]
    public async Task AgentListener_UnderGarbageTruncatedFramesUnknownMessagesAndSlowClients_EndsEveryConnection_AndStaysUp()
    {
        var app = host.App;
        var s = await app.ScenarioAsync();
        var rng = new Random(Seed);
        var logBefore = host.Log.Errors.Count;
        var clock = Stopwatch.StartNew();
        var cases = new List<(string Name, Func<CancellationToken, Task<Ending>> Run)>();

        // Before the TLS handshake: random bytes, plaintext HTTP, a TLS record that lies about its length; then EOF.
        for (var i = 0; i < 8; i++)
        {
            var junk = new byte[rng.Next(1, 4096)];
            rng.NextBytes(junk);
            cases.Add(("pre-tls-random", ct => PreTlsAsync(junk, halfClose: true, ct)));
        }

        cases.Add(("pre-tls-http", ct => PreTlsAsync(Encoding.ASCII.GetBytes("GET /api/v1/relay/control HTTP/1.1\r\nHost: localhost\r\n\r\n"), true, ct)));
        cases.Add(("pre-tls-lying-record", ct => PreTlsAsync([0x16, 0x03, 0x01, 0xFF, 0xFF, 0x01, 0x00], true, ct)));
        // Silent after a partial record: the handshake timeout must end it.
        cases.Add(("pre-tls-stalled", ct => PreTlsAsync([0x16, 0x03, 0x01, 0x02, 0x00, 0x01], false, ct)));

        // A TLS session without a client certificate, or with one no tenant issued: refused before any HTTP is read.
        cases.Add(("tls-no-certificate", ct => AfterTlsAsync(null, Encoding.ASCII.GetBytes("GET /api/v1/terminal/ HTTP/1.1\r\nHost: localhost\r\n\r\n"), ct)));
        cases.Add(("tls-foreign-certificate", ct => AfterTlsAsync(SelfSigned(), Encoding.ASCII.GetBytes("GET /api/v1/terminal/ HTTP/1.1\r\nHost: localhost\r\n\r\n"), ct)));
        // After a good handshake: garbage instead of HTTP.
        for (var i = 0; i < 4; i++)
        {
            var junk = new byte[rng.Next(1, 2048)];
            rng.NextBytes(junk);
            cases.Add(("tls-garbage", ct => AfterTlsAsync(s.Office.Certificate, junk, ct)));
        }

        // The raw data tunnel's own listener (decision 0075) gets the same hostile bytes before and after TLS, and a
        // request head that is no tunnel upgrade, or one with a forged ticket.
        var tunnel = new Uri(app.Services.GetRequiredService<AspService.Server.Relay.TunnelListener>().PublicUrl!);
        for (var i = 0; i < 4; i++)
        {
            var junk = new byte[rng.Next(1, 4096)];
            rng.NextBytes(junk);
            cases.Add(("tunnel-pre-tls-random", ct => PreTlsAsync(junk, halfClose: true, ct, tunnel)));
            cases.Add(("tunnel-tls-garbage", ct => AfterTlsAsync(s.Office.Certificate, junk, ct, tunnel)));
        }

        cases.Add(("tunnel-pre-tls-stalled", ct => PreTlsAsync([0x16, 0x03, 0x01, 0x02, 0x00, 0x01], false, ct, tunnel)));
        cases.Add(("tunnel-no-certificate", ct => AfterTlsAsync(null, Encoding.ASCII.GetBytes("GET /api/v1/relay/data HTTP/1.1\r\n\r\n"), ct, tunnel)));
        cases.Add(("tunnel-not-upgrade", ct => AfterTlsAsync(s.Home.Certificate, Encoding.ASCII.GetBytes("POST /x HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"), ct, tunnel)));
        cases.Add(("tunnel-forged-ticket", ct => AfterTlsAsync(s.Home.Certificate, Encoding.ASCII.GetBytes(
            "GET /api/v1/relay/data?session=" + Guid.NewGuid() + " HTTP/1.1\r\nUpgrade: aspservice-relay/1\r\nConnection: Upgrade\r\nX-Relay-Ticket: forged\r\n\r\n"), ct, tunnel)));
        cases.Add(("tunnel-huge-head", ct => AfterTlsAsync(s.Home.Certificate, Encoding.ASCII.GetBytes("GET /" + new string('a', 100_000) + " HTTP/1.1\r\n\r\n"), ct, tunnel)));

        // Upgraded control connection, then one malformed frame each (and EOF where the frame is cut short).
        byte[][] frames =
        [
            WsFrame.Masked(WsFrame.Text, Encoding.UTF8.GetBytes("{\"type\":\"hel"), declaredLength: 1000),
            WsFrame.Masked(WsFrame.Text, Encoding.UTF8.GetBytes("{\"type\":\"hello\"}"), mask: false),
            WsFrame.Masked(0x3, [1, 2, 3]),
            WsFrame.Masked(WsFrame.Text, [0x7B, 0xC3, 0x28, 0xFF, 0x7D]),
            WsFrame.Masked(WsFrame.Text, [], declaredLength: long.MaxValue),
            WsFrame.Masked(WsFrame.Ping, [1], fin: false),
            WsFrame.Masked(WsFrame.Close, [0x03]),
            WsFrame.Masked(WsFrame.Text, new byte[5000]),
            WsFrame.Json("{\"type\":\"hello\",\"redirection\":{\"clipboard\":\"yes\",\"drives\":1e400}}"),
            WsFrame.Json("not json at all"),
            [0x81],
        ];
        foreach (var frame in frames)
        {
            cases.Add(("ws-frame", ct => ControlFrameAsync(s.Office.Certificate, "/api/v1/relay/control", frame, endWithClose: false, ct)));
        }

        // Well-formed frames with messages the relay does not know: ignored, and the connection still closes cleanly.
        foreach (var message in new[] { "{\"type\":\"dance\"}", "[]", "\"hello\"", "{\"type\":null}", "{\"type\":\"session\",\"sessionId\":\"x\"}", "{\"type\":\"hello\",\"redirection\":[]}" })
        {
            cases.Add(("ws-unknown-message", ct => ControlFrameAsync(s.Office.Certificate, "/api/v1/relay/control", WsFrame.Json(message), endWithClose: true, ct)));
        }

        // The data endpoint with a made-up ticket or session, and a home device on the office-only control endpoint.
        cases.Add(("ws-data-bad-ticket", ct => ControlFrameAsync(s.Home.Certificate, "/api/v1/relay/data", WsFrame.Json("x"), endWithClose: true, ct, ticket: "forged")));
        cases.Add(("ws-data-bad-session", ct => ControlFrameAsync(s.Office.Certificate, "/api/v1/relay/data?session=%00", WsFrame.Json("x"), endWithClose: true, ct)));
        cases.Add(("ws-control-home", ct => ControlFrameAsync(s.Home.Certificate, "/api/v1/relay/control", WsFrame.Json("x"), endWithClose: true, ct)));

        var endings = new System.Collections.Concurrent.ConcurrentBag<(string Name, Ending Ending)>();
        var hostile = Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (c, _) =>
        {
            using var cts = new CancellationTokenSource(PerConnection);
            try
            {
                endings.Add((c.Name, await c.Run(cts.Token)));
            }
            catch (OperationCanceledException) when (cts.IsCancellationRequested)
            {
                endings.Add((c.Name, Ending.Hung));
            }
        });

        // Slowloris, at the same time: connections that trickle a request head, and connections that never speak.
        var served = await SlowlorisAsync(s, slow: 24, rng);
        await hostile;
        clock.Stop();

        // Whatever the hostile control connections did, the office PC is not left online, and an honest agent still connects.
        await Eventually.UntilAsync(async () => !(await s.Admin.Client.GetFromJsonAsync<JsonElement>(s.Admin.Url($"/api/v1/terminals/{s.Office.Id}"))).GetProperty("online").GetBoolean());
        using (var control = await s.OfficeOnlineAsync())
        {
            await control.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }

        await Eventually.UntilAsync(async () => !(await s.Admin.Client.GetFromJsonAsync<JsonElement>(s.Admin.Url($"/api/v1/terminals/{s.Office.Id}"))).GetProperty("online").GetBoolean());

        var all = host.Log.Errors.Skip(logBefore).ToList();
        var logged = new FuzzTally(KnownDefects.All).Unexplained(all);
        var hung = endings.Where(e => e.Ending == Ending.Hung).Select(e => e.Name).ToList();
        var summary = $"relay-fuzz: seed {Seed}, {endings.Count} hostile connections in {clock.Elapsed.TotalSeconds:0.0} s; " +
            string.Join(", ", endings.GroupBy(e => e.Ending).OrderBy(g => g.Key).Select(g => $"{g.Key.ToString().ToLowerInvariant()}={g.Count()}")) +
            $"; honest requests served during slowloris {served}; hangs {hung.Count}{(hung.Count == 0 ? "" : " (" + string.Join(", ", hung) + ")")}, unhandled exceptions in the log {logged.Count}, known defects hit {all.Count - logged.Count}";
        output.WriteLine(summary);
        Console.WriteLine(summary);
        foreach (var entry in logged.Take(20))
        {
            output.WriteLine("log: " + entry);
        }

        Assert.True(hung.Count == 0, summary + "\nhung: " + string.Join(", ", hung));
        Assert.True(logged.Count == 0, summary + "\n" + string.Join("\n", logged.Take(10)));
    }

    private async Task<Ending> PreTlsAsync(byte[] bytes, bool halfClose, CancellationToken ct, Uri? at = null)
    {
        using var tcp = await AgentChannel.TcpAsync(host.App, ct, at);
        var stream = tcp.GetStream();
        await stream.WriteAsync(bytes, ct);
        if (halfClose)
        {
            tcp.Client.Shutdown(SocketShutdown.Send);
        }

        return await DrainAsync(stream, ct);
    }

    private async Task<Ending> AfterTlsAsync(X509Certificate2? certificate, byte[] bytes, CancellationToken ct, Uri? at = null)
    {
        using var tcp = await AgentChannel.TcpAsync(host.App, ct, at);
        try
        {
            await using var ssl = await AgentChannel.TlsAsync(host.App, tcp, certificate, ct);
            await ssl.WriteAsync(bytes, ct);
            await ssl.FlushAsync(ct);
            return await DrainAsync(ssl, ct);
        }
        catch (Exception e) when (e is IOException or AuthenticationException)
        {
            return Ending.Closed;
        }
    }

    /// <summary>Upgrades, sends the frame, then (optionally) a proper close; the server must end the connection.</summary>
    private async Task<Ending> ControlFrameAsync(X509Certificate2 certificate, string path, byte[] frame, bool endWithClose, CancellationToken ct, string? ticket = null)
    {
        using var tcp = await AgentChannel.TcpAsync(host.App, ct);
        try
        {
            await using var ssl = await AgentChannel.TlsAsync(host.App, tcp, certificate, ct);
            await ssl.WriteAsync(WsFrame.Upgrade(path, ticket), ct);
            var head = await ReadHeadAsync(ssl, ct);
            if (!head.StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
            {
                // Refused upgrade: an answer (4xx), after which the server keeps or closes the connection; it answered.
                return head.Length > 0 && head[9] != '5' ? Ending.Answered : Ending.Closed;
            }

            await ssl.WriteAsync(frame, ct);
            if (endWithClose)
            {
                await ssl.WriteAsync(WsFrame.Masked(WsFrame.Close, [0x03, 0xE8]), ct);
            }
            else
            {
                await ssl.ShutdownAsync(); // TLS close_notify: the frame stays cut short
            }

            await ssl.FlushAsync(ct);
            return await DrainAsync(ssl, ct);
        }
        catch (Exception e) when (e is IOException or AuthenticationException)
        {
            return Ending.Closed;
        }
    }

    /// <summary>
    /// Opens slow connections (a request head trickled one byte at a time, or TCP only), and while they are open sends
    /// honest requests to both listeners: the count of those answered 200.
    /// </summary>
    private async Task<int> SlowlorisAsync(RelayScenario s, int slow, Random rng)
    {
        using var stop = new CancellationTokenSource();
        var head = Encoding.ASCII.GetBytes("GET /api/v1/terminal/ HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + new string('a', 200));
        var trickles = Enumerable.Range(0, slow).Select(async i =>
        {
            try
            {
                using var tcp = await AgentChannel.TcpAsync(host.App, stop.Token);
                if (i % 2 == 0)
                {
                    await Task.Delay(Timeout.Infinite, stop.Token); // never speaks
                }

                await using var ssl = await AgentChannel.TlsAsync(host.App, tcp, s.Office.Certificate, stop.Token);
                foreach (var b in head)
                {
                    await ssl.WriteAsync(new[] { b }, stop.Token);
                    await Task.Delay(100, stop.Token);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or AuthenticationException or SocketException)
            {
                // Stopped by the test, or dropped by the server: both fine.
            }
        }).ToList();

        var served = 0;
        for (var i = 0; i < 6; i++)
        {
            using var home = host.App.MtlsClient(s.Home.Certificate);
            if ((await home.GetAsync("/api/v1/terminal/")).IsSuccessStatusCode)
            {
                served++;
            }

            var health = await RawHttp.SendAsync(host.App.WebAddress, RawHttp.Head("GET", "/healthz", [("Host", "localhost")]), null, PerConnection);
            served += health.Status == 200 ? 1 : 0;
            await Task.Delay(rng.Next(100, 300));
        }

        await stop.CancelAsync();
        await Task.WhenAll(trickles);
        Assert.Equal(12, served);
        return served;
    }

    private static async Task<string> ReadHeadAsync(Stream stream, CancellationToken ct)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (bytes.Count < 16 * 1024 && await stream.ReadAsync(one, ct) == 1)
        {
            bytes.Add(one[0]);
            if (bytes.Count >= 4 && bytes[^1] == '\n' && bytes[^2] == '\r' && bytes[^3] == '\n' && bytes[^4] == '\r')
            {
                break;
            }
        }

        return Encoding.Latin1.GetString([.. bytes]);
    }

    /// <summary>Reads until the server closes: closed (or reset) is the expected ending; the token's limit means hung.</summary>
    private static async Task<Ending> DrainAsync(Stream stream, CancellationToken ct)
    {
        var buffer = new byte[8192];
        var answered = false;
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, ct)) > 0)
            {
                answered = true;
            }
        }
        catch (IOException)
        {
            // Reset by the server.
        }

        return answered ? Ending.Answered : Ending.Closed;
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new CertificateRequest("CN=intruder", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null);
    }
}
