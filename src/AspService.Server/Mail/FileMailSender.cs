using System.Text;
using AspService.Data;
using Microsoft.Extensions.Options;
using MimeKit;

namespace AspService.Server.Mail;

/// <summary>
/// The embedded default: each message becomes an RFC 5322 .eml file in {DataRoot}/mail, so the quick start
/// works without a mail server. Only the file path is logged, never the content (it carries links).
/// </summary>
public sealed class FileMailSender(DatabaseOptions database, IOptions<MailOptions> options, TimeProvider time, ILogger<FileMailSender> logger)
    : IMailSender
{
    public string Folder => Path.Combine(database.DataRoot, "mail");

    public async Task SendAsync(MailMessageData message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        Directory.CreateDirectory(Folder);
        var now = time.GetUtcNow();
        var path = Path.Combine(Folder, $"{now:yyyyMMddHHmmss}-{Guid.NewGuid():N}.eml");
        await File.WriteAllTextAsync(path, Format(options.Value, message, now), Encoding.ASCII, ct);
        logger.LogInformation("Mail written to {Path}", path);
    }

    /// <summary>The message as SMTP would carry it: ASCII only (see <see cref="MimeMail"/>), CRLF line ends.</summary>
    public static string Format(MailOptions options, MailMessageData message, DateTimeOffset now)
    {
        using var mime = MimeMail.Build(options, message, now);
        using var stream = new MemoryStream();
        mime.WriteTo(new FormatOptions { NewLineFormat = NewLineFormat.Dos }, stream);
        return Encoding.ASCII.GetString(stream.ToArray());
    }
}
