using System.Globalization;
using System.Security.Claims;
using AspService.Common;
using AspService.Data.Identity;
using AspService.Server.Audit;
using AspService.Server.Hosting;
using AspService.Server.Tenancy;
using Microsoft.AspNetCore.Authentication;
using static AspService.Server.Identity.TenantSignInFlow;

namespace AspService.Server.Identity;

/// <summary>
/// The HTTP edge of tenant sign-in: the routes, and the cookie work around <see cref="TenantSignInFlow"/> that the
/// API and the sign-in page share (the pending second-factor cookie, the session cookie, the known-browser mark).
/// </summary>
public static class TenantSignInEndpoints
{
    private const string StageClaim = "stage";

    public static IEndpointRouteBuilder MapTenantSignInEndpoints(this IEndpointRouteBuilder app)
    {
        var auth = app.MapTenantGroup("/api/v1/auth").WithTags("Tenant sign-in").RequireRateLimiting(RateLimitPolicies.Auth);

        auth.MapPost("/login", (HttpContext http, TenantSignInFlow flow, CancellationToken ct) =>
                JsonBody.WithAsync<LoginRequest>(http, async b => (await PasswordAsync(http, flow, b)).ToOk(), ct))
            .WithName("TenantLogin").WithSummary("Password step of sign-in")
            .Accepts<LoginRequest>("application/json").Produces<LoginResponse>().ProducesSignInProblems();
        auth.MapPost("/totp/enroll", async (HttpContext http, TenantSignInFlow flow) => (await BeginEnrolmentAsync(http, flow)).ToOk())
            .WithName("TenantTotpEnroll").WithSummary("Start mandatory TOTP enrollment: secret (manual key), otpauth URI and QR code")
            .Produces<EnrollmentResponse>().ProducesProblem(StatusCodes.Status401Unauthorized);
        auth.MapPost("/totp", (HttpContext http, TenantSignInFlow flow, CancellationToken ct) =>
                JsonBody.WithAsync<CodeRequest>(http, async b => (await VerifyCodeAsync(http, flow, b)).ToOk(), ct))
            .WithName("TenantTotp").WithSummary("Second factor; on enrollment also returns ten recovery codes, shown once")
            .Accepts<CodeRequest>("application/json").Produces<SignedInResponse>().ProducesSignInProblems();
        auth.MapPost("/recovery", (HttpContext http, TenantSignInFlow flow, CancellationToken ct) =>
                JsonBody.WithAsync<CodeRequest>(http, async b => (await RecoveryAsync(http, flow, b)).ToOk(), ct))
            .WithName("TenantRecovery").WithSummary("Second factor with a single-use recovery code")
            .Accepts<CodeRequest>("application/json").Produces<SignedInResponse>().ProducesSignInProblems();
        auth.MapPost("/invitation/accept", (HttpContext http, TenantSignInFlow flow, CancellationToken ct) =>
                JsonBody.WithAsync<LinkPasswordRequest>(http, async b => (await flow.AcceptInvitationAsync(b, HttpActor.Client(http), ct)).ToOk(), ct))
            .WithName("TenantAcceptInvitation").WithSummary("Set the first password from an invitation link")
            .Accepts<LinkPasswordRequest>("application/json").Produces<LoginResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status429TooManyRequests);
        auth.MapPost("/password/forgot", (HttpContext http, TenantSignInFlow flow, CancellationToken ct) =>
                JsonBody.WithAsync<ForgotRequest>(http, async b =>
                    (await flow.ForgotPasswordAsync(b, HttpActor.Client(http), ct)).Failure is { } f ? f.ToProblem() : TypedResults.Accepted((string?)null), ct))
            .WithName("TenantForgotPassword").WithSummary("Mail a password reset link (same answer for unknown addresses)")
            .Accepts<ForgotRequest>("application/json").Produces(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status429TooManyRequests);
        auth.MapPost("/password/reset", (HttpContext http, TenantSignInFlow flow, CancellationToken ct) =>
                JsonBody.WithAsync<LinkPasswordRequest>(http, async b => (await flow.ResetPasswordAsync(b, HttpActor.Client(http), ct)).ToOk(), ct))
            .WithName("TenantResetPassword").WithSummary("Set a new password from a reset link")
            .Accepts<LinkPasswordRequest>("application/json").Produces<LoginResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status429TooManyRequests);
        auth.MapPost("/logout", async (HttpContext http, AuditLog audit, CancellationToken ct) =>
            {
                await SignOutAsync(http, audit, ct);
                return TypedResults.NoContent();
            })
            .WithName("TenantLogout").WithSummary("End the session");
        app.MapTenantGroup("/api/v1/me").WithTags("Tenant sign-in").RequireAuthorization(TenantAuth.UserPolicy)
            .MapGet("/", async (HttpContext http, TenantSignInFlow flow) =>
                (await flow.MeAsync(http.User.FindFirstValue(ClaimTypes.NameIdentifier))).ToOk())
            .WithName("TenantMe").WithSummary("The signed-in user")
            .Produces<MeResponse>().ProducesProblem(StatusCodes.Status401Unauthorized);
        return app;
    }

    /// <summary>The password step; when right, the pending second-factor cookie is set (5 minutes).</summary>
    public static async Task<Outcome<LoginResponse>> PasswordAsync(HttpContext http, TenantSignInFlow flow, LoginRequest request)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(flow);
        var outcome = await flow.CheckPasswordAsync(new PasswordAttempt(request, HttpActor.Client(http), http.Request.Cookies[KnownBrowser.CookieName]));
        if (outcome.Failure is { } failure)
        {
            if (failure.Is("signin-throttled"))
            {
                http.Response.Headers.RetryAfter = flow.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            }

            return failure;
        }

        var pending = outcome.Value!.Pending;
        var identity = new ClaimsIdentity(TenantAuth.SecondFactorScheme);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, pending.UserId.ToString()));
        identity.AddClaim(new Claim(StageClaim, pending.Stage));
        identity.AddClaim(new Claim(TenantAuth.TenantClaim, pending.TenantId.ToString()));
        identity.AddClaim(new Claim(TenantAuth.StampClaim, pending.Stamp));
        await http.SignInAsync(TenantAuth.SecondFactorScheme, new ClaimsPrincipal(identity));
        return outcome.Value.Answer;
    }

    public static async Task<Outcome<EnrollmentResponse>> BeginEnrolmentAsync(HttpContext http, TenantSignInFlow flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        return await flow.BeginEnrolmentAsync(await PendingAsync(http));
    }

    public static async Task<Outcome<SignedInResponse>> VerifyCodeAsync(HttpContext http, TenantSignInFlow flow, CodeRequest request)
    {
        ArgumentNullException.ThrowIfNull(flow);
        return await CompleteAsync(http, await flow.VerifyCodeAsync(await PendingAsync(http), request, HttpActor.Client(http)));
    }

    public static async Task<Outcome<SignedInResponse>> RecoveryAsync(HttpContext http, TenantSignInFlow flow, CodeRequest request)
    {
        ArgumentNullException.ThrowIfNull(flow);
        return await CompleteAsync(http, await flow.RecoveryAsync(await PendingAsync(http), request, HttpActor.Client(http)));
    }

    /// <summary>Sign-out (API and page alike): audited when a session existed; both cookies end.</summary>
    public static async Task SignOutAsync(HttpContext http, AuditLog audit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(audit);
        var who = (await http.AuthenticateAsync(TenantAuth.Scheme)).Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        if (who is not null)
        {
            await audit.WriteAsync(AuditActions.SignedOut, who, who, null, HttpActor.Client(http), ct);
        }

        await http.SignOutAsync(TenantAuth.Scheme);
        await http.SignOutAsync(TenantAuth.SecondFactorScheme);
    }

    /// <summary>Replaces the session cookie of the signed-in user (after their own password or authenticator changed).</summary>
    public static Task RenewSessionAsync(HttpContext http, TenantUser user, string role, Guid tenantId) =>
        http.SignInAsync(TenantAuth.Scheme, TenantCookieHandler.Principal(user, role, tenantId));

    private static async Task<Outcome<SignedInResponse>> CompleteAsync(HttpContext http, Outcome<SignedIn> outcome)
    {
        if (outcome.Failure is { } failure)
        {
            return failure;
        }

        var signedIn = outcome.Value!;
        await http.SignOutAsync(TenantAuth.SecondFactorScheme);
        await RenewSessionAsync(http, signedIn.User, signedIn.Answer.User.Role, signedIn.TenantId);
        http.Response.Cookies.Append(KnownBrowser.CookieName, signedIn.KnownBrowserCookie, new CookieOptions
        {
            HttpOnly = true,
            Secure = http.Request.IsHttps,
            SameSite = SameSiteMode.Strict,
            Path = http.Request.PathBase.HasValue ? http.Request.PathBase.Value : "/",
            MaxAge = KnownBrowser.Lifetime,
            IsEssential = true,
        });
        return signedIn.Answer;
    }

    /// <summary>The pending sign-in of the second-factor cookie, if it is there and well-formed.</summary>
    private static async Task<PendingSignIn?> PendingAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var result = await http.AuthenticateAsync(TenantAuth.SecondFactorScheme);
        var principal = result.Principal;
        return result.Succeeded
            && Guid.TryParse(principal?.FindFirstValue(ClaimTypes.NameIdentifier), out var id)
            && Guid.TryParse(principal!.FindFirstValue(TenantAuth.TenantClaim), out var tenant)
            ? new PendingSignIn(id, principal.FindFirstValue(StageClaim) ?? "", tenant, principal.FindFirstValue(TenantAuth.StampClaim) ?? "")
            : null;
    }

    /// <summary>The problems a sign-in step answers (tenant and operator alike): invalid body or code, no pending sign-in, locked, limited.</summary>
    internal static RouteHandlerBuilder ProducesSignInProblems(this RouteHandlerBuilder route) => route
        .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status429TooManyRequests);
}
