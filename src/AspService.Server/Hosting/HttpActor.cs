using System.Security.Claims;
using AspService.Server.Audit;

namespace AspService.Server.Hosting;

/// <summary>The HTTP edge's reading of who acts: the signed-in principal and the client address, for use cases' <see cref="Actor"/>.</summary>
public static class HttpActor
{
    /// <summary>The user of a tenant session or bearer token (name identifier or <c>sub</c>), or null.</summary>
    public static Actor? Of(ClaimsPrincipal user, string? client)
    {
        ArgumentNullException.ThrowIfNull(user);
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.FindFirstValue("sub");
        return Guid.TryParse(id, out var userId) ? new Actor(userId, client) : null;
    }

    /// <summary>The request's user, or the system (an empty id) where nobody is signed in.</summary>
    public static Actor Of(HttpContext http) => Of(http.User, Client(http)) ?? new Actor(Guid.Empty, Client(http));

    /// <summary>The user's id as the audit log writes it, or <c>system</c>.</summary>
    public static string Id(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier) ?? AuditLog.System;

    /// <summary>The client address written to the audit log and used for per-address limits.</summary>
    public static string? Client(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Connection.RemoteIpAddress?.ToString();
    }
}
