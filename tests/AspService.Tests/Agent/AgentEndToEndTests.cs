using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AspService.Agent.Configuration;
using AspService.Agent.Output;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using AspService.Tests.Terminals;

namespace AspService.Tests.Agent;

/// <summary>
/// The real server on Kestrel (web listener + the relay's TLS 1.3 agent listener) and the real agent process.
/// </summary>
public sealed class AgentServerHost : IDisposable
{
    public AgentServerHost()
    {
        var port = AgentFixtures.FreePort();
        App = new AppFactory(kestrel: true, settings: new Dictionary<string, string?>
        {
            ["Relay:Listen"] = $"https://127.0.0.1:{port}",
            // The agent checks the host name; the relay's certificate names localhost (Relay:ServerNames).
            ["Relay:PublicUrl"] = $"https://localhost:{port}",
        });

        // The agent is another process on the real clock and validates the relay's certificate with it, so the
        // server's clock starts at the real time; tests only move it forward from there.
        if (DateTimeOffset.UtcNow > App.Clock.GetUtcNow())
        {
            App.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        }
    }

    public AppFactory App { get; }

    public void Dispose() => App.Dispose();
}

/// <summary>enroll → status ok → renew → revoke → status refused, and unenroll, with the CLI against the real server.</summary>
public sealed class AgentEndToEndTests(AgentServerHost host) : IClassFixture<AgentServerHost>
{
    private AppFactory App => host.App;

    private string ServerFor(TenantSession admin) => $"{App.WebAddress.ToString().TrimEnd('/')}/t/{admin.Tenant.Code}";

    private static async Task<JsonObject> AgentJsonAsync(int exitCode, params string[] args)
    {
        var run = await AgentProcess.RunAsync([.. args, "--json"], null);
        Assert.True(run.ExitCode == exitCode, run.ToString());
        return run.Json;
    }

