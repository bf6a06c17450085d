using AspService.Data.Tenancy;
using AspService.Pki;

namespace AspService.Server.Pki;

/// <summary>
/// Set on a connection of the agent listener once its client certificate passed every check. Its presence is
/// what makes a request a terminal request: the tenant comes from here, never from the host or path.
/// </summary>
public sealed record TerminalConnection(TenantBinding Tenant, Guid TerminalId, TerminalKind Kind, string Serial, bool PendingApproval);

/// <summary>Endpoint metadata: reachable only over the agent listener with a verified terminal certificate.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class TerminalEndpointAttribute : Attribute;

public static class TerminalRequests
{
    public static TerminalConnection? Terminal(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<TerminalConnection>();
    }

    /// <summary>A group of endpoints for verified terminals (tenant-scoped; the tenant is the certificate's).</summary>
    public static RouteGroupBuilder MapTerminalGroup(this IEndpointRouteBuilder app, string prefix) =>
        app.MapGroup(prefix).WithMetadata(new Tenancy.TenantScopedAttribute(), new TerminalEndpointAttribute());
}
