namespace AspService.Server.Pki;

/// <summary>What one tenant's certificate rotation found and did.</summary>
public sealed record CertificateRotationResult(int DueForRenewal, int NewlyExpired, bool CaRolledOver);
