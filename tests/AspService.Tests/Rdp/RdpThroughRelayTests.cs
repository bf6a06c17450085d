using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using AspService.Data.Sessions;
using AspService.Server.Tenancy;
using AspService.Tests.Agent;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using AspService.Tests.Terminals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace AspService.Tests.Rdp;

/// <summary>
/// A real remote desktop connection through the relay: FreeRDP (xfreerdp on an Xvfb screen) connects to the home
/// agent's local port, the relay pairs it with the office agent, and the office agent connects to xrdp, whose login
/// screen must then be on the home screen. Each test ends the session another way and checks the session's record.
/// </summary>
public sealed class RdpThroughRelayTests(RdpRelayHost host, ITestOutputHelper output) : IClassFixture<RdpRelayHost>
{
    private const string ClientName = "aspservice-home";

    private AppFactory App => host.Relay.App;

    [RdpFact]
    public async Task FreeRdpQuits_SessionEndsAsClosedByHome_WithBytesBothWays()
    {
        using var session = await OpenAsync("quit", null);

        session.FreeRdp.Terminate();

        var ended = await session.EndedAsync(App);
        Assert.Equal("home_closed", ended.Record.EndReason);
        Assert.Equal("local", ended.EndedBy);
    }

    [RdpFact]
    public async Task AdminForceDisconnect_EndsTheSession_WithTheAdminReason()
    {
        using var session = await OpenAsync("admin", null);

        var disconnect = await session.Admin.Client.PostAsync(session.Admin.Url($"/api/v1/sessions/{session.Id}/disconnect"), null);
        Assert.Equal(HttpStatusCode.Accepted, disconnect.StatusCode);

        // The relay node polls its commands every second on the service's clock.
        var ended = await session.EndedAsync(App, advance: TimeSpan.FromSeconds(1));
        Assert.Equal("disconnected_by_admin", ended.Record.EndReason);
        Assert.True(ended.EndedBy == "relay", $"the home agent says ended by {ended.EndedBy}\n{session.Describe()}");
        Assert.Equal("disconnected_by_admin", ended.Reason);
    }

    [RdpFact]
    public async Task PolicyIdleLimit_EndsASilentLoginScreen_WithIdleTimeout()
    {
        var idle = TimeSpan.FromMinutes(1); // the shortest a policy allows
        using var session = await OpenAsync("idle", idle);

        // Nothing crosses while the login screen just sits there; the relay measures idleness on the service's clock.
        App.Clock.Advance(idle);
        var ended = await session.EndedAsync(App, advance: TimeSpan.FromSeconds(1));
        Assert.Equal("idle_timeout", ended.Record.EndReason);
        Assert.True(ended.EndedBy == "relay", $"the home agent says ended by {ended.EndedBy}\n{session.Describe()}");
        Assert.Equal("idle_timeout", ended.Reason);
        Assert.True(ended.Record.EndedAt - ended.Record.StartedAt >= idle, $"{ended.Record.StartedAt:o} → {ended.Record.EndedAt:o}");
    }

