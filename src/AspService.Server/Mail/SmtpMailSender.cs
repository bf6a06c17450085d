using System.Net.Security;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;

namespace AspService.Server.Mail;

/// <summary>Sends through the configured SMTP server (MailKit): STARTTLS, implicit TLS or plain, as configured.</summary>
public sealed class SmtpMailSender(IOptions<MailOptions> options, TimeProvider time, ILogger<SmtpMailSender> logger) : IMailSender
{
    /// <summary>Replaces the platform's certificate check; only tests set it (a loopback stand-in's self-signed certificate).</summary>
    internal RemoteCertificateValidationCallback? CertificateValidation { get; init; }

    public async Task SendAsync(MailMessageData message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        var o = options.Value;
        using var mime = MimeMail.Build(o, message, time.GetUtcNow());
        using var client = new SmtpClient();
        if (CertificateValidation is not null)
        {
            client.ServerCertificateValidationCallback = CertificateValidation;
        }

        await client.ConnectAsync(o.Host ?? string.Empty, o.Port, Socket(o.Security), ct);
        if (!string.IsNullOrEmpty(o.UserName))
        {
            await client.AuthenticateAsync(o.UserName, o.Password ?? string.Empty, ct);
        }

        await client.SendAsync(mime, ct);
        await client.DisconnectAsync(quit: true, ct);
        logger.LogInformation("Mail sent via SMTP ({Security})", o.Security);
    }

    private static SecureSocketOptions Socket(MailSecurity security) => security switch
    {
        MailSecurity.None => SecureSocketOptions.None,
        MailSecurity.Tls => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTls,
    };
}
