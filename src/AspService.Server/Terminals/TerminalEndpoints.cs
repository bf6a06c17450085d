using AspService.Data.TenantData;
using AspService.Server.Audit;
using AspService.Server.Hosting;
using AspService.Server.Identity;
using AspService.Server.Pki;
using AspService.Server.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AspService.Server.Terminals;

public static class TerminalEndpoints
{
    /// <summary>Web role: the admin registry, staff views, enrollment and the tenant's public PKI documents.</summary>
    public static IEndpointRouteBuilder MapTerminalWebEndpoints(this IEndpointRouteBuilder app)
    {
        var admin = app.MapTenantGroup("/api/v1/terminals").WithTags("Terminals").RequireAuthorization(TenantAuth.AdminPolicy);
        admin.MapGet("/", async (TerminalRegistry r, string? kind, string? state, string? q, CancellationToken ct) => (await r.ListAsync(kind, state, q, ct)).ToOk())
            .WithSummary("List office and home terminals").WithName("ListTerminals")
            .Produces<IReadOnlyList<TerminalDto>>().ProducesProblem(StatusCodes.Status400BadRequest);
        admin.MapGet("/{id:guid}", async (TerminalRegistry r, Guid id, CancellationToken ct) =>
            await r.FindAsync(id, ct) is { } terminal ? (IResult)TypedResults.Ok(terminal) : TerminalRegistry.NotFound.ToProblem())
            .WithSummary("One terminal with its certificates and assigned staff").WithName("GetTerminal")
            .Produces<TerminalDto>().ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapPost("/", (HttpContext http, TerminalRegistry r, CancellationToken ct) =>
            JsonBody.WithAsync<TerminalRegistry.CreateRequest>(http, async b =>
                Answer(await r.CreateAsync(b, ActorOf(http), ct), t => TypedResults.Created($"/api/v1/terminals/{t.Id}", t)), ct))
            .WithSummary("Register a terminal ahead of its enrollment").WithName("CreateTerminal")
            .Accepts<TerminalRegistry.CreateRequest>("application/json").Produces<TerminalDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        admin.MapPut("/{id:guid}", (HttpContext http, TerminalRegistry r, Guid id, CancellationToken ct) =>
            JsonBody.WithAsync<TerminalRegistry.ChangeRequest>(http, async b => Answer(await r.ChangeAsync(id, b, ActorOf(http), ct), TypedResults.Ok), ct))
            .WithSummary("Rename or move a terminal").WithName("ChangeTerminal")
            .Accepts<TerminalRegistry.ChangeRequest>("application/json").Produces<TerminalDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapPost("/{id:guid}/approve", async (HttpContext http, TerminalRegistry r, Guid id, CancellationToken ct) =>
            Answer(await r.ApproveAsync(id, ActorOf(http), ct), TypedResults.Ok)).WithSummary("Approve a home device its owner enrolled")
            .WithName("ApproveTerminal").Produces<TerminalDto>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapPost("/{id:guid}/disable", async (HttpContext http, TerminalRegistry r, Guid id, CancellationToken ct) =>
            Answer(await r.DisableAsync(id, ActorOf(http), ct), TypedResults.Ok)).WithSummary("Disable: refused at its next handshake")
            .WithName("DisableTerminal").Produces<TerminalDto>().ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapPost("/{id:guid}/enable", async (HttpContext http, TerminalRegistry r, Guid id, CancellationToken ct) =>
            Answer(await r.EnableAsync(id, ActorOf(http), ct), TypedResults.Ok))
            .WithName("EnableTerminal").Produces<TerminalDto>().ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapPost("/{id:guid}/revoke", async (HttpContext http, TerminalRegistry r, Guid id, CancellationToken ct) =>
            await r.RevokeAsync(id, ActorOf(http), ct) is { } terminal ? (IResult)TypedResults.Ok(terminal) : TerminalRegistry.NotFound.ToProblem())
            .WithSummary("Revoke every certificate of the terminal")
            .WithName("RevokeTerminal").Produces<TerminalDto>().ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapDelete("/{id:guid}", async (HttpContext http, TerminalRegistry r, Guid id, CancellationToken ct) =>
            Answer(await r.DeleteAsync(id, ActorOf(http), ct), _ => TypedResults.NoContent()))
            .WithSummary("Delete (certificates revoked; audit history stays)")
            .WithName("DeleteTerminal").Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapPost("/{id:guid}/assignments", (HttpContext http, TerminalRegistry r, Guid id, CancellationToken ct) =>
            JsonBody.WithAsync<TerminalRegistry.AssignRequest>(http, async b => Answer(await r.AssignAsync(id, b.UserId, ActorOf(http), ct), TypedResults.Ok), ct))
            .WithSummary("Assign a staff member to an office terminal").WithName("AssignTerminal")
            .Accepts<TerminalRegistry.AssignRequest>("application/json").Produces<TerminalDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapDelete("/{id:guid}/assignments/{userId:guid}", async (HttpContext http, TerminalRegistry r, Guid id, Guid userId, CancellationToken ct) =>
            Answer(await r.UnassignAsync(id, userId, ActorOf(http), ct), _ => TypedResults.NoContent()))
            .WithName("UnassignTerminal").Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);

