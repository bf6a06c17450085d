using AspService.Server.Hosting;

namespace AspService.Server.Policy;

/// <summary>The tenant's telework policy: its store and its API.</summary>
public sealed class PolicyModule : IModule
{
    public void Add(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<PolicyStore>();
    }

    public void MapWeb(IEndpointRouteBuilder app) => app.MapPolicyEndpoints();
}
