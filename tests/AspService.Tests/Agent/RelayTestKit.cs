using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using AspService.Tests.Infrastructure;

namespace AspService.Tests.Agent;

/// <summary>
/// A long-running agent process (office run, connect): its output is read line by line as it comes, so a test can
/// wait for a line (bounded), then stop the process (SIGTERM or kill) and look at how it ended.
/// </summary>
public sealed class RunningAgent : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly TaskCompletionSource _outputDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _errorDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RunningAgent(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Collect(e.Data, _stdout, _outputDone);
        _process.ErrorDataReceived += (_, e) => Collect(e.Data, _stderr, _errorDone);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static RunningAgent Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null) =>
        Start(AgentProcess.StartInfo(args, environment));

    /// <summary>Any program the same way (the RDP tests run xrdp, Xvfb and xfreerdp with it); output must be redirected.</summary>
    public static RunningAgent Start(ProcessStartInfo start)
    {
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + start?.FileName);
        process.StandardInput.Close();
        return new RunningAgent(process);
    }

    public string[] Stdout => [.. _stdout];

    public string[] Stderr => [.. _stderr];

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The first stdout line matching <paramref name="pattern"/>, waiting for it (bounded); fails if the process ends first.</summary>
    public async Task<Match> WaitForLineAsync(string pattern)
    {
        var regex = new Regex(pattern, RegexOptions.CultureInvariant);
        Match? found = null;
        await Eventually.UntilAsync(() =>
        {
            found = _stdout.Select(l => regex.Match(l)).FirstOrDefault(m => m.Success);
            Assert.False(found is null && _outputDone.Task.IsCompleted, $"agent ended without printing /{pattern}/\n{this}");
            return found is not null;
        });
        return found!;
    }

    public async Task<int> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(AgentProcess.Timeout);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException("aspagent did not end in time\n" + this);
        }

        // Every line read before the exit code is looked at.
        await Task.WhenAll(_outputDone.Task, _errorDone.Task);
        return _process.ExitCode;
    }

    /// <summary>Like systemctl stop: SIGTERM, and the agent should end cleanly.</summary>
    public void Terminate()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false });
        kill?.WaitForExit();
    }

    /// <summary>A crash or power loss: no chance to say goodbye.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public override string ToString() => $"stdout:\n{string.Join('\n', _stdout)}\nstderr:\n{string.Join('\n', _stderr)}";

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private static void Collect(string? line, ConcurrentQueue<string> lines, TaskCompletionSource done)
    {
        if (line is null)
        {
            done.TrySetResult();
        }
        else
        {
            lines.Enqueue(line);
        }
    }
}

/// <summary>
/// Stands in for the office PC's RDP server on 127.0.0.1: echoes every byte back and hashes what it received; when
/// the client finishes sending, it finishes too (half-close).
/// </summary>
public sealed class EchoServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<(long Bytes, string Sha256)> _finished = [];
    private int _connections;

    public EchoServer()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Connections that ended: the bytes each received and their SHA-256.</summary>
    public IReadOnlyCollection<(long Bytes, string Sha256)> Finished => _finished;

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                Interlocked.Increment(ref _connections);
                _ = EchoAsync(socket);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task EchoAsync(Socket socket)
    {
        using var _ = socket;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        long total = 0;
        try
        {
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0)
                {
                    socket.Shutdown(SocketShutdown.Send);
                    break;
                }

                hash.AppendData(buffer, 0, read);
                total += read;
                await socket.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The peer went away.
        }

        _finished.Add((total, Convert.ToHexString(hash.GetHashAndReset())));
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}

/// <summary>A minimal HTTP proxy that only tunnels (CONNECT), as LGWAN-side networks have; remembers what it was asked.</summary>
public sealed class ConnectProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();

    public ConnectProxy()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    public ConcurrentQueue<string> Requests { get; } = new();

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = TunnelAsync(client);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task TunnelAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && head.Length < 8192)
        {
            if (await stream.ReadAsync(one, _stop.Token) == 0)
            {
                return;
            }

            head.Append((char)one[0]);
        }

        var requestLine = head.ToString().Split("\r\n")[0];
        Requests.Enqueue(requestLine);
        var parts = requestLine.Split(' ');
        var authority = parts.Length == 3 && parts[0] == "CONNECT" ? parts[1] : "";
        var colon = authority.LastIndexOf(':');
        if (colon < 0)
        {
            await stream.WriteAsync("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n"u8.ToArray(), _stop.Token);
            return;
        }

        using var upstream = new TcpClient();
        await upstream.ConnectAsync(authority[..colon], int.Parse(authority[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture), _stop.Token);
        await stream.WriteAsync("HTTP/1.1 200 Connection established\r\n\r\n"u8.ToArray(), _stop.Token);
        var far = upstream.GetStream();
        try
        {
            await Task.WhenAny(stream.CopyToAsync(far, _stop.Token), far.CopyToAsync(stream, _stop.Token));
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException)
        {
            // One side went away.
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}

/// <summary>
/// A web certificate authority for the test: OpenIddict (the device flow) answers over https only, so the Kestrel
/// host gets an https web listener with a certificate from this CA, and the agent trusts it with --ca-file.
/// </summary>
public sealed class TestWebCa : IDisposable
{
    public TestWebCa()
    {
        Folder = Directory.CreateTempSubdirectory("aspagent-webca-").FullName;
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=AspService Test Web CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var leaf = request.Create(ca, now.AddDays(-1), now.AddDays(29), RandomNumberGenerator.GetBytes(8));
        File.WriteAllText(CaPath, ca.ExportCertificatePem());
        File.WriteAllText(CertificatePath, leaf.ExportCertificatePem());
        File.WriteAllText(KeyPath, key.ExportPkcs8PrivateKeyPem());
    }

    public string Folder { get; }

    public string CaPath => Path.Combine(Folder, "web-ca.pem");

    public string CertificatePath => Path.Combine(Folder, "web.pem");

    public string KeyPath => Path.Combine(Folder, "web.key");

    /// <summary>An HTTP client that trusts this CA (for the browser step of the device flow), carrying a user's cookies.</summary>
    public HttpClient Browser(Identity.CookieJar cookies)
    {
        ArgumentNullException.ThrowIfNull(cookies);
        using var root = X509Certificate2.CreateFromPem(File.ReadAllText(CaPath));
        var trusted = root.RawData;
        var jar = new Identity.CookieJar
        {
            InnerHandler = new SocketsHttpHandler
            {
                SslOptions =
                {
                    RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
                    {
                        using var check = new X509Chain();
                        check.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                        check.ChainPolicy.CustomTrustStore.Add(X509CertificateLoader.LoadCertificate(trusted));
                        check.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                        return certificate is not null && check.Build(new X509Certificate2(certificate));
                    },
                },
            },
        };
        foreach (var (name, value) in cookies.Values)
        {
            jar.Values[name] = value;
        }

        return new HttpClient(jar);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }
}
