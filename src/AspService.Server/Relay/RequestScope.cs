using Microsoft.AspNetCore.Http.Features;

namespace AspService.Server.Relay;

/// <summary>
/// Long-lived relay connections (a control connection lasts days) must not keep the request's DI scope with its
/// DbContexts and tracked entities: once upgraded, the scope is disposed and replaced by an empty one, so whatever
/// runs after the endpoint (the result, middleware unwinding) still finds a provider.
/// </summary>
public static class RequestScope
{
    public static async Task ReleaseAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.Features.Get<IServiceProvidersFeature>() is not IAsyncDisposable used)
        {
            return;
        }

        var factory = http.RequestServices.GetRequiredService<IServiceScopeFactory>();
        await used.DisposeAsync();
        var empty = factory.CreateAsyncScope();
        http.Response.RegisterForDisposeAsync(empty);
        http.RequestServices = empty.ServiceProvider;
    }
}
