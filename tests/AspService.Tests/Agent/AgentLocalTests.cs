using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AspService.Agent.Configuration;
using AspService.Agent.Enrollment;
using AspService.Agent.Keys;
using AspService.Agent.Output;
using AspService.Agent.Transport;
using AspService.Pki;

namespace AspService.Tests.Agent;

/// <summary>The agent's local rules in process: files and modes, the save transaction, addresses, language.</summary>
public sealed class AgentLocalTests
{
    private const UnixFileMode Mode0700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode Mode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public void Save_DirectoryIs0700_EveryFileIs0600()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var folder = new TempFolder();

        AgentFixtures.Enroll(folder.ConfigDir, new Uri("https://localhost:5443"));

        Assert.Equal(Mode0700, File.GetUnixFileMode(folder.ConfigDir));
        var files = Directory.GetFiles(folder.ConfigDir);
        Assert.Equal(4, files.Length);
        foreach (var file in files)
        {
            Assert.Equal(Mode0600, File.GetUnixFileMode(file));
        }
    }

    [Fact]
    public void Save_KeyFileIsPkcs8Pem_OfTheCertificatesKey()
    {
        using var folder = new TempFolder();
        var enrollment = AgentFixtures.Enroll(folder.ConfigDir, new Uri("https://localhost:5443"));
        var directory = new ConfigDirectory(folder.ConfigDir);

        var keyPem = File.ReadAllText(directory.KeyPath);
        using var certificate = new FileKeyStore().LoadClientCertificate(directory, enrollment.Config, AgentText.English);

        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", keyPem, StringComparison.Ordinal);
        Assert.True(certificate.HasPrivateKey);
        Assert.Equal(enrollment.Leaf.Thumbprint, certificate.Thumbprint);
    }

    [Fact]
    public void Config_RoundTrip_WithDocumentedCamelCaseNames()
    {
        using var folder = new TempFolder();
        var enrollment = AgentFixtures.Enroll(folder.ConfigDir, new Uri("https://localhost:5443/agent/"));
        var directory = new ConfigDirectory(folder.ConfigDir);

        var loaded = directory.Load(AgentText.English)!;
        var raw = JsonNode.Parse(File.ReadAllText(directory.ConfigPath))!.AsObject();

        Assert.Equivalent(enrollment.Config, loaded, strict: true);
        foreach (var name in (string[])["version", "server", "agentEndpoint", "tenantId", "tenantCode", "tenantName", "terminalId", "kind", "name", "state", "serial", "notBefore", "notAfter", "renewalOpensAt", "enrolledAt", "keyStore"])
        {
            Assert.True(raw.ContainsKey(name), name);
        }

        // Readable for people who open it.
        Assert.Contains("千代田区", File.ReadAllText(directory.ConfigPath), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CorruptConfig_OneLineFailure()
    {
        using var folder = new TempFolder();
        AgentFixtures.Enroll(folder.ConfigDir, new Uri("https://localhost:5443"));
        var directory = new ConfigDirectory(folder.ConfigDir);
        File.WriteAllText(directory.ConfigPath, "{ not json");

        var failure = Assert.Throws<AgentException>(() => directory.Load(AgentText.English));

        Assert.Equal("config-invalid", failure.Code);
        Assert.Equal(ExitCode.Failed, failure.ExitCode);
    }

    [Fact]
    public void Load_KeyOfAnotherCertificate_KeyMismatch()
    {
        using var folder = new TempFolder();
        var enrollment = AgentFixtures.Enroll(folder.ConfigDir, new Uri("https://localhost:5443"));
        var directory = new ConfigDirectory(folder.ConfigDir);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(directory.KeyPath, other.ExportPkcs8PrivateKeyPem());

        var failure = Assert.Throws<AgentException>(() => new FileKeyStore().LoadClientCertificate(directory, enrollment.Config, AgentText.English));

        Assert.Equal("key-mismatch", failure.Code);
    }

    [Fact]
    public void Recover_CompleteSet_IsFinished()
    {
        using var folder = new TempFolder();
        AgentFixtures.Enroll(folder.ConfigDir, new Uri("https://localhost:5443"));
        var directory = new ConfigDirectory(folder.ConfigDir);

        // A renewal that wrote all its files and was stopped after renaming the key only.
        File.WriteAllText(directory.KeyPath, "new key");
        File.WriteAllText(directory.CertificatePath + ".new", "new certificate");
        File.WriteAllText(directory.ConfigPath + ".new", File.ReadAllText(directory.ConfigPath).Replace("総務課-PC01", "renewed", StringComparison.Ordinal));

        var loaded = directory.Load(AgentText.English)!;

        Assert.Equal("renewed", loaded.Name);
        Assert.Equal("new certificate", File.ReadAllText(directory.CertificatePath));
        Assert.Empty(Directory.GetFiles(folder.ConfigDir, "*.new"));
    }

    [Fact]
    public void Recover_IncompleteSet_IsDropped_OldFilesStay()
    {
        using var folder = new TempFolder();
        AgentFixtures.Enroll(folder.ConfigDir, new Uri("https://localhost:5443"));
        var directory = new ConfigDirectory(folder.ConfigDir);
        var key = File.ReadAllText(directory.KeyPath);

        // Stopped while writing: agent.json.new (the completion mark) never appeared.
        File.WriteAllText(directory.KeyPath + ".new", "half");
        File.WriteAllText(directory.CertificatePath + ".new", "half");

        var loaded = directory.Load(AgentText.English)!;

        Assert.Equal("総務課-PC01", loaded.Name);
        Assert.Equal(key, File.ReadAllText(directory.KeyPath));
        Assert.Empty(Directory.GetFiles(folder.ConfigDir, "*.new"));
    }

    [Fact]
    public void DeleteAll_RemovesFilesAndTheEmptyDirectory_KeepsForeignFiles()
    {
        using var folder = new TempFolder();
        AgentFixtures.Enroll(folder.ConfigDir, new Uri("https://localhost:5443"));
        var other = new TempFolder();
        AgentFixtures.Enroll(other.ConfigDir, new Uri("https://localhost:5443"));
        File.WriteAllText(Path.Combine(other.ConfigDir, "notes.txt"), "mine");

        new ConfigDirectory(folder.ConfigDir).DeleteAll(AgentText.English);
        new ConfigDirectory(other.ConfigDir).DeleteAll(AgentText.English);

        Assert.False(Directory.Exists(folder.ConfigDir));
        Assert.Equal(["notes.txt"], Directory.GetFiles(other.ConfigDir).Select(f => Path.GetFileName(f)));
        other.Dispose();
    }

    [Fact]
    public void Install_CertificateForAnotherKey_IsRejected_NothingSaved()
    {
        using var folder = new TempFolder();
        var source = AgentFixtures.Enroll(Path.Combine(folder.Path, "source"), new Uri("https://localhost:5443"));
        var directory = new ConfigDirectory(folder.ConfigDir);
        directory.EnsurePrivate(AgentText.English);
        using var key = new FileKeyStore().CreateKey();
        var issued = new IssuedCertificate
        {
            TerminalId = source.Config.TerminalId,
            TenantId = source.Config.TenantId,
            Kind = "office",
            CertificatePem = source.Leaf.ExportCertificatePem(),
            ChainPem = source.Leaf.ExportCertificatePem(),
            ProviderCaPem = source.ProviderCa.ExportCertificatePem(),
            AgentEndpoint = new Uri("https://localhost:5443"),
        };

        var failure = Assert.Throws<AgentException>(() => Installation.Install(issued, key, directory, source.Config.Server, null, AgentFixtures.Now, AgentText.English));

        Assert.Equal("bad-response", failure.Code);
        Assert.Empty(Directory.GetFiles(folder.ConfigDir));
    }

    [Fact]
    public void Install_CertificateForThisKey_SavedWithServerFields()
    {
        using var folder = new TempFolder();
        var tenantId = Guid.NewGuid();
        var terminalId = Guid.NewGuid();
        var tenantCa = CertificateAuthority.CreateTenantRoot("131016", "千代田区", tenantId, AgentFixtures.Now, TimeSpan.FromDays(365));
        var directory = new ConfigDirectory(folder.ConfigDir);
        directory.EnsurePrivate(AgentText.English);
        using var key = new FileKeyStore().CreateKey();
        var (publicKey, error) = CsrPolicy.Check(key.CreateSigningRequestPem());
        Assert.Equal(CsrError.None, error);
        using var leaf = TerminalCertificates.Issue(tenantCa, publicKey!, new TerminalIdentity(tenantId, terminalId, TerminalKind.Home), "131016",
            TerminalCertificates.NewSerial(), AgentFixtures.Now, AgentFixtures.Now.AddDays(30), new Uri("https://asp.example/crl"));
        var issued = new IssuedCertificate
        {
            TerminalId = terminalId,
            TenantId = tenantId,
            TenantCode = "131016",
            TenantName = "千代田区",
            Kind = "home",
            Name = "自宅PC",
            State = "pendingApproval",
            CertificatePem = leaf.ExportCertificatePem(),
            ChainPem = leaf.ExportCertificatePem() + "\r\n" + tenantCa.ExportCertificatePem(),
            ProviderCaPem = AgentFixtures.ProviderCa().ExportCertificatePem(),
            AgentEndpoint = new Uri("https://localhost:5443"),
            NotBefore = AgentFixtures.Now,
            NotAfter = AgentFixtures.Now.AddDays(30),
            RenewalOpensAt = AgentFixtures.Now.AddDays(20),
        };

        var config = Installation.Install(issued, key, directory, new Uri("http://localhost:5080/t/131016"), null, AgentFixtures.Now, AgentText.English);

        Assert.Equal(TerminalCertificates.SerialHex(leaf), config.Serial);
        Assert.Equal("pendingApproval", directory.Load(AgentText.English)!.State);
        Assert.DoesNotContain("\r", File.ReadAllText(directory.CertificatePath), StringComparison.Ordinal);
        using var loaded = new FileKeyStore().LoadClientCertificate(directory, config, AgentText.English);
        Assert.Equal(leaf.Thumbprint, loaded.Thumbprint);
    }

    [Theory]
    [InlineData("http://localhost:5080", true)]
    [InlineData("http://LOCALHOST", true)]
    [InlineData("http://127.0.0.1", true)]
    [InlineData("http://127.255.0.9:80", true)]
    [InlineData("http://[::1]:5080", true)]
    [InlineData("http://128.0.0.1", false)]
    [InlineData("http://localhost.example.jp", false)]
    [InlineData("http://[::ffff:10.0.0.1]", false)]
    [InlineData("http://0.0.0.0", false)]
    public void IsLoopback_OnlyLiteralLoopback(string url, bool loopback) =>
        Assert.Equal(loopback, ServerAddress.IsLoopback(new Uri(url)));

    [Theory]
    [InlineData("http://localhost:5080/t/131016", "http://localhost:5080/t/131016/api/v1/enrollments")]
    [InlineData("http://localhost:5080/t/131016/", "http://localhost:5080/t/131016/api/v1/enrollments")]
    [InlineData("https://131016.asp.example.jp", "https://131016.asp.example.jp/api/v1/enrollments")]
    public void Combine_KeepsTheTenantPath(string baseAddress, string expected) =>
        Assert.Equal(expected, ServerAddress.Combine(new Uri(baseAddress), "api/v1/enrollments").ToString());

    [Fact]
    public void LocalState_FollowsTheCertificateLifetime()
    {
        var config = new AgentConfig
        {
            Server = new Uri("https://asp.example"),
            AgentEndpoint = new Uri("https://asp.example"),
            NotBefore = AgentFixtures.Now,
            NotAfter = AgentFixtures.Now.AddDays(30),
            RenewalOpensAt = AgentFixtures.Now.AddDays(20),
        };

        Assert.Equal("not-yet-valid", StatusCommand.LocalState(config, AgentFixtures.Now.AddSeconds(-1)));
        Assert.Equal("valid", StatusCommand.LocalState(config, AgentFixtures.Now));
        Assert.Equal("renewal-due", StatusCommand.LocalState(config, AgentFixtures.Now.AddDays(20)));
        Assert.Equal("expired", StatusCommand.LocalState(config, AgentFixtures.Now.AddDays(30)));
    }

    [Theory]
    [InlineData("en", null, false, true)]
    [InlineData("ja", "en_US.UTF-8", false, false)]
    [InlineData(null, "en_US.UTF-8", false, true)]
    [InlineData(null, "ja_JP.UTF-8", false, false)]
    [InlineData(null, "C.UTF-8", false, false)]
    [InlineData(null, null, false, false)]
    [InlineData(null, null, true, false)]
    public void Language_LangOptionThenLocaleVariables_JapaneseByDefault(string? option, string? lang, bool lcAllJapanese, bool english)
    {
        var environment = new Dictionary<string, string?> { ["LANG"] = lang, ["LC_ALL"] = lcAllJapanese ? "ja_JP.UTF-8" : null };

        var text = AgentText.Choose(option, name => environment.GetValueOrDefault(name), CultureInfo.InvariantCulture);

        Assert.Equal(english, text.IsEnglish);
    }

    [Fact]
    public void Dates_AreShownInJst()
    {
        var instant = new DateTimeOffset(2026, 12, 25, 15, 30, 0, TimeSpan.Zero);

        Assert.Equal("2026年12月26日 00:30", AgentText.Japanese.Date(instant));
        Assert.Equal("2026-12-26 00:30 JST", AgentText.English.Date(instant));
    }

    [Theory]
    [InlineData("/opt/agent", null, null, "/opt/agent")]
    [InlineData(null, "/srv/aspagent", "/xdg", "/srv/aspagent")]
    [InlineData(null, null, "/xdg", "/xdg/aspagent")]
    [InlineData(null, null, "relative", "/home/u/.config/aspagent")]
    [InlineData(null, null, null, "/home/u/.config/aspagent")]
    public void ConfigDirectory_Resolution_OnUnix(string? option, string? home, string? xdg, string expected)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var environment = new Dictionary<string, string?> { [AgentPaths.HomeVariable] = home, ["XDG_CONFIG_HOME"] = xdg, ["HOME"] = "/home/u" };

        var path = AgentPaths.Resolve(option, machine: false, windows: false, name => environment.GetValueOrDefault(name), _ => "");

        Assert.Equal(expected, path);
    }

    [Theory]
    [InlineData(false, @"C:\Users\u\AppData\Roaming")]
    [InlineData(true, @"C:\ProgramData")]
    public void ConfigDirectory_Resolution_OnWindows(bool machine, string root)
    {
        var path = AgentPaths.Resolve(null, machine, windows: true, _ => null,
            folder => folder == Environment.SpecialFolder.CommonApplicationData ? @"C:\ProgramData" : @"C:\Users\u\AppData\Roaming");

        Assert.Equal(Path.Combine(root, "AspService", "Agent"), path);
    }
}
