using AspService.Billing;
using AspService.Data.Catalog;
using AspService.Server.Billing.Stripe;
using AspService.Server.Hosting;
using AspService.Server.Identity;
using AspService.Server.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AspService.Server.Billing;

/// <summary>
/// Billing: registration (<see cref="AddBilling"/>), the operator API under /api/v1/ops/billing, the tenant
/// admins' own views (<see cref="TenantBillingEndpoints"/>) and Stripe (<see cref="StripeEndpoints"/>), all
/// mapped by <see cref="MapBillingEndpoints"/>.
/// </summary>
public static class BillingEndpoints
{
    public static IServiceCollection AddBilling(this IServiceCollection services)
    {
        services.AddOptions<BillingOptions>().BindConfiguration(BillingOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BillingOptions>, BillingOptionsValidator>();
        services.AddScoped<PlanAdmin>();
        services.AddScoped<MonthlyClose>();
        services.AddScoped<InvoiceCorrection>();
        services.AddScoped<BillingExports>();
        services.AddScoped<TenantBilling>();
        services.AddScoped<BillingOverview>();
        services.AddSingleton<UsageRollups>();
        services.AddScoped<Metering>();
        services.AddScoped<UsageReports>();
        services.AddStripeBilling();
        return services;
    }

    public static IEndpointRouteBuilder MapBillingEndpoints(this IEndpointRouteBuilder app)
    {
        var billing = app.MapGroup("/api/v1/ops/billing").RequireAuthorization(OperatorAuth.Policy).WithTags("Billing (operators)");
        MapPlans(billing);
        MapUsage(billing);
        MapInvoices(billing);
        StripeEndpoints.MapStripeOperatorEndpoints(billing);
        StripeEndpoints.MapStripeWebhook(app);
        TenantBillingEndpoints.MapTenantBillingEndpoints(app);
        UsageReportEndpoints.Map(billing, app);
        return app;
    }

    private static void MapPlans(RouteGroupBuilder billing)
    {
        billing.MapGet("/plans", async (CatalogDbContext catalog, string? code, CancellationToken ct) =>
            TypedResults.Ok((await catalog.Plans.AsNoTracking().Where(p => code == null || p.Code == code).ToListAsync(ct))
                .OrderBy(p => p.Code, StringComparer.Ordinal).ThenBy(p => p.EffectiveFrom).Select(PlanDto.From)))
            .WithSummary("List plan versions");

        billing.MapGet("/plans/{id:guid}", async (Guid id, CatalogDbContext catalog, CancellationToken ct) =>
            await catalog.Plans.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, ct) is { } p ? (IResult)TypedResults.Ok(PlanDto.From(p)) : Problems.NotFound());

        billing.MapPost("/plans", async (HttpRequest request, PlanAdmin plans, CancellationToken ct) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<PlanAdmin.PlanRequest>(request, ct);
            return problem is not null ? problem : (IResult)await plans.CreateAsync(body!, ct);
        }).WithSummary("Create a plan version (prices in yen, effective dates; versions of one code must not overlap)");

