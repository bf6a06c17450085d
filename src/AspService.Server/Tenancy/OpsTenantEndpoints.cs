using System.Security.Claims;
using AspService.Data.Catalog;
using AspService.Data.Tenancy;
using AspService.Server.Hosting;
using AspService.Server.Identity;
using AspService.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Tenancy;

/// <summary>Operator API for tenants and applications, outside every tenant, operators only.</summary>
public static class OpsTenantEndpoints
{
    public static IEndpointRouteBuilder MapOpsTenantEndpoints(this IEndpointRouteBuilder app)
    {
        var ops = app.MapGroup("/api/v1/ops").RequireAuthorization(OperatorAuth.Policy);
        var tenants = ops.MapGroup("/tenants").WithTags("Tenants (operators)");

        tenants.MapGet("/", async Task<IResult> (CatalogDbContext catalog, string? state, string? q, int? page, int? pageSize, CancellationToken ct) =>
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
            return TypedResults.Ok(new { total, page = number, pageSize = size, items = items.Select(t => TenantDto.From(t)) });
        }).WithSummary("List tenants (filter by state, search code/name/kana)");

        tenants.MapGet("/{key}", async Task<IResult> (string key, CatalogDbContext catalog, CancellationToken ct) =>
        {
            var tenant = await FindAsync(catalog, key, ct);
            if (tenant is null)
            {
                return Problems.Of(StatusCodes.Status404NotFound, "tenant_not_found");
            }

            var steps = await catalog.TenantOperationSteps.AsNoTracking().Where(s => s.TenantId == tenant.Id)
                .OrderBy(s => s.CompletedAt).Select(s => s.Operation + "/" + s.Step).ToListAsync(ct);
            return TypedResults.Ok(TenantDto.From(tenant, steps));
        }).WithSummary("Get a tenant by code (live tenant) or id");

        tenants.MapPost("/", async (HttpRequest request, TenantOnboarding onboarding, CancellationToken ct) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<TenantOnboarding.Request>(request, ct);
            return problem is not null ? problem : (IResult)await onboarding.OnboardAsync(body!, ct);
        }).WithSummary("Onboard a municipality: creates the tenant and starts provisioning (202)");

        tenants.MapPost("/{key}/suspend", (string key, HttpRequest request, CatalogDbContext catalog, TenantLifecycleActions actions, CancellationToken ct) =>
            WithTenantAsync<TenantLifecycleActions.SuspendRequest>(key, request, catalog, (t, b) => actions.SuspendAsync(t, b, ct), ct));

        tenants.MapPost("/{key}/resume", async (string key, CatalogDbContext catalog, TenantLifecycleActions actions, CancellationToken ct) =>
        {
            var tenant = await FindAsync(catalog, key, ct);
            return tenant is null ? Problems.Of(StatusCodes.Status404NotFound, "tenant_not_found") : (IResult)await actions.ResumeAsync(tenant, ct);
        });

        tenants.MapPost("/{key}/decommission", (string key, HttpRequest request, CatalogDbContext catalog, TenantLifecycleActions actions, CancellationToken ct) =>
            WithTenantAsync<TenantLifecycleActions.DecommissionRequest>(key, request, catalog, (t, b) => actions.DecommissionAsync(t, b, ct), ct))
            .WithSummary("Start decommissioning: export archive now, drop the database after the retention period");

        var applications = ops.MapGroup("/applications").WithTags("Applications (operators)");
        applications.MapGet("/", async Task<IResult> (CatalogDbContext catalog, string? state, CancellationToken ct) =>
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
            return TypedResults.Ok(items.Select(ApplicationDto.From));
        });

        applications.MapGet("/{id:guid}", async (Guid id, CatalogDbContext catalog, CancellationToken ct) =>
            await catalog.SignupApplications.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, ct) is { } a
                ? (IResult)TypedResults.Ok(ApplicationDto.From(a))
                : Problems.NotFound());

        applications.MapPost("/{id:guid}/approve", async (Guid id, ClaimsPrincipal user, CatalogDbContext catalog, Signups signups, CancellationToken ct) =>
            await catalog.SignupApplications.SingleOrDefaultAsync(a => a.Id == id, ct) is { } a
                ? (IResult)await signups.ApproveAsync(a, OperatorId(user), ct)
                : Problems.NotFound())
            .WithSummary("Approve an application: onboards the tenant and starts provisioning");

        applications.MapPost("/{id:guid}/reject", async (Guid id, HttpRequest request, ClaimsPrincipal user, CatalogDbContext catalog, Signups signups, CancellationToken ct) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<Signups.RejectRequest>(request, ct);
            if (problem is not null)
            {
                return problem;
            }

            return await catalog.SignupApplications.SingleOrDefaultAsync(a => a.Id == id, ct) is { } a
                ? (IResult)await signups.RejectAsync(a, body!, OperatorId(user), ct)
                : Problems.NotFound();
        });

        return app;
    }

    public static IEndpointRouteBuilder MapSignupEndpoints(this IEndpointRouteBuilder app)
    {
        // Anyone holding the id: the state and which municipality, nothing about the applicant (operators
        // read the rest under /api/v1/ops/applications).
        app.MapGet("/api/v1/signups/{id:guid}", async Task<IResult> (Guid id, CatalogDbContext catalog, CancellationToken ct) =>
            await catalog.SignupApplications.AsNoTracking().Where(a => a.Id == id)
                .Select(a => new SignupStatusDto(a.Id, a.Code, a.Name, a.State)).SingleOrDefaultAsync(ct) is { } status
                ? TypedResults.Ok(status)
                : Problems.NotFound())
            .RequireRateLimiting(RateLimitPolicies.Signup).WithTags("Signup").WithSummary("Status of an application");

        app.MapPost("/api/v1/signups", async (HttpRequest request, Signups signups, CancellationToken ct) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<Signups.SubmitRequest>(request, ct);
            return problem is not null ? problem : (IResult)await signups.SubmitAsync(body!, ct);
        }).RequireRateLimiting(RateLimitPolicies.Signup).WithTags("Signup").WithSummary("A municipality applies for the service");
        return app;
    }

    /// <summary>Live tenant by six-digit code, or any tenant (including deleted) by id.</summary>
    public static Task<Tenant?> FindAsync(CatalogDbContext catalog, string key, CancellationToken ct) =>
        Guid.TryParse(key, out var id)
            ? catalog.Tenants.SingleOrDefaultAsync(t => t.Id == id, ct)
            : LocalGovernmentCode.IsWellFormed(key)
                ? catalog.Tenants.SingleOrDefaultAsync(t => t.Code == key && t.State != TenantState.Deleted, ct)
                : Task.FromResult<Tenant?>(null);

    private static async Task<IResult> WithTenantAsync<TBody>(string key, HttpRequest request, CatalogDbContext catalog, Func<Tenant, TBody, Task<Results<Ok<TenantDto>, ProblemHttpResult>>> action, CancellationToken ct)
        where TBody : class
    {
        var (body, problem) = await JsonBody.ReadAsync<TBody>(request, ct);
        if (problem is not null)
        {
            return problem;
        }

        var tenant = await FindAsync(catalog, key, ct);
        return tenant is null ? Problems.Of(StatusCodes.Status404NotFound, "tenant_not_found") : await action(tenant, body!);
    }

    private static Guid OperatorId(ClaimsPrincipal user) =>
        Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("no operator id"));
}
