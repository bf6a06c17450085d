using Microsoft.AspNetCore.Diagnostics;

namespace AspService.Server.Hosting;

/// <summary>
/// Every request the framework cannot bind (a query value that is not a number, a route value out of range,
/// an unreadable body) becomes a 400 problem+json here, for all endpoints at once — never a 500.
/// </summary>
public sealed class BadRequestHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        await Problems.Titled(bad.StatusCode, "invalid-request", Text.Get("invalid_request")).ExecuteAsync(httpContext);
        return true;
    }
}
