using System.Text;
using MimeKit;

namespace AspService.Tests.Infrastructure;

/// <summary>Reads the .eml files of the embedded mail sender with MimeKit (folded, encoded headers).</summary>
public static class Outbox
{
    public static MimeMessage Parse(string eml)
    {
        using var stream = new MemoryStream(Encoding.ASCII.GetBytes(eml));
        return MimeMessage.Load(stream);
    }

    /// <summary>Whether the message is addressed to this mailbox (case-insensitive).</summary>
    public static bool IsTo(string eml, string address) =>
        Parse(eml).To.Mailboxes.Any(m => string.Equals(m.Address, address, StringComparison.OrdinalIgnoreCase));

    /// <summary>The decoded subject.</summary>
    public static string Subject(string eml) => Parse(eml).Subject ?? "";
}
