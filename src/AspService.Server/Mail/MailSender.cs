using System.Globalization;
using System.Net;
using System.Net.Mail;
using System.Text;
using AspService.Data;
using Microsoft.Extensions.Options;

namespace AspService.Server.Mail;

/// <summary>A plain-text message to one recipient.</summary>
public sealed record MailMessageData(string To, string Subject, string Body);

/// <summary>Sends mail. Implementations never log bodies: they carry single-use links.</summary>
public interface IMailSender
{
    Task SendAsync(MailMessageData message, CancellationToken ct);
}

/// <summary>Mail settings (section <c>Mail</c>). Without a host, messages are written as .eml files.</summary>
public sealed class MailOptions
{
    public const string Section = "Mail";

    /// <summary>SMTP server; empty selects the embedded default (files in {DataRoot}/mail).</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    public bool EnableSsl { get; set; } = true;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    public string From { get; set; } = "no-reply@aspservice.invalid";

    public string FromName { get; set; } = "AspService";

    /// <summary>The provider as named in mails to municipalities (signature); defaults to <see cref="FromName"/>.</summary>
    public string? ProviderName { get; set; }

    /// <summary>Where municipalities ask questions (an address or phone number) in the signature; defaults to <see cref="From"/>.</summary>
    public string? ProviderContact { get; set; }

    /// <summary>The signature of every mail to a municipality: the provider's name and contact (Japanese).</summary>
    public string Signature() =>
        $"\r\n――――――――――\r\n{(string.IsNullOrWhiteSpace(ProviderName) ? FromName : ProviderName)}\r\nお問い合わせ：{(string.IsNullOrWhiteSpace(ProviderContact) ? From : ProviderContact)}\r\n";
}

public static class MailRegistration
{
    public static IServiceCollection AddMail(this IServiceCollection services)
    {
        services.AddOptions<MailOptions>().BindConfiguration(MailOptions.Section)
            .Validate(o => AspService.Common.EmailAddress.IsValid(o.From), "Mail:From must be an email address")
            .Validate(o => o.Port is > 0 and < 65536, "Mail:Port must be 1..65535").ValidateOnStart();
        services.AddSingleton<SmtpMailSender>();
        services.AddSingleton<FileMailSender>();
        services.AddSingleton<IMailSender>(sp => string.IsNullOrWhiteSpace(sp.GetRequiredService<IOptions<MailOptions>>().Value.Host)
            ? sp.GetRequiredService<FileMailSender>()
            : sp.GetRequiredService<SmtpMailSender>());
        return services;
    }
}

/// <summary>Sends through the configured SMTP server.</summary>
public sealed class SmtpMailSender(IOptions<MailOptions> options, ILogger<SmtpMailSender> logger) : IMailSender
{
    public async Task SendAsync(MailMessageData message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        var o = options.Value;
        using var client = new SmtpClient(o.Host, o.Port) { EnableSsl = o.EnableSsl };
        if (!string.IsNullOrEmpty(o.UserName))
        {
            client.Credentials = new NetworkCredential(o.UserName, o.Password);
        }

        using var mail = new MailMessage(new MailAddress(o.From, o.FromName, Encoding.UTF8), new MailAddress(message.To))
        {
            Subject = message.Subject,
            SubjectEncoding = Encoding.UTF8,
            Body = message.Body,
            BodyEncoding = Encoding.UTF8,
        };
        await client.SendMailAsync(mail, ct);
        logger.LogInformation("Mail sent via SMTP");
    }
}

/// <summary>
/// The embedded default: each message becomes an RFC 5322 .eml file in {DataRoot}/mail, so the quick start
/// works without a mail server. Only the file path is logged, never the content (it carries links).
/// </summary>
public sealed class FileMailSender(DatabaseOptions database, IOptions<MailOptions> options, TimeProvider time, ILogger<FileMailSender> logger)
    : IMailSender
{
    public string Folder => Path.Combine(database.DataRoot, "mail");

    public async Task SendAsync(MailMessageData message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        Directory.CreateDirectory(Folder);
        var now = time.GetUtcNow();
        var path = Path.Combine(Folder, $"{now:yyyyMMddHHmmss}-{Guid.NewGuid():N}.eml");
        await File.WriteAllTextAsync(path, Format(options.Value, message, now), Encoding.ASCII, ct);
        logger.LogInformation("Mail written to {Path}", path);
    }

    /// <summary>Headers in ASCII (RFC 2047 for the subject), body as base64 UTF-8.</summary>
    public static string Format(MailOptions options, MailMessageData message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(message);
        var sb = new StringBuilder();
        sb.Append("From: ").Append(Encoded(options.FromName)).Append(" <").Append(options.From).Append(">\r\n");
        sb.Append("To: <").Append(message.To).Append(">\r\n");
        sb.Append("Subject: ").Append(Encoded(message.Subject)).Append("\r\n");
        sb.Append("Date: ").Append(now.ToString("r", CultureInfo.InvariantCulture)).Append("\r\n");
        sb.Append("Message-ID: <").Append(Guid.NewGuid().ToString("N")).Append("@aspservice>\r\n");
        sb.Append("MIME-Version: 1.0\r\n");
        sb.Append("Content-Type: text/plain; charset=utf-8\r\n");
        sb.Append("Content-Transfer-Encoding: base64\r\n\r\n");
        var body = Convert.ToBase64String(Encoding.UTF8.GetBytes(message.Body));
        for (var i = 0; i < body.Length; i += 76)
        {
            sb.Append(body, i, Math.Min(76, body.Length - i)).Append("\r\n");
        }

        return sb.ToString();
    }

    private static string Encoded(string text) => "=?utf-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(text)) + "?=";
}
