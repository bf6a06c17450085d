using AspService.Server.Audit;
using OpenIddict.Abstractions;

namespace AspService.Server.Tokens;

/// <summary>Revokes every token and authorization of a user in the current tenant, and audits it.</summary>
public sealed class UserTokenRevocation(IOpenIddictTokenManager tokens, IOpenIddictAuthorizationManager authorizations, AuditLog audit)
{
    public async Task RevokeAllAsync(Guid userId, string actor, string reason, string? client, CancellationToken ct)
    {
        var subject = userId.ToString();
        var revokedTokens = await tokens.RevokeBySubjectAsync(subject, ct);
        var revokedAuthorizations = await authorizations.RevokeBySubjectAsync(subject, ct);
        await audit.WriteAsync(AuditActions.TokensRevoked, actor, subject,
            $"reason={reason};tokens={revokedTokens};authorizations={revokedAuthorizations}", client, ct);
    }
}
