namespace AspService.Server.Mail;

/// <summary>Mail settings (section <c>Mail</c>). Without a host, messages are written as .eml files.</summary>
public sealed class MailOptions
{
    public const string Section = "Mail";

    /// <summary>SMTP server; empty selects the embedded default (files in {DataRoot}/mail).</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary>STARTTLS by default (port 587); <see cref="MailSecurity.Tls"/> for implicit TLS (port 465).</summary>
    public MailSecurity Security { get; set; } = MailSecurity.StartTls;

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
