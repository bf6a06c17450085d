namespace AspService.Server.Terminals;

public sealed record CertificateDto(string Serial, DateTimeOffset NotBefore, DateTimeOffset NotAfter, DateTimeOffset RenewalOpensAt,
    DateTimeOffset? RevokedAt, string? RevocationReason, string? RenewedFrom);
