using AspService.Data.Terminals;
using AspService.Pki;

namespace AspService.Server.Terminals;

/// <summary>A terminal as admins and staff see it. Certificates: the live ones (detail view: every one).</summary>
public sealed record TerminalDto(
    Guid Id, string Kind, string Name, string? Location, Guid? OwnerUserId, string State, bool Online,
    DateTimeOffset? LastSeenAt, DateTimeOffset CreatedAt, DateTimeOffset? ApprovedAt,
    IReadOnlyList<CertificateDto> Certificates, IReadOnlyList<AssigneeDto>? Assignees)
{
    public static string KindName(TerminalKind kind) => kind == TerminalKind.Office ? "office" : "home";

    public static string StateName(TerminalState state) => state switch
    {
        TerminalState.PendingApproval => "pendingApproval",
        TerminalState.Active => "active",
        TerminalState.Disabled => "disabled",
        _ => "unenrolled",
    };

    public static TerminalKind? ParseKind(string? kind) => kind switch
    {
        "office" => TerminalKind.Office,
        "home" => TerminalKind.Home,
        _ => null,
    };

    public static TerminalState? ParseState(string? state) => state switch
    {
        "pendingApproval" => TerminalState.PendingApproval,
        "active" => TerminalState.Active,
        "disabled" => TerminalState.Disabled,
        "unenrolled" => TerminalState.Unenrolled,
        _ => null,
    };

    public static TerminalDto From(Terminal t, IEnumerable<TerminalCertificate> certificates, IReadOnlyList<AssigneeDto>? assignees, bool online) =>
        new(t.Id, KindName(t.Kind), t.Name, t.Location, t.OwnerUserId, StateName(t.State), online, t.LastSeenAt, t.CreatedAt, t.ApprovedAt,
            certificates.OrderByDescending(c => c.NotAfter).Select(ToDto).ToList(), assignees);

    public static CertificateDto ToDto(TerminalCertificate c) =>
        new(c.Serial, c.NotBefore, c.NotAfter, TerminalCertificates.RenewalOpensAt(c.NotBefore, c.NotAfter), c.RevokedAt, c.RevocationReason, c.RenewedFrom);
}
