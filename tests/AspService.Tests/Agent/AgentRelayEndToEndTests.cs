using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using AspService.Data.Sessions;
using AspService.Server.Tenancy;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using AspService.Tests.Terminals;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace AspService.Tests.Agent;

/// <summary>
/// The real server on Kestrel with the relay role, and the real agent in both modes as processes. The web listener
/// also speaks https (certificate from <see cref="TestWebCa"/>) because the device flow is https only.
/// </summary>
public sealed class RelayAgentHost : IDisposable
{
    public RelayAgentHost()
    {
        RelayPort = AgentFixtures.FreePort();
        App = new AppFactory(kestrel: true, settings: new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0;https://127.0.0.1:0",
            ["Kestrel:Certificates:Default:Path"] = WebCa.CertificatePath,
            ["Kestrel:Certificates:Default:KeyPath"] = WebCa.KeyPath,
            ["Relay:Listen"] = $"https://127.0.0.1:{RelayPort}",
            // The agent checks the host name; the relay's certificate names localhost (Relay:ServerNames).
            ["Relay:PublicUrl"] = $"https://localhost:{RelayPort}",
        });

        // The agents run on the real clock and check the relay's certificate with it (see AgentServerHost).
        if (DateTimeOffset.UtcNow > App.Clock.GetUtcNow())
        {
            App.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        }
    }

    public TestWebCa WebCa { get; } = new();

    public AppFactory App { get; }

    public int RelayPort { get; }

    /// <summary>The https web listener (not the relay's agent listener).</summary>
    public Uri SecureWebAddress
    {
        get
        {
            _ = App.WebAddress; // starts the server
            var addresses = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
            return new Uri(addresses.First(a => a.StartsWith("https:", StringComparison.Ordinal) && !a.EndsWith($":{RelayPort}", StringComparison.Ordinal)));
        }
    }

    public void Dispose()
    {
        App.Dispose();
        WebCa.Dispose();
    }
}

/// <summary>
/// Office mode and home mode end to end: enrollment, online/offline in the registry, a policy refusal with every
/// reason, and 64 MB each way through home agent → relay → office agent → a stand-in RDP server and back.
/// </summary>
public sealed class AgentRelayEndToEndTests(RelayAgentHost host, ITestOutputHelper output) : IClassFixture<RelayAgentHost>
{
    private const int Megabytes = 64;
    private static readonly Dictionary<string, string> English = AgentFixtures.English;

    private AppFactory App => host.App;

