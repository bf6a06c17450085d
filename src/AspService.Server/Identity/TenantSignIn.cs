using System.Security.Claims;
using AspService.Data.Identity;
using AspService.Data.TenantData;
using AspService.Identity;
using AspService.Server.Audit;
using AspService.Server.Hosting;
using AspService.Server.Tenancy;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Identity;

/// <summary>
/// Tenant sign-in: password, then TOTP (enrolled on first sign-in, mandatory). Only after the second
/// factor does the tenant session cookie exist. Also the link flows: accept invitation, password reset.
/// </summary>
public sealed class TenantSignIn(
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
    public const int RecoveryCodeCount = RecoveryCodeIssuer.Count;
    private const string StageClaim = "stage";

    public sealed record LoginRequest(string? Email, string? Password);

    public sealed record CodeRequest(string? Code);

    public sealed record LinkPasswordRequest(string? Token, string? Password);

    public sealed record ForgotRequest(string? Email);

    public sealed record LoginResponse(string Next);

    public sealed record EnrollmentResponse(string Secret, string OtpauthUri, string QrSvg);

    public sealed record MeResponse(Guid Id, string Email, string DisplayName, string? Department, string Role);

    public sealed record SignedInResponse(MeResponse User, IReadOnlyList<string>? RecoveryCodes);

    public async Task<IResult> LoginAsync(HttpContext http, LoginRequest request)
    {
        var email = request.Email?.Trim() ?? "";
        if (Throttled(http) is { } throttled && !await KnownHereAsync(http, email))
        {
            return throttled;
        }

        if (!accountLimiter.TryAcquire(AccountKey(email)))
        {
            return Problems.Of(StatusCodes.Status429TooManyRequests, "rate_limited");
        }

        var user = email.Length == 0 ? null : await users.FindByEmailAsync(email);
        if (user is null)
        {
            // Same answer as a wrong password: do not reveal which addresses exist.
            failureLimiter.RecordFailure(FailureKey(http));
            return Problems.Of(StatusCodes.Status401Unauthorized, "signin_failed");
        }

        if (await users.IsLockedOutAsync(user))
        {
            await audit.WriteAsync(AuditActions.SignInFailed, user.Id.ToString(), user.Id.ToString(), "locked", Client(http));
            return Problems.Of(StatusCodes.Status403Forbidden, "locked_out");
        }

        if (!await users.CheckPasswordAsync(user, request.Password ?? ""))
        {
            return await FailAsync(http, user, "password", Problems.Of(StatusCodes.Status401Unauthorized, "signin_failed"));
        }

        if (user.DisabledAt is not null)
        {
            await audit.WriteAsync(AuditActions.SignInFailed, user.Id.ToString(), user.Id.ToString(), "disabled", Client(http));
            return Problems.Titled(StatusCodes.Status403Forbidden, "account-disabled", IdentityText.Get("account_disabled"));
        }

        var stage = user.TwoFactorEnabled && user.TotpSecretProtected is not null ? "verify" : "enroll";
        var identity = new ClaimsIdentity(TenantAuth.SecondFactorScheme);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()));
        identity.AddClaim(new Claim(StageClaim, stage));
        identity.AddClaim(new Claim(TenantAuth.TenantClaim, accessor.Required.TenantId.ToString()));
        identity.AddClaim(new Claim(TenantAuth.StampClaim, user.SecurityStamp ?? ""));
        await http.SignInAsync(TenantAuth.SecondFactorScheme, new ClaimsPrincipal(identity));
        return TypedResults.Ok(new LoginResponse(stage == "enroll" ? "totp-enroll" : "totp"));
    }

    public async Task<IResult> BeginEnrollmentAsync(HttpContext http)
    {
        var (user, stage) = await PendingAsync(http);
        if (user is null || stage != "enroll")
        {
            return Problems.Of(StatusCodes.Status401Unauthorized, "mfa_stage");
        }

        var key = keys.New(user.Email!);
        user.TotpSecretProtected = keys.Protect(key.Secret);
        user.TotpLastStep = null;
        await users.UpdateAsync(user);
        return TypedResults.Ok(new EnrollmentResponse(key.Base32Secret, key.OtpauthUri, key.QrSvg));
    }

    public async Task<IResult> VerifyCodeAsync(HttpContext http, CodeRequest request)
    {
        var (user, stage) = await PendingAsync(http);
        if (user is null || user.TotpSecretProtected is null)
        {
            return Problems.Of(StatusCodes.Status401Unauthorized, "mfa_stage");
        }

        if (!accountLimiter.TryAcquire(AccountKey(user.Email!)))
        {
            return Problems.Of(StatusCodes.Status429TooManyRequests, "rate_limited");
        }

        if (await users.IsLockedOutAsync(user))
        {
            return Problems.Of(StatusCodes.Status403Forbidden, "locked_out");
        }

        var secret = keys.Unprotect(user.TotpSecretProtected);
        var step = Totp.Verify(secret, request.Code, time.GetUtcNow(), user.TotpLastStep);
        if (step is null)
        {
            return await FailAsync(http, user, "code", Problems.Field("code", Text.Get("totp_invalid")));
        }

        IReadOnlyList<string>? codes = stage == "enroll" ? await RecoveryCodeIssuer.ReplaceAsync(db, user.Id) : null;
        var used = await ChangeAccountAsync(user, () =>
        {
            if (user.TotpLastStep >= step)
            {
                return null; // the same code was used meanwhile (read again after a race): a replay
            }

            user.TotpLastStep = step;
            user.TwoFactorEnabled |= stage == "enroll";
            return users.UpdateAsync(user);
        });
        if (!used)
        {
            foreach (var added in db.ChangeTracker.Entries<RecoveryCode>().Where(e => e.State == EntityState.Added).ToList())
            {
                added.State = EntityState.Detached; // not this attempt's to keep
            }

            return await FailAsync(http, user, "code", Problems.Field("code", Text.Get("totp_invalid")));
        }

        if (codes is not null)
        {
            await audit.WriteAsync(AuditActions.MfaEnrolled, user.Id.ToString(), user.Id.ToString(), null, Client(http));
        }

        return TypedResults.Ok(new SignedInResponse(await CompleteAsync(http, user, "totp"), codes));
    }

    public async Task<IResult> RecoveryAsync(HttpContext http, CodeRequest request)
    {
        var (user, stage) = await PendingAsync(http);
        if (user is null || stage != "verify")
        {
            return Problems.Of(StatusCodes.Status401Unauthorized, "mfa_stage");
        }

        if (!accountLimiter.TryAcquire(AccountKey(user.Email!)))
        {
            return Problems.Of(StatusCodes.Status429TooManyRequests, "rate_limited");
        }

        if (await users.IsLockedOutAsync(user))
        {
            return Problems.Of(StatusCodes.Status403Forbidden, "locked_out");
        }

        var hash = RecoveryCodeIssuer.Hash(request.Code);
        var now = time.GetUtcNow();
        var used = hash is not null && await db.RecoveryCodes.Where(c => c.UserId == user.Id && c.CodeHash == hash && c.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, now)) == 1;
        if (!used)
        {
            return await FailAsync(http, user, "recovery", Problems.Field("code", IdentityText.Get("recovery_invalid")));
        }

        await audit.WriteAsync(AuditActions.RecoveryCodeUsed, user.Id.ToString(), user.Id.ToString(), null, Client(http));
        return TypedResults.Ok(new SignedInResponse(await CompleteAsync(http, user, "recovery"), null));
    }

    public async Task<IResult> AcceptInvitationAsync(HttpContext http, LinkPasswordRequest request, CancellationToken ct) =>
        await SetPasswordByLinkAsync(http, request, LinkPurpose.Invitation, AuditActions.InvitationAccepted, ct);

    public async Task<IResult> ResetPasswordAsync(HttpContext http, LinkPasswordRequest request, CancellationToken ct) =>
        await SetPasswordByLinkAsync(http, request, LinkPurpose.PasswordReset, AuditActions.PasswordReset, ct);

    public async Task<IResult> ForgotPasswordAsync(HttpContext http, ForgotRequest request, CancellationToken ct)
    {
        var email = request.Email?.Trim() ?? "";
        if (!accountLimiter.TryAcquire(AccountKey(email)))
        {
            return Problems.Of(StatusCodes.Status429TooManyRequests, "rate_limited");
        }

        var user = email.Length == 0 ? null : await users.FindByEmailAsync(email);
        if (user is not null && user.DisabledAt is null && user.PasswordHash is not null)
        {
            await links.SendResetAsync(user, ct);
            await audit.WriteAsync(AuditActions.PasswordResetRequested, user.Id.ToString(), user.Id.ToString(), null, Client(http), ct);
        }

        // The same answer whether or not the address exists.
        return TypedResults.Accepted((string?)null);
    }

    public async Task<IResult> MeAsync(HttpContext http)
    {
        var user = await users.GetUserAsync(http.User);
        return user is null ? Problems.Of(StatusCodes.Status401Unauthorized, "unauthorized") : TypedResults.Ok(await MeOfAsync(user));
    }

    public async Task<MeResponse> MeOfAsync(TenantUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var role = (await users.GetRolesAsync(user)).FirstOrDefault() ?? TenantRoles.Staff;
        return new MeResponse(user.Id, user.Email!, user.DisplayName, user.Department, role);
    }

    public static string? Client(HttpContext http) => http.Connection.RemoteIpAddress?.ToString();

    private async Task<IResult> SetPasswordByLinkAsync(HttpContext http, LinkPasswordRequest request, LinkPurpose purpose, string action,
        CancellationToken ct)
    {
        var found = await links.FindAsync(request.Token, purpose, ct);
        if (found is not { } f)
        {
            return Problems.Field("token", IdentityText.Get("link_invalid"));
        }

        if (!accountLimiter.TryAcquire(AccountKey(f.User.Email!)))
        {
            return Problems.Of(StatusCodes.Status429TooManyRequests, "rate_limited");
        }

        var errors = PasswordRules.Check(request.Password, f.User.Email);
        if (errors.Count > 0)
        {
            return Problems.Fields(new Dictionary<string, string[]> { ["password"] = [.. errors.Select(e => IdentityText.Get(e))] });
        }

        if (!await links.ConsumeAsync(f.Link, ct))
        {
            return Problems.Field("token", IdentityText.Get("link_invalid"));
        }

        var user = f.User;
        user.PasswordHash = users.PasswordHasher.HashPassword(user, request.Password!);
        user.EmailConfirmed = true;
        user.LockoutEnd = null;
        user.AccessFailedCount = 0;
        await users.UpdateSecurityStampAsync(user);
        await audit.WriteAsync(action, user.Id.ToString(), user.Id.ToString(), null, Client(http), ct);
        return TypedResults.Ok(new LoginResponse("login"));
    }

    private async Task<IResult> FailAsync(HttpContext http, TenantUser user, string what, IResult answer)
    {
        failureLimiter.RecordFailure(FailureKey(http));
        await ChangeAccountAsync(user, () => users.AccessFailedAsync(user));
        await audit.WriteAsync(AuditActions.SignInFailed, user.Id.ToString(), user.Id.ToString(), what, Client(http));
        if (await users.IsLockedOutAsync(user))
        {
            await audit.WriteAsync(AuditActions.LockedOut, AuditLog.System, user.Id.ToString(), null, Client(http));
            return Problems.Of(StatusCodes.Status403Forbidden, "locked_out");
        }

        return answer;
    }

    private Task<bool> ChangeAccountAsync(TenantUser user, Func<Task<IdentityResult>?> change) => AccountRow.ChangeAsync(db, user, change);

    private async Task<MeResponse> CompleteAsync(HttpContext http, TenantUser user, string method)
    {
        await ChangeAccountAsync(user, () => users.ResetAccessFailedCountAsync(user));
        var me = await MeOfAsync(user);
        await http.SignOutAsync(TenantAuth.SecondFactorScheme);
        await http.SignInAsync(TenantAuth.Scheme, TenantAuth.Principal(user, me.Role, accessor.Required.TenantId));
        knownBrowser.Remember(http, accessor.Required.TenantId, user.Id);
        await audit.WriteAsync(AuditActions.SignInSucceeded, user.Id.ToString(), user.Id.ToString(), method, Client(http));
        return me;
    }

    private async Task<(TenantUser? User, string? Stage)> PendingAsync(HttpContext http)
    {
        var result = await http.AuthenticateAsync(TenantAuth.SecondFactorScheme);
        var id = result.Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        if (!result.Succeeded || id is null)
        {
            return (null, null);
        }

        var user = await users.FindByIdAsync(id);
        // A stamp change (MFA reset, disable) between the two steps voids the pending sign-in.
        if (user is null || user.DisabledAt is not null || user.SecurityStamp != result.Principal!.FindFirstValue(TenantAuth.StampClaim))
        {
            return (null, null);
        }

        return (user, result.Principal!.FindFirstValue(StageClaim));
    }

    /// <summary>Too many failures from this address in this tenant: refused whatever account it tries (password spraying).</summary>
    private ProblemHttpResult? Throttled(HttpContext http)
    {
        if (!failureLimiter.IsBlocked(FailureKey(http)))
        {
            return null;
        }

        http.Response.Headers.RetryAfter = failureLimiter.SecondsLeft().ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Problems.Of(StatusCodes.Status429TooManyRequests, "signin_throttled");
    }

    /// <summary>Whether this browser has fully signed in to the account being tried before (see <see cref="KnownBrowser"/>).</summary>
    private async Task<bool> KnownHereAsync(HttpContext http, string email)
    {
        if (email.Length == 0 || knownBrowser.AccountIn(http, accessor.Required.TenantId) is not { } known)
        {
            return false;
        }

        var user = await users.FindByIdAsync(known.ToString());
        return user is not null && string.Equals(user.NormalizedEmail, users.NormalizeEmail(email), StringComparison.Ordinal);
    }

    private string FailureKey(HttpContext http) => SignInFailureLimiter.Key("t:" + accessor.Required.TenantId, http);

    private string AccountKey(string email) => AccountKey(accessor.Required.TenantId, email);

    /// <summary>The per-account limiter's key: sign-in and the account page's re-checks of the password share it.</summary>
    internal static string AccountKey(Guid tenantId, string email) => "t:" + tenantId + ":" + email.ToUpperInvariant();
}
