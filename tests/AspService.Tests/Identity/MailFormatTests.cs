using System.Text;
using AspService.Server.Mail;

namespace AspService.Tests.Identity;

public sealed class MailFormatTests
{
    [Fact]
    public void Format_JapaneseSubjectAndBody_AsciiFileWithEncodedWords()
    {
        var eml = FileMailSender.Format(new MailOptions { From = "no-reply@asp.example", FromName = "テレワーク" },
            new MailMessageData("a@b.example", "【札幌市】招待", "本文 https://x.example/invitation?token=abc"),
            new DateTimeOffset(2026, 11, 26, 3, 0, 0, TimeSpan.Zero));

        Assert.True(eml.All(c => c < 128));
        Assert.Contains("To: <a@b.example>\r\n", eml, StringComparison.Ordinal);
        Assert.Contains("Subject: =?utf-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes("【札幌市】招待")) + "?=", eml, StringComparison.Ordinal);
        Assert.Equal("本文 https://x.example/invitation?token=abc", TenantIdentityKit.Body(eml));
    }
}
