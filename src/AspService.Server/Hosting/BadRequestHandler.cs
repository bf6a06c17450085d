using Microsoft.AspNetCore.Diagnostics;

namespace AspService.Server.Hosting;

/// <summary>
/// Every request the framework cannot bind (a query value that is not a number, a route value out of range,
/// an unreadable body) becomes a 400 problem+json here, for all endpoints at once — never a 500. So does a save
/// that lost a race on a row's version (two admins at once, an agent retrying its unenroll): 409 concurrent_change.
/// </summary>
public sealed class BadRequestHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var problem = exception switch
        {
            BadHttpRequestException bad => Problems.Titled(bad.StatusCode, "invalid-request", Text.Get("invalid_request")),
            // A form body the framework's form reader cannot decode (e.g. invalid UTF-8 after %-decoding), read by
            // code that does not expect it to fail (OpenIddict's endpoints): the client's fault, not the server's.
            InvalidDataException { Source: "Microsoft.AspNetCore.WebUtilities" or "Microsoft.AspNetCore.Http" } =>
                Problems.Titled(StatusCodes.Status400BadRequest, "invalid-request", Text.Get("invalid_request")),
            Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException => Problems.Of(StatusCodes.Status409Conflict, "concurrent_change"),
            _ => null,
        };
        if (problem is null)
        {
            return false;
        }

        await problem.ExecuteAsync(httpContext);
        return true;
    }
}
