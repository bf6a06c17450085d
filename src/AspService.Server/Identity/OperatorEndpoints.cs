using AspService.Data.Identity;
using AspService.Server.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace AspService.Server.Identity;

public static class OperatorEndpoints
{
    public static IEndpointRouteBuilder MapOperatorAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/v1/ops/auth").WithTags("Operator sign-in").RequireRateLimiting(RateLimitPolicies.Auth);

        auth.MapPost("/login", async (HttpContext http, OperatorAuth ops, CancellationToken ct) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<OperatorAuth.LoginRequest>(http.Request, ct);
            return problem is not null ? problem : (IResult)await ops.LoginAsync(http, body!);
        }).WithSummary("Password step of operator sign-in");

        auth.MapPost("/totp/enroll", async (HttpContext http, OperatorAuth ops) => (IResult)await ops.BeginEnrollmentAsync(http))
            .WithSummary("Start TOTP enrollment (first sign-in): secret, otpauth URI and QR code");

        auth.MapPost("/totp", async (HttpContext http, OperatorAuth ops, CancellationToken ct) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<OperatorAuth.CodeRequest>(http.Request, ct);
            return problem is not null ? problem : (IResult)await ops.VerifyCodeAsync(http, body!);
        }).WithSummary("Second factor: a TOTP code; completes sign-in");

        auth.MapPost("/logout", async (HttpContext http) =>
        {
            await http.SignOutAsync(OperatorAuth.Scheme);
            await http.SignOutAsync(OperatorAuth.SecondFactorScheme);
            return TypedResults.NoContent();
        });

        app.MapGet("/api/v1/ops/me", async (HttpContext http, UserManager<OperatorUser> users) =>
        {
            var user = await users.GetUserAsync(http.User);
            return user is null ? Problems.Of(StatusCodes.Status401Unauthorized, "unauthorized") : (IResult)TypedResults.Ok(OperatorAuth.Me(user));
        }).RequireAuthorization(OperatorAuth.Policy).WithMetadata(new AllowWithTemporaryPasswordAttribute()).WithTags("Operator sign-in");

        app.MapPost("/api/v1/ops/me/password", (HttpContext http, OperatorAuth ops, ChangeOperatorPassword change, CancellationToken ct) =>
                JsonBody.WithAsync<OperatorAuth.PasswordChangeRequest>(http, body => ops.ChangePasswordAsync(http, body, change), ct))
            .RequireAuthorization(OperatorAuth.Policy).WithMetadata(new AllowWithTemporaryPasswordAttribute())
            .RequireRateLimiting(RateLimitPolicies.Auth).WithTags("Operator sign-in")
            .WithSummary("Change the signed-in operator's own password (required after a one-time password)");

        return app;
    }
}

public static class RateLimitPolicies
{
    public const string Auth = "auth";
    public const string Signup = "signup";
}
