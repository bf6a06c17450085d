using System.Security.Claims;
using AspService.Data.Identity;
using AspService.Identity;
using AspService.Server.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using QRCoder;

namespace AspService.Server.Identity;

/// <summary>
/// Operator sign-in: password, then a TOTP code (enrolling one on first sign-in). Only after both does the
/// operator cookie exist; between the two steps a short-lived second-factor cookie carries the user id.
/// </summary>
public sealed class OperatorAuth(
    UserManager<OperatorUser> users,
    IDataProtectionProvider protection,
    TimeProvider time,
    AccountRateLimiter accountLimiter,
    SignInFailureLimiter failureLimiter,
    ILogger<OperatorAuth> logger)
{
    public const string Scheme = "ops";
    public const string SecondFactorScheme = "ops-2fa";
    public const string Policy = "Operator";
    public const string AdminClaim = "ops_admin";

    /// <summary>Present while the operator still signs in with a temporary password: only /me and /me/password answer.</summary>
    public const string PasswordChangeClaim = "pwd_change";
    private const string StageClaim = "stage";
    private const string Issuer = "AspService 運用";

    private IDataProtector TotpProtector => protection.CreateProtector("AspService.Operators.Totp.v1");

    public sealed record LoginRequest(string? Email, string? Password);

    public sealed record CodeRequest(string? Code);

    public sealed record LoginResponse(string Next);

    public sealed record EnrollmentResponse(string Secret, string OtpauthUri, string QrSvg);

    public sealed record MeResponse(Guid Id, string Email, string DisplayName, bool IsAdministrator, bool PasswordChangeRequired);

    public sealed record PasswordChangeRequest(string? CurrentPassword, string? NewPassword);

    public async Task<Results<Ok<LoginResponse>, ProblemHttpResult>> LoginAsync(HttpContext http, LoginRequest request)
    {
        var email = request.Email?.Trim() ?? "";
        var failureKey = SignInFailureLimiter.Key("ops", http);
        if (failureLimiter.IsBlocked(failureKey))
        {
            return Problems.Of(StatusCodes.Status429TooManyRequests, "signin_throttled");
        }

        if (!accountLimiter.TryAcquire("ops:" + email.ToUpperInvariant()))
        {
            return Problems.Of(StatusCodes.Status429TooManyRequests, "rate_limited");
        }

        var user = email.Length == 0 ? null : await users.FindByEmailAsync(email);
        if (user is null)
        {
            // Same answer as a wrong password: do not reveal which addresses exist.
            failureLimiter.RecordFailure(failureKey);
            return Problems.Of(StatusCodes.Status401Unauthorized, "signin_failed");
        }

        if (await users.IsLockedOutAsync(user))
        {
            return Problems.Of(StatusCodes.Status403Forbidden, "locked_out");
        }

        if (!await users.CheckPasswordAsync(user, request.Password ?? ""))
        {
            failureLimiter.RecordFailure(failureKey);
            await users.AccessFailedAsync(user);
            logger.LogWarning("Operator {OperatorId} sign-in failed: password", user.Id);
            return await users.IsLockedOutAsync(user)
                ? Problems.Of(StatusCodes.Status403Forbidden, "locked_out")
                : Problems.Of(StatusCodes.Status401Unauthorized, "signin_failed");
        }

        if (TemporaryPasswordExpired(user, time.GetUtcNow()))
        {
            logger.LogWarning("Operator {OperatorId} sign-in refused: temporary password expired", user.Id);
            return Problems.Of(StatusCodes.Status403Forbidden, "password_expired");
        }

        var stage = user.TwoFactorEnabled ? "verify" : "enroll";
        var identity = new ClaimsIdentity(SecondFactorScheme);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()));
        identity.AddClaim(new Claim(StageClaim, stage));
        await http.SignInAsync(SecondFactorScheme, new ClaimsPrincipal(identity));
        return TypedResults.Ok(new LoginResponse(stage == "enroll" ? "totp-enroll" : "totp"));
    }

    public async Task<Results<Ok<EnrollmentResponse>, ProblemHttpResult>> BeginEnrollmentAsync(HttpContext http)
    {
        var (user, stage) = await PendingAsync(http);
        if (user is null || stage != "enroll")
        {
            return Problems.Of(StatusCodes.Status401Unauthorized, "mfa_stage");
        }

        var secret = Totp.NewSecret();
        user.TotpSecretProtected = TotpProtector.Protect(Convert.ToBase64String(secret));
        user.TotpLastStep = null;
        await users.UpdateAsync(user);
        var uri = Totp.EnrollmentUri(Issuer, user.Email!, secret);
        using var qr = QRCodeGenerator.GenerateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        var svg = new SvgQRCode(qr).GetGraphic(4);
        return TypedResults.Ok(new EnrollmentResponse(Base32.Encode(secret), uri, svg));
    }

    public async Task<Results<Ok<MeResponse>, ProblemHttpResult>> VerifyCodeAsync(HttpContext http, CodeRequest request)
    {
        var (user, stage) = await PendingAsync(http);
        if (user is null || user.TotpSecretProtected is null)
        {
            return Problems.Of(StatusCodes.Status401Unauthorized, "mfa_stage");
        }

        if (!accountLimiter.TryAcquire("ops-totp:" + user.Id))
        {
            return Problems.Of(StatusCodes.Status429TooManyRequests, "rate_limited");
        }

        if (await users.IsLockedOutAsync(user))
        {
            return Problems.Of(StatusCodes.Status403Forbidden, "locked_out");
        }

        var secret = Convert.FromBase64String(TotpProtector.Unprotect(user.TotpSecretProtected));
        var step = Totp.Verify(secret, request.Code, time.GetUtcNow(), user.TotpLastStep);
        if (step is null)
        {
            await users.AccessFailedAsync(user);
            logger.LogWarning("Operator {OperatorId} sign-in failed: code", user.Id);
            return Problems.Field("code", Text.Get("totp_invalid"));
        }

        user.TotpLastStep = step;
        if (stage == "enroll")
        {
            user.TwoFactorEnabled = true;
        }

        await users.UpdateAsync(user);
        await users.ResetAccessFailedCountAsync(user);
        await http.SignOutAsync(SecondFactorScheme);
        await http.SignInAsync(Scheme, Principal(user));
        logger.LogInformation("Operator {OperatorId} signed in", user.Id);
        return TypedResults.Ok(Me(user));
    }

    public static MeResponse Me(OperatorUser user) => new(user.Id, user.Email!, user.DisplayName, user.IsAdministrator, user.PasswordChangeRequired);

    /// <summary>A temporary password past its lifetime opens nothing. Pure.</summary>
    public static bool TemporaryPasswordExpired(OperatorUser user, DateTimeOffset now) =>
        user is { PasswordChangeRequired: true, PasswordExpiresAt: { } expires } && expires <= now;

    /// <summary>
    /// The signed-in operator sets their own password (required after a temporary one): the HTTP-free
    /// <see cref="ChangeOperatorPassword"/>, answered as problem+json; this session's cookie is re-issued.
    /// </summary>
    public async Task<IResult> ChangePasswordAsync(HttpContext http, PasswordChangeRequest request, ChangeOperatorPassword change)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(change);
        var actor = Audit.Actor.Of(http.User, http.Connection.RemoteIpAddress?.ToString());
        var outcome = actor is null
            ? ChangeOperatorPasswordOutcome.Refused(ChangeOperatorPasswordOutcome.Unauthorized)
            : await change.RunAsync(new ChangeOperatorPasswordCommand(request.CurrentPassword, request.NewPassword), actor, http.RequestAborted);
        if (outcome.Succeeded)
        {
            await http.SignInAsync(Scheme, Principal(outcome.User!));
            return TypedResults.Ok(Me(outcome.User!));
        }

        return outcome.Refusal switch
        {
            ChangeOperatorPasswordOutcome.Unauthorized => Problems.Of(StatusCodes.Status401Unauthorized, "unauthorized"),
            ChangeOperatorPasswordOutcome.RateLimited => Problems.Of(StatusCodes.Status429TooManyRequests, "rate_limited"),
            ChangeOperatorPasswordOutcome.PasswordExpired => Problems.Of(StatusCodes.Status403Forbidden, "password_expired"),
            _ => outcome.Errors[0].Field == "currentPassword"
                ? Problems.Field("currentPassword", Text.Get("password_current_wrong"))
                : Problems.Field("newPassword", string.Join(" ", outcome.Errors.Select(e => e.Message ?? IdentityText.Get(e.Code)))),
        };
    }

    public static ClaimsPrincipal Principal(OperatorUser user)
    {
        var identity = new ClaimsIdentity(Scheme, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()));
        identity.AddClaim(new Claim(ClaimTypes.Name, user.Email!));
        identity.AddClaim(new Claim(ClaimTypes.Role, "Operator"));
        identity.AddClaim(new Claim("amr", "mfa"));
        identity.AddClaim(new Claim("stamp", user.SecurityStamp ?? ""));
        if (user.IsAdministrator)
        {
            identity.AddClaim(new Claim(AdminClaim, "true"));
        }

        if (user.PasswordChangeRequired)
        {
            identity.AddClaim(new Claim(PasswordChangeClaim, "true"));
        }

        return new ClaimsPrincipal(identity);
    }

    private async Task<(OperatorUser? User, string? Stage)> PendingAsync(HttpContext http)
    {
        var result = await http.AuthenticateAsync(SecondFactorScheme);
        var id = result.Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        if (!result.Succeeded || id is null)
        {
            return (null, null);
        }

        return (await users.FindByIdAsync(id), result.Principal!.FindFirstValue(StageClaim));
    }
}
