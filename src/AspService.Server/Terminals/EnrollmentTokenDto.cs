using AspService.Data.Terminals;

namespace AspService.Server.Terminals;

public sealed record EnrollmentTokenDto(
    Guid Id, string Kind, string? Name, Guid? TerminalId, Guid? OwnerUserId, bool RequiresApproval, DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt, string Status, Guid? UsedByTerminalId)
{
    public static EnrollmentTokenDto From(EnrollmentToken t, DateTimeOffset now) =>
        new(t.Id, TerminalDto.KindName(t.Kind), t.PresetName, t.TerminalId, t.OwnerUserId, t.RequiresApproval, t.CreatedAt, t.ExpiresAt,
            t.UsedAt is not null ? "used" : t.RevokedAt is not null ? "revoked" : t.ExpiresAt <= now ? "expired" : "open", t.UsedByTerminalId);
}
