using AspService.Tests.Agent;

namespace AspService.Tests.Rdp;

/// <summary>
/// The real server with the relay role (<see cref="RelayAgentHost"/>), xrdp as the office PC's RDP server and an
/// Xvfb screen for the home PC's FreeRDP, shared by the tests of one class. Each test brings its own tenant.
/// </summary>
public sealed class RdpRelayHost : IAsyncLifetime, IDisposable
{
    private VirtualDisplay? _display;

    public RelayAgentHost Relay { get; } = new();

    private XrdpServer? _xrdp;

    public XrdpServer Xrdp => _xrdp ?? throw MissingTools();

    public VirtualDisplay Display => _display ?? throw MissingTools();

    /// <summary>Where screenshots are kept: <c>ASPSERVICE_TEST_ARTIFACTS</c> (set by .ci/run), else the temp folder.</summary>
    public static string ArtifactDirectory =>
        Directory.CreateDirectory(Environment.GetEnvironmentVariable("ASPSERVICE_TEST_ARTIFACTS") is { Length: > 0 } root
            ? Path.Combine(root, "rdp")
            : Path.Combine(Path.GetTempPath(), "aspservice-test-artifacts", "rdp")).FullName;

    public async Task InitializeAsync()
    {
        // xunit makes the fixture even for skipped tests; without the tools the tests fail on first use (in CI only).
        if (RdpTools.Missing().Count > 0)
        {
            return;
        }

        _xrdp = new XrdpServer();
        await _xrdp.WaitUntilListeningAsync();
        _display = await VirtualDisplay.StartAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _display?.Dispose();
        _xrdp?.Dispose();
        Relay.Dispose();
    }

    private static InvalidOperationException MissingTools() =>
        new($"missing {string.Join(", ", RdpTools.Missing())}: .ci/run installs xrdp xvfb freerdp2-x11 imagemagick");
}
