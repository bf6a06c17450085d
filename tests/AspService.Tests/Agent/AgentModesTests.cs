using System.Net;
using AspService.Agent.Home;
using AspService.Agent.Office;
using AspService.Agent.Output;
using AspService.Agent.Relay;
using AspService.Agent.Transport;
using AspService.Policy;

namespace AspService.Tests.Agent;

/// <summary>The pure rules of office and home mode: backoff, .rdp file, redirection report, options.</summary>
public sealed class AgentModesTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(4, 8)]
    [InlineData(5, 16)]
    [InlineData(6, 32)]
    [InlineData(7, 60)]
    [InlineData(8, 60)]
    [InlineData(1000, 60)]
    [InlineData(int.MaxValue, 60)]
    public void Backoff_DoublesFromOneSecondToSixty_WithoutJitterInTheMiddle(int failures, double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), Backoff.Delay(failures, 0.5));
    }

    [Theory]
    [InlineData(1, 0.8, 1.2)]
    [InlineData(3, 3.2, 4.8)]
    [InlineData(7, 48, 72)]
    public void Backoff_JitterStaysWithinTwentyPercent(int failures, double low, double high)
    {
        Assert.Equal(TimeSpan.FromSeconds(low), Backoff.Delay(failures, 0));
        var top = Backoff.Delay(failures, Math.BitDecrement(1.0));
        Assert.True(top <= TimeSpan.FromSeconds(high) && top > TimeSpan.FromSeconds(high * 0.999), top.ToString());
        var random = new Random(42);
        for (var i = 0; i < 1000; i++)
        {
            var delay = Backoff.Delay(failures, random.NextDouble());
            Assert.InRange(delay.TotalSeconds, low, high);
        }
    }

    [Fact]
    public void Backoff_JitterSpreadsReconnects()
    {
        var random = new Random(7);
        var delays = Enumerable.Range(0, 200).Select(_ => Backoff.Delay(7, random.NextDouble())).Distinct().Count();
        Assert.True(delays > 150, $"only {delays} distinct delays");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Backoff_RejectsNoFailure(int failures)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Backoff.Delay(failures, 0.5));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Backoff_RejectsRandomOutsideZeroToOne(double random)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Backoff.Delay(1, random));
    }

    [Fact]
    public void RdpFile_AllOff_LocksEveryChannel()
    {
        var file = RdpFile.Build(new IPEndPoint(IPAddress.Loopback, 50123), new RedirectionView());
        var lines = file.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.EndsWith("\r\n", file, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', file.Replace("\r\n", "", StringComparison.Ordinal));
        Assert.Contains("full address:s:127.0.0.1:50123", lines);
        Assert.Contains("redirectclipboard:i:0", lines);
        Assert.Contains("redirectdrives:i:0", lines);
        Assert.Contains("drivestoredirect:s:", lines);
        Assert.Contains("redirectprinters:i:0", lines);
        Assert.Contains("redirectcomports:i:0", lines);
        Assert.Contains("redirectsmartcards:i:0", lines);
        Assert.Contains("devicestoredirect:s:", lines);
        Assert.Contains("usbdevicestoredirect:s:", lines);
        Assert.Contains("autoreconnection enabled:i:0", lines);
        Assert.Equal(lines.Length, lines.Select(l => l[..l.IndexOf(':', StringComparison.Ordinal)]).Distinct().Count());
    }

    [Theory]
    [InlineData(true, false, false, false, "redirectclipboard:i:1")]
    [InlineData(false, true, false, false, "redirectdrives:i:1")]
    [InlineData(false, true, false, false, "drivestoredirect:s:*")]
    [InlineData(false, false, true, false, "redirectprinters:i:1")]
    [InlineData(false, false, false, true, "redirectcomports:i:1")]
    public void RdpFile_FollowsThePolicy_ChannelByChannel(bool clipboard, bool drives, bool printers, bool ports, string expected)
    {
        var redirection = new RedirectionView { Clipboard = clipboard, Drives = drives, Printers = printers, Ports = ports };
        var lines = RdpFile.Build(new IPEndPoint(IPAddress.Loopback, 3390), redirection).Split("\r\n");

        Assert.Contains(expected, lines);
        // Exactly one channel is on.
        Assert.Single(lines, l => l.StartsWith("redirect", StringComparison.Ordinal) && l.EndsWith(":i:1", StringComparison.Ordinal));
    }

    [Fact]
    public void RdpFile_Ipv6Loopback_IsBracketed()
    {
        var lines = RdpFile.Build(new IPEndPoint(IPAddress.IPv6Loopback, 4000), new RedirectionView()).Split("\r\n");
        Assert.Contains("full address:s:[::1]:4000", lines);
    }

    [Fact]
    public void Redirection_NothingSetAnywhere_WindowsDefaultIsEnabled()
    {
        var report = RedirectionReport.FromValues(_ => null, _ => null);
        Assert.Equal(new ReportedRedirection(true, true, true, true), report);
    }

    [Fact]
    public void Redirection_PolicyDisablesAll_ReportsAllOff()
    {
        var report = RedirectionReport.FromValues(_ => 1, _ => 0);
        Assert.Equal(ReportedRedirection.AllOff, report);
    }

    [Theory]
    [InlineData("fDisableClip", RedirectionChannel.Clipboard)]
    [InlineData("fDisableCdm", RedirectionChannel.Drives)]
    [InlineData("fDisableCpm", RedirectionChannel.Printers)]
    public void Redirection_EachValue_MapsToItsChannel(string value, RedirectionChannel channel)
    {
        var report = RedirectionReport.FromValues(name => name == value ? 1 : 0, _ => null);

        foreach (var c in Enum.GetValues<RedirectionChannel>())
        {
            Assert.Equal(c != channel, report.Reported(c));
        }
    }

    [Theory]
    [InlineData(1, 1, false)]
    [InlineData(1, 0, true)]
    [InlineData(0, 1, true)]
    [InlineData(null, 1, true)]
    public void Redirection_Ports_DisabledOnlyWhenComAndLptAre(int? com, int? lpt, bool enabled)
    {
        var report = RedirectionReport.FromValues(name => name switch { "fDisableCcm" => com, "fDisableLPT" => lpt, _ => 1 }, _ => null);
        Assert.Equal(enabled, report.Ports);
        Assert.Equal(false, report.Clipboard);
    }

    [Fact]
    public void Redirection_PolicyWinsOverTheListener_ListenerFillsTheGaps()
    {
        // Policy: clipboard explicitly allowed (0), nothing else set; listener: everything disabled.
        var report = RedirectionReport.FromValues(name => name == "fDisableClip" ? 0 : null, _ => 1);
        Assert.Equal(new ReportedRedirection(true, false, false, false), report);
    }

    [Fact]
    public void Redirection_OffWindows_IsUnknown()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        Assert.Equal(ReportedRedirection.Unknown, RedirectionReport.Read());
    }

    [Fact]
    public void Proxy_Default_IsTheSystemProxy_ConfigThenOptionWin()
    {
        Assert.Equal(ProxyKind.System, ProxyChoice.Resolve(null, false, null, AgentText.English).Kind);
        Assert.Equal(new Uri("http://proxy.lg.example:8080"), ProxyChoice.Resolve(null, false, "http://proxy.lg.example:8080", AgentText.English).Address);
        Assert.Equal(new Uri("http://other:3128"), ProxyChoice.Resolve("http://other:3128", false, "http://proxy.lg.example:8080", AgentText.English).Address);
        Assert.Equal(ProxyKind.None, ProxyChoice.Resolve(null, true, "http://proxy.lg.example:8080", AgentText.English).Kind);
    }

    [Fact]
    public void Proxy_Credentials_AreTakenOutOfTheAddress_AndNeverShown()
    {
        var proxy = ProxyChoice.Resolve("http://taro%40lg:p%3Ass@proxy:8080/", false, null, AgentText.English);

        Assert.Equal(new Uri("http://proxy:8080"), proxy.Address);
        Assert.Equal("taro@lg", proxy.Credentials!.UserName);
        Assert.Equal("p:ss", proxy.Credentials.Password);
        Assert.Equal("http://proxy:8080", proxy.Describe());
        Assert.Equal("http://***@proxy:8080", ProxyChoice.Redact("http://taro:secret@proxy:8080"));
    }

    [Theory]
    [InlineData("proxy:8080")]
    [InlineData("socks5://proxy:1080")]
    [InlineData("http://proxy:8080/path")]
    [InlineData("http://proxy:8080/?q=1")]
    [InlineData("http://")]
    public void Proxy_Invalid_IsAUsageError(string value)
    {
        var failure = Assert.Throws<AgentException>(() => ProxyChoice.Resolve(value, false, null, AgentText.English));
        Assert.Equal(ExitCode.Usage, failure.ExitCode);
    }

    [Fact]
    public void Proxy_AndNoProxy_IsAUsageError()
    {
        var failure = Assert.Throws<AgentException>(() => ProxyChoice.Resolve("http://proxy:8080", true, null, AgentText.English));
        Assert.Equal(ExitCode.Usage, failure.ExitCode);
    }

    [Theory]
    [InlineData(null, "127.0.0.1", 3389)]
    [InlineData("10.1.2.3:3389", "10.1.2.3", 3389)]
    [InlineData("pc01.lg.local:3390", "pc01.lg.local", 3390)]
    [InlineData("[::1]:3389", "::1", 3389)]
    public void Target_HostAndPort(string? value, string host, int port)
    {
        Assert.Equal(new LocalEndpoint(host, port), LocalEndpoint.Target(value, AgentText.English));
    }

    [Theory]
    [InlineData("3389")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:65536")]
    [InlineData("127.0.0.1:-1")]
    [InlineData("::1:3389")]
    [InlineData("[nope]:3389")]
    [InlineData("bad host:3389")]
    public void Target_Invalid_IsAUsageError(string value)
    {
        Assert.Equal(ExitCode.Usage, Assert.Throws<AgentException>(() => LocalEndpoint.Target(value, AgentText.English)).ExitCode);
    }

    [Theory]
    [InlineData(null, "127.0.0.1", 0)]
    [InlineData("127.0.0.1:13389", "127.0.0.1", 13389)]
    [InlineData("127.0.0.2:0", "127.0.0.2", 0)]
    [InlineData("[::1]:0", "::1", 0)]
    public void Listen_LoopbackOnly(string? value, string address, int port)
    {
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), LocalEndpoint.Listen(value, AgentText.English));
    }

    [Theory]
    [InlineData("0.0.0.0:3389")]
    [InlineData("192.168.1.10:0")]
    [InlineData("[::]:0")]
    [InlineData("localhost:0")]
    [InlineData("127.0.0.1")]
    public void Listen_NotALoopbackAddress_IsRefused(string value)
    {
        Assert.Equal(ExitCode.Usage, Assert.Throws<AgentException>(() => LocalEndpoint.Listen(value, AgentText.English)).ExitCode);
    }

    private static readonly OfficeView Pc01 = new() { Id = Guid.NewGuid(), Name = "総務課-PC01", Online = true };
    private static readonly OfficeView Pc02 = new() { Id = Guid.NewGuid(), Name = "税務課-PC02", Online = false };

    [Fact]
    public void Pick_NoneGiven_TheOnlyOne()
    {
        Assert.Same(Pc01, OfficePick.Pick([Pc01], null, AgentText.English));
    }

    [Fact]
    public void Pick_ByIdOrName()
    {
        Assert.Same(Pc02, OfficePick.Pick([Pc01, Pc02], Pc02.Id.ToString(), AgentText.English));
        Assert.Same(Pc01, OfficePick.Pick([Pc01, Pc02], "総務課-pc01", AgentText.English));
    }

    [Fact]
    public void Pick_NoneGivenButSeveral_SaysWhichExist()
    {
        var failure = Assert.Throws<AgentException>(() => OfficePick.Pick([Pc01, Pc02], null, AgentText.English));
        Assert.Equal(ExitCode.Usage, failure.ExitCode);
        Assert.Contains("総務課-PC01, 税務課-PC02", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pick_Unknown_OrNoneAssigned_IsOfficeNotFound()
    {
        Assert.Equal(ExitCode.OfficeNotFound, Assert.Throws<AgentException>(() => OfficePick.Pick([Pc01], "PC99", AgentText.English)).ExitCode);
        Assert.Equal(ExitCode.OfficeNotFound, Assert.Throws<AgentException>(() => OfficePick.Pick([Pc01], Guid.NewGuid().ToString(), AgentText.English)).ExitCode);
        Assert.Equal(ExitCode.OfficeNotFound, Assert.Throws<AgentException>(() => OfficePick.Pick([], null, AgentText.English)).ExitCode);
    }

    [Fact]
    public void Pick_TwoWithTheSameName_AsksForTheId()
    {
        var twin = new OfficeView { Id = Guid.NewGuid(), Name = Pc01.Name };
        Assert.Equal(ExitCode.Usage, Assert.Throws<AgentException>(() => OfficePick.Pick([Pc01, twin], Pc01.Name, AgentText.English)).ExitCode);
    }

    [Fact]
    public void SystemdUnit_RunsTheAgent_RestartsIt_StopsWithSigterm()
    {
        var unit = ServiceDefinition.SystemdUnit(["/usr/bin/dotnet", "/opt/aspagent/aspagent.dll", "office", "run", "--config", "/etc/aspagent office"], "aspagent");
        var lines = unit.Split('\n');

        Assert.Contains("ExecStart=/usr/bin/dotnet /opt/aspagent/aspagent.dll office run --config \"/etc/aspagent office\"", lines);
        Assert.Contains("User=aspagent", lines);
        Assert.Contains("Restart=always", lines);
        Assert.Contains("KillSignal=SIGTERM", lines);
        Assert.Contains("After=network-online.target", lines);
        Assert.Contains("WantedBy=multi-user.target", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("User=", StringComparison.Ordinal) && l.Length == 5);
        Assert.DoesNotContain("User=", ServiceDefinition.SystemdUnit(["/usr/local/bin/aspagent"], null), StringComparison.Ordinal);
    }

    [Fact]
    public void SystemdUnit_EscapesSpecifiersAndVariables()
    {
        var unit = ServiceDefinition.SystemdUnit(["/usr/local/bin/aspagent", "--proxy", "http://u:p%41$x@proxy:8080"], null);
        Assert.Contains("ExecStart=/usr/local/bin/aspagent --proxy \"http://u:p%%41$$x@proxy:8080\"", unit, StringComparison.Ordinal);
    }

    [Fact]
    public void WindowsService_ScCommands_QuoteTheBinaryPath()
    {
        var binary = ServiceDefinition.WindowsCommandLine([@"C:\Program Files\AspService\aspagent.exe", "office", "run", "--service", "--machine"]);
        var commands = ServiceDefinition.WindowsCommands(binary);

        Assert.Equal("\"C:\\Program Files\\AspService\\aspagent.exe\" office run --service --machine", binary);
        Assert.Equal(["create", ServiceDefinition.WindowsServiceName, "binPath=", binary, "start=", "delayed-auto", "obj=", "LocalSystem", "DisplayName=", "AspService Office Agent"], commands[0]);
        Assert.Contains(commands, c => c[0] == "failure" && c.Contains("restart/5000/restart/10000/restart/60000"));
        Assert.Equal("\"a \\\"b\\\\\" c", ServiceDefinition.WindowsCommandLine(["a \"b\\", "c"]));
    }

    [Fact]
    public void RelayAddress_HttpsBecomesWss_KeepingPortAndPath()
    {
        Assert.Equal(new Uri("wss://relay.example:8443/api/v1/relay/data?session=x"), RelayClient.WebSocketAddress(new Uri("https://relay.example:8443/api/v1/relay/data?session=x")));
        Assert.Equal(new Uri("wss://relay.example/api/v1/relay/control"), RelayClient.WebSocketAddress(new Uri("https://relay.example/api/v1/relay/control")));
    }
}
