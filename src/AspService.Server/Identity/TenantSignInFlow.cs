using AspService.Common;
using AspService.Data.Identity;
using AspService.Data.TenantData;
using AspService.Identity;
using AspService.Server.Audit;
using AspService.Server.Hosting;
using AspService.Server.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Identity;

/// <summary>
/// Tenant sign-in, HTTP-free: the password step, the second factor (TOTP, enrolled on first sign-in, mandatory, or a
/// recovery code) and the link flows (accept invitation, password reset). One method per use case; the cookies
/// (the pending second-factor sign-in, the session, the known-browser mark) are set by <see cref="TenantSignInEndpoints"/>
/// and the pages from what these answer.
/// </summary>
public sealed class TenantSignInFlow(
    UserManager<TenantUser> users,
    TenantDbContext db,
    TenantAccessor accessor,
    TenantLinks links,
    AuditLog audit,
    TotpKeys keys,
    TimeProvider time,
    AccountRateLimiter accountLimiter,
    SignInFailureLimiter failureLimiter,
    KnownBrowser knownBrowser)
{
    public const string Enroll = "enroll";
    public const string Verify = "verify";

    public sealed record LoginRequest(string? Email, string? Password);

    public sealed record CodeRequest(string? Code);

    public sealed record LinkPasswordRequest(string? Token, string? Password);

    public sealed record ForgotRequest(string? Email);

    public sealed record LoginResponse(string Next);

    public sealed record EnrollmentResponse(string Secret, string OtpauthUri, string QrSvg);

    public sealed record MeResponse(Guid Id, string Email, string DisplayName, string? Department, string Role);

    public sealed record SignedInResponse(MeResponse User, IReadOnlyList<string>? RecoveryCodes);

    /// <summary>A password step: the address the attempt comes from, and this browser's <see cref="KnownBrowser"/> cookie, if any.</summary>
    public sealed record PasswordAttempt(LoginRequest Request, string? Client, string? KnownBrowserCookie);

    /// <summary>What the short-lived second-factor cookie carries between the two steps.</summary>
    public sealed record PendingSignIn(Guid UserId, string Stage, Guid TenantId, string Stamp);

    /// <summary>The password was right: the answer, and the pending sign-in to keep until the second factor.</summary>
    public sealed record PasswordAccepted(LoginResponse Answer, PendingSignIn Pending);

    /// <summary>Fully signed in: the account (for the session's principal), the answer, and the renewed known-browser cookie.</summary>
    public sealed record SignedIn(TenantUser User, Guid TenantId, SignedInResponse Answer, string KnownBrowserCookie);

    /// <summary>Seconds until the failure window of a throttled address ends (its <c>Retry-After</c>).</summary>
    public int RetryAfterSeconds => failureLimiter.SecondsLeft();

    public async Task<Outcome<PasswordAccepted>> CheckPasswordAsync(PasswordAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var email = attempt.Request.Email?.Trim() ?? "";
        var client = attempt.Client;
        // Too many failures from this address in this tenant: refused whatever account it tries (password spraying),
        // unless this browser has fully signed in to the account being tried before.
        if (failureLimiter.IsBlocked(FailureKey(client)) && !await KnownHereAsync(attempt.KnownBrowserCookie, email))
        {
            return Failures.Of(StatusCodes.Status429TooManyRequests, "signin_throttled");
        }

        if (!accountLimiter.TryAcquire(AccountKey(email)))
        {
            return Failures.Of(StatusCodes.Status429TooManyRequests, "rate_limited");
        }

        var user = email.Length == 0 ? null : await users.FindByEmailAsync(email);
        if (user is null)
        {
            // Same answer as a wrong password: do not reveal which addresses exist.
            failureLimiter.RecordFailure(FailureKey(client));
            return Failures.Of(StatusCodes.Status401Unauthorized, "signin_failed");
        }

        if (await users.IsLockedOutAsync(user))
        {
            await audit.WriteAsync(AuditActions.SignInFailed, user.Id.ToString(), user.Id.ToString(), "locked", client);
            return Failures.Of(StatusCodes.Status403Forbidden, "locked_out");
        }

        if (!await users.CheckPasswordAsync(user, attempt.Request.Password ?? ""))
        {
            return await FailAsync(client, user, "password", Failures.Of(StatusCodes.Status401Unauthorized, "signin_failed"));
        }

        if (user.DisabledAt is not null)
        {
            await audit.WriteAsync(AuditActions.SignInFailed, user.Id.ToString(), user.Id.ToString(), "disabled", client);
            return Failures.Titled(StatusCodes.Status403Forbidden, "account-disabled", IdentityText.Get("account_disabled"));
        }

        var stage = user.TwoFactorEnabled && user.TotpSecretProtected is not null ? Verify : Enroll;
        return new PasswordAccepted(new LoginResponse(stage == Enroll ? "totp-enroll" : "totp"),
            new PendingSignIn(user.Id, stage, accessor.Required.TenantId, user.SecurityStamp ?? ""));
    }

    /// <summary>First sign-in: a new authenticator key (it replaces any key not yet confirmed).</summary>
    public async Task<Outcome<EnrollmentResponse>> BeginEnrolmentAsync(PendingSignIn? pending)
    {
        var (user, stage) = await PendingAsync(pending);
        if (user is null || stage != Enroll)
        {
            return Failures.Of(StatusCodes.Status401Unauthorized, "mfa_stage");
        }

        var key = keys.New(user.Email!);
        user.TotpSecretProtected = keys.Protect(key.Secret);
        user.TotpLastStep = null;
        await users.UpdateAsync(user);
        return new EnrollmentResponse(key.Base32Secret, key.OtpauthUri, key.QrSvg);
    }

    /// <summary>Second factor: a TOTP code; on enrolment also ten recovery codes, shown once.</summary>
    public async Task<Outcome<SignedIn>> VerifyCodeAsync(PendingSignIn? pending, CodeRequest request, string? client)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (user, stage) = await PendingAsync(pending);
        if (user is null || user.TotpSecretProtected is null)
        {
            return Failures.Of(StatusCodes.Status401Unauthorized, "mfa_stage");
        }

        if (await RefusedAsync(user) is { } refused)
        {
            return refused;
        }

        var secret = keys.Unprotect(user.TotpSecretProtected);
        var step = Totp.Verify(secret, request.Code, time.GetUtcNow(), user.TotpLastStep);
        if (step is null)
        {
            return await FailAsync(client, user, "code", Failures.Field("code", Text.Get("totp_invalid")));
        }

        IReadOnlyList<string>? codes = stage == Enroll ? await RecoveryCodeIssuer.ReplaceAsync(db, user.Id) : null;
        var used = await ChangeAccountAsync(user, () =>
        {
            if (user.TotpLastStep >= step)
            {
                return null; // the same code was used meanwhile (read again after a race): a replay
            }

            user.TotpLastStep = step;
            user.TwoFactorEnabled |= stage == Enroll;
            return users.UpdateAsync(user);
        });
        if (!used)
        {
            foreach (var added in db.ChangeTracker.Entries<RecoveryCode>().Where(e => e.State == EntityState.Added).ToList())
            {
                added.State = EntityState.Detached; // not this attempt's to keep
            }

            return await FailAsync(client, user, "code", Failures.Field("code", Text.Get("totp_invalid")));
        }

        if (codes is not null)
        {
            await audit.WriteAsync(AuditActions.MfaEnrolled, user.Id.ToString(), user.Id.ToString(), null, client);
        }

        return await CompleteAsync(client, user, "totp", codes);
    }

    /// <summary>Second factor with a single-use recovery code.</summary>
    public async Task<Outcome<SignedIn>> RecoveryAsync(PendingSignIn? pending, CodeRequest request, string? client)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (user, stage) = await PendingAsync(pending);
        if (user is null || stage != Verify)
        {
            return Failures.Of(StatusCodes.Status401Unauthorized, "mfa_stage");
        }

        if (await RefusedAsync(user) is { } refused)
        {
            return refused;
        }

        var hash = RecoveryCodeIssuer.Hash(request.Code);
        var now = time.GetUtcNow();
        var used = hash is not null && await db.RecoveryCodes.Where(c => c.UserId == user.Id && c.CodeHash == hash && c.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, now)) == 1;
        if (!used)
        {
            return await FailAsync(client, user, "recovery", Failures.Field("code", IdentityText.Get("recovery_invalid")));
        }

        await audit.WriteAsync(AuditActions.RecoveryCodeUsed, user.Id.ToString(), user.Id.ToString(), null, client);
        return await CompleteAsync(client, user, "recovery", null);
    }

    /// <summary>Sets the first password from an invitation link.</summary>
    public Task<Outcome<LoginResponse>> AcceptInvitationAsync(LinkPasswordRequest request, string? client, CancellationToken ct) =>
        SetPasswordByLinkAsync(request, LinkPurpose.Invitation, AuditActions.InvitationAccepted, client, ct);

    /// <summary>Sets a new password from a reset link.</summary>
    public Task<Outcome<LoginResponse>> ResetPasswordAsync(LinkPasswordRequest request, string? client, CancellationToken ct) =>
        SetPasswordByLinkAsync(request, LinkPurpose.PasswordReset, AuditActions.PasswordReset, client, ct);

    /// <summary>Mails a reset link; the same (successful) answer whether or not the address exists.</summary>
    public async Task<Outcome<bool>> ForgotPasswordAsync(ForgotRequest request, string? client, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var email = request.Email?.Trim() ?? "";
        if (!accountLimiter.TryAcquire(AccountKey(email)))
        {
            return Failures.Of(StatusCodes.Status429TooManyRequests, "rate_limited");
        }

        var user = email.Length == 0 ? null : await users.FindByEmailAsync(email);
        if (user is not null && user.DisabledAt is null && user.PasswordHash is not null)
        {
            await links.SendResetAsync(user, ct);
            await audit.WriteAsync(AuditActions.PasswordResetRequested, user.Id.ToString(), user.Id.ToString(), null, client, ct);
        }

        return true;
    }

    /// <summary>The signed-in user (the session's name identifier).</summary>
    public async Task<Outcome<MeResponse>> MeAsync(string? userId)
    {
        var user = userId is null ? null : await users.FindByIdAsync(userId);
        return user is null ? Failures.Of(StatusCodes.Status401Unauthorized, "unauthorized") : await MeOfAsync(user);
    }

    public async Task<MeResponse> MeOfAsync(TenantUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var role = (await users.GetRolesAsync(user)).FirstOrDefault() ?? TenantRoles.Staff;
        return new MeResponse(user.Id, user.Email!, user.DisplayName, user.Department, role);
    }

    /// <summary>The per-account limiter's key: sign-in and the account page's re-checks of the password share it.</summary>
    internal static string AccountKey(Guid tenantId, string email) => "t:" + tenantId + ":" + email.ToUpperInvariant();

    private async Task<Outcome<LoginResponse>> SetPasswordByLinkAsync(LinkPasswordRequest request, LinkPurpose purpose, string action,
        string? client, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var found = await links.FindAsync(request.Token, purpose, ct);
        if (found is not { } f)
        {
            return Failures.Field("token", IdentityText.Get("link_invalid"));
        }

        if (!accountLimiter.TryAcquire(AccountKey(f.User.Email!)))
        {
            return Failures.Of(StatusCodes.Status429TooManyRequests, "rate_limited");
        }

        var errors = PasswordRules.Check(request.Password, f.User.Email);
        if (errors.Count > 0)
        {
            return Failures.Fields(new Dictionary<string, string[]> { ["password"] = [.. errors.Select(e => IdentityText.Get(e))] });
        }

        if (!await links.ConsumeAsync(f.Link, ct))
        {
            return Failures.Field("token", IdentityText.Get("link_invalid"));
        }

        var user = f.User;
        user.PasswordHash = users.PasswordHasher.HashPassword(user, request.Password!);
        user.EmailConfirmed = true;
        user.LockoutEnd = null;
        user.AccessFailedCount = 0;
        await users.UpdateSecurityStampAsync(user);
        await audit.WriteAsync(action, user.Id.ToString(), user.Id.ToString(), null, client, ct);
        return new LoginResponse("login");
    }

    /// <summary>The per-account limit and the lockout, checked before a second factor is tried.</summary>
    private async Task<Failure?> RefusedAsync(TenantUser user)
    {
        if (!accountLimiter.TryAcquire(AccountKey(user.Email!)))
        {
            return Failures.Of(StatusCodes.Status429TooManyRequests, "rate_limited");
        }

        return await users.IsLockedOutAsync(user) ? Failures.Of(StatusCodes.Status403Forbidden, "locked_out") : null;
    }

    private async Task<Failure> FailAsync(string? client, TenantUser user, string what, Failure answer)
    {
        failureLimiter.RecordFailure(FailureKey(client));
        await ChangeAccountAsync(user, () => users.AccessFailedAsync(user));
        await audit.WriteAsync(AuditActions.SignInFailed, user.Id.ToString(), user.Id.ToString(), what, client);
        if (await users.IsLockedOutAsync(user))
        {
            await audit.WriteAsync(AuditActions.LockedOut, AuditLog.System, user.Id.ToString(), null, client);
            return Failures.Of(StatusCodes.Status403Forbidden, "locked_out");
        }

        return answer;
    }

    private Task<bool> ChangeAccountAsync(TenantUser user, Func<Task<IdentityResult>?> change) => AccountRow.ChangeAsync(db, user, change);

    private async Task<SignedIn> CompleteAsync(string? client, TenantUser user, string method, IReadOnlyList<string>? codes)
    {
        await ChangeAccountAsync(user, () => users.ResetAccessFailedCountAsync(user));
        var me = await MeOfAsync(user);
        await audit.WriteAsync(AuditActions.SignInSucceeded, user.Id.ToString(), user.Id.ToString(), method, client);
        var tenantId = accessor.Required.TenantId;
        return new SignedIn(user, tenantId, new SignedInResponse(me, codes), knownBrowser.Issue(tenantId, user.Id));
    }

    private async Task<(TenantUser? User, string? Stage)> PendingAsync(PendingSignIn? pending)
    {
        if (pending is null || pending.TenantId != accessor.Required.TenantId)
        {
            return (null, null);
        }

        var user = await users.FindByIdAsync(pending.UserId.ToString());
        // A stamp change (MFA reset, disable) between the two steps voids the pending sign-in.
        if (user is null || user.DisabledAt is not null || user.SecurityStamp != pending.Stamp)
        {
            return (null, null);
        }

        return (user, pending.Stage);
    }

    /// <summary>Whether this browser has fully signed in to the account being tried before (see <see cref="KnownBrowser"/>).</summary>
    private async Task<bool> KnownHereAsync(string? cookie, string email)
    {
        if (email.Length == 0 || knownBrowser.AccountIn(cookie, accessor.Required.TenantId) is not { } known)
        {
            return false;
        }

        var user = await users.FindByIdAsync(known.ToString());
        return user is not null && string.Equals(user.NormalizedEmail, users.NormalizeEmail(email), StringComparison.Ordinal);
    }

    private string FailureKey(string? client) => SignInFailureLimiter.Key("t:" + accessor.Required.TenantId, client);

    private string AccountKey(string email) => AccountKey(accessor.Required.TenantId, email);
}
