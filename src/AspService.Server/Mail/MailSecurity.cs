namespace AspService.Server.Mail;

/// <summary>How the SMTP connection is protected (<c>Mail:Security</c>).</summary>
public enum MailSecurity
{
    /// <summary>Plain SMTP (a relay inside the LGWAN-ASP segment only).</summary>
    None,

    /// <summary>Plain connect, then STARTTLS, which must succeed (submission, port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (implicit TLS, RFC 8314, port 465).</summary>
    Tls,
}
