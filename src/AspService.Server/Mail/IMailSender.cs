namespace AspService.Server.Mail;

/// <summary>Sends mail. Implementations never log bodies: they carry single-use links.</summary>
public interface IMailSender
{
    Task SendAsync(MailMessageData message, CancellationToken ct);
}
