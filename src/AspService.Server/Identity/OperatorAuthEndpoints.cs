using System.Security.Claims;
using AspService.Common;
using AspService.Server.Audit;
using AspService.Server.Hosting;
using Microsoft.AspNetCore.Authentication;
using static AspService.Server.Identity.OperatorSignInFlow;

namespace AspService.Server.Identity;

/// <summary>
/// The HTTP edge of operator sign-in: the routes, and the cookie work around <see cref="OperatorSignInFlow"/> that the
/// API and the console's sign-in and password pages share.
/// </summary>
public static class OperatorAuthEndpoints
{
    private const string StageClaim = "stage";

    public static IEndpointRouteBuilder MapOperatorAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/v1/ops/auth").WithTags("Operator sign-in").RequireRateLimiting(RateLimitPolicies.Auth);

        auth.MapPost("/login", (HttpContext http, OperatorSignInFlow flow, CancellationToken ct) =>
                JsonBody.WithAsync<LoginRequest>(http, async b => (await PasswordAsync(http, flow, b)).ToOk(), ct))
            .WithName("OperatorLogin").WithSummary("Password step of operator sign-in")
            .Accepts<LoginRequest>("application/json").Produces<LoginResponse>().ProducesSignInProblems();

        auth.MapPost("/totp/enroll", async (HttpContext http, OperatorSignInFlow flow) => (await BeginEnrolmentAsync(http, flow)).ToOk())
            .WithName("OperatorTotpEnroll").WithSummary("Start TOTP enrollment (first sign-in): secret, otpauth URI and QR code")
            .Produces<EnrollmentResponse>().ProducesProblem(StatusCodes.Status401Unauthorized);

        auth.MapPost("/totp", (HttpContext http, OperatorSignInFlow flow, CancellationToken ct) =>
                JsonBody.WithAsync<CodeRequest>(http, async b => (await VerifyCodeAsync(http, flow, b)).ToOk(), ct))
            .WithName("OperatorTotp").WithSummary("Second factor: a TOTP code; completes sign-in")
            .Accepts<CodeRequest>("application/json").Produces<MeResponse>().ProducesSignInProblems();

        auth.MapPost("/logout", async (HttpContext http) =>
            {
                await http.SignOutAsync(OperatorAuth.Scheme);
                await http.SignOutAsync(OperatorAuth.SecondFactorScheme);
                return TypedResults.NoContent();
            })
            .WithName("OperatorLogout").WithSummary("End the operator session");

        app.MapGet("/api/v1/ops/me", async (HttpContext http, OperatorSignInFlow flow) =>
                (await flow.MeAsync(http.User.FindFirstValue(ClaimTypes.NameIdentifier))).ToOk())
            .RequireAuthorization(OperatorAuth.Policy).WithMetadata(new AllowWithTemporaryPasswordAttribute()).WithTags("Operator sign-in")
            .WithName("OperatorMe").WithSummary("The signed-in operator")
            .Produces<MeResponse>().ProducesProblem(StatusCodes.Status401Unauthorized);

        app.MapPost("/api/v1/ops/me/password", (HttpContext http, ChangeOperatorPassword change, CancellationToken ct) =>
                JsonBody.WithAsync<PasswordChangeRequest>(http, async body => (await ChangePasswordAsync(http, change, body)).ToOk(), ct))
            .RequireAuthorization(OperatorAuth.Policy).WithMetadata(new AllowWithTemporaryPasswordAttribute())
            .RequireRateLimiting(RateLimitPolicies.Auth).WithTags("Operator sign-in")
            .WithName("ChangeOperatorPassword")
            .WithSummary("Change the signed-in operator's own password (required after a one-time password)")
            .Accepts<PasswordChangeRequest>("application/json").Produces<MeResponse>().ProducesSignInProblems();

        return app;
    }

    /// <summary>The password step; when right, the pending second-factor cookie is set (5 minutes).</summary>
    public static async Task<Outcome<LoginResponse>> PasswordAsync(HttpContext http, OperatorSignInFlow flow, LoginRequest request)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(flow);
        var outcome = await flow.CheckPasswordAsync(request, HttpActor.Client(http));
        if (outcome.Failure is { } failure)
        {
            return failure;
        }

        var identity = new ClaimsIdentity(OperatorAuth.SecondFactorScheme);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, outcome.Value!.Pending.UserId.ToString()));
        identity.AddClaim(new Claim(StageClaim, outcome.Value.Pending.Stage));
        await http.SignInAsync(OperatorAuth.SecondFactorScheme, new ClaimsPrincipal(identity));
        return outcome.Value.Answer;
    }

    public static async Task<Outcome<EnrollmentResponse>> BeginEnrolmentAsync(HttpContext http, OperatorSignInFlow flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        return await flow.BeginEnrolmentAsync(await PendingAsync(http));
    }

    /// <summary>The code; when right, the second-factor cookie gives way to the operator cookie.</summary>
    public static async Task<Outcome<MeResponse>> VerifyCodeAsync(HttpContext http, OperatorSignInFlow flow, CodeRequest request)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(flow);
        var outcome = await flow.VerifyCodeAsync(await PendingAsync(http), request);
        if (outcome.Failure is { } failure)
        {
            return failure;
        }

        await http.SignOutAsync(OperatorAuth.SecondFactorScheme);
        await http.SignInAsync(OperatorAuth.Scheme, OperatorCookieHandler.Principal(outcome.Value!));
        return Me(outcome.Value!);
    }

    /// <summary>
    /// The signed-in operator sets their own password (required after a temporary one): the HTTP-free
    /// <see cref="ChangeOperatorPassword"/>; this session's cookie is re-issued.
    /// </summary>
    public static async Task<Outcome<MeResponse>> ChangePasswordAsync(HttpContext http, ChangeOperatorPassword change, PasswordChangeRequest request)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(request);
        var actor = HttpActor.Of(http.User, HttpActor.Client(http));
        var outcome = actor is null
            ? ChangeOperatorPasswordOutcome.Refused(ChangeOperatorPasswordOutcome.Unauthorized)
            : await change.RunAsync(new ChangeOperatorPasswordCommand(request.CurrentPassword, request.NewPassword), actor, http.RequestAborted);
        if (!outcome.Succeeded)
        {
            return Refusal(outcome);
        }

        await http.SignInAsync(OperatorAuth.Scheme, OperatorCookieHandler.Principal(outcome.User!));
        return Me(outcome.User!);
    }

    private static async Task<PendingSignIn?> PendingAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var result = await http.AuthenticateAsync(OperatorAuth.SecondFactorScheme);
        return result.Succeeded && Guid.TryParse(result.Principal?.FindFirstValue(ClaimTypes.NameIdentifier), out var id)
            ? new PendingSignIn(id, result.Principal!.FindFirstValue(StageClaim) ?? "")
            : null;
    }
}
