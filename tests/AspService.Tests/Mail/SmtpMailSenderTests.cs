using AspService.Server.Mail;
using AspService.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AspService.Tests.Mail;

/// <summary>MailKit against a loopback SMTP stand-in with a self-signed certificate: STARTTLS, implicit TLS, the log.</summary>
public sealed class SmtpMailSenderTests
{
    private const string Password = "smtp-Pa55word-never-logged";

    [Theory]
    [InlineData(MailSecurity.StartTls, false)]
    [InlineData(MailSecurity.Tls, true)]
    public async Task Send_OverTls_DeliversUtf8MessageAuthenticatedAndEncrypted(MailSecurity security, bool implicitTls)
    {
        using var standIn = new SmtpStandIn(implicitTls);
        using var log = new CapturedLog();
        log.Secret(Password);

        await Sender(standIn, security, log).SendAsync(new MailMessageData("staff@sapporo.lg.example", "【札幌市】招待のお知らせ", "本文 https://x.example/invitation?token=abc"), CancellationToken.None);

        var message = Outbox.Parse(Assert.Single(standIn.Messages));
        Assert.True(Assert.Single(standIn.Encrypted));
        Assert.Equal(("mailer", Password), Assert.Single(standIn.Logins));
        Assert.Equal("【札幌市】招待のお知らせ", message.Subject);
        Assert.Equal("本文 https://x.example/invitation?token=abc", message.TextBody);
        Assert.Equal("staff@sapporo.lg.example", message.To.Mailboxes.Single().Address);
        Assert.NotEmpty(log.Lines);
        Assert.Empty(log.Leaks());
    }

    [Fact]
    public async Task Send_StartTlsRequiredButUntrustedCertificate_FailsWithoutLoggingThePassword()
    {
        using var standIn = new SmtpStandIn();
        using var log = new CapturedLog();
        log.Secret(Password);
        var sender = new SmtpMailSender(Options(standIn, MailSecurity.StartTls), TimeProvider.System, Logger(log));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => sender.SendAsync(new MailMessageData("a@b.example", "件名", "本文"), CancellationToken.None));

        Assert.Empty(standIn.Messages);
        Assert.Empty(standIn.Logins);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
        Assert.Empty(log.Leaks());
    }

    [Fact]
    public async Task App_WithSmtpConfigured_SendsTheInvitationThroughSmtp_PasswordNeverInTheLog()
    {
        using var standIn = new SmtpStandIn();
        using var app = new AppFactory(settings: new Dictionary<string, string?>
        {
            ["Mail:Host"] = "127.0.0.1",
            ["Mail:Port"] = standIn.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mail:Security"] = "None",
            ["Mail:UserName"] = "mailer",
            ["Mail:Password"] = Password,
        });
        app.Log.Secret(Password);

        var tenant = await app.OnboardTenantAsync(await app.OperatorClientAsync());

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (standIn.Messages.IsEmpty && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        var message = Outbox.Parse(Assert.Single(standIn.Messages));
        Assert.Equal("admin@" + tenant.Code + ".lg.example", message.To.Mailboxes.Single().Address);
        Assert.Equal(("mailer", Password), Assert.Single(standIn.Logins));
        Assert.False(Directory.Exists(Path.Combine(app.DataRoot, "mail")) && Directory.EnumerateFiles(Path.Combine(app.DataRoot, "mail")).Any());
        Assert.DoesNotContain(app.Log.Lines, l => l.Contains(Password, StringComparison.Ordinal));
    }

    private static SmtpMailSender Sender(SmtpStandIn standIn, MailSecurity security, CapturedLog log) =>
        new(Options(standIn, security), TimeProvider.System, Logger(log)) { CertificateValidation = standIn.Trust };

    private static IOptions<MailOptions> Options(SmtpStandIn standIn, MailSecurity security) =>
        Microsoft.Extensions.Options.Options.Create(new MailOptions
        {
            Host = "localhost", Port = standIn.Port, Security = security, UserName = "mailer", Password = Password, From = "no-reply@asp.example",
        });

    private static Logger<SmtpMailSender> Logger(CapturedLog log) => new Logger<SmtpMailSender>(new LoggerFactory([log]));
}
