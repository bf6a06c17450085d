using AspService.Data.TenantData;
using AspService.Data.Terminals;
using AspService.Pki;
using AspService.Server.Hosting;
using AspService.Server.Identity;
using AspService.Server.Pki;
using AspService.Server.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Terminals;

public static class TerminalEndpoints
{
    /// <summary>Web role: the admin registry, staff views, enrollment and the tenant's public PKI documents.</summary>
    public static IEndpointRouteBuilder MapTerminalWebEndpoints(this IEndpointRouteBuilder app)
    {
        var admin = app.MapTenantGroup("/api/v1/terminals").WithTags("Terminals").RequireAuthorization(TenantAuth.AdminPolicy);
        admin.MapGet("/", (TerminalRegistry r, string? kind, string? state, string? q, CancellationToken ct) => r.ListAsync(kind, state, q, ct))
            .WithSummary("List office and home terminals");
        admin.MapGet("/{id:guid}", (TerminalRegistry r, Guid id, CancellationToken ct) => r.GetAsync(id, ct))
            .WithSummary("One terminal with its certificates and assigned staff");
        admin.MapPost("/", (HttpContext http, TerminalRegistry r, CancellationToken ct) =>
            JsonBody.WithAsync<TerminalRegistry.CreateRequest>(http, b => r.CreateAsync(http.User, b, TenantSignIn.Client(http), ct), ct))
            .WithSummary("Register a terminal ahead of its enrollment");
        admin.MapPut("/{id:guid}", (HttpContext http, TerminalRegistry r, Guid id, CancellationToken ct) =>
            JsonBody.WithAsync<TerminalRegistry.ChangeRequest>(http, b => r.ChangeAsync(http.User, id, b, TenantSignIn.Client(http), ct), ct))
            .WithSummary("Rename or move a terminal");
        admin.MapPost("/{id:guid}/approve", (HttpContext http, TerminalRegistry r, Guid id, CancellationToken ct) =>
            r.ApproveAsync(http.User, id, TenantSignIn.Client(http), ct)).WithSummary("Approve a home device its owner enrolled");
        admin.MapPost("/{id:guid}/disable", (HttpContext http, TerminalRegistry r, Guid id, CancellationToken ct) =>
            r.DisableAsync(http.User, id, TenantSignIn.Client(http), ct)).WithSummary("Disable: refused at its next handshake");
        admin.MapPost("/{id:guid}/enable", (HttpContext http, TerminalRegistry r, Guid id, CancellationToken ct) =>
            r.EnableAsync(http.User, id, TenantSignIn.Client(http), ct));
        admin.MapPost("/{id:guid}/revoke", (HttpContext http, TerminalRegistry r, Guid id, CancellationToken ct) =>
            r.RevokeAsync(http.User, id, TenantSignIn.Client(http), ct)).WithSummary("Revoke every certificate of the terminal");
        admin.MapDelete("/{id:guid}", (HttpContext http, TerminalRegistry r, Guid id, CancellationToken ct) =>
            r.DeleteAsync(http.User, id, TenantSignIn.Client(http), ct)).WithSummary("Delete (certificates revoked; audit history stays)");
        admin.MapPost("/{id:guid}/assignments", (HttpContext http, TerminalRegistry r, Guid id, CancellationToken ct) =>
            JsonBody.WithAsync<TerminalRegistry.AssignRequest>(http, b => r.AssignAsync(http.User, id, b, TenantSignIn.Client(http), ct), ct))
            .WithSummary("Assign a staff member to an office terminal");
        admin.MapDelete("/{id:guid}/assignments/{userId:guid}", (HttpContext http, TerminalRegistry r, Guid id, Guid userId, CancellationToken ct) =>
            r.UnassignAsync(http.User, id, userId, TenantSignIn.Client(http), ct));

        var tokens = app.MapTenantGroup("/api/v1/enrollment-tokens").WithTags("Terminals").RequireAuthorization(TenantAuth.AdminPolicy);
        tokens.MapPost("/", (HttpContext http, EnrollmentTokens t, CancellationToken ct) =>
            JsonBody.WithAsync<EnrollmentTokens.CreateRequest>(http, b => t.CreateAsync(http.User, b, TenantSignIn.Client(http), ct), ct))
            .WithSummary("Create a one-time enrollment token (the value is shown once)");
        tokens.MapGet("/", async (EnrollmentTokens t, bool? open, CancellationToken ct) => TypedResults.Ok(await t.ListAsync(open ?? false, ct)));
        tokens.MapDelete("/{id:guid}", (HttpContext http, EnrollmentTokens t, Guid id, CancellationToken ct) =>
            t.RevokeAsync(http.User, id, TenantSignIn.Client(http), ct));

        var mine = app.MapTenantGroup("/api/v1/me").WithTags("Terminals").RequireAuthorization(TenantAuth.UserPolicy);
        mine.MapGet("/terminals", async (HttpContext http, TerminalRegistry r, CancellationToken ct) => TypedResults.Ok(await r.MineAsync(http.User, ct)))
            .WithSummary("My assigned office terminals and my home devices");
        mine.MapPost("/enrollment-tokens", (HttpContext http, EnrollmentTokens t, CancellationToken ct) =>
            JsonBody.WithAsync<EnrollmentTokens.SelfRequest>(http, b => t.CreateForSelfAsync(http.User, b, TenantSignIn.Client(http), ct), ct))
            .WithSummary("A token for my own home device (when the policy allows self-registration)");

        app.MapTenantGroup("/api/v1/enrollments").WithTags("Terminals").RequireRateLimiting(RateLimitPolicies.Auth)
            .MapPost("/", (HttpContext http, TerminalEnrollment e, CancellationToken ct) =>
                JsonBody.WithAsync<TerminalEnrollment.EnrollRequest>(http, b => e.EnrollAsync(b, TenantSignIn.Client(http), ct), ct))
            .WithSummary("Enroll a terminal: one-time token + PEM CSR → certificate chain");

        var pki = app.MapTenantGroup("/api/v1/pki").WithTags("Terminals");
        pki.MapGet("/root", async (TenantCaStore cas, CancellationToken ct) =>
        {
            var roots = await cas.TrustedRootsAsync(ct);
            var pem = string.Join("\n", roots.Select(r => r.ExportCertificatePem()));
            return TypedResults.File(System.Text.Encoding.ASCII.GetBytes(pem), "application/x-pem-file", "tenant-ca.pem");
        }).RequireAuthorization(TenantAuth.AdminPolicy).WithSummary("The tenant CA's public root(s), PEM (two during a rollover)");
        pki.MapGet("/crl", (TenantCrl crl, CancellationToken ct) => crl.GetAsync(null, ct))
            .WithSummary("The current tenant CA's revocation list (DER); the relay itself checks serials in the database");
        pki.MapGet("/crl/{caId:guid}", (TenantCrl crl, Guid caId, CancellationToken ct) => crl.GetAsync(caId, ct))
            .WithSummary("The revocation list of one tenant CA (the address in its certificates)");
        return app;
    }

