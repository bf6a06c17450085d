using System.Diagnostics;
using System.Text;
using AspService.Benchmarks.Infrastructure;

namespace AspService.Benchmarks.Relay;

/// <summary>A peer proxy (stunnel, nginx) started by the benchmark as a child process and stopped by its process id.</summary>
public sealed class ProxyProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ProxyProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The program's full path, or null when it is not installed.</summary>
    public static string? Find(params string[] candidates) => candidates.FirstOrDefault(File.Exists);

    public static ProxyProcess Start(string name, string program, IReadOnlyList<string> arguments, string logFile)
    {
        var psi = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(logFile)!,
        };
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException($"{name} did not start");
        var log = new StreamWriter(logFile, append: true, Encoding.UTF8) { AutoFlush = true };
        void Write(object? _, DataReceivedEventArgs e)
        {
            if (e.Data is not null)
            {
                lock (log)
                {
                    log.WriteLine(e.Data);
                }
            }
        }

        process.OutputDataReceived += Write;
        process.ErrorDataReceived += Write;
        process.Exited += (_, _) =>
        {
            lock (log)
            {
                log.Dispose();
            }
        };
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ProxyProcess(process, name);
    }

    /// <summary>This process and its children (nginx's workers), for CPU time and memory.</summary>
    public IReadOnlyList<int> Tree() => _process.HasExited ? [] : ProcStats.WithChildren(_process.Id);

    public async ValueTask DisposeAsync()
    {
        // SIGTERM to this very process id (nginx's master stops its workers), then the hard way.
        await ProcessRunner.TerminateAsync(_process, TimeSpan.FromSeconds(10));
        _process.Dispose();
    }
}

/// <summary>
/// stunnel in both roles, one process each: the client end (plain TCP in, TLS 1.3 out with a client certificate) and
/// the server end (TLS 1.3 in, client certificate required, plain TCP to the echo service).
/// </summary>
public sealed class StunnelPair : IAsyncDisposable
{
    private StunnelPair(ProxyProcess client, ProxyProcess server, int pairPort, int chainPort, int serverPort)
    {
        Client = client;
        Server = server;
        PairPort = pairPort;
        ChainPort = chainPort;
        ServerPort = serverPort;
    }

    public ProxyProcess Client { get; }

    public ProxyProcess Server { get; }

    /// <summary>Plain TCP in; the client stunnel carries it to the server stunnel.</summary>
    public int PairPort { get; }

    /// <summary>Plain TCP in; the client stunnel carries it to nginx's chain port instead.</summary>
    public int ChainPort { get; }

    /// <summary>The server stunnel's TLS port.</summary>
    public int ServerPort { get; }

    public static string? Program => ProxyProcess.Find("/usr/bin/stunnel4", "/usr/bin/stunnel", "/usr/sbin/stunnel");

    /// <summary>The server stunnel listens on <paramref name="serverPort"/>; the client's chain service dials nginx's chain port.</summary>
    public static async Task<StunnelPair> StartAsync(string program, string folder, BenchCertificates certs, int echoPort, int serverPort, int nginxChainPort, CancellationToken ct)
    {
        var (pairPort, chainPort) = (Ports.Free(), Ports.Free());
        var common = $"""
            foreground = yes
            pid =
            syslog = no
            debug = warning
            sslVersionMin = TLSv1.3
            sslVersionMax = TLSv1.3
            CAfile = {certs.CaPem}
            verifyChain = yes

            """;
        var serverConf = Path.Combine(folder, "stunnel-server.conf");
        await File.WriteAllTextAsync(serverConf, common + $"""
            [office]
            accept = 127.0.0.1:{serverPort}
            connect = 127.0.0.1:{echoPort}
            cert = {certs.ServerPem}
            key = {certs.ServerKey}

            """, ct);
        var clientConf = Path.Combine(folder, "stunnel-client.conf");
        await File.WriteAllTextAsync(clientConf, common + $"""
            client = yes
            cert = {certs.ClientPem}
            key = {certs.ClientKey}
            checkHost = localhost

            [pair]
            accept = 127.0.0.1:{pairPort}
            connect = 127.0.0.1:{serverPort}

            [chain]
            accept = 127.0.0.1:{chainPort}
            connect = 127.0.0.1:{nginxChainPort}

            """, ct);
        var server = ProxyProcess.Start("stunnel (server)", program, [serverConf], Path.Combine(folder, "stunnel-server.log"));
        var client = ProxyProcess.Start("stunnel (client)", program, [clientConf], Path.Combine(folder, "stunnel-client.log"));
        var pair = new StunnelPair(client, server, pairPort, chainPort, serverPort);
        try
        {
            await Tcp.WaitListeningAsync(serverPort, TimeSpan.FromSeconds(10), () => server.HasExited, "stunnel (server); see " + folder, ct);
            await Tcp.WaitListeningAsync(pairPort, TimeSpan.FromSeconds(10), () => client.HasExited, "stunnel (client); see " + folder, ct);
            return pair;
        }
        catch
        {
            await pair.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Server.DisposeAsync();
    }
}

/// <summary>
/// nginx's stream proxy (master + one worker per core), TLS 1.3 with a client certificate required on every port:
/// to the echo service in plain TCP (one TLS hop), to the C# TLS stand-in with <c>proxy_ssl</c> (two hops), and to
/// the server stunnel with <c>proxy_ssl</c> (the middle of stunnel → nginx → stunnel).
/// </summary>
public sealed class NginxProxy : IAsyncDisposable
{
    private NginxProxy(ProxyProcess process, int plainPort, int tlsPort, int chainPort)
    {
        Process = process;
        PlainPort = plainPort;
        TlsPort = tlsPort;
        ChainPort = chainPort;
    }

