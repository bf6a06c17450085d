using AspService.Server.Hosting;
using AspService.Server.Tenancy;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;

namespace AspService.Server.Identity;

public static class TenantIdentityEndpoints
{
    public static IEndpointRouteBuilder MapTenantIdentityEndpoints(this IEndpointRouteBuilder app)
    {
        var auth = app.MapTenantGroup("/api/v1/auth").WithTags("Tenant sign-in").RequireRateLimiting(RateLimitPolicies.Auth);

        auth.MapPost("/login", (HttpContext http, TenantSignIn s, CancellationToken ct) =>
            JsonBody.WithAsync<TenantSignIn.LoginRequest>(http, b => s.LoginAsync(http, b), ct)).WithSummary("Password step of sign-in");
        auth.MapPost("/totp/enroll", (HttpContext http, TenantSignIn s) => s.BeginEnrollmentAsync(http))
            .WithSummary("Start mandatory TOTP enrollment: secret (manual key), otpauth URI and QR code");
        auth.MapPost("/totp", (HttpContext http, TenantSignIn s, CancellationToken ct) =>
            JsonBody.WithAsync<TenantSignIn.CodeRequest>(http, b => s.VerifyCodeAsync(http, b), ct))
            .WithSummary("Second factor; on enrollment also returns ten recovery codes, shown once");
        auth.MapPost("/recovery", (HttpContext http, TenantSignIn s, CancellationToken ct) =>
            JsonBody.WithAsync<TenantSignIn.CodeRequest>(http, b => s.RecoveryAsync(http, b), ct)).WithSummary("Second factor with a single-use recovery code");
        auth.MapPost("/invitation/accept", (HttpContext http, TenantSignIn s, CancellationToken ct) =>
            JsonBody.WithAsync<TenantSignIn.LinkPasswordRequest>(http, b => s.AcceptInvitationAsync(http, b, ct), ct)).WithSummary("Set the first password from an invitation link");
        auth.MapPost("/password/forgot", (HttpContext http, TenantSignIn s, CancellationToken ct) =>
            JsonBody.WithAsync<TenantSignIn.ForgotRequest>(http, b => s.ForgotPasswordAsync(http, b, ct), ct)).WithSummary("Mail a password reset link (same answer for unknown addresses)");
        auth.MapPost("/password/reset", (HttpContext http, TenantSignIn s, CancellationToken ct) =>
            JsonBody.WithAsync<TenantSignIn.LinkPasswordRequest>(http, b => s.ResetPasswordAsync(http, b, ct), ct)).WithSummary("Set a new password from a reset link");
        auth.MapPost("/logout", async (HttpContext http, AspService.Server.Audit.AuditLog audit, CancellationToken ct) =>
        {
            var who = (await http.AuthenticateAsync(TenantAuth.Scheme)).Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
            if (who is not null)
            {
                await audit.WriteAsync(AspService.Server.Audit.AuditActions.SignedOut, who, who, null, TenantSignIn.Client(http), ct);
            }

            await http.SignOutAsync(TenantAuth.Scheme);
            await http.SignOutAsync(TenantAuth.SecondFactorScheme);
            return TypedResults.NoContent();
        });
        app.MapTenantGroup("/api/v1/me").WithTags("Tenant sign-in").RequireAuthorization(TenantAuth.UserPolicy)
            .MapGet("/", (HttpContext http, TenantSignIn s) => s.MeAsync(http)).WithSummary("The signed-in user");

        var users = app.MapTenantGroup("/api/v1/users").WithTags("Tenant users").RequireAuthorization(TenantAuth.AdminPolicy);
        users.MapGet("/", async (TenantUsersAdmin a, string? q, string? role, int? skip, int? take, CancellationToken ct) =>
            TypedResults.Ok(await a.ListAsync(q, role, skip ?? 0, take ?? 50, ct))).WithSummary("List and search users");
        users.MapGet("/{id:guid}", async (TenantUsersAdmin a, Guid id, CancellationToken ct) =>
            await a.GetAsync(id, ct) is { } u ? (IResult)TypedResults.Ok(u) : Problems.NotFound());
        users.MapPost("/", (HttpContext http, TenantUsersAdmin a, CancellationToken ct) =>
            JsonBody.WithAsync<TenantUsersAdmin.InviteRequest>(http, b => a.InviteAsync(http.User, b, TenantSignIn.Client(http), ct), ct))
            .WithSummary("Invite a user (mails a 72-hour single-use link)");
        users.MapPost("/{id:guid}/disable", (HttpContext http, TenantUsersAdmin a, Guid id, CancellationToken ct) =>
            a.DisableAsync(http.User, id, TenantSignIn.Client(http), ct)).WithSummary("Disable; ends the user's sessions");
        users.MapPost("/{id:guid}/invitation", (HttpContext http, TenantUsersAdmin a, Guid id, CancellationToken ct) =>
            a.ResendInvitationAsync(http.User, id, TenantSignIn.Client(http), ct)).WithSummary("Send a new invitation to a user who has not accepted yet");
        users.MapPost("/{id:guid}/enable", (HttpContext http, TenantUsersAdmin a, Guid id, CancellationToken ct) =>
            a.EnableAsync(http.User, id, TenantSignIn.Client(http), ct));
        users.MapDelete("/{id:guid}", (HttpContext http, TenantUsersAdmin a, Guid id, CancellationToken ct) =>
            a.DeleteAsync(http.User, id, TenantSignIn.Client(http), ct)).WithSummary("Delete (soft: audit history stays)");
        users.MapPut("/{id:guid}/role", (HttpContext http, TenantUsersAdmin a, Guid id, CancellationToken ct) =>
            JsonBody.WithAsync<TenantUsersAdmin.RoleRequest>(http, b => a.ChangeRoleAsync(http.User, id, b, TenantSignIn.Client(http), ct), ct));
        users.MapPost("/{id:guid}/mfa/reset", (HttpContext http, TenantUsersAdmin a, Guid id, CancellationToken ct) =>
            a.ResetMfaAsync(http.User, id, TenantSignIn.Client(http), ct)).WithSummary("Reset MFA: the user enrolls again at next sign-in");
        users.MapGet("/export", async (TenantUsersAdmin a, CancellationToken ct) =>
            TypedResults.File(await a.ExportCsvAsync(ct), "text/csv; charset=utf-8", "users.csv")).WithSummary("User list as CSV (UTF-8 with BOM)");
        users.MapPost("/import", async (HttpContext http, StaffImport import, bool? dryRun, CancellationToken ct) =>
        {
            // Read at most one byte more than allowed, so an oversized upload is refused without buffering it all.
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while (buffer.Length <= StaffImport.MaxBytes && (read = await http.Request.Body.ReadAsync(chunk, ct)) > 0)
            {
                buffer.Write(chunk, 0, read);
            }

            return await import.RunAsync(http.User, buffer.ToArray(), dryRun ?? false, TenantSignIn.Client(http), ct);
        }).WithSummary("Bulk import staff from CSV (UTF-8 or Shift_JIS; ?dryRun=true checks only)");

        return app;
    }
}
