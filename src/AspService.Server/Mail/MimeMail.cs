using System.Text;
using MimeKit;
using MimeKit.Text;
using MimeKit.Utils;

namespace AspService.Server.Mail;

/// <summary>
/// The one MIME form of a message, for SMTP and for the .eml files alike: the subject and the sender's name as
/// RFC 2047 encoded words of at most 75 characters each, the UTF-8 body as base64, so every line is ASCII.
/// </summary>
public static class MimeMail
{
    // MimeKit sizes encoded words by this width without counting the field name ("Subject: "): at its default of
    // 78 a word reaches 76 characters (RFC 2047 allows 75) and the first line 85; at 69 every word and line fits.
    private static readonly FormatOptions Headers = Folded();

    public static MimeMessage Build(MailOptions options, MailMessageData message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(message);
        var body = new TextPart(TextFormat.Plain) { ContentTransferEncoding = ContentEncoding.Base64 };
        body.SetText("utf-8", message.Body);
        var mime = new MimeMessage { Date = now, MessageId = MimeUtils.GenerateMessageId("aspservice"), Body = body };
        mime.Headers.Replace(Header(HeaderId.From, new MailboxAddress(options.FromName, options.From).ToString(encode: false)));
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.Headers.Replace(Header(HeaderId.Subject, message.Subject));
        return mime;
    }

    private static Header Header(HeaderId id, string value)
    {
        var header = new Header(id, string.Empty);
        header.SetValue(Headers, Encoding.UTF8, value);
        return header;
    }

    private static FormatOptions Folded()
    {
        var format = FormatOptions.Default.Clone();
        format.MaxLineLength = 69;
        return format;
    }
}