    public ProxyProcess Process { get; }

    public int PlainPort { get; }

    public int TlsPort { get; }

    public int ChainPort { get; }

    public static string? Program => ProxyProcess.Find("/usr/sbin/nginx", "/usr/bin/nginx");

    public static string? StreamModule => ProxyProcess.Find("/usr/lib/nginx/modules/ngx_stream_module.so", "/usr/share/nginx/modules/ngx_stream_module.so");

    public static async Task<NginxProxy> StartAsync(string program, string module, string folder, BenchCertificates certs,
        int echoPort, int tlsEchoPort, int chainPort, int stunnelServerPort, CancellationToken ct)
    {
        var (plainPort, tlsPort) = (Ports.Free(), Ports.Free());
        var tls = $"""
                    ssl_protocols TLSv1.3;
                    ssl_certificate {certs.ServerPem};
                    ssl_certificate_key {certs.ServerKey};
                    ssl_client_certificate {certs.CaPem};
                    ssl_verify_client on;
            """;
        var upstreamTls = $"""
                    proxy_ssl on;
                    proxy_ssl_protocols TLSv1.3;
                    proxy_ssl_certificate {certs.ClientPem};
                    proxy_ssl_certificate_key {certs.ClientKey};
                    proxy_ssl_trusted_certificate {certs.CaPem};
                    proxy_ssl_verify on;
                    proxy_ssl_name localhost;
            """;
        var conf = Path.Combine(folder, "nginx.conf");
        await File.WriteAllTextAsync(conf, $$"""
            load_module {{module}};
            daemon off;
            worker_processes auto;
            pid {{Path.Combine(folder, "nginx.pid")}};
            error_log {{Path.Combine(folder, "nginx-error.log")}} warn;
            events { worker_connections 4096; }
            stream {
                server {
                    listen 127.0.0.1:{{plainPort}} ssl;
            {{tls}}
                    proxy_pass 127.0.0.1:{{echoPort}};
                }
                server {
                    listen 127.0.0.1:{{tlsPort}} ssl;
            {{tls}}
            {{upstreamTls}}
                    proxy_pass 127.0.0.1:{{tlsEchoPort}};
                }
                server {
                    listen 127.0.0.1:{{chainPort}} ssl;
            {{tls}}
            {{upstreamTls}}
                    proxy_pass 127.0.0.1:{{stunnelServerPort}};
                }
            }

            """, ct);
        var process = ProxyProcess.Start("nginx", program, ["-p", folder, "-c", conf, "-e", Path.Combine(folder, "nginx-error.log")],
            Path.Combine(folder, "nginx.log"));
        var nginx = new NginxProxy(process, plainPort, tlsPort, chainPort);
        try
        {
            await Tcp.WaitListeningAsync(plainPort, TimeSpan.FromSeconds(10), () => process.HasExited, "nginx; see " + folder, ct);
            return nginx;
        }
        catch
        {
            await nginx.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
