using AspService.Common;
using AspService.Data.Catalog;
using AspService.Data.Tenancy;
using AspService.Server.Audit;
using AspService.Server.Hosting;
using AspService.Server.Identity;
using AspService.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Tenancy;

/// <summary>Operator API for tenants and applications (outside every tenant, operators only) and the public signup API.</summary>
public static class OpsTenantEndpoints
{
    private const string Json = "application/json";

    public static IEndpointRouteBuilder MapOpsTenantEndpoints(this IEndpointRouteBuilder app)
    {
        var ops = app.MapGroup("/api/v1/ops").RequireAuthorization(OperatorAuth.Policy);
        var tenants = ops.MapGroup("/tenants").WithTags("Tenants (operators)");

        tenants.MapGet("/", async Task<Results<Ok<TenantPageDto>, ProblemHttpResult>> (CatalogDbContext catalog, string? state, string? q, int? page, int? pageSize, CancellationToken ct) =>
        {
            var query = catalog.Tenants.AsNoTracking();
            if (state is not null)
            {
                if (!Enum.TryParse<TenantState>(state, ignoreCase: true, out var s) || !Enum.IsDefined(s))
                {
                    return Problems.Field("state", Text.Get("wrong_type"));
                }

                query = query.Where(t => t.State == s);
            }

            if (!string.IsNullOrWhiteSpace(q))
            {
                var term = q.Trim();
                var kana = KanaText.ToHiragana(term); // readings are stored in hiragana; people also type katakana
                query = query.Where(t => t.Code.StartsWith(term) || t.Name.Contains(term) || t.Kana.Contains(kana));
            }

            var size = Math.Clamp(pageSize ?? 100, 1, 500);
            var number = Math.Clamp(page ?? 1, 1, int.MaxValue / 500); // keeps (number - 1) * size within int
            var total = await query.CountAsync(ct);
            var items = await query.OrderBy(t => t.Code).ThenBy(t => t.CreatedAt)
                .Skip((number - 1) * size).Take(size).ToListAsync(ct);
            return TypedResults.Ok(new TenantPageDto(total, number, size, [.. items.Select(t => TenantDto.From(t))]));
        }).WithName("ListTenants").ProducesProblem(StatusCodes.Status400BadRequest).WithSummary("List tenants (filter by state, search code/name/kana)");

        tenants.MapGet("/{key}", async Task<Results<Ok<TenantDto>, ProblemHttpResult>> (string key, CatalogDbContext catalog, CancellationToken ct) =>
        {
            var tenant = await TenantFinder.FindAsync(catalog, key, ct);
            if (tenant is null)
            {
                return TenantFinder.NotFound().ToProblem();
            }

            var steps = await catalog.TenantOperationSteps.AsNoTracking().Where(s => s.TenantId == tenant.Id)
                .OrderBy(s => s.CompletedAt).Select(s => s.Operation + "/" + s.Step).ToListAsync(ct);
            return TypedResults.Ok(TenantDto.From(tenant, steps));
        }).WithName("GetTenant").ProducesProblem(StatusCodes.Status404NotFound).WithSummary("Get a tenant by code (live tenant) or id");

        tenants.MapPost("/", async Task<Results<Accepted<TenantDto>, ProblemHttpResult>> (HttpRequest request, TenantOnboarding onboarding, CancellationToken ct) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<TenantOnboarding.Request>(request, ct);
            if (problem is not null)
            {
                return problem;
            }

            var outcome = await onboarding.OnboardAsync(body!, ct);
            return outcome.Failure is { } failure ? failure.ToProblem() : TypedResults.Accepted($"/api/v1/ops/tenants/{outcome.Value!.Code}", outcome.Value);
        }).WithName("OnboardTenant").Accepts<TenantOnboarding.Request>(Json)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Onboard a municipality: creates the tenant and starts provisioning (202)");

        tenants.MapPost("/{key}/suspend", (string key, HttpRequest request, TenantLifecycleActions actions, CancellationToken ct) =>
                JsonBody.ThenAsync<TenantLifecycleActions.SuspendRequest, TenantDto>(request, body => actions.SuspendAsync(key, body, ct), ct))
            .WithName("SuspendTenant").Accepts<TenantLifecycleActions.SuspendRequest>(Json).LifecycleProblems()
            .WithSummary("Suspend a tenant: sign-in and connections stop, live sessions close, data stays");

        tenants.MapPost("/{key}/resume", async (string key, TenantLifecycleActions actions, CancellationToken ct) =>
                (await actions.ResumeAsync(key, ct)).ToOk())
            .WithName("ResumeTenant").LifecycleProblems().WithSummary("Resume a suspended tenant");

