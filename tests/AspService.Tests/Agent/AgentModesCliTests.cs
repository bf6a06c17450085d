using AspService.Agent.Configuration;
using AspService.Agent.Output;

namespace AspService.Tests.Agent;

/// <summary>office and connect as processes, where no server is needed: arguments, enrollment kind, the systemd unit.</summary>
public sealed class AgentModesCliTests
{
    [Fact]
    public async Task InstallService_Print_ShowsAUnitThatRunsThisAgentWithItsConfiguration()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var folder = new TempFolder();
        AgentFixtures.Enroll(folder.ConfigDir, new Uri("https://localhost:5443"));

        var run = await AgentProcess.RunAsync(
            ["office", "install-service", "--print", "--target", "10.0.0.5:3389", "--proxy", "http://proxy.lg.local:8080", "--config", folder.ConfigDir], null);

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Stdout.Split('\n');
        var execStart = Assert.Single(lines, l => l.StartsWith("ExecStart=", StringComparison.Ordinal));
        Assert.Contains("aspagent", execStart, StringComparison.Ordinal);
        Assert.EndsWith($"office run --target 10.0.0.5:3389 --proxy http://proxy.lg.local:8080 --config {folder.ConfigDir}", execStart, StringComparison.Ordinal);
        Assert.Contains("Restart=always", lines);
    }

    [Fact]
    public async Task Connect_ListenOnANonLoopbackAddress_IsRefusedBeforeAnythingElse()
    {
        using var folder = new TempFolder();

        var run = await AgentProcess.RunAsync(["connect", "--listen", "0.0.0.0:3389", "--config", folder.ConfigDir, "--json"], null);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("usage", (string?)run.Json["error"]);
    }

    [Fact]
    public async Task OfficeRun_NotEnrolled_Exit3_AndOnAHomeEnrollment_Exit2()
    {
        using var none = new TempFolder();
        using var home = new TempFolder();
        AgentFixtures.Enroll(home.ConfigDir, new Uri("https://localhost:5443"), kind: "home");

        var notEnrolled = await AgentProcess.RunAsync(["office", "run", "--config", none.ConfigDir, "--json"], null);
        var wrongKind = await AgentProcess.RunAsync(["office", "run", "--config", home.ConfigDir], AgentFixtures.English);

        Assert.Equal(3, notEnrolled.ExitCode);
        Assert.Equal("not-enrolled", (string?)notEnrolled.Json["error"]);
        Assert.Equal(2, wrongKind.ExitCode);
        Assert.Equal(["This command is for an office terminal (this enrollment is a home device)."], wrongKind.StderrLines);
    }

    [Fact]
    public async Task OfficeRun_ProxyAndNoProxy_IsAUsageError()
    {
        using var folder = new TempFolder();
        AgentFixtures.Enroll(folder.ConfigDir, new Uri("https://localhost:5443"));

        var run = await AgentProcess.RunAsync(["office", "run", "--proxy", "http://p:8080", "--no-proxy", "--config", folder.ConfigDir], AgentFixtures.English);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(["--proxy and --no-proxy cannot be combined."], run.StderrLines);
    }

    [Fact]
    public void Unenroll_RemovesHomeModeFiles_Too()
    {
        using var folder = new TempFolder();
        AgentFixtures.Enroll(folder.ConfigDir, new Uri("https://localhost:5443"), kind: "home");
        var directory = new ConfigDirectory(folder.ConfigDir);
        directory.WriteOne(ConfigDirectory.TokensFile, "{}", AgentText.English);
        directory.WriteOne(ConfigDirectory.RdpFile, "full address:s:127.0.0.1:1\r\n", AgentText.English);

        directory.DeleteAll(AgentText.English);

        Assert.False(Directory.Exists(folder.ConfigDir));
    }
}
