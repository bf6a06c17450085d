using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace AspService.Server.Hosting;

/// <summary>
/// X-Forwarded-* headers are honoured only from the reverse proxies listed in <c>Network:TrustedProxies</c>
/// (addresses or CIDR ranges). With none listed the headers are ignored entirely — ASP.NET Core would
/// otherwise trust any peer when its lists are empty.
/// </summary>
public static class TrustedProxies
{
    public static WebApplication UseTrustedForwardedHeaders(this WebApplication app)
    {
        var entries = app.Configuration.GetSection("Network:TrustedProxies").Get<string[]>() ?? [];
        if (entries.Length == 0)
        {
            return app;
        }

        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost,
            ForwardLimit = 1,
        };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var entry in entries)
        {
            if (entry.Contains('/', StringComparison.Ordinal))
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(entry));
            }
            else
            {
                options.KnownProxies.Add(IPAddress.Parse(entry));
            }
        }

        app.UseForwardedHeaders(options);
        return app;
    }
}
