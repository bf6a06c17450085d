using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace AspService.Tests.Infrastructure;

/// <summary>
/// A loopback SMTP server for tests (RFC 5321 subset): EHLO, STARTTLS or TLS from the first byte with a
/// self-signed certificate, AUTH PLAIN/LOGIN, MAIL, RCPT, DATA, QUIT. It keeps every message as received
/// (dot-unstuffed) and the credentials each session authenticated with.
/// </summary>
public sealed class SmtpStandIn : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly bool _implicitTls;

    public SmtpStandIn(bool implicitTls = false)
    {
        _implicitTls = implicitTls;
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        // Re-imported so SslStream on Linux can use the private key.
        Certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public X509Certificate2 Certificate { get; }

    /// <summary>Raw messages (the DATA of each transaction), oldest first.</summary>
    public ConcurrentQueue<string> Messages { get; } = new();

    /// <summary>(user, password) of every successful AUTH.</summary>
    public ConcurrentQueue<(string User, string Password)> Logins { get; } = new();

    /// <summary>Whether each delivered message travelled over TLS.</summary>
    public ConcurrentQueue<bool> Encrypted { get; } = new();

    /// <summary>Accepts exactly this certificate (what the sender under test is given instead of the platform's check).</summary>
    public bool Trust(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        certificate is not null && certificate.GetCertHashString() == Certificate.GetCertHashString();

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        Certificate.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            Stream stream = client.GetStream();
            var tls = false;
            if (_implicitTls)
            {
                stream = await SecureAsync(stream);
                tls = true;
            }

            var (reader, writer) = Text(stream);
            await writer.WriteAsync("220 localhost stand-in\r\n");
            string? from = null;
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO" or "HELO":
                        await writer.WriteAsync("250-localhost\r\n" + (tls || _implicitTls ? "" : "250-STARTTLS\r\n") + "250 AUTH PLAIN LOGIN\r\n");
                        break;
                    case "STARTTLS":
                        await writer.WriteAsync("220 go ahead\r\n");
                        stream = await SecureAsync(stream);
                        tls = true;
                        (reader, writer) = Text(stream);
                        break;
                    case "AUTH":
                        await AuthAsync(line, reader, writer);
                        break;
                    case "MAIL":
                        from = line;
                        await writer.WriteAsync("250 ok\r\n");
                        break;
                    case "RCPT" or "RSET" or "NOOP":
                        await writer.WriteAsync("250 ok\r\n");
                        break;
                    case "DATA" when from is not null:
                        await writer.WriteAsync("354 end with .\r\n");
                        var data = new StringBuilder();
                        while (await reader.ReadLineAsync(_stop.Token) is { } l && l != ".")
                        {
                            data.Append(l.StartsWith('.') ? l[1..] : l).Append("\r\n");
                        }

                        Messages.Enqueue(data.ToString());
                        Encrypted.Enqueue(tls);
                        await writer.WriteAsync("250 queued\r\n");
                        break;
                    case "QUIT":
                        await writer.WriteAsync("221 bye\r\n");
                        return;
                    default:
                        await writer.WriteAsync("502 not implemented\r\n");
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or the stand-in stopped.
        }
    }

    private async Task AuthAsync(string line, StreamReader reader, StreamWriter writer)
    {
        var parts = line.Split(' ');
        string user, password;
        if (parts[1].Equals("PLAIN", StringComparison.OrdinalIgnoreCase))
        {
            var initial = parts.Length > 2 ? parts[2] : await Challenge("", reader, writer);
            var fields = Encoding.UTF8.GetString(Convert.FromBase64String(initial)).Split('\0');
            (user, password) = (fields[1], fields[2]);
        }
        else
        {
            user = Encoding.UTF8.GetString(Convert.FromBase64String(parts.Length > 2 ? parts[2] : await Challenge("VXNlcm5hbWU6", reader, writer)));
            password = Encoding.UTF8.GetString(Convert.FromBase64String(await Challenge("UGFzc3dvcmQ6", reader, writer)));
        }

        Logins.Enqueue((user, password));
        await writer.WriteAsync("235 authenticated\r\n");
    }

    private async Task<string> Challenge(string prompt, StreamReader reader, StreamWriter writer)
    {
        await writer.WriteAsync("334 " + prompt + "\r\n");
        return await reader.ReadLineAsync(_stop.Token) ?? "";
    }

    private async Task<Stream> SecureAsync(Stream inner)
    {
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        await ssl.AuthenticateAsServerAsync(Certificate);
        return ssl;
    }

    private static (StreamReader Reader, StreamWriter Writer) Text(Stream stream) =>
        (new StreamReader(stream, Encoding.ASCII, false, 1024, leaveOpen: true), new StreamWriter(stream, Encoding.ASCII, 1024, leaveOpen: true) { AutoFlush = true, NewLine = "\r\n" });
}
