using System.Resources;
using AspService.Server.Hosting;

namespace AspService.Server.Terminals;

/// <summary>Messages of the terminal registry and enrollment (Japanese first, English on Accept-Language: en).</summary>
internal static class TerminalText
{
    // The words live in TerminalText.resx (Japanese, the neutral language) and TerminalText.en.resx (decision 0102).
    internal static ResourceManager Resources { get; } = new(typeof(TerminalText).FullName!, typeof(TerminalText).Assembly);

    public static string Get(string key, params object[] args) => Text.From(Resources, key, args);
}

/// <summary>Audit actions of the terminal feature.</summary>
public static class TerminalAudit
{
    public const string Created = "terminal.created";
    public const string Changed = "terminal.changed";
    public const string Enrolled = "terminal.enrolled";
    public const string Approved = "terminal.approved";
    public const string Disabled = "terminal.disabled";
    public const string Enabled = "terminal.enabled";
    public const string Deleted = "terminal.deleted";
    public const string Unenrolled = "terminal.unenrolled";
    public const string ReportedLost = "terminal.reported_lost";
    public const string Assigned = "terminal.assigned";
    public const string Unassigned = "terminal.unassigned";
    public const string HandshakeRefused = "terminal.handshake_refused";
    public const string CertificateIssued = "certificate.issued";
    public const string CertificateRenewed = "certificate.renewed";
    public const string CertificateRevoked = "certificate.revoked";
    public const string TokenCreated = "enrollment_token.created";
    public const string TokenRevoked = "enrollment_token.revoked";
    public const string CaCreated = "pki.ca_created";
}
