using Microsoft.AspNetCore.Http.HttpResults;

namespace AspService.Server.Observability;

/// <summary>
/// Counts the relay's refused session requests and pairings from the problem each endpoint returns, so the relay code
/// itself carries no metrics calls. The label is the problem type's last segment: a fixed set defined in code.
/// </summary>
public sealed class SessionRefusalMetrics(ServiceMetrics metrics) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var result = await next(context);
        if (result is ProblemHttpResult { ProblemDetails: { Status: >= 400, Type: { } type } } && IsSessionEndpoint(context.HttpContext))
        {
            metrics.SessionRefused(type[(type.LastIndexOf('/') + 1)..]);
        }

        return result;
    }

    private static bool IsSessionEndpoint(HttpContext http) =>
        http.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } pattern }
        && (pattern.EndsWith("/sessions", StringComparison.Ordinal) || pattern.EndsWith("/data", StringComparison.Ordinal));
}
