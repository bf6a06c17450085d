using AspService.Server.Hosting;
using AspService.Server.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AspService.Server.Identity;

/// <summary>The tenant admin's user routes: bind, call <see cref="TenantUsersAdmin"/> or <see cref="StaffImport"/>, translate.</summary>
public static class TenantIdentityEndpoints
{
    public static IEndpointRouteBuilder MapTenantIdentityEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapTenantSignInEndpoints();

        var users = app.MapTenantGroup("/api/v1/users").WithTags("Tenant users").RequireAuthorization(TenantAuth.AdminPolicy);
        users.MapGet("/", async (TenantUsersAdmin a, string? q, string? role, int? skip, int? take, CancellationToken ct) =>
                TypedResults.Ok(await a.ListAsync(q, role, skip ?? 0, take ?? 50, ct)))
            .WithName("ListTenantUsers").WithSummary("List and search users").Produces<TenantUsersAdmin.UserPage>();
        users.MapGet("/{id:guid}", async Task<Results<Ok<TenantUsersAdmin.UserDto>, ProblemHttpResult>> (TenantUsersAdmin a, Guid id, CancellationToken ct) =>
                await a.GetAsync(id, ct) is { } u ? TypedResults.Ok(u) : Problems.NotFound())
            .WithName("GetTenantUser").ProducesProblem(StatusCodes.Status404NotFound);
        users.MapPost("/", (HttpContext http, TenantUsersAdmin a, CancellationToken ct) =>
                JsonBody.WithAsync<TenantUsersAdmin.InviteRequest>(http, async b =>
                    ToResult(await a.InviteAsync(b, ActorOf(http), ct), u => TypedResults.Created($"/api/v1/users/{u.Id}", u)), ct))
            .WithName("InviteTenantUser").WithSummary("Invite a user (mails a 72-hour single-use link)")
            .Accepts<TenantUsersAdmin.InviteRequest>("application/json").Produces<TenantUsersAdmin.UserDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        users.MapPost("/{id:guid}/disable", async (HttpContext http, TenantUsersAdmin a, Guid id, CancellationToken ct) =>
                ToResult(await a.DisableAsync(id, ActorOf(http), ct), TypedResults.Ok))
            .WithName("DisableTenantUser").WithSummary("Disable; ends the user's sessions").ProducesUserChange();
        users.MapPost("/{id:guid}/invitation", async (HttpContext http, TenantUsersAdmin a, Guid id, CancellationToken ct) =>
                ToResult(await a.ResendInvitationAsync(id, ActorOf(http), ct), u => TypedResults.Accepted($"/api/v1/users/{u.Id}"), plainNotFound: true))
            .WithName("ResendTenantUserInvitation").WithSummary("Send a new invitation to a user who has not accepted yet")
            .Produces(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        users.MapPost("/{id:guid}/enable", async (HttpContext http, TenantUsersAdmin a, Guid id, CancellationToken ct) =>
                ToResult(await a.EnableAsync(id, ActorOf(http), ct), TypedResults.Ok))
            .WithName("EnableTenantUser").ProducesUserChange();
        users.MapDelete("/{id:guid}", async (HttpContext http, TenantUsersAdmin a, Guid id, CancellationToken ct) =>
                ToResult(await a.DeleteAsync(id, ActorOf(http), ct), TypedResults.Ok))
            .WithName("DeleteTenantUser").WithSummary("Delete (soft: audit history stays)").ProducesUserChange();
        users.MapPut("/{id:guid}/role", (HttpContext http, TenantUsersAdmin a, Guid id, CancellationToken ct) =>
                JsonBody.WithAsync<TenantUsersAdmin.RoleRequest>(http, async b => ToResult(await a.ChangeRoleAsync(id, b.Role, ActorOf(http), ct), TypedResults.Ok), ct))
            .WithName("ChangeTenantUserRole").Accepts<TenantUsersAdmin.RoleRequest>("application/json").ProducesUserChange()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        users.MapPost("/{id:guid}/mfa/reset", async (HttpContext http, TenantUsersAdmin a, Guid id, CancellationToken ct) =>
                ToResult(await a.ResetMfaAsync(id, ActorOf(http), ct), TypedResults.Ok))
            .WithName("ResetTenantUserMfa").WithSummary("Reset MFA: the user enrolls again at next sign-in").ProducesUserChange();
        users.MapGet("/export", async (TenantUsersAdmin a, CancellationToken ct) =>
                TypedResults.File(await a.ExportCsvAsync(ct), "text/csv; charset=utf-8", "users.csv"))
            .WithName("ExportTenantUsers").WithSummary("User list as CSV (UTF-8 with BOM)").Produces<byte[]>(StatusCodes.Status200OK, "text/csv");
        users.MapPost("/import", ImportAsync)
            .WithName("ImportTenantUsers").WithSummary("Bulk import staff from CSV (UTF-8 or Shift_JIS; ?dryRun=true checks only)")
            .Produces<StaffImport.ImportResponse>().ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        return app;
    }