    [Fact]
    public async Task Enroll_StatusOk_Renew_Revoke_StatusRefused()
    {
        using var folder = new TempFolder();
        var admin = await App.TenantAdminAsync();
        var token = await admin.TokenAsync("office");

        // enroll: key made here, certificate from the tenant CA.
        var enrolled = await AgentJsonAsync(0, "enroll", "--server", ServerFor(admin), "--token", token, "--name", "総務課-PC01", "--config", folder.ConfigDir);
        Assert.Equal("enrolled", (string?)enrolled["result"]);
        Assert.Equal(admin.Tenant.Code, (string?)enrolled["tenantCode"]);
        Assert.Equal("office", (string?)enrolled["kind"]);
        Assert.Equal("総務課-PC01", (string?)enrolled["name"]);
        Assert.Equal("active", (string?)enrolled["state"]);
        var terminalId = Guid.Parse((string)enrolled["terminalId"]!);
        var firstSerial = (string)enrolled["serial"]!;
        var directory = new ConfigDirectory(folder.ConfigDir);
        var firstKey = File.ReadAllText(directory.KeyPath);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(directory.KeyPath));
        }

        // status: the agent endpoint accepts the certificate.
        var status = await AgentJsonAsync(0, "status", "--config", folder.ConfigDir);
        Assert.Equal("ok", (string?)status["reachability"]);
        Assert.Equal("active", (string?)status["serverState"]);
        Assert.Equal(terminalId.ToString(), (string?)status["terminalId"]);

        // renew before two thirds of the lifetime: not open (exit 9), or "not due" (exit 0) for a timer.
        var early = await AgentJsonAsync(9, "renew", "--config", folder.ConfigDir);
        Assert.Equal("renewal-not-open", (string?)early["error"]);
        var notDue = await AgentJsonAsync(0, "renew", "--if-due", "--config", folder.ConfigDir);
        Assert.Equal("not-due", (string?)notDue["result"]);
        Assert.Equal(firstKey, File.ReadAllText(directory.KeyPath));

        // renew once it is open: new key, new certificate, and the server accepts it.
        App.Clock.Advance(TimeSpan.FromDays(21));
        var renewed = await AgentJsonAsync(0, "renew", "--if-due", "--config", folder.ConfigDir);
        Assert.Equal("renewed", (string?)renewed["result"]);
        Assert.Equal(firstSerial, (string?)renewed["previousSerial"]);
        Assert.NotEqual(firstSerial, (string?)renewed["serial"]);
        Assert.NotEqual(firstKey, File.ReadAllText(directory.KeyPath));
        Assert.Empty(Directory.GetFiles(folder.ConfigDir, "*.new"));
        var afterRenewal = await AgentJsonAsync(0, "status", "--config", folder.ConfigDir);
        Assert.Equal("ok", (string?)afterRenewal["reachability"]);
        Assert.Equal((string?)renewed["serial"], (string?)afterRenewal["serial"]);

        // revoke by the admin (signed in again: 21 days passed): the next handshake is refused.
        admin = await App.SignInAgainAsync(admin);
        var revoke = await admin.Client.PostAsync(admin.Url($"/api/v1/terminals/{terminalId}/revoke"), null);
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        var refused = await AgentJsonAsync(6, "status", "--config", folder.ConfigDir);
        Assert.Equal("refused", (string?)refused["reachability"]);
        Assert.Equal("refused", (string?)refused["error"]);
        Assert.Contains("terminal.handshake_refused", await App.AuditActionsAsync(admin.Tenant));

        // A human sees the report on stdout and one reason line on stderr.
        var human = await AgentProcess.RunAsync(["status", "--config", folder.ConfigDir], AgentFixtures.English);
        Assert.Equal(6, human.ExitCode);
        Assert.Contains("refused", human.Stdout, StringComparison.Ordinal);
        Assert.Single(human.StderrLines);
    }

    [Fact]
    public async Task Unenroll_ServerRevokes_LocalFilesGo()
    {
        using var folder = new TempFolder();
        var admin = await App.TenantAdminAsync();
        await AgentJsonAsync(0, "enroll", "--server", ServerFor(admin), "--token", await admin.TokenAsync("office"), "--config", folder.ConfigDir);
        var terminalId = new ConfigDirectory(folder.ConfigDir).Load(AgentText.English)!.TerminalId;

        // A copy of the files shows the server no longer accepts the certificate afterwards.
        var copy = Path.Combine(folder.Path, "copy");
        new ConfigDirectory(copy).EnsurePrivate(AgentText.English);
        foreach (var file in Directory.GetFiles(folder.ConfigDir))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        var unenrolled = await AgentJsonAsync(0, "unenroll", "--config", folder.ConfigDir);

        Assert.Equal("unenrolled", (string?)unenrolled["result"]);
        Assert.Equal(true, (bool?)unenrolled["serverNotified"]);
        Assert.False(Directory.Exists(folder.ConfigDir));
        await AgentJsonAsync(3, "status", "--config", folder.ConfigDir);
        Assert.Equal("refused", (string?)(await AgentJsonAsync(6, "status", "--config", copy))["reachability"]);
        var listed = await admin.Client.GetFromJsonAsync<JsonElement>(admin.Url($"/api/v1/terminals/{terminalId}"));
        Assert.Equal("unenrolled", listed.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Enroll_UsedToken_ServerProblemAsOneLine_Exit5_NothingLeftBehind()
    {
        using var first = new TempFolder();
        using var second = new TempFolder();
        var admin = await App.TenantAdminAsync();
        var token = await admin.TokenAsync("office");
        await AgentJsonAsync(0, "enroll", "--server", ServerFor(admin), "--token", token, "--config", first.ConfigDir);

        var json = await AgentJsonAsync(5, "enroll", "--server", ServerFor(admin), "--token", token, "--config", second.ConfigDir);
        var human = await AgentProcess.RunAsync(["enroll", "--server", ServerFor(admin), "--token", token, "--config", second.ConfigDir, "--lang", "en"], null);
        var japanese = await AgentProcess.RunAsync("enroll", "--server", ServerFor(admin), "--token", "no-such-token", "--config", second.ConfigDir);

        Assert.Equal("server-problem", (string?)json["error"]);
        Assert.Equal("enrollment-token-used", (string?)json["problem"]);
        Assert.Equal(409, (int?)json["status"]);
        Assert.Equal(5, human.ExitCode);
        Assert.Equal(["This enrollment token has already been used."], human.StderrLines);
        Assert.Equal(["登録トークンが正しくありません。"], japanese.StderrLines);
        Assert.False(Directory.Exists(second.ConfigDir));
    }

    [Fact]
    public async Task Enroll_Force_ReplacesTheEnrollment()
    {
        using var folder = new TempFolder();
        var admin = await App.TenantAdminAsync();
        var first = await AgentJsonAsync(0, "enroll", "--server", ServerFor(admin), "--token", await admin.TokenAsync("office"), "--config", folder.ConfigDir);

        await AgentJsonAsync(4, "enroll", "--server", ServerFor(admin), "--token", await admin.TokenAsync("office"), "--config", folder.ConfigDir);
        var second = await AgentJsonAsync(0, "enroll", "--server", ServerFor(admin), "--token", await admin.TokenAsync("office"), "--config", folder.ConfigDir, "--force");

        Assert.NotEqual((string?)first["terminalId"], (string?)second["terminalId"]);
        Assert.Equal("ok", (string?)(await AgentJsonAsync(0, "status", "--config", folder.ConfigDir))["reachability"]);
    }
}
