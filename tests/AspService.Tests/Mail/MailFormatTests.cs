using System.Text.RegularExpressions;
using AspService.Server.Mail;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;

namespace AspService.Tests.Mail;

public sealed partial class MailFormatTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Format_JapaneseSubjectAndBody_AsciiFileWithEncodedWords()
    {
        var eml = FileMailSender.Format(new MailOptions { From = "no-reply@asp.example", FromName = "テレワーク" },
            new MailMessageData("a@b.example", "【札幌市】招待", "本文 https://x.example/invitation?token=abc"), Now);

        Assert.True(eml.All(c => c < 128));
        var parsed = Outbox.Parse(eml);
        Assert.Equal("a@b.example", parsed.To.Mailboxes.Single().Address);
        Assert.Equal("テレワーク", parsed.From.Mailboxes.Single().Name);
        Assert.Equal("【札幌市】招待", parsed.Subject);
        Assert.Equal("本文 https://x.example/invitation?token=abc", parsed.TextBody);
        Assert.Equal("本文 https://x.example/invitation?token=abc", TenantIdentityKit.Body(eml));
    }

    [Fact]
    public void Format_LongJapaneseSubject_FoldedIntoEncodedWordsOfAtMost75Characters()
    {
        var subject = "【札幌市中央区役所】テレワーク端末の証明書が有効期限の三十日前になりました。更新の手続きをお願いします（自治体テレワーク窓口）";
        var eml = FileMailSender.Format(new MailOptions { From = "no-reply@asp.example", FromName = "自治体テレワーク推進サービス運営事務局" },
            new MailMessageData("a@b.example", subject, "本文"), Now);

        var headers = eml[..eml.IndexOf("\r\n\r\n", StringComparison.Ordinal)].Split("\r\n");
        var start = Array.FindIndex(headers, l => l.StartsWith("Subject:", StringComparison.Ordinal));
        var lines = headers.Skip(start).TakeWhile((l, i) => i == 0 || l.StartsWith(' ') || l.StartsWith('\t')).ToList();
        var words = lines.SelectMany(l => EncodedWord().Matches(l).Select(m => m.Value)).ToList();

        Assert.True(lines.Count > 1, "a long subject is folded");
        Assert.NotEmpty(words);
        Assert.All(words, w => Assert.True(w.Length <= 75, $"{w.Length}: {w}"));
        Assert.All(headers, l => Assert.True(l.Length <= 78, $"{l.Length}: {l}"));
        Assert.Equal(subject, Outbox.Parse(eml).Subject);
        Assert.Equal("自治体テレワーク推進サービス運営事務局", Outbox.Parse(eml).From.Mailboxes.Single().Name);
    }

    [GeneratedRegex(@"=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=")]
    private static partial Regex EncodedWord();
}