    private static async Task<Results<Ok<StaffImport.ImportResponse>, ProblemHttpResult>> ImportAsync(
        HttpContext http, StaffImport import, bool? dryRun, CancellationToken ct)
    {
        // Read at most one byte more than allowed, so an oversized upload is refused without buffering it all.
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while (buffer.Length <= StaffImport.MaxBytes && (read = await http.Request.Body.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
        }

        var outcome = await import.RunAsync(buffer.ToArray(), dryRun ?? false, ActorOf(http), ct);
        return outcome switch
        {
            { Response: { } response } => TypedResults.Ok(response),
            { TooLarge: true } => Problems.Titled(StatusCodes.Status413PayloadTooLarge, "import-too-large",
                IdentityText.Get("import_too_large", StaffImport.MaxBytes)),
            _ => ImportInvalid(outcome.Problems),
        };
    }

    private static ProblemHttpResult ImportInvalid(IReadOnlyList<StaffImport.ProblemRow> rows)
    {
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = StatusCodes.Status400BadRequest,
            Title = IdentityText.Get("import_invalid"),
            Type = "https://aspservice.example/problems/import-invalid",
        };
        problem.Extensions["problems"] = rows;
        return TypedResults.Problem(problem);
    }

    /// <summary>The signed-in admin (an admin policy guards every route here) and their address.</summary>
    private static Audit.Actor ActorOf(HttpContext http) =>
        HttpActor.Of(http.User, HttpActor.Client(http)) ?? new Audit.Actor(Guid.Empty, HttpActor.Client(http));

    /// <summary>The API's answer to an outcome (the same problem+json as before the use cases were split out).</summary>
    private static IResult ToResult(UserAdminOutcome outcome, Func<TenantUsersAdmin.UserDto, IResult> ok, bool plainNotFound = false) => outcome.Error switch
    {
        null => ok(outcome.User!),
        UserAdminError.Invalid => Problems.Fields(new Dictionary<string, string[]>(outcome.Fields!, StringComparer.Ordinal)),
        UserAdminError.NotFound when plainNotFound => Problems.NotFound(),
        UserAdminError.NotFound => Problems.Titled(StatusCodes.Status404NotFound, "user-not-found", IdentityText.Get("user_not_found")),
        UserAdminError.Exists => Problems.Titled(StatusCodes.Status409Conflict, "user-exists", IdentityText.Get("user_exists")),
        UserAdminError.NotPending => Problems.Titled(StatusCodes.Status409Conflict, "invitation-not-pending", IdentityText.Get("invitation_not_pending")),
        _ => Problems.Titled(StatusCodes.Status409Conflict, "self-change", IdentityText.Get("self_change")),
    };

    private static RouteHandlerBuilder ProducesUserChange(this RouteHandlerBuilder route) => route
        .Produces<TenantUsersAdmin.UserDto>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
}
