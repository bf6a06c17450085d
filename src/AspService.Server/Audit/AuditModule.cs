using AspService.Server.Hosting;

namespace AspService.Server.Audit;

/// <summary>The tenant's audit log: writing, reading for the screens, and the chain check over the API.</summary>
public sealed class AuditModule : IModule
{
    public void Add(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<AuditLog>();
        builder.Services.AddScoped<AuditQuery>();
    }

    public void MapWeb(IEndpointRouteBuilder app) => app.MapAuditEndpoints();
}
