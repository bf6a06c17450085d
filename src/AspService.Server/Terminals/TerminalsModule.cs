using AspService.Server.Hosting;

namespace AspService.Server.Terminals;

/// <summary>The terminal registry and enrollment: admin and staff APIs on the web role, a terminal about itself on the relay role.</summary>
public sealed class TerminalsModule : IModule
{
    public void Add(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddScoped<TerminalIssuer>();
        services.AddScoped<ReportLostDevice>();
        services.AddScoped<TerminalEnrollment>();
        services.AddScoped<TerminalRegistry>();
        services.AddScoped<EnrollmentTokens>();
        services.AddScoped<TenantCrl>();
    }

    public void MapWeb(IEndpointRouteBuilder app) => app.MapTerminalWebEndpoints();

    public void MapRelay(IEndpointRouteBuilder app) => app.MapTerminalAgentEndpoints();
}