        tenants.MapPost("/{key}/decommission", (string key, HttpRequest request, TenantLifecycleActions actions, CancellationToken ct) =>
                JsonBody.ThenAsync<TenantLifecycleActions.DecommissionRequest, TenantDto>(request, body => actions.DecommissionAsync(key, body, ct), ct))
            .WithName("DecommissionTenant").Accepts<TenantLifecycleActions.DecommissionRequest>(Json).LifecycleProblems()
            .WithSummary("Start decommissioning: export archive now, drop the database after the retention period");

        var applications = ops.MapGroup("/applications").WithTags("Applications (operators)");
        applications.MapGet("/", async Task<Results<Ok<IReadOnlyList<ApplicationDto>>, ProblemHttpResult>> (CatalogDbContext catalog, string? state, CancellationToken ct) =>
        {
            var query = catalog.SignupApplications.AsNoTracking();
            if (state is not null)
            {
                if (!Enum.TryParse<ApplicationState>(state, ignoreCase: true, out var s) || !Enum.IsDefined(s))
                {
                    return Problems.Field("state", Text.Get("wrong_type"));
                }

                query = query.Where(a => a.State == s);
            }

            var items = await query.OrderBy(a => a.CreatedAt).Take(1000).ToListAsync(ct);
            return TypedResults.Ok<IReadOnlyList<ApplicationDto>>([.. items.Select(ApplicationDto.From)]);
        }).WithName("ListApplications").ProducesProblem(StatusCodes.Status400BadRequest).WithSummary("List applications (filter by state)");

        applications.MapGet("/{id:guid}", async Task<Results<Ok<ApplicationDto>, ProblemHttpResult>> (Guid id, CatalogDbContext catalog, CancellationToken ct) =>
            await catalog.SignupApplications.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, ct) is { } a
                ? TypedResults.Ok(ApplicationDto.From(a))
                : Problems.NotFound())
            .WithName("GetApplication").ProducesProblem(StatusCodes.Status404NotFound).WithSummary("One application");

        applications.MapPost("/{id:guid}/approve", async (Guid id, HttpContext http, Signups signups, CancellationToken ct) =>
                (await signups.ApproveAsync(id, OperatorActor(http), ct)).ToOk())
            .WithName("ApproveApplication").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Approve an application: onboards the tenant and starts provisioning");

        applications.MapPost("/{id:guid}/reject", (Guid id, HttpContext http, Signups signups, CancellationToken ct) =>
                JsonBody.ThenAsync<Signups.RejectRequest, ApplicationDto>(http.Request, body => signups.RejectAsync(id, body, OperatorActor(http), ct), ct))
            .WithName("RejectApplication").Accepts<Signups.RejectRequest>(Json).ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Reject an application with the reason the applicant is told");

        return app;
    }

    public static IEndpointRouteBuilder MapSignupEndpoints(this IEndpointRouteBuilder app)
    {
        // Anyone holding the id: the state and which municipality, nothing about the applicant (operators
        // read the rest under /api/v1/ops/applications).
        app.MapGet("/api/v1/signups/{id:guid}", async Task<Results<Ok<SignupStatusDto>, ProblemHttpResult>> (Guid id, CatalogDbContext catalog, CancellationToken ct) =>
            await catalog.SignupApplications.AsNoTracking().Where(a => a.Id == id)
                .Select(a => new SignupStatusDto(a.Id, a.Code, a.Name, a.State)).SingleOrDefaultAsync(ct) is { } status
                ? TypedResults.Ok(status)
                : Problems.NotFound())
            .RequireRateLimiting(RateLimitPolicies.Signup).WithTags("Signup").WithName("GetSignupStatus")
            .ProducesProblem(StatusCodes.Status404NotFound).WithSummary("Status of an application");

        app.MapPost("/api/v1/signups", async Task<Results<Created<ApplicationDto>, ProblemHttpResult>> (HttpRequest request, Signups signups, CancellationToken ct) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<Signups.SubmitRequest>(request, ct);
            if (problem is not null)
            {
                return problem;
            }

            var outcome = await signups.SubmitAsync(body!, ct);
            return outcome.Failure is { } failure ? failure.ToProblem() : TypedResults.Created($"/api/v1/signups/{outcome.Value!.Id}", outcome.Value);
        }).RequireRateLimiting(RateLimitPolicies.Signup).WithTags("Signup").WithName("SubmitSignup").Accepts<Signups.SubmitRequest>(Json)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("A municipality applies for the service");
        return app;
    }

    /// <summary>The signed-in operator (the policy guarantees the id) and their address.</summary>
    internal static Actor OperatorActor(HttpContext http) =>
        HttpActor.Of(http.User, http.Connection.RemoteIpAddress?.ToString()) ?? throw new InvalidOperationException("no operator id");

    private static RouteHandlerBuilder LifecycleProblems(this RouteHandlerBuilder route) => route
        .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
}
