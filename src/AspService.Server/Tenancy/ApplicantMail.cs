using System.Globalization;
using AspService.Data.Tenancy;
using AspService.Server.Mail;
using AspService.Server.Resources;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace AspService.Server.Tenancy;

/// <summary>
/// Mail to the person who applied (利用申込): received, approved, rejected with the reason. Always Japanese (the
/// applicant is a municipality, whatever language the operator's console is in), from the one vocabulary
/// (<c>ops.mail.*</c>), signed with the provider's name and contact (<see cref="MailOptions"/>). A mail that cannot be
/// sent is logged (without the address) and does not undo the decision.
/// </summary>
public sealed class ApplicantMail(IMailSender mail, IOptions<MailOptions> options, IStringLocalizer<ConsoleText> text, ILogger<ApplicantMail> logger)
{
    private static readonly CultureInfo Japanese = CultureInfo.GetCultureInfo("ja-JP");

    public Task ReceivedAsync(SignupApplication application, CancellationToken ct) =>
        SendAsync(application, "received", application.Id.ToString(), ct);

    public Task ApprovedAsync(SignupApplication application, CancellationToken ct) =>
        SendAsync(application, "approved", application.Email, ct);

    public Task RejectedAsync(SignupApplication application, CancellationToken ct) =>
        SendAsync(application, "rejected", application.RejectionReason ?? "", ct);

    private async Task SendAsync(SignupApplication application, string kind, string extra, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(application);
        MailMessageData message;
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = Japanese;
            var o = options.Value;
            var provider = string.IsNullOrWhiteSpace(o.ProviderName) ? o.FromName : o.ProviderName;
            // {0} municipality, {1} applicant, {2} provider, {3} the mail's own detail, {4} municipality code.
            object[] args = [application.Name, application.ContactName, provider, extra, application.Code];
            message = new MailMessageData(application.Email,
                text["ops.mail." + kind + ".subject", args],
                text["ops.mail." + kind + ".body", args].Value.Replace("\n", "\r\n", StringComparison.Ordinal) + o.Signature());
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }

        try
        {
            await mail.SendAsync(message, ct);
        }
        catch (Exception ex) when (ex is System.Net.Mail.SmtpException or IOException or InvalidOperationException)
        {
            logger.LogWarning(ex, "Applicant mail ({Kind}) for application {ApplicationId} not sent", kind, application.Id);
        }
    }
}
