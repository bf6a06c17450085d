namespace AspService.Server.Tenancy;

/// <summary>A tenant's public facts (whose service this is, for a sign-in screen or a script; no session needed).</summary>
/// <param name="PublicUrl">The address agents enroll against (<c>aspagent enroll --server …</c>) and mails link to.</param>
public sealed record TenantInfoDto(string Code, string Name, string Kana, string? Locale, string? TimeZone, string PublicUrl);
