using AspService.Agent.Configuration;

namespace AspService.Tests.Agent;

/// <summary>
/// The agent as a user or a script meets it: a real process, its exit code, stdout and stderr. Everything
/// here is decided before or without a server; the server contract is covered by AgentEndToEndTests.
/// </summary>
public sealed class AgentCliTests
{
    private static void AssertOneErrorLine(AgentRun run, int exitCode)
    {
        Assert.True(run.ExitCode == exitCode, run.ToString());
        Assert.Equal("", run.Stdout);
        Assert.Single(run.StderrLines);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoCommand_Usage_Exit2()
    {
        var run = await AgentProcess.RunAsync();

        AssertOneErrorLine(run, 2);
        Assert.Contains("enroll, status, renew, unenroll", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCommandOrOption_Usage_Exit2()
    {
        AssertOneErrorLine(await AgentProcess.RunAsync("enrol"), 2);
        AssertOneErrorLine(await AgentProcess.RunAsync("status", "--bogus"), 2);
    }

    [Fact]
    public async Task Help_PrintsCommands_Exit0()
    {
        var run = await AgentProcess.RunAsync("--help");

        Assert.Equal(0, run.ExitCode);
        foreach (var command in (string[])["enroll", "status", "renew", "unenroll"])
        {
            Assert.Contains(command, run.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Enroll_MissingServer_Exit2_JapaneseByDefault()
    {
        var run = await AgentProcess.RunAsync("enroll", "--token", "t");

        AssertOneErrorLine(run, 2);
        Assert.StartsWith("--server に", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enroll_MissingServer_Json_OneErrorObjectOnStdout()
    {
        var run = await AgentProcess.RunAsync("enroll", "--token", "t", "--json");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stderr);
        var json = run.Json;
        Assert.Equal("usage", (string?)json["error"]);
        Assert.False(string.IsNullOrEmpty((string?)json["message"]));
        Assert.Single(run.Stdout.Trim().Split('\n'));
    }

    [Fact]
    public async Task Enroll_MissingToken_Exit2()
    {
        var run = await AgentProcess.RunAsync(["enroll", "--server", "https://131016.asp.example.jp"], AgentFixtures.English);

        AssertOneErrorLine(run, 2);
        Assert.Contains("--token", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("131016.asp.example.jp")]
    [InlineData("ftp://asp.example.jp")]
    [InlineData("https://user:secret@asp.example.jp")]
    [InlineData("https://asp.example.jp/?tenant=131016")]
    public async Task Enroll_InvalidServer_Exit2(string server)
    {
        var run = await AgentProcess.RunAsync(["enroll", "--server", server, "--token", "t"], AgentFixtures.English);

        AssertOneErrorLine(run, 2);
        Assert.Contains("not a valid", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://131016.asp.example.jp")]
    [InlineData("http://10.0.0.5:5080/t/131016")]
    [InlineData("http://localhost.example.jp/t/131016")]
    [InlineData("http://[::2]:5080")]
    [InlineData("http://127.0.0.1.nip.io:5080")]
    public async Task Enroll_HttpToNonLoopback_RefusedBeforeAnythingIsWritten(string server)
    {
        using var folder = new TempFolder();

        var run = await AgentProcess.RunAsync(["enroll", "--server", server, "--token", "t", "--config", folder.ConfigDir, "--json", "--lang", "en"], null);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("usage", (string?)run.Json["error"]);
        Assert.Contains("use https", (string?)run.Json["message"], StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder.ConfigDir));
    }

    [Theory]
    [InlineData("http://localhost:{0}/t/131016")]
    [InlineData("http://127.0.0.1:{0}/t/131016")]
    [InlineData("http://127.1.2.3:{0}")]
    [InlineData("http://[::1]:{0}")]
    public async Task Enroll_HttpToLoopback_IsAllowed_NothingListening_Unreachable_LeavesNothing(string server)
    {
        using var folder = new TempFolder();
        var url = string.Format(System.Globalization.CultureInfo.InvariantCulture, server, AgentFixtures.FreePort());

        var run = await AgentProcess.RunAsync(["enroll", "--server", url, "--token", "t", "--config", folder.ConfigDir, "--json"], null);

        Assert.True(run.ExitCode == 7, run.ToString());
        Assert.Equal("unreachable", (string?)run.Json["error"]);
        Assert.False(Directory.Exists(folder.ConfigDir), "a failed enrollment leaves no directory behind");
    }

    [Fact]
    public async Task Enroll_AlreadyEnrolled_RefusedWithoutForce_Exit4()
    {
        using var folder = new TempFolder();
        AgentFixtures.Enroll(folder.ConfigDir, new Uri("https://localhost:5443"));
        var before = File.ReadAllText(Path.Combine(folder.ConfigDir, ConfigDirectory.ConfigFile));
        var server = $"http://localhost:{AgentFixtures.FreePort()}/t/131016";

        var refused = await AgentProcess.RunAsync(["enroll", "--server", server, "--token", "t", "--config", folder.ConfigDir], AgentFixtures.English);
        var forced = await AgentProcess.RunAsync(["enroll", "--server", server, "--token", "t", "--config", folder.ConfigDir, "--force"], AgentFixtures.English);

        AssertOneErrorLine(refused, 4);
        Assert.Contains("--force", refused.Stderr, StringComparison.Ordinal);

        // --force goes on to the server (unreachable here) and keeps the old enrollment until a new one is issued.
        AssertOneErrorLine(forced, 7);
        Assert.Equal(before, File.ReadAllText(Path.Combine(folder.ConfigDir, ConfigDirectory.ConfigFile)));
    }

    [Fact]
    public async Task Enroll_SharedDirectory_RefusedBeforeTheTokenIsSpent()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.ConfigDir);
        File.SetUnixFileMode(folder.ConfigDir, (UnixFileMode)0b111_101_101);
        var server = $"http://localhost:{AgentFixtures.FreePort()}";

        var run = await AgentProcess.RunAsync(["enroll", "--server", server, "--token", "t", "--config", folder.ConfigDir, "--json"], null);

        // Exit 1 (local), not 7: the server was never contacted.
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal("directory-not-private", (string?)run.Json["error"]);
    }

    [Fact]
    public async Task Enroll_CaFileWithoutCertificate_Exit2()
    {
        using var folder = new TempFolder();
        var caFile = Path.Combine(folder.Path, "root.pem");
        File.WriteAllText(caFile, "not a certificate");

        var run = await AgentProcess.RunAsync(["enroll", "--server", "https://asp.example.jp", "--token", "t", "--ca-file", caFile, "--config", folder.ConfigDir], AgentFixtures.English);

        AssertOneErrorLine(run, 2);
        Assert.Contains("--ca-file", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("renew")]
    [InlineData("renew", "--if-due")]
    [InlineData("unenroll")]
    [InlineData("unenroll", "--local-only")]
    public async Task CommandsNeedingAnEnrollment_WithoutConfig_Exit3(params string[] command)
    {
        using var folder = new TempFolder();

        var human = await AgentProcess.RunAsync([.. command, "--config", folder.ConfigDir], AgentFixtures.English);
        var json = await AgentProcess.RunAsync([.. command, "--config", folder.ConfigDir, "--json"], null);

        AssertOneErrorLine(human, 3);
        Assert.Contains("Not enrolled", human.Stderr, StringComparison.Ordinal);
        Assert.Equal(3, json.ExitCode);
        Assert.Equal("not-enrolled", (string?)json.Json["error"]);
    }

    [Fact]
    public async Task ConfigDirectory_FromAspagentHome_ThenXdgConfigHome()
    {
        using var folder = new TempFolder();
        var home = Path.Combine(folder.Path, "home");
        var xdg = Path.Combine(folder.Path, "xdg");

        var fromHome = await AgentProcess.RunAsync(["status", "--json"], new Dictionary<string, string> { ["ASPAGENT_HOME"] = home, ["XDG_CONFIG_HOME"] = xdg });
        var fromXdg = await AgentProcess.RunAsync(["status", "--json"], new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = xdg });

        Assert.Contains(home, (string?)fromHome.Json["message"], StringComparison.Ordinal);
        Assert.Contains(Path.Combine(xdg, "aspagent"), (string?)fromXdg.Json["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Machine_OutsideWindows_Exit2()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var run = await AgentProcess.RunAsync("status", "--machine");

        AssertOneErrorLine(run, 2);
    }

    [Fact]
    public async Task Language_LangEnglish_ThenLangOptionWins()
    {
        using var folder = new TempFolder();

        var english = await AgentProcess.RunAsync(["status", "--config", folder.ConfigDir], AgentFixtures.English);
        var japanese = await AgentProcess.RunAsync(["status", "--config", folder.ConfigDir, "--lang", "ja"], AgentFixtures.English);
        var invalid = await AgentProcess.RunAsync("status", "--lang", "fr");

        Assert.StartsWith("Not enrolled", english.Stderr, StringComparison.Ordinal);
        Assert.StartsWith("この端末は登録されていません", japanese.Stderr, StringComparison.Ordinal);
        AssertOneErrorLine(invalid, 2);
    }

    [Fact]
    public async Task Status_Enrolled_ServerUnreachable_ReportsLocalStateAndExit7()
    {
        using var folder = new TempFolder();
        var enrollment = AgentFixtures.Enroll(folder.ConfigDir, new Uri($"https://localhost:{AgentFixtures.FreePort()}"));

        var human = await AgentProcess.RunAsync(["status", "--config", folder.ConfigDir], AgentFixtures.English);
        var json = await AgentProcess.RunAsync("status", "--config", folder.ConfigDir, "--json");

        Assert.True(human.ExitCode == 7, human.ToString());
        Assert.Contains("千代田区 (131016)", human.Stdout, StringComparison.Ordinal);
        Assert.Contains(enrollment.Config.Serial, human.Stdout, StringComparison.Ordinal);
        Assert.Contains("unreachable", human.Stdout, StringComparison.Ordinal);
        Assert.Single(human.StderrLines);

        Assert.Equal(7, json.ExitCode);
        var body = json.Json;
        Assert.Equal("unreachable", (string?)body["error"]);
        Assert.Equal("unreachable", (string?)body["reachability"]);
        Assert.Equal(enrollment.Config.TerminalId.ToString(), (string?)body["terminalId"]);
        Assert.Equal("office", (string?)body["kind"]);
        Assert.Equal("総務課-PC01", (string?)body["name"]);
        Assert.Equal("131016", (string?)body["tenantCode"]);
        Assert.Equal("valid", (string?)body["localState"]);
        Assert.Equal(enrollment.Config.NotAfter, (DateTimeOffset?)body["notAfter"]);
        Assert.Equal(enrollment.Config.RenewalOpensAt, (DateTimeOffset?)body["renewalOpensAt"]);
    }

    [Fact]
    public async Task Renew_ServerUnreachable_Exit7_KeepsKeyAndCertificate()
    {
        using var folder = new TempFolder();
        AgentFixtures.Enroll(folder.ConfigDir, new Uri($"https://localhost:{AgentFixtures.FreePort()}"));
        var directory = new ConfigDirectory(folder.ConfigDir);
        var key = File.ReadAllText(directory.KeyPath);
        var certificate = File.ReadAllText(directory.CertificatePath);

        var run = await AgentProcess.RunAsync("renew", "--if-due", "--config", folder.ConfigDir);

        AssertOneErrorLine(run, 7);
        Assert.Equal(key, File.ReadAllText(directory.KeyPath));
        Assert.Equal(certificate, File.ReadAllText(directory.CertificatePath));
        string[] expected = [ConfigDirectory.ConfigFile, ConfigDirectory.ProviderCaFile, ConfigDirectory.CertificateFile, ConfigDirectory.KeyFile];
        Assert.Equal(expected, Directory.GetFiles(folder.ConfigDir).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Unenroll_ServerUnreachable_KeepsFiles_LocalOnlyRemovesThem()
    {
        using var folder = new TempFolder();
        AgentFixtures.Enroll(folder.ConfigDir, new Uri($"https://localhost:{AgentFixtures.FreePort()}"));

        var kept = await AgentProcess.RunAsync(["unenroll", "--config", folder.ConfigDir], AgentFixtures.English);
        var keptFiles = Directory.GetFiles(folder.ConfigDir).Length;
        var removed = await AgentProcess.RunAsync("unenroll", "--local-only", "--config", folder.ConfigDir, "--json");

        AssertOneErrorLine(kept, 7);
        Assert.Contains("--local-only", kept.Stderr, StringComparison.Ordinal);
        Assert.Equal(4, keptFiles);
        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.Equal("unenrolled", (string?)removed.Json["result"]);
        Assert.Equal(false, (bool?)removed.Json["serverNotified"]);
        Assert.False(Directory.Exists(folder.ConfigDir));
    }
}
