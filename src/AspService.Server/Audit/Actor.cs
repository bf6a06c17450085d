using System.Security.Claims;

namespace AspService.Server.Audit;

/// <summary>Who asks a use case to act (a signed-in tenant user) and from which address, for checks and the audit log.</summary>
public sealed record Actor(Guid UserId, string? Client)
{
    /// <summary>The user of a tenant session or bearer token (name identifier or <c>sub</c>), or null.</summary>
    public static Actor? Of(ClaimsPrincipal user, string? client)
    {
        ArgumentNullException.ThrowIfNull(user);
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.FindFirstValue("sub");
        return Guid.TryParse(id, out var userId) ? new Actor(userId, client) : null;
    }

    public string Id => UserId.ToString();
}
