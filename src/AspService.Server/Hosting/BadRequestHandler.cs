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
        var status = exception switch
        {
            BadHttpRequestException bad => bad.StatusCode,
            // A form body the framework's form reader cannot decode (e.g. invalid UTF-8 after %-decoding), read by
            // code that does not expect it to fail (OpenIddict's endpoints): the client's fault, not the server's.
            InvalidDataException { Source: "Microsoft.AspNetCore.WebUtilities" or "Microsoft.AspNetCore.Http" } => StatusCodes.Status400BadRequest,
            _ => 0,
        };
        if (status == 0)
        {
            return false;
        }

        await Problems.Titled(status, "invalid-request", Text.Get("invalid_request")).ExecuteAsync(httpContext);
        return true;
    }
}