    /// <summary>
    /// A tenant with an office PC (agent pointed at xrdp) and a home PC (agent signed in by device flow), then
    /// FreeRDP through the home agent's port until xrdp's login screen is on the home screen.
    /// </summary>
    private async Task<OpenSession> OpenAsync(string name, TimeSpan? idleTimeout)
    {
        var folder = new TempFolder();
        var processes = new List<RunningAgent>();
        try
        {
            var admin = await App.TenantAdminAsync();
            var (staff, staffId) = await App.InviteAndSignInAsync(admin);
            // Off Windows the office agent cannot read redirection settings: lenient check.
            await RelayAgentSteps.PutPolicyAsync(admin, idleTimeout is { } idle
                ? new { redirectionCheck = "Lenient", idleTimeout = idle.ToString("c", CultureInfo.InvariantCulture) }
                : new { redirectionCheck = "Lenient" });
            var officeDir = Path.Combine(folder.Path, "office");
            var homeDir = Path.Combine(folder.Path, "home");
            var officeId = await host.Relay.EnrollAsync(admin, await admin.TokenAsync("office"), "総務課-RDP", officeDir);
            await host.Relay.EnrollAsync(admin, await admin.TokenAsync("home", ownerUserId: staffId), "自宅PC", homeDir);
            var assign = await admin.Client.PostAsJsonAsync(admin.Url($"/api/v1/terminals/{officeId}/assignments"), new { userId = staffId });
            Assert.Equal(HttpStatusCode.OK, assign.StatusCode);

            var office = Track(processes, RunningAgent.Start(
                ["office", "run", "--target", $"127.0.0.1:{host.Xrdp.Port}", "--no-proxy", "--json", "--config", officeDir], AgentFixtures.English));
            await office.WaitForLineAsync("\"event\":\"connected\"");
            await Eventually.UntilAsync(() => RelayAgentSteps.OnlineAsync(admin, officeId, expected: true));

            // The office agent connects to xrdp as soon as the relay pairs the session, before FreeRDP starts.
            var connectionsBefore = Count(host.Xrdp.Log, "connection received from");
            var home = Track(processes, RunningAgent.Start(
                ["connect", "--no-launch", "--json", "--listen", "127.0.0.1:0", "--ca-file", host.Relay.WebCa.CaPath, "--config", homeDir], AgentFixtures.English));
            var signIn = JsonDocument.Parse((await home.WaitForLineAsync("^\\{.*\"event\":\"sign-in\".*\\}$")).Value).RootElement;
            await host.Relay.ApproveAsync(admin, staff, signIn.GetProperty("userCode").GetString()!);
            var listening = JsonDocument.Parse((await home.WaitForLineAsync("^\\{.*\"event\":\"listening\".*\\}$")).Value).RootElement;
            var sessionId = listening.GetProperty("sessionId").GetGuid();

            var freeRdp = Track(processes, StartFreeRdp(IPEndPoint.Parse(listening.GetProperty("address").GetString()!), folder.Path));
            await WaitForLoginScreenAsync(name, connectionsBefore, office, home, freeRdp);
            return new OpenSession(admin, sessionId, folder, office, home, freeRdp, processes);
        }
        catch
        {
            processes.ForEach(p => p.Dispose());
            folder.Dispose();
            throw;
        }
    }

    private static RunningAgent Track(List<RunningAgent> processes, RunningAgent process)
    {
        processes.Add(process);
        return process;
    }

