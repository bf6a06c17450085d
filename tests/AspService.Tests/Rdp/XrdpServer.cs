using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AspService.Tests.Agent;

namespace AspService.Tests.Rdp;

/// <summary>
/// Debian's xrdp as the office PC's RDP server: its own process (not the system service) on 127.0.0.1 and a free
/// port, with its configuration, TLS key and certificate and log file in a temporary folder. Only the login screen
/// is used, which xrdp draws itself, so no xrdp-sesman (it would start real X sessions for system users).
/// </summary>
public sealed class XrdpServer : IDisposable
{
    /// <summary>Colours of the login screen, set here so a screenshot shows they came from this server.</summary>
    public const string Background = "1f5f8b";
    public const string DialogBackground = "e4e4e4";
    public const int DialogWidth = 350;
    public const int DialogHeight = 430;

    private readonly TempFolder _folder = new();
    private readonly RunningAgent _process;

    public XrdpServer()
    {
        Port = AgentFixtures.FreePort();
        WriteCertificate();
        var ini = Path.Combine(_folder.Path, "xrdp.ini");
        File.WriteAllText(ini, Configuration());

        // --nodaemon: the test holds the process (no pid file to trust); fork=false: connections are threads of it.
        var start = new ProcessStartInfo(RdpTools.Xrdp ?? throw new InvalidOperationException("xrdp is not installed"))
        {
            ArgumentList = { "--nodaemon", "--config", ini },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = RunningAgent.Start(start);
    }

    public int Port { get; }

    public string LogPath => Path.Combine(_folder.Path, "xrdp.log");

    /// <summary>xrdp's log so far (empty before it wrote one).</summary>
    public string Log => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "";

    /// <summary>Waits until xrdp says it listens, failing if it ended.</summary>
    public Task WaitUntilListeningAsync() => Infrastructure.Eventually.UntilAsync(() =>
    {
        Assert.False(_process.HasExited, $"xrdp ended with {(_process.HasExited ? _process.ExitCode : 0)}\n{Log}\n{_process}");
        return Log.Contains($"listening to port {Port} on 127.0.0.1", StringComparison.Ordinal);
    });

    public void Dispose()
    {
        _process.Terminate();
        _process.Dispose();
        _folder.Dispose();
    }

    /// <summary>A self-signed RSA certificate for xrdp's TLS (what xrdp's packaging makes with openssl at install).</summary>
    private void WriteCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
        File.WriteAllText(Path.Combine(_folder.Path, "cert.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_folder.Path, "key.pem"), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>
    /// Debian's /etc/xrdp/xrdp.ini cut down to what the login screen needs: TLS negotiated as with a Windows client,
    /// one session type, a log at DEBUG (it names the drawing of the login window). Keymaps still come from /etc/xrdp.
    /// </summary>
    private string Configuration() => string.Create(CultureInfo.InvariantCulture, $"""
        [Globals]
        ini_version=1
        fork=false
        port=tcp://127.0.0.1:{Port}
        use_vsock=false
        tcp_nodelay=true
        tcp_keepalive=true
        security_layer=negotiate
        crypt_level=high
        certificate={Path.Combine(_folder.Path, "cert.pem")}
        key_file={Path.Combine(_folder.Path, "key.pem")}
        ssl_protocols=TLSv1.2, TLSv1.3
        autorun=
        allow_channels=true
        allow_multimon=true
        bitmap_cache=true
        bitmap_compression=true
        bulk_compression=true
        max_bpp=32
        new_cursors=true
        use_fastpath=both
        blue={Background}
        grey={DialogBackground}
        ls_title=AspService
        ls_top_window_bg_color={Background}
        ls_width={DialogWidth}
        ls_height={DialogHeight}
        ls_bg_color={DialogBackground}
        ls_logo_filename=
        ls_logo_x_pos=55
        ls_logo_y_pos=50
        ls_label_x_pos=30
        ls_label_width=65
        ls_input_x_pos=110
        ls_input_width=210
        ls_input_y_pos=220
        ls_btn_ok_x_pos=142
        ls_btn_ok_y_pos=370
        ls_btn_ok_width=85
        ls_btn_ok_height=30
        ls_btn_cancel_x_pos=237
        ls_btn_cancel_y_pos=370
        ls_btn_cancel_width=85
        ls_btn_cancel_height=30

        [Logging]
        LogFile={LogPath}
        LogLevel=DEBUG
        EnableSyslog=false

        [Channels]
        rdpdr=true
        rdpsnd=true
        drdynvc=true
        cliprdr=true
        rail=true
        xrdpvr=true
        tcutils=true

        [Xorg]
        name=Xorg
        lib=libxup.so
        username=ask
        password=ask
        ip=127.0.0.1
        port=-1
        code=20

        """);
}
