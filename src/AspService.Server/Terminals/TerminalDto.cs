using AspService.Data.Terminals;
using AspService.Pki;

namespace AspService.Server.Terminals;

public sealed record CertificateDto(string Serial, DateTimeOffset NotBefore, DateTimeOffset NotAfter, DateTimeOffset RenewalOpensAt,
    DateTimeOffset? RevokedAt, string? RevocationReason, string? RenewedFrom);

public sealed record AssigneeDto(Guid UserId, string? Email, string? DisplayName);

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

public sealed record EnrollmentTokenDto(
    Guid Id, string Kind, string? Name, Guid? TerminalId, Guid? OwnerUserId, bool RequiresApproval, DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt, string Status, Guid? UsedByTerminalId)
{
    public static EnrollmentTokenDto From(EnrollmentToken t, DateTimeOffset now) =>
        new(t.Id, TerminalDto.KindName(t.Kind), t.PresetName, t.TerminalId, t.OwnerUserId, t.RequiresApproval, t.CreatedAt, t.ExpiresAt,
            t.UsedAt is not null ? "used" : t.RevokedAt is not null ? "revoked" : t.ExpiresAt <= now ? "expired" : "open", t.UsedByTerminalId);
}

/// <summary>A new token: the value is in this answer only (the database keeps its hash).</summary>
public sealed record CreatedTokenDto(Guid Id, string Token, string Kind, DateTimeOffset ExpiresAt, string? Name, Guid? TerminalId, Guid? OwnerUserId, bool RequiresApproval);
