namespace AspService.Server.Pki;

/// <summary>The HTTP edge of the agent listener: the verified terminal of a request, and the groups only terminals reach.</summary>
public static class TerminalRequestEndpoints
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
