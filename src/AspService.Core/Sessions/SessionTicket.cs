using System.Security.Cryptography;

namespace AspService.Sessions;

/// <summary>What a ticket is bound to: it opens exactly this pairing and nothing else.</summary>
public sealed record TicketBinding(Guid TenantId, Guid UserId, string HomeCertificateSerial, Guid OfficeTerminalId);

public enum TicketRefusal
{
    None,
    Malformed,
    Unknown,
    Expired,
    AlreadyUsed,
    OtherTenant,
    WrongHomeCertificate,
    WrongOfficeTerminal,
}

/// <summary>
/// Session tickets: 256 random bits, shown once to the client as base64url, stored only as SHA-256, single
/// use, 60 s by default. Pure functions; the broker stores <see cref="Hash"/> with the binding and expiry.
/// </summary>
public static class SessionTicket
{
    public const int Bytes = 32;
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(60);

    public static string New() => Base64Url(RandomNumberGenerator.GetBytes(Bytes));

    /// <summary>The stored form. Null for anything that is not a well-formed ticket (checked before any lookup).</summary>
    public static byte[]? Hash(string? ticket)
    {
        if (ticket is null || ticket.Length != 43)
        {
            return null;
        }

        var raw = FromBase64Url(ticket);
        return raw is { Length: Bytes } ? SHA256.HashData(raw) : null;
    }

    /// <summary>
    /// Decides whether a presented ticket may pair, given what the store holds for its hash (null = not found).
    /// The side presenting it says which tenant its certificate belongs to and, for the home side, which
    /// certificate it holds; the office side says which terminal it is.
    /// </summary>
    public static TicketRefusal Check(
        StoredTicket? stored,
        Guid presenterTenant,
        string? homeCertificateSerial,
        Guid? officeTerminalId,
        DateTimeOffset now)
    {
        if (stored is null)
        {
            return TicketRefusal.Unknown;
        }

        if (stored.Binding.TenantId != presenterTenant)
        {
            return TicketRefusal.OtherTenant;
        }

        if (stored.UsedAt is not null)
        {
            return TicketRefusal.AlreadyUsed;
        }

        if (now >= stored.ExpiresAt)
        {
            return TicketRefusal.Expired;
        }

        if (homeCertificateSerial is not null
            && !string.Equals(homeCertificateSerial, stored.Binding.HomeCertificateSerial, StringComparison.OrdinalIgnoreCase))
        {
            return TicketRefusal.WrongHomeCertificate;
        }

        if (officeTerminalId is { } office && office != stored.Binding.OfficeTerminalId)
        {
            return TicketRefusal.WrongOfficeTerminal;
        }

        return TicketRefusal.None;
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[]? FromBase64Url(string text)
    {
        if (!text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return null;
        }

        var padded = text.Replace('-', '+').Replace('_', '/') + "=";
        try
        {
            return Convert.FromBase64String(padded);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>A ticket as the broker stored it.</summary>
public sealed record StoredTicket(TicketBinding Binding, DateTimeOffset ExpiresAt, DateTimeOffset? UsedAt);