        billing.MapPut("/plans/{id:guid}", async (Guid id, HttpRequest request, PlanAdmin plans, CancellationToken ct) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<PlanAdmin.PlanRequest>(request, ct);
            return problem is not null ? problem : (IResult)await plans.UpdateAsync(id, body!, ct);
        }).WithSummary("Change a plan version (prices are frozen once an invoice uses it)");

        billing.MapDelete("/plans/{id:guid}", async (Guid id, PlanAdmin plans, CancellationToken ct) => await plans.DeleteAsync(id, ct));

        billing.MapGet("/tenants/{key}/plans", async Task<IResult> (string key, CatalogDbContext catalog, CancellationToken ct) =>
        {
            var tenant = await OpsTenantEndpoints.FindAsync(catalog, key, ct);
            return tenant is null
                ? Problems.Of(StatusCodes.Status404NotFound, "tenant_not_found")
                : TypedResults.Ok((await catalog.TenantPlanAssignments.AsNoTracking().Where(a => a.TenantId == tenant.Id).ToListAsync(ct))
                    .OrderBy(a => a.EffectiveFrom).Select(AssignmentDto.From));
        }).WithSummary("A tenant's plan assignments");

        billing.MapPost("/tenants/{key}/plans", async Task<IResult> (string key, HttpRequest request, CatalogDbContext catalog, PlanAdmin plans, CancellationToken ct) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<PlanAdmin.AssignRequest>(request, ct);
            if (problem is not null)
            {
                return problem;
            }

            var tenant = await OpsTenantEndpoints.FindAsync(catalog, key, ct);
            return tenant is null ? Problems.Of(StatusCodes.Status404NotFound, "tenant_not_found") : await plans.AssignAsync(tenant, body!, ct);
        }).WithSummary("Put a tenant on a plan from a date (ends the current assignment that day)");
    }

    private static void MapUsage(RouteGroupBuilder billing)
    {
        billing.MapGet("/usage", async Task<IResult> (string? month, CatalogDbContext catalog, CancellationToken ct) =>
        {
            if (!BillingMonth.TryParse(month, out var m))
            {
                return Problems.Field("month", BillingText.Get("month_format"));
            }

            var rows = await (from u in catalog.UsageMonthly.AsNoTracking()
                              join t in catalog.Tenants.AsNoTracking() on u.TenantId equals t.Id
                              where u.Month == m.Value.Key
                              orderby t.Code
                              select new UsageDto(m.Value.ToString(), t.Id, t.Code, t.Name, u.OfficeTerminals, u.ActiveUsers, u.Sessions, u.SessionSeconds, u.ComputedAt))
                .ToListAsync(ct);
            return TypedResults.Ok(rows);
        }).WithSummary("Every tenant's usage in a month (yyyy-MM)");

        billing.MapGet("/usage/{key}", async Task<IResult> (string key, string? month, string? fiscalYear, CatalogDbContext catalog, CancellationToken ct) =>
        {
            var problem = UsageView.Select(month, fiscalYear, null, out var months, out var daily, out var year);
            if (problem is not null)
            {
                return problem;
            }

            var tenant = await OpsTenantEndpoints.FindAsync(catalog, key, ct);
            return tenant is null
                ? Problems.Of(StatusCodes.Status404NotFound, "tenant_not_found")
                : TypedResults.Ok(await UsageView.BuildAsync(catalog, tenant, months, daily, year, null, ct));
        }).WithSummary("One tenant's usage: a month (with its days) or a fiscal year (April–March)");

        billing.MapPost("/usage/{key}/meter", async Task<IResult> (string key, HttpRequest request, CatalogDbContext catalog, IServiceScopeFactory scopes, CancellationToken ct) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<CloseRequest>(request, ct);
            if (problem is not null)
            {
                return problem;
            }

            if (!BillingMonth.TryParse(body!.Month, out var month))
            {
                return Problems.Field("month", BillingText.Get("month_format"));
            }

            var tenant = await OpsTenantEndpoints.FindAsync(catalog, key, ct);
            if (tenant is null || tenant.State is not (AspService.Tenancy.TenantState.Active or AspService.Tenancy.TenantState.Suspended))
            {
                return Problems.Of(StatusCodes.Status404NotFound, "tenant_not_found");
            }

            // Recomputed from the tenant's own database, into a scope bound to that tenant only.
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantAccessor>().Set(new Data.Tenancy.TenantBinding(tenant.Id, tenant.Code, tenant.DatabaseName));
            var measured = await scope.ServiceProvider.GetRequiredService<Metering>().MeterAsync(month.Value, ct);
            return TypedResults.Ok(new { month = month.Value.ToString(), days = measured.Days.Count, activeUsers = measured.ActiveUsers });
        }).WithSummary("Recompute one tenant's usage for a month from its database (idempotent)");
    }

    private static void MapInvoices(RouteGroupBuilder billing)
    {
        billing.MapGet("/closes", async (BillingOverview overview, CancellationToken ct) =>
            TypedResults.Ok((await overview.ClosesAsync(ct))
                .Select(c => new { month = c.Month.ToString(), c.ClosedAt, c.UpdatedAt, c.InvoiceCount })));

        billing.MapPost("/closes", async Task<IResult> (HttpRequest request, MonthlyClose close, CancellationToken ct) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<CloseRequest>(request, ct);
            if (problem is not null)
            {
                return problem;
            }

            return !BillingMonth.TryParse(body!.Month, out var month)
                ? Problems.Field("month", BillingText.Get("month_format"))
                : await close.CloseAsync(month.Value, ct);
        }).WithSummary("Close a month (JST) and issue its invoices; idempotent");

        billing.MapGet("/invoices", async Task<IResult> (string? month, string? tenant, BillingOverview overview, CancellationToken ct) =>
        {
            BillingMonth? m = null;
            if (month is not null && !BillingMonth.TryParse(month, out m))
            {
                return Problems.Field("month", BillingText.Get("month_format"));
            }

            return TypedResults.Ok((await overview.InvoicesAsync(m, tenant, ct)).Select(i => new
            {
                i.Id, i.Number, i.Kind, month = i.Month.ToString(), i.TenantCode, i.RecipientName, i.IssueDate, i.Total,
                cancelled = i.Cancelled,
            }));
        }).WithSummary("List invoices (filter by month yyyy-MM and tenant code)");

        billing.MapGet("/invoices/{id:guid}", async Task<IResult> (Guid id, CatalogDbContext catalog, CancellationToken ct) =>
            await LoadAsync(catalog, id, null, ct) is { } dto ? TypedResults.Ok(dto) : Problems.NotFound());

        billing.MapGet("/invoices/{id:guid}/pdf", async Task<IResult> (Guid id, CatalogDbContext catalog, CancellationToken ct) =>
            await LoadAsync(catalog, id, null, ct) is { } dto
                ? TypedResults.File(InvoicePdf.Render(dto), "application/pdf", $"{dto.Number}.pdf")
                : Problems.NotFound())
            .WithSummary("The invoice as a PDF");

        billing.MapPost("/invoices/{id:guid}/corrections", async Task<IResult> (Guid id, HttpRequest request, InvoiceCorrection corrections, CancellationToken ct) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<InvoiceCorrection.Request>(request, ct);
            return problem is not null ? problem : await corrections.CorrectAsync(id, body!, ct);
        }).WithSummary("Issue a correction: a new invoice from current data that cancels this one");

        billing.MapGet("/exports/{month}/invoices.csv", async Task<IResult> (string month, string? encoding, BillingExports exports, CancellationToken ct) =>
        {
            var sjis = encoding?.ToUpperInvariant() switch
            {
                null or "UTF-8" or "UTF8" => (bool?)false,
                "SHIFT_JIS" or "SHIFT-JIS" or "SJIS" or "CP932" => true,
                _ => null,
            };
            if (sjis is null)
            {
                return Problems.Field("encoding", BillingText.Get("encoding"));
            }

            var (m, notReady) = await ClosedMonthAsync(month, exports, ct);
            if (notReady is not null)
            {
                return notReady;
            }

            var csv = BillingExports.Csv(await exports.InvoicesAsync(m, ct));
            try
            {
                var bytes = BillingExports.Encode(csv, sjis.Value ? BillingExports.ShiftJis : BillingExports.Utf8WithBom);
                var charset = sjis.Value ? "shift_jis" : "utf-8";
                return TypedResults.File(bytes, $"text/csv; charset={charset}", $"invoices-{m}{(sjis.Value ? "-sjis" : string.Empty)}.csv");
            }
            catch (System.Text.EncoderFallbackException ex)
            {
                return Problems.Field("encoding", $"Shift_JIS: U+{(int)ex.CharUnknown:X4}", StatusCodes.Status422UnprocessableEntity);
            }
        }).WithSummary("The month's invoice lines as CSV (UTF-8 with BOM, or encoding=shift_jis)");

        billing.MapGet("/exports/{month}/invoices.json", async Task<IResult> (string month, BillingExports exports, CancellationToken ct) =>
        {
            var (m, notReady) = await ClosedMonthAsync(month, exports, ct);
            return notReady ?? (IResult)TypedResults.File(BillingExports.Json(m, await exports.InvoicesAsync(m, ct)), "application/json", $"invoices-{m}.json");
        }).WithSummary("The month's invoices as JSON");
    }

    private sealed record CloseRequest(string? Month);

    private static async Task<(BillingMonth Month, ProblemHttpResult? Problem)> ClosedMonthAsync(string text, BillingExports exports, CancellationToken ct)
    {
        if (!BillingMonth.TryParse(text, out var month))
        {
            return (default, Problems.Field("month", BillingText.Get("month_format")));
        }

        return await exports.IsClosedAsync(month.Value, ct)
            ? (month.Value, null)
            : (month.Value, Problems.Titled(StatusCodes.Status409Conflict, "month-not-closed", BillingText.Get("month_not_closed", month.Value)));
    }

    /// <summary>An invoice with its links; with <paramref name="tenantId"/>, only if it is that tenant's.</summary>
    internal static async Task<InvoiceDto?> LoadAsync(CatalogDbContext catalog, Guid id, Guid? tenantId, CancellationToken ct)
    {
        var invoice = await catalog.Invoices.AsNoTracking().AsSplitQuery().Include(i => i.Lines).Include(i => i.Taxes)
            .SingleOrDefaultAsync(i => i.Id == id && (tenantId == null || i.TenantId == tenantId), ct);
        if (invoice is null)
        {
            return null;
        }

        var cancels = invoice.CancelsInvoiceId is { } c ? await catalog.Invoices.AsNoTracking().Where(i => i.Id == c).Select(i => i.Number).SingleOrDefaultAsync(ct) : null;
        var cancelledBy = await catalog.Invoices.AsNoTracking().Where(i => i.CancelsInvoiceId == id).Select(i => i.Number).SingleOrDefaultAsync(ct);
        return InvoiceDto.From(invoice, cancels, cancelledBy);
    }
}