    /// <summary>Relay role, agent listener only: a verified terminal about itself.</summary>
    public static IEndpointRouteBuilder MapTerminalAgentEndpoints(this IEndpointRouteBuilder app)
    {
        var self = app.MapTerminalGroup("/api/v1/terminal").WithTags("Agent (mTLS)").AddEndpointFilter(RecheckAsync);
        self.MapGet("/", (HttpContext http, TerminalEnrollment e, CancellationToken ct) => e.SelfAsync(http.Terminal()!, ct))
            .WithSummary("This terminal, as the registry sees it");
        self.MapPost("/renewal", (HttpContext http, TerminalEnrollment e, CancellationToken ct) =>
            JsonBody.WithAsync<TerminalEnrollment.RenewRequest>(http, b => e.RenewAsync(http.Terminal()!, b, TenantSignIn.Client(http), ct), ct))
            .WithSummary("Renew with a new key, from two thirds of the certificate's life");
        self.MapDelete("/", (HttpContext http, TerminalEnrollment e, CancellationToken ct) => e.UnenrollAsync(http.Terminal()!, TenantSignIn.Client(http), ct))
            .WithSummary("Unenroll: this terminal's certificates are revoked");
        return app;
    }

    /// <summary>A keep-alive connection outlives a revocation: each request re-reads the facts the handshake checked.</summary>
    private static async ValueTask<object?> RecheckAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var terminal = http.Terminal()!;
        var db = http.RequestServices.GetRequiredService<TenantDbContext>();
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var refusal = await TerminalVerifier.RecheckAsync(db, terminal, now, http.RequestAborted);
        return refusal is null
            ? await next(context)
            : Problems.Titled(StatusCodes.Status401Unauthorized, "certificate-refused", TerminalText.Get("certificate_refused", refusal));
    }
}
