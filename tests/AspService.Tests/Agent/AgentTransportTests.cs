using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using AspService.Agent.Configuration;
using AspService.Agent.Enrollment;
using AspService.Agent.Output;
using AspService.Agent.Transport;
using AspService.Pki;

namespace AspService.Tests.Agent;

/// <summary>
/// The agent's TLS client against a bare TLS listener: TLS 1.3, the terminal certificate from the key
/// files presented as client certificate (on Linux too), the server pinned to the provider CA, and each
/// failure told apart (untrusted server, refused, unreachable).
/// </summary>
public sealed class AgentTransportTests
{
    private static X509Certificate2 ServerCertificate(X509Certificate2 ca, string host = "localhost") =>
        TerminalCertificates.IssueServer(ca, [host], AgentFixtures.Now.AddHours(-1), AgentFixtures.Now.AddDays(1));

    private static async Task<HttpStatusCode> GetTerminalAsync(string configDir, AgentConfig config)
    {
        using var connection = TerminalConnection.Open(new ConfigDirectory(configDir), config, AgentText.English);
        using var response = await connection.SendAsync(HttpMethod.Get, "api/v1/terminal", null, CancellationToken.None);
        return response.StatusCode;
    }

    [Fact]
    public async Task Terminal_PinnedProviderCa_PresentsTerminalCertificateOverTls13()
    {
        using var folder = new TempFolder();
        var providerCa = AgentFixtures.ProviderCa();
        await using var server = new TlsTestServer(ServerCertificate(providerCa));
        var enrollment = AgentFixtures.Enroll(folder.ConfigDir, new Uri(server.Url, "/"), providerCa);

        var status = await GetTerminalAsync(folder.ConfigDir, enrollment.Config);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(SslProtocols.Tls13, server.Protocol);
        Assert.Equal(enrollment.Leaf.Thumbprint, server.ClientCertificate?.Thumbprint);
        Assert.Equal("GET /api/v1/terminal HTTP/1.1", server.RequestLine);
    }

    [Fact]
    public async Task Terminal_EndpointPathIsKept()
    {
        using var folder = new TempFolder();
        var providerCa = AgentFixtures.ProviderCa();
        await using var server = new TlsTestServer(ServerCertificate(providerCa));
        var enrollment = AgentFixtures.Enroll(folder.ConfigDir, new Uri(server.Url, "/agent/"), providerCa);

        await GetTerminalAsync(folder.ConfigDir, enrollment.Config);

        Assert.Equal("GET /agent/api/v1/terminal HTTP/1.1", server.RequestLine);
    }

    [Fact]
    public async Task Terminal_ServerCertificateFromAnotherCa_UntrustedServer()
    {
        using var folder = new TempFolder();
        await using var server = new TlsTestServer(ServerCertificate(AgentFixtures.ProviderCa()));
        var enrollment = AgentFixtures.Enroll(folder.ConfigDir, server.Url, AgentFixtures.ProviderCa());

        var failure = await Assert.ThrowsAsync<AgentException>(() => GetTerminalAsync(folder.ConfigDir, enrollment.Config));

        Assert.Equal(ExitCode.UntrustedServer, failure.ExitCode);
        Assert.Equal("untrusted-server", failure.Code);
        Assert.Null(server.RequestLine);
    }

    [Fact]
    public async Task Terminal_ServerCertificateForAnotherHost_UntrustedServer()
    {
        using var folder = new TempFolder();
        var providerCa = AgentFixtures.ProviderCa();
        await using var server = new TlsTestServer(ServerCertificate(providerCa, "relay.asp.example.jp"));
        var enrollment = AgentFixtures.Enroll(folder.ConfigDir, server.Url, providerCa);

        var failure = await Assert.ThrowsAsync<AgentException>(() => GetTerminalAsync(folder.ConfigDir, enrollment.Config));

        Assert.Equal(ExitCode.UntrustedServer, failure.ExitCode);
        Assert.Contains("host name", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Terminal_ServerRefusesTheCertificate_Refused()
    {
        using var folder = new TempFolder();
        var providerCa = AgentFixtures.ProviderCa();
        await using var server = new TlsTestServer(ServerCertificate(providerCa), acceptClientCertificate: false);
        var enrollment = AgentFixtures.Enroll(folder.ConfigDir, server.Url, providerCa);

        var failure = await Assert.ThrowsAsync<AgentException>(() => GetTerminalAsync(folder.ConfigDir, enrollment.Config));

        Assert.Equal(ExitCode.Refused, failure.ExitCode);
        Assert.Equal("refused", failure.Code);
    }

    [Fact]
    public async Task Terminal_NothingListening_Unreachable()
    {
        using var folder = new TempFolder();
        var enrollment = AgentFixtures.Enroll(folder.ConfigDir, new Uri($"https://localhost:{AgentFixtures.FreePort()}"));

        var failure = await Assert.ThrowsAsync<AgentException>(() => GetTerminalAsync(folder.ConfigDir, enrollment.Config));

        Assert.Equal(ExitCode.Unreachable, failure.ExitCode);
    }

    [Fact]
    public async Task Enrollment_CaFileRootIsTrustedInAdditionToTheSystem()
    {
        var customRoot = AgentFixtures.ProviderCa();
        await using var server = new TlsTestServer(ServerCertificate(customRoot), requireClientCertificate: false);
        var withCaFile = ServerTrust.System([customRoot]);
        var withoutCaFile = ServerTrust.System(null);

        using var trusted = AgentHttp.ForEnrollment(withCaFile, "en");
        using var first = new HttpRequestMessage(HttpMethod.Get, server.Url);
        using var response = await ServerCall.SendAsync(trusted, first, withCaFile, mutualTls: false, AgentText.English, CancellationToken.None);
        using var untrusted = AgentHttp.ForEnrollment(withoutCaFile, "en");
        using var second = new HttpRequestMessage(HttpMethod.Get, server.Url);
        var failure = await Assert.ThrowsAsync<AgentException>(() => ServerCall.SendAsync(untrusted, second, withoutCaFile, mutualTls: false, AgentText.English, CancellationToken.None));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ExitCode.UntrustedServer, failure.ExitCode);
    }
}
