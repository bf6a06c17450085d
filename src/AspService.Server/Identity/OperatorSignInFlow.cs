using AspService.Common;
using AspService.Data.Identity;
using AspService.Identity;
using AspService.Server.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using QRCoder;

namespace AspService.Server.Identity;

/// <summary>
/// Operator sign-in, HTTP-free: password, then a TOTP code (enrolling one on first sign-in). Between the two steps a
/// short-lived second-factor cookie carries the user id; <see cref="OperatorAuthEndpoints"/> sets it and, after the
/// code, the operator cookie, for the API and the console's sign-in page alike.
/// </summary>
public sealed class OperatorSignInFlow(
    UserManager<OperatorUser> users,
    IDataProtectionProvider protection,
    TimeProvider time,
    AccountRateLimiter accountLimiter,
    SignInFailureLimiter failureLimiter,
    ILogger<OperatorSignInFlow> logger)
{
    public const string Enroll = "enroll";
    public const string Verify = "verify";
    private const string Issuer = "AspService 運用";

    private IDataProtector TotpProtector => protection.CreateProtector("AspService.Operators.Totp.v1");

    public sealed record LoginRequest(string? Email, string? Password);

    public sealed record CodeRequest(string? Code);

    public sealed record LoginResponse(string Next);

    public sealed record EnrollmentResponse(string Secret, string OtpauthUri, string QrSvg);

    public sealed record MeResponse(Guid Id, string Email, string DisplayName, bool IsAdministrator, bool PasswordChangeRequired);

    public sealed record PasswordChangeRequest(string? CurrentPassword, string? NewPassword);

    /// <summary>What the second-factor cookie carries between the two steps.</summary>
    public sealed record PendingSignIn(Guid UserId, string Stage);

    /// <summary>The password was right: the answer and the pending sign-in to keep until the code.</summary>
    public sealed record PasswordAccepted(LoginResponse Answer, PendingSignIn Pending);

    public async Task<Outcome<PasswordAccepted>> CheckPasswordAsync(LoginRequest request, string? client)
    {
        ArgumentNullException.ThrowIfNull(request);
        var email = request.Email?.Trim() ?? "";
        var failureKey = SignInFailureLimiter.Key("ops", client);
        if (failureLimiter.IsBlocked(failureKey))
        {
            return Failures.Of(StatusCodes.Status429TooManyRequests, "signin_throttled");
        }

        if (!accountLimiter.TryAcquire("ops:" + email.ToUpperInvariant()))
        {
            return Failures.Of(StatusCodes.Status429TooManyRequests, "rate_limited");
        }

        var user = email.Length == 0 ? null : await users.FindByEmailAsync(email);
        if (user is null)
        {
            // Same answer as a wrong password: do not reveal which addresses exist.
            failureLimiter.RecordFailure(failureKey);
            return Failures.Of(StatusCodes.Status401Unauthorized, "signin_failed");
        }

        if (await users.IsLockedOutAsync(user))
        {
            return Failures.Of(StatusCodes.Status403Forbidden, "locked_out");
        }

        if (!await users.CheckPasswordAsync(user, request.Password ?? ""))
        {
            failureLimiter.RecordFailure(failureKey);
            await users.AccessFailedAsync(user);
            logger.LogWarning("Operator {OperatorId} sign-in failed: password", user.Id);
            return await users.IsLockedOutAsync(user)
                ? Failures.Of(StatusCodes.Status403Forbidden, "locked_out")
                : Failures.Of(StatusCodes.Status401Unauthorized, "signin_failed");
        }

        if (OperatorAuth.TemporaryPasswordExpired(user, time.GetUtcNow()))
        {
            logger.LogWarning("Operator {OperatorId} sign-in refused: temporary password expired", user.Id);
            return Failures.Of(StatusCodes.Status403Forbidden, "password_expired");
        }

        var stage = user.TwoFactorEnabled ? Verify : Enroll;
        return new PasswordAccepted(new LoginResponse(stage == Enroll ? "totp-enroll" : "totp"), new PendingSignIn(user.Id, stage));
    }

    /// <summary>First sign-in: a new authenticator key (it replaces any key not yet confirmed).</summary>
    public async Task<Outcome<EnrollmentResponse>> BeginEnrolmentAsync(PendingSignIn? pending)
    {
        var user = pending is null ? null : await users.FindByIdAsync(pending.UserId.ToString());
        if (user is null || pending!.Stage != Enroll)
        {
            return Failures.Of(StatusCodes.Status401Unauthorized, "mfa_stage");
        }

        var secret = Totp.NewSecret();
        user.TotpSecretProtected = TotpProtector.Protect(Convert.ToBase64String(secret));
        user.TotpLastStep = null;
        await users.UpdateAsync(user);
        var uri = Totp.EnrollmentUri(Issuer, user.Email!, secret);
        using var qr = QRCodeGenerator.GenerateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        var svg = new SvgQRCode(qr).GetGraphic(4);
        return new EnrollmentResponse(Base32.Encode(secret), uri, svg);
    }

    /// <summary>Second factor: a TOTP code; the operator whose session the caller then starts.</summary>
    public async Task<Outcome<OperatorUser>> VerifyCodeAsync(PendingSignIn? pending, CodeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var user = pending is null ? null : await users.FindByIdAsync(pending.UserId.ToString());
        if (user is null || user.TotpSecretProtected is null)
        {
            return Failures.Of(StatusCodes.Status401Unauthorized, "mfa_stage");
        }

        if (!accountLimiter.TryAcquire("ops-totp:" + user.Id))
        {
            return Failures.Of(StatusCodes.Status429TooManyRequests, "rate_limited");
        }

        if (await users.IsLockedOutAsync(user))
        {
            return Failures.Of(StatusCodes.Status403Forbidden, "locked_out");
        }

        var secret = Convert.FromBase64String(TotpProtector.Unprotect(user.TotpSecretProtected));
        var step = Totp.Verify(secret, request.Code, time.GetUtcNow(), user.TotpLastStep);
        if (step is null)
        {
            await users.AccessFailedAsync(user);
            logger.LogWarning("Operator {OperatorId} sign-in failed: code", user.Id);
            return Failures.Field("code", Text.Get("totp_invalid"));
        }

        user.TotpLastStep = step;
        if (pending!.Stage == Enroll)
        {
            user.TwoFactorEnabled = true;
        }

        await users.UpdateAsync(user);
        await users.ResetAccessFailedCountAsync(user);
        logger.LogInformation("Operator {OperatorId} signed in", user.Id);
        return user;
    }

    /// <summary>The signed-in operator (the session's name identifier).</summary>
    public async Task<Outcome<MeResponse>> MeAsync(string? userId)
    {
        var user = userId is null ? null : await users.FindByIdAsync(userId);
        return user is null ? Failures.Of(StatusCodes.Status401Unauthorized, "unauthorized") : Me(user);
    }

    public static MeResponse Me(OperatorUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new(user.Id, user.Email!, user.DisplayName, user.IsAdministrator, user.PasswordChangeRequired);
    }

    /// <summary>The answer to a refused own-password change (the same problem+json as before the use case was split out).</summary>
    public static Failure Refusal(ChangeOperatorPasswordOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return outcome.Refusal switch
        {
            ChangeOperatorPasswordOutcome.Unauthorized => Failures.Of(StatusCodes.Status401Unauthorized, "unauthorized"),
            ChangeOperatorPasswordOutcome.RateLimited => Failures.Of(StatusCodes.Status429TooManyRequests, "rate_limited"),
            ChangeOperatorPasswordOutcome.PasswordExpired => Failures.Of(StatusCodes.Status403Forbidden, "password_expired"),
            _ => outcome.Errors[0].Field == "currentPassword"
                ? Failures.Field("currentPassword", Text.Get("password_current_wrong"))
                : Failures.Field("newPassword", string.Join(" ", outcome.Errors.Select(e => e.Message ?? IdentityText.Get(e.Code)))),
        };
    }
}
