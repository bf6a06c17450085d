namespace AspService.Server.Tokens;

/// <summary>The user behind a bearer access token: <c>GET /api/v1/agent/whoami</c>.</summary>
public sealed record WhoAmIResponse(string? Id, string? Email, string? Role, string Tenant);