        var tokens = app.MapTenantGroup("/api/v1/enrollment-tokens").WithTags("Terminals").RequireAuthorization(TenantAuth.AdminPolicy);
        tokens.MapPost("/", (HttpContext http, EnrollmentTokens t, CancellationToken ct) =>
            JsonBody.WithAsync<EnrollmentTokens.CreateRequest>(http, async b => await t.IssueAsync(b, ActorOf(http), ct) switch
            {
                { Token: { } created } => TypedResults.Created($"/api/v1/enrollment-tokens/{created.Id}", created),
                var refused => Problems.Fields(new Dictionary<string, string[]>(refused.Fields!, StringComparer.Ordinal)),
            }, ct))
            .WithSummary("Create a one-time enrollment token (the value is shown once)").WithName("CreateEnrollmentToken")
            .Accepts<EnrollmentTokens.CreateRequest>("application/json").Produces<CreatedTokenDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        tokens.MapGet("/", async (EnrollmentTokens t, bool? open, CancellationToken ct) => TypedResults.Ok(await t.ListAsync(open ?? false, ct)))
            .WithName("ListEnrollmentTokens").Produces<IReadOnlyList<EnrollmentTokenDto>>();
        tokens.MapDelete("/{id:guid}", async (HttpContext http, EnrollmentTokens t, Guid id, CancellationToken ct) =>
            await t.RevokeAsync(id, ActorOf(http), ct) switch
            {
                TokenRevocation.Revoked => (IResult)TypedResults.NoContent(),
                TokenRevocation.AlreadyUsed => Problems.Titled(StatusCodes.Status409Conflict, "enrollment-token-used", TerminalText.Get("token_used")),
                _ => Problems.Titled(StatusCodes.Status404NotFound, "enrollment-token-not-found", TerminalText.Get("token_not_found")),
            })
            .WithName("RevokeEnrollmentToken").Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        var mine = app.MapTenantGroup("/api/v1/me").WithTags("Terminals").RequireAuthorization(TenantAuth.UserPolicy);
        mine.MapGet("/terminals", async (HttpContext http, TerminalRegistry r, CancellationToken ct) =>
            TypedResults.Ok(await r.MineAsync(Guid.Parse(HttpActor.Id(http.User)), ct)))
            .WithSummary("My assigned office terminals and my home devices").WithName("ListMyTerminals").Produces<TerminalRegistry.MyTerminals>();
        mine.MapPost("/enrollment-tokens", (HttpContext http, EnrollmentTokens t, CancellationToken ct) =>
            JsonBody.WithAsync<EnrollmentTokens.SelfRequest>(http, async b =>
            {
                var outcome = await t.CreateForSelfAsync(b, new Actor(Guid.Parse(HttpActor.Id(http.User)), HttpActor.Client(http)), ct);
                return outcome.Failure is { } refused ? refused.ToProblem() : TypedResults.Created($"/api/v1/enrollment-tokens/{outcome.Value!.Id}", outcome.Value);
            }, ct))
            .WithSummary("A token for my own home device (when the policy allows self-registration)").WithName("CreateMyEnrollmentToken")
            .Accepts<EnrollmentTokens.SelfRequest>("application/json").Produces<CreatedTokenDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden);

        app.MapTenantGroup("/api/v1/enrollments").WithTags("Terminals").RequireRateLimiting(RateLimitPolicies.Auth)
            .MapPost("/", (HttpContext http, TerminalEnrollment e, CancellationToken ct) =>
                JsonBody.WithAsync<TerminalEnrollment.EnrollRequest>(http, async b =>
                {
                    var enrolled = await e.EnrollAsync(b, HttpActor.Client(http), ct);
                    return enrolled.Failure is { } refused ? refused.ToProblem() : TypedResults.Created($"/api/v1/terminals/{enrolled.Value!.TerminalId}", enrolled.Value);
                }, ct))
            .WithSummary("Enroll a terminal: one-time token + PEM CSR → certificate chain").WithName("EnrollTerminal")
            .Accepts<TerminalEnrollment.EnrollRequest>("application/json").Produces<IssuedCertificate>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        var pki = app.MapTenantGroup("/api/v1/pki").WithTags("Terminals");
        pki.MapGet("/root", async (TenantCaStore cas, CancellationToken ct) =>
        {
            var roots = await cas.TrustedRootsAsync(ct);
            var pem = string.Join("\n", roots.Select(r => r.ExportCertificatePem()));
            return TypedResults.File(System.Text.Encoding.ASCII.GetBytes(pem), "application/x-pem-file", "tenant-ca.pem");
        }).RequireAuthorization(TenantAuth.AdminPolicy).WithSummary("The tenant CA's public root(s), PEM (two during a rollover)")
            .WithName("GetTenantCaRoots").Produces<byte[]>(StatusCodes.Status200OK, "application/x-pem-file");
        pki.MapGet("/crl", (TenantCrl crl, CancellationToken ct) => CrlAsync(crl, null, ct))
            .WithSummary("The current tenant CA's revocation list (DER); the relay itself checks serials in the database")
            .WithName("GetTenantCrl").Produces<byte[]>(StatusCodes.Status200OK, "application/pkix-crl").ProducesProblem(StatusCodes.Status404NotFound);
        pki.MapGet("/crl/{caId:guid}", (TenantCrl crl, Guid caId, CancellationToken ct) => CrlAsync(crl, caId, ct))
            .WithSummary("The revocation list of one tenant CA (the address in its certificates)")
            .WithName("GetTenantCaCrl").Produces<byte[]>(StatusCodes.Status200OK, "application/pkix-crl").ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <summary>Relay role, agent listener only: a verified terminal about itself.</summary>
    public static IEndpointRouteBuilder MapTerminalAgentEndpoints(this IEndpointRouteBuilder app)
    {
        var self = app.MapTerminalGroup("/api/v1/terminal").WithTags("Agent (mTLS)").AddEndpointFilter(RecheckAsync);
        self.MapGet("/", async (HttpContext http, TerminalEnrollment e, CancellationToken ct) => TypedResults.Ok(await e.SelfAsync(http.Terminal()!, ct)))
            .WithSummary("This terminal, as the registry sees it").WithName("GetSelfTerminal")
            .Produces<TerminalEnrollment.TerminalSelf>().ProducesProblem(StatusCodes.Status401Unauthorized);
        self.MapPost("/renewal", (HttpContext http, TerminalEnrollment e, CancellationToken ct) =>
            JsonBody.WithAsync<TerminalEnrollment.RenewRequest>(http, async b =>
                (IResult)(await e.RenewAsync(http.Terminal()!, b, HttpActor.Client(http), ct)).ToOk(), ct))
            .WithSummary("Renew with a new key, from two thirds of the certificate's life").WithName("RenewTerminalCertificate")
            .Accepts<TerminalEnrollment.RenewRequest>("application/json").Produces<IssuedCertificate>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        self.MapDelete("/", async (HttpContext http, TerminalEnrollment e, CancellationToken ct) =>
        {
            await e.UnenrollAsync(http.Terminal()!, HttpActor.Client(http), ct);
            return TypedResults.NoContent();
        })
            .WithSummary("Unenroll: this terminal's certificates are revoked").WithName("UnenrollTerminal")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status401Unauthorized);
        return app;
    }

    /// <summary>The admin (or "system") acting through this request, from the client's address.</summary>
    private static Actor ActorOf(HttpContext http)
    {
        var client = HttpActor.Client(http);
        return HttpActor.Of(http.User, client) ?? new Actor(Guid.Empty, client);
    }

    /// <summary>The API's answer to a registry outcome (the same problem+json as before the use cases were split out).</summary>
    private static IResult Answer(TerminalOutcome outcome, Func<TerminalDto, IResult> ok) =>
        outcome.Failure is { } failure ? failure.ToProblem() : ok(outcome.Terminal!);

    private static async Task<IResult> CrlAsync(TenantCrl crl, Guid? caId, CancellationToken ct) =>
        await crl.GetAsync(caId, ct) is { } der ? TypedResults.File(der, "application/pkix-crl", "tenant.crl") : Problems.NotFound();

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
