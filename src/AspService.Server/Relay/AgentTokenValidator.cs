using AspService.Data.Identity;
using AspService.Data.TenantData;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AspService.Server.Relay;

/// <summary>
/// Checks a staff member's bearer access token on the agent listener, where OpenIddict's own validation cannot run:
/// it derives the expected issuer from the request's web address, and here the request reaches the relay. The
/// same guarantees are checked explicitly: signature and encryption with the server's keys, lifetime on our clock,
/// the token's tenant claim equal to the tenant of the client certificate, the token's entry valid in this tenant's
/// own database (revocation works at once), and the user still usable.
/// </summary>
public sealed class AgentTokenValidator(
    IOptionsMonitor<OpenIddictServerOptions> server,
    IOpenIddictTokenManager tokens,
    TenantDbContext db,
    TimeProvider time)
{
    public async Task<TenantUser?> ValidateAsync(string? authorization, CancellationToken ct)
    {
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.Ordinal) || authorization.Length > 8192)
        {
            return null;
        }

        var options = server.CurrentValue;
        var now = time.GetUtcNow().UtcDateTime;
        var parameters = new TokenValidationParameters
        {
            IssuerSigningKeys = options.SigningCredentials.Select(c => c.Key),
            TokenDecryptionKeys = options.EncryptionCredentials.Select(c => c.Key),
            ValidateIssuer = false, // replaced by the tenant claim and the token entry in this tenant's database
            ValidateAudience = false,
            ValidateLifetime = true,
            LifetimeValidator = (notBefore, expires, _, _) => (notBefore is null || notBefore <= now.AddMinutes(1)) && expires > now,
            ClockSkew = TimeSpan.Zero,
        };
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(authorization["Bearer ".Length..].Trim(), parameters);
        if (!result.IsValid
            || Claim(result, Tokens.TokenFlows.TenantClaim) != db.Tenant.TenantId.ToString()
            || Claim(result, Claims.Private.TokenId) is not { } tokenId
            || Claim(result, Claims.Subject) is not { } subject
            || !Guid.TryParse(subject, out var userId))
        {
            return null;
        }

        var entry = await tokens.FindByIdAsync(tokenId, ct);
        if (entry is null || !await tokens.HasStatusAsync(entry, Statuses.Valid, ct) || await tokens.GetSubjectAsync(entry, ct) != subject
            || await tokens.GetExpirationDateAsync(entry, ct) is { } expires && expires <= time.GetUtcNow())
        {
            return null;
        }

        return await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId && u.DisabledAt == null, ct);
    }

    private static string? Claim(TokenValidationResult result, string name) =>
        result.Claims.TryGetValue(name, out var value) ? value as string : null;
}
