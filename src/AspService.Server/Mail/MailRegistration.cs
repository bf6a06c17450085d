using Microsoft.Extensions.Options;

namespace AspService.Server.Mail;

public static class MailRegistration
{
    public static IServiceCollection AddMail(this IServiceCollection services)
    {
        services.AddOptions<MailOptions>().BindConfiguration(MailOptions.Section)
            .Validate(o => AspService.Common.EmailAddress.IsValid(o.From), "Mail:From must be an email address")
            .Validate(o => o.Port is > 0 and < 65536, "Mail:Port must be 1..65535")
            .Validate(o => Enum.IsDefined(o.Security), "Mail:Security must be None, StartTls or Tls").ValidateOnStart();
        services.AddSingleton<SmtpMailSender>();
        services.AddSingleton<FileMailSender>();
        services.AddSingleton<IMailSender>(sp => string.IsNullOrWhiteSpace(sp.GetRequiredService<IOptions<MailOptions>>().Value.Host)
            ? sp.GetRequiredService<FileMailSender>()
            : sp.GetRequiredService<SmtpMailSender>());
        return services;
    }
}