    /// <summary>xfreerdp on the Xvfb screen, full screen size, accepting xrdp's self-signed certificate.</summary>
    private RunningAgent StartFreeRdp(IPEndPoint local, string homeFolder)
    {
        var start = new ProcessStartInfo(RdpTools.FreeRdp!)
        {
            ArgumentList =
            {
                $"/v:{local}", "/cert:ignore", "/u:telework", $"/client-hostname:{ClientName}",
                $"/size:{VirtualDisplay.Width}x{VirtualDisplay.Height}", "/bpp:32", "/log-level:WARN",
            },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DISPLAY"] = host.Display.Name;
        start.Environment["HOME"] = homeFolder; // FreeRDP's own settings folder stays in the test's temp folder
        return RunningAgent.Start(start);
    }

    /// <summary>
    /// xrdp logs the new client and the drawing of its login window, and the home screen shows it: xrdp's background
    /// colour around a dialog of its size and colour, with text and controls in it. The screenshot is kept as a PNG.
    /// </summary>
    private async Task WaitForLoginScreenAsync(string name, int connectionsBefore, params RunningAgent[] processes)
    {
        try
        {
            await Eventually.UntilAsync(() =>
            {
                Assert.False(processes[^1].HasExited, "xfreerdp ended");
                var log = host.Xrdp.Log;
                return Count(log, "connection received from") > connectionsBefore
                    && Count(log, $"Connected client computer name: {ClientName}") > connectionsBefore
                    && Count(log, "draw login window") > connectionsBefore;
            });
        }
        catch (Exception ex) when (ex is OperationCanceledException or Xunit.Sdk.XunitException)
        {
            var log = host.Xrdp.Log.Split('\n');
            throw new TimeoutException(
                $"xrdp did not draw its login window for FreeRDP by {DateTime.UtcNow:HH:mm:ss}: {ex.Message}\nxrdp log:\n{string.Join('\n', log.Where(l => l.Contains("INFO", StringComparison.Ordinal) || l.Contains("window", StringComparison.Ordinal)))}\n"
                + string.Join('\n', processes.Select(p => p.ToString())), ex);
        }

        const int dialogX = (VirtualDisplay.Width - XrdpServer.DialogWidth) / 2;
        const int dialogY = (VirtualDisplay.Height - XrdpServer.DialogHeight) / 2;
        const int outside = (VirtualDisplay.Width * VirtualDisplay.Height) - (XrdpServer.DialogWidth * XrdpServer.DialogHeight);
        var png = Path.Combine(RdpRelayHost.ArtifactDirectory, $"login-screen-{name}.png");
        Screenshot screen;
        try
        {
            // FreeRDP paints as the bitmaps arrive: wait until the background and the dialog are both complete.
            screen = await Eventually.ValueAsync(host.Display.CaptureAsync, s =>
                s.Histogram(dialogX, dialogY, XrdpServer.DialogWidth, XrdpServer.DialogHeight).GetValueOrDefault(XrdpServer.DialogBackground)
                    > XrdpServer.DialogWidth * XrdpServer.DialogHeight / 2
                && s.Histogram().GetValueOrDefault(XrdpServer.Background) >= outside);
        }
        catch (OperationCanceledException)
        {
            await host.Display.SavePngAsync(png);
            var colours = (await host.Display.CaptureAsync()).Histogram().OrderByDescending(c => c.Value).Take(5).Select(c => $"{c.Key}×{c.Value}");
            throw new TimeoutException($"no login dialog on the screen (see {png}); most common colours: {string.Join(", ", colours)}");
        }

        await host.Display.SavePngAsync(png);
        output.WriteLine($"xrdp's login screen as FreeRDP showed it through the relay: {png}");

        var dialog = screen.Histogram(dialogX, dialogY, XrdpServer.DialogWidth, XrdpServer.DialogHeight);
        Assert.Equal(XrdpServer.Background, screen.ColourAt(5, 5));
        // Not a flat rectangle: labels, input boxes, buttons and the logo.
        Assert.True(dialog.Count >= 10, $"{dialog.Count} colours in the dialog");
        Assert.True(dialog.GetValueOrDefault("ffffff") > 1000, "white input boxes");
        Assert.True(dialog.GetValueOrDefault("000000") > 100, "black text");
    }

    private static int Count(string text, string what) => Regex.Count(text, Regex.Escape(what));

    private sealed record Ended(RelaySession Record, string EndedBy, string Reason);

    /// <summary>One running RDP session and its processes; disposing ends whatever still runs.</summary>
    private sealed class OpenSession(TenantSession admin, Guid id, TempFolder folder, RunningAgent office, RunningAgent home, RunningAgent freeRdp, List<RunningAgent> processes)
        : IDisposable
    {
        public TenantSession Admin => admin;

        public Guid Id => id;

        public RunningAgent FreeRdp => freeRdp;

        /// <summary>What each process printed, for a failure message (which side hung up first, and why).</summary>
        public string Describe() =>
            $"office agent:\n{office}\nhome agent:\n{home}\nxfreerdp (exited: {freeRdp.HasExited}):\n{freeRdp}";

        public RunningAgent Office => office;

        /// <summary>
        /// Waits for the home agent to end (advancing the service's clock by <paramref name="advance"/> while waiting, when
        /// given) and for the session's record; checks what both say about the bytes.
        /// </summary>
        public async Task<Ended> EndedAsync(AppFactory app, TimeSpan? advance = null)
        {
            await Eventually.UntilAsync(() =>
            {
                if (advance is { } step && !home.HasExited)
                {
                    app.Clock.Advance(step);
                }

                return home.HasExited;
            });
            Assert.True(await home.WaitForExitAsync() == 0, home.ToString());
            var summary = JsonDocument.Parse(home.Stdout[^1]).RootElement;
            Assert.Equal("session-ended", summary.GetProperty("result").GetString());

            RelaySession? record = null;
            await Eventually.UntilAsync(async () =>
            {
                await using var db = app.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(app.Binding(admin.Tenant));
                record = await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == id);
                return record.State == SessionState.Ended;
            });

            // RDP talks both ways; the screen (office → home) is the bulk.
            Assert.True(record!.BytesHomeToOffice > 1024, $"home → office {record.BytesHomeToOffice}");
            Assert.True(record.BytesOfficeToHome > 16 * 1024, $"office → home {record.BytesOfficeToHome}");
            var sent = summary.GetProperty("bytesSent").GetInt64();
            var received = summary.GetProperty("bytesReceived").GetInt64();
            if (advance is null)
            {
                // Ended by the home side: every byte arrived, and the home agent counted the same.
                Assert.Equal(record.BytesHomeToOffice, sent);
                Assert.Equal(record.BytesOfficeToHome, received);
            }
            else
            {
                // Cut by the relay while FreeRDP still talked: what was in flight is dropped, never counted twice.
                Assert.InRange(record.BytesHomeToOffice, 1, sent);
                Assert.InRange(received, 1, record.BytesOfficeToHome);
            }
            return new Ended(record, summary.GetProperty("endedBy").GetString()!, summary.TryGetProperty("reason", out var reason) ? reason.GetString() ?? "" : "");
        }

        public void Dispose()
        {
            foreach (var process in processes)
            {
                process.Dispose();
            }

            folder.Dispose();
        }
    }
}
