namespace AspService.Server.Hosting;

/// <summary>
/// One feature's whole wiring, in the feature's own folder: its options (validated on start), services, provisioning
/// steps, recurring jobs and routes. Hosting only iterates <see cref="Modules.All"/>.
/// </summary>
public interface IModule
{
    /// <summary>Options, services, <c>ITenantStep</c>s and jobs.</summary>
    void Add(WebApplicationBuilder builder);

    /// <summary>Routes served by a node with the web role (API, consoles).</summary>
    void MapWeb(IEndpointRouteBuilder app)
    {
    }

    /// <summary>Routes served by a node with the relay role (agents' certificate-authenticated listener).</summary>
    void MapRelay(IEndpointRouteBuilder app)
    {
    }
}