    [Fact]
    public async Task OfficeRun_And_Connect_PolicyRefusal_Then_64MegabytesEachWay_RecordedAndOfflineWhenKilled()
    {
        using var folder = new TempFolder();
        var admin = await App.TenantAdminAsync();
        var (staff, staffId) = await App.InviteAndSignInAsync(admin);
        // Only a closed network is allowed, and the office PC's redirection settings (unknown off Windows) are checked strictly.
        await PutPolicyAsync(admin, new { allowedSourceNetworks = new[] { "10.0.0.0/8" } });

        var officeDir = Path.Combine(folder.Path, "office");
        var homeDir = Path.Combine(folder.Path, "home");
        var officeId = await EnrollAsync(admin, await admin.TokenAsync("office"), "総務課-PC01", officeDir);
        await EnrollAsync(admin, await admin.TokenAsync("home", ownerUserId: staffId), "自宅PC", homeDir);
        var assign = await admin.Client.PostAsJsonAsync(admin.Url($"/api/v1/terminals/{officeId}/assignments"), new { userId = staffId });
        Assert.Equal(HttpStatusCode.OK, assign.StatusCode);

        // Office mode, through an HTTP proxy that only tunnels; online within the bounded wait.
        using var rdp = new EchoServer();
        using var proxy = new ConnectProxy();
        using var office = RunningAgent.Start(
            ["office", "run", "--target", $"127.0.0.1:{rdp.Port}", "--proxy", proxy.Address.ToString(), "--config", officeDir], English);
        await office.WaitForLineAsync("^Connected to the relay");
        await Eventually.UntilAsync(() => OnlineAsync(admin, officeId, expected: true));
        Assert.Contains(proxy.Requests, r => r.StartsWith($"CONNECT localhost:{host.RelayPort} ", StringComparison.Ordinal));

        // Home mode: device sign-in, then the broker refuses, with every reason on its own line.
        using (var refused = RunningAgent.Start(["connect", "--no-launch", "--ca-file", host.WebCa.CaPath, "--config", homeDir], English))
        {
            var code = await refused.WaitForLineAsync(@"enter the code (\S+)\.$");
            await ApproveAsync(admin, staff, code.Groups[1].Value);
            Assert.Equal(10, await refused.WaitForExitAsync());
            var lines = refused.Stderr;
            Assert.Equal("The telework policy does not allow this session.", lines[0]);
            Assert.Contains(lines, l => l.StartsWith("The source network", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains("redirection setting is unknown", StringComparison.Ordinal));
            Assert.True(lines.Length >= 3, refused.ToString());
        }

        var tokens = Path.Combine(homeDir, "tokens.json");
        Assert.True(File.Exists(tokens));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tokens));
        }

        Assert.Contains("session.denied", await App.AuditActionsAsync(admin.Tenant));

        // The admin opens the policy; the saved tokens are used again (no second sign-in).
        await PutPolicyAsync(admin, new { redirectionCheck = "Lenient", maxConcurrentSessionsPerUser = 2 });
        using var home = RunningAgent.Start(
            ["connect", "総務課-PC01", "--no-launch", "--listen", "127.0.0.1:0", "--ca-file", host.WebCa.CaPath, "--config", homeDir], English);
        var ready = await home.WaitForLineAsync(@"connect your remote desktop client to 127\.0\.0\.1:(\d+) \(\.rdp file: (.+)\)\.$");
        var port = int.Parse(ready.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var rdpFile = File.ReadAllText(ready.Groups[2].Value).Split("\r\n");
        Assert.Contains($"full address:s:127.0.0.1:{port}", rdpFile);
        Assert.Contains("redirectclipboard:i:0", rdpFile);
        Assert.Contains("drivestoredirect:s:", rdpFile);
        Assert.DoesNotContain(home.Stdout, l => l.Contains("enter the code", StringComparison.Ordinal));

        // 64 MB through the local port → relay → office agent → the stand-in RDP server, and back.
        var watch = Stopwatch.StartNew();
        var (sent, received, receivedBytes) = await PumpAsync(port, Megabytes * 1024 * 1024);
        watch.Stop();
        output.WriteLine($"{Megabytes} MB each way through the relay in {watch.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(Megabytes * 1024L * 1024, receivedBytes);
        Assert.Equal(sent, received);
        Assert.Contains((Megabytes * 1024L * 1024, sent), rdp.Finished);

        // The local connection closing ends the session cleanly.
        Assert.Equal(0, await home.WaitForExitAsync());
        Assert.Contains(home.Stdout, l => l == $"Session ended ({Megabytes * 1024 * 1024} bytes sent, {Megabytes * 1024 * 1024} bytes received).");
        Assert.False(File.Exists(ready.Groups[2].Value));
        var session = await EndedSessionAsync(admin, officeId);
        Assert.Equal(Megabytes * 1024L * 1024, session.BytesHomeToOffice);
        Assert.Equal(Megabytes * 1024L * 1024, session.BytesOfficeToHome);
        Assert.Equal("home_closed", session.EndReason);
        Assert.Equal(staffId, session.UserId);
        var audit = await App.AuditActionsAsync(admin.Tenant);
        Assert.Contains("session.started", audit);
        Assert.Contains("session.ended", audit);

        // Ctrl-C / SIGTERM during a session ends it with a close frame; the relay records it as ended by the home side.
        using var again = RunningAgent.Start(["connect", "--no-launch", "--ca-file", host.WebCa.CaPath, "--config", homeDir], English);
        var second = await again.WaitForLineAsync(@"to 127\.0\.0\.1:(\d+) ");
        using (var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await client.ConnectAsync(IPAddress.Loopback, int.Parse(second.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            var hello = RandomNumberGenerator.GetBytes(1024);
            await client.SendAsync(hello, SocketFlags.None);
            var echoed = new byte[hello.Length];
            for (var got = 0; got < echoed.Length;)
            {
                got += await client.ReceiveAsync(echoed.AsMemory(got), SocketFlags.None);
            }

            Assert.Equal(hello, echoed);
            again.Terminate();
            Assert.Equal(0, await again.WaitForExitAsync());
            Assert.Equal(0, await client.ReceiveAsync(new byte[16], SocketFlags.None)); // the local connection was closed too
        }

        Assert.Contains(again.Stdout, l => l == "Session stopped (1024 bytes sent, 1024 bytes received).");
        await Eventually.UntilAsync(async () =>
        {
            await using var db = App.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(App.Binding(admin.Tenant));
            return await db.Sessions.CountAsync(s => s.OfficeTerminalId == officeId && s.State == SessionState.Ended && s.EndReason == "home_closed"
                && s.BytesHomeToOffice == 1024 && s.BytesOfficeToHome == 1024) == 1;
        });

        // An admin's force-disconnect: the relay closes the session with its reason, which connect prints.
        using var third = RunningAgent.Start(["connect", "--no-launch", "--json", "--ca-file", host.WebCa.CaPath, "--config", homeDir], English);
        var listening = JsonDocument.Parse((await third.WaitForLineAsync("^\\{.*\"event\":\"listening\".*\\}$")).Value).RootElement;
        var liveId = listening.GetProperty("sessionId").GetGuid();
        using (var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await client.ConnectAsync(IPEndPoint.Parse(listening.GetProperty("address").GetString()!));
            await client.SendAsync(new byte[100], SocketFlags.None);
            await Eventually.UntilAsync(async () =>
            {
                await using var db = App.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(App.Binding(admin.Tenant));
                return await db.Sessions.AnyAsync(x => x.Id == liveId && x.State == SessionState.Live);
            });
            var disconnect = await admin.Client.PostAsync(admin.Url($"/api/v1/sessions/{liveId}/disconnect"), null);
            Assert.Equal(HttpStatusCode.Accepted, disconnect.StatusCode);
            App.Clock.Advance(TimeSpan.FromSeconds(1)); // the relay node polls its commands every second (service clock)

            var buffer = new byte[4096];
            while (await client.ReceiveAsync(buffer, SocketFlags.None) > 0)
            {
                // The echo of the 100 bytes, then the end.
            }
        }

        Assert.Equal(0, await third.WaitForExitAsync());
        var ended = JsonDocument.Parse(third.Stdout[^1]).RootElement;
        Assert.Equal("session-ended", ended.GetProperty("result").GetString());
        Assert.Equal("relay", ended.GetProperty("endedBy").GetString());
        Assert.Equal("disconnected_by_admin", ended.GetProperty("reason").GetString());

        // A killed office agent (no goodbye) shows offline.
        office.Kill();
        await Eventually.UntilAsync(() => OnlineAsync(admin, officeId, expected: false));
    }

    [Fact]
    public async Task OfficeRun_Sigterm_StopsCleanly_Offline_Exit0()
    {
        using var folder = new TempFolder();
        var admin = await App.TenantAdminAsync();
        var officeDir = Path.Combine(folder.Path, "office");
        var officeId = await EnrollAsync(admin, await admin.TokenAsync("office"), "PC-02", officeDir);
        using var office = RunningAgent.Start(["office", "run", "--target", "127.0.0.1:9", "--no-proxy", "--json", "--config", officeDir], English);
        await office.WaitForLineAsync("\"event\":\"connected\"");
        await Eventually.UntilAsync(() => OnlineAsync(admin, officeId, expected: true));

        office.Terminate();

        Assert.Equal(0, await office.WaitForExitAsync());
        var last = JsonDocument.Parse(office.Stdout[^1]).RootElement;
        Assert.Equal("stopped", last.GetProperty("result").GetString());
        Assert.Empty(office.Stderr);
        await Eventually.UntilAsync(() => OnlineAsync(admin, officeId, expected: false));
        Assert.Contains("terminal.offline", await App.AuditActionsAsync(admin.Tenant));
    }

    [Fact]
    public async Task OfficeRun_RefusedCertificate_RetriesWithGrowingBackoff_ThenConnects()
    {
        using var folder = new TempFolder();
        var admin = await App.TenantAdminAsync();
        var officeDir = Path.Combine(folder.Path, "office");
        var officeId = await EnrollAsync(admin, await admin.TokenAsync("office"), "PC-04", officeDir);
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PostAsync(admin.Url($"/api/v1/terminals/{officeId}/disable"), null)).StatusCode);

        using var office = RunningAgent.Start(["office", "run", "--no-proxy", "--json", "--config", officeDir], English);
        var delays = new List<double>();
        await Eventually.UntilAsync(() =>
        {
            delays = [.. office.Stdout.Select(l => JsonDocument.Parse(l).RootElement)
                .Where(e => e.TryGetProperty("event", out var kind) && kind.GetString() == "retry")
                .Select(e => e.GetProperty("delaySeconds").GetDouble())];
            return delays.Count >= 2;
        });
        Assert.InRange(delays[0], 0.8, 1.2);
        Assert.InRange(delays[1], 1.6, 2.4);
        Assert.Contains(office.Stdout, l => l.Contains("\"event\":\"connect-failed\"", StringComparison.Ordinal) && l.Contains("\"error\":\"refused\"", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PostAsync(admin.Url($"/api/v1/terminals/{officeId}/enable"), null)).StatusCode);
        await office.WaitForLineAsync("\"event\":\"connected\"");
        await Eventually.UntilAsync(() => OnlineAsync(admin, officeId, expected: true));
    }

    [Fact]
    public async Task OfficeRun_OnAHomeEnrollment_AndConnectOnAnOfficeOne_AreUsageErrors()
    {
        using var folder = new TempFolder();
        var admin = await App.TenantAdminAsync();
        var officeDir = Path.Combine(folder.Path, "office");
        await EnrollAsync(admin, await admin.TokenAsync("office"), "PC-03", officeDir);

        var connect = await AgentProcess.RunAsync(["connect", "--config", officeDir], English);

        Assert.Equal(2, connect.ExitCode);
        Assert.Equal(["This command is for a home device (this enrollment is an office terminal)."], connect.StderrLines);
    }

    private string SecureServer(TenantSession admin) => $"{host.SecureWebAddress.ToString().TrimEnd('/')}/t/{admin.Tenant.Code}";

    private async Task<Guid> EnrollAsync(TenantSession admin, string token, string name, string configDir)
    {
        var run = await AgentProcess.RunAsync(
            ["enroll", "--server", SecureServer(admin), "--ca-file", host.WebCa.CaPath, "--token", token, "--name", name, "--config", configDir, "--json"], null);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("active", (string?)run.Json["state"]);
        return Guid.Parse((string)run.Json["terminalId"]!);
    }

    /// <summary>Every day and hour allowed, so the test does not depend on when it runs; <paramref name="changes"/> on top.</summary>
    private static async Task PutPolicyAsync(TenantSession admin, object changes)
    {
        var policy = new Dictionary<string, object?>
        {
            ["allowedWeekdays"] = Enum.GetNames<DayOfWeek>(),
            ["allowedFrom"] = "00:00:00",
            ["allowedUntil"] = "1.00:00:00",
            ["allowOnClosedDays"] = true,
        };
        foreach (var property in JsonSerializer.SerializeToElement(changes, AppFactory.Json).EnumerateObject())
        {
            policy[property.Name] = property.Value;
        }

        var response = await admin.Client.PutAsJsonAsync(admin.Url("/api/v1/policy"), policy);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private static async Task<bool> OnlineAsync(TenantSession admin, Guid terminalId, bool expected)
    {
        var terminals = await admin.Client.GetFromJsonAsync<JsonElement>(admin.Url("/api/v1/terminals?kind=office"));
        var items = terminals.ValueKind == JsonValueKind.Array ? terminals : terminals.GetProperty("items");
        var terminal = items.EnumerateArray().Single(t => t.GetProperty("id").GetGuid() == terminalId);
        return terminal.GetProperty("online").GetBoolean() == expected;
    }

    /// <summary>The browser step of the device flow: the signed-in staff member approves the code (over https).</summary>
    private async Task ApproveAsync(TenantSession admin, TenantSession staff, string userCode)
    {
        using var browser = host.WebCa.Browser(staff.Cookies);
        await Consoles.DeviceApproval.ApproveAsync(browser, $"{SecureServer(admin)}/connect/verify", userCode);
    }

    /// <summary>Random bytes out through the local port while the echo is read back; SHA-256 of both, bytes received.</summary>
    private static async Task<(string Sent, string Received, long ReceivedBytes)> PumpAsync(int port, int total)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(IPAddress.Loopback, port);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var writing = Task.Run(async () =>
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var chunk = new byte[256 * 1024];
            for (var left = total; left > 0; left -= chunk.Length)
            {
                RandomNumberGenerator.Fill(chunk);
                var size = Math.Min(chunk.Length, left);
                hash.AppendData(chunk, 0, size);
                for (var sent = 0; sent < size;)
                {
                    sent += await client.SendAsync(chunk.AsMemory(sent, size - sent), SocketFlags.None, timeout.Token);
                }
            }

            client.Shutdown(SocketShutdown.Send);
            return Convert.ToHexString(hash.GetHashAndReset());
        });
        var reading = Task.Run(async () =>
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[256 * 1024];
            long received = 0;
            int read;
            while ((read = await client.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                received += read;
            }

            return (Convert.ToHexString(hash.GetHashAndReset()), received);
        });
        var (received, bytes) = await reading;
        return (await writing, received, bytes);
    }

    private async Task<RelaySession> EndedSessionAsync(TenantSession admin, Guid officeId)
    {
        RelaySession? session = null;
        await Eventually.UntilAsync(async () =>
        {
            await using var db = App.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(App.Binding(admin.Tenant));
            session = await db.Sessions.AsNoTracking().Where(s => s.OfficeTerminalId == officeId && s.State == SessionState.Ended && s.StartedAt != null)
                .FirstOrDefaultAsync();
            return session is not null;
        });
        return session!;
    }
}
