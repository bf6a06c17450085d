using AspService.Server.Hosting;

namespace AspService.Server.Sessions;

/// <summary>Relayed sessions as people see them: lists, history, telework records and the force-disconnect.</summary>
public sealed class SessionsModule : IModule
{
    public void Add(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddScoped<SessionViews>();
        services.AddScoped<DisconnectSession>();
        services.AddScoped<SessionHistory>();
        services.AddScoped<TeleworkRecords>();
    }

    public void MapWeb(IEndpointRouteBuilder app) => app.MapSessionEndpoints();
}
