using AspService.Server.Hosting;

namespace AspService.Server.Mail;

/// <summary>Outgoing mail: SMTP (STARTTLS or implicit TLS) or .eml files in the embedded default.</summary>
public sealed class MailModule : IModule
{
    public void Add(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddMail();
    }
}
