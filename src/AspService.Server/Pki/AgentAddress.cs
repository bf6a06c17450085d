using AspService.Server.Relay;
using Microsoft.Extensions.Options;

namespace AspService.Server.Pki;

/// <summary>Where agents reach this relay node: written into enrolment answers and the node's catalog row.</summary>
public static class AgentAddress
{
    /// <summary>The address agents are told to use: configured, or the bound https address.</summary>
    public static string PublicUrl(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var relay = services.GetRequiredService<IOptions<RelayOptions>>().Value;
        if (!string.IsNullOrWhiteSpace(relay.PublicUrl))
        {
            return relay.PublicUrl.TrimEnd('/');
        }

        var addresses = services.GetService<Microsoft.AspNetCore.Hosting.Server.IServer>()?.Features
            .Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses;
        var bound = addresses?.FirstOrDefault(a => a.StartsWith("https:", StringComparison.OrdinalIgnoreCase));
        return (bound ?? relay.Listen).TrimEnd('/');
    }
}
