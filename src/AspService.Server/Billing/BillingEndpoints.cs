using AspService.Billing;
using AspService.Data.Catalog;
using AspService.Server.Billing.Stripe;
using AspService.Server.Audit;
using AspService.Server.Hosting;
using AspService.Server.Identity;
using AspService.Server.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Billing;

/// <summary>
/// Billing's routes: the operator API under /api/v1/ops/billing, the tenant admins' own views
/// (<see cref="TenantBillingEndpoints"/>), usage reports and Stripe (<see cref="StripeEndpoints"/>,
/// <see cref="StripeWebhookEndpoints"/>), all mapped by <see cref="MapBillingEndpoints"/>.
/// </summary>
public static class BillingEndpoints
{
    private const string Json = "application/json";

    public static IEndpointRouteBuilder MapBillingEndpoints(this IEndpointRouteBuilder app)
    {
        var billing = app.MapGroup("/api/v1/ops/billing").RequireAuthorization(OperatorAuth.Policy).WithTags("Billing (operators)");
        MapPlans(billing);
        MapUsage(billing);
        MapInvoices(billing);
        StripeEndpoints.MapStripeOperatorEndpoints(billing);
        StripeWebhookEndpoints.MapStripeWebhook(app);
        TenantBillingEndpoints.MapTenantBillingEndpoints(app);
        UsageReportEndpoints.Map(billing, app);
        return app;
    }

    private static void MapPlans(RouteGroupBuilder billing)
    {
        billing.MapGet("/plans", async (CatalogDbContext catalog, string? code, CancellationToken ct) =>
            TypedResults.Ok<IReadOnlyList<PlanDto>>([.. (await catalog.Plans.AsNoTracking().Where(p => code == null || p.Code == code).ToListAsync(ct))
                .OrderBy(p => p.Code, StringComparer.Ordinal).ThenBy(p => p.EffectiveFrom).Select(PlanDto.From)]))
            .WithName("ListPlans").WithSummary("List plan versions");

        billing.MapGet("/plans/{id:guid}", async Task<Results<Ok<PlanDto>, ProblemHttpResult>> (Guid id, CatalogDbContext catalog, CancellationToken ct) =>
            await catalog.Plans.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, ct) is { } p ? TypedResults.Ok(PlanDto.From(p)) : Problems.NotFound())
            .WithName("GetPlan").ProducesProblem(StatusCodes.Status404NotFound).WithSummary("One plan version");

        billing.MapPost("/plans", async Task<Results<Created<PlanDto>, ProblemHttpResult>> (HttpRequest request, PlanAdmin plans, CancellationToken ct) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<PlanAdmin.PlanRequest>(request, ct);
            if (problem is not null)
            {
                return problem;
            }

            var outcome = await plans.CreateAsync(body!, ct);
            return outcome.Failure is { } failure ? failure.ToProblem() : TypedResults.Created($"/api/v1/ops/billing/plans/{outcome.Value!.Id}", outcome.Value);
        }).WithName("CreatePlan").Accepts<PlanAdmin.PlanRequest>(Json).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Create a plan version (prices in yen, effective dates; versions of one code must not overlap)");

        billing.MapPut("/plans/{id:guid}", (Guid id, HttpRequest request, PlanAdmin plans, CancellationToken ct) =>
                JsonBody.ThenAsync<PlanAdmin.PlanRequest, PlanDto>(request, body => plans.UpdateAsync(id, body, ct), ct))
            .WithName("UpdatePlan").Accepts<PlanAdmin.PlanRequest>(Json).ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Change a plan version (prices are frozen once an invoice uses it)");

        billing.MapDelete("/plans/{id:guid}", async Task<Results<NoContent, ProblemHttpResult>> (Guid id, PlanAdmin plans, CancellationToken ct) =>
                await plans.DeleteAsync(id, ct) is { Failure: { } failure } ? failure.ToProblem() : TypedResults.NoContent())
            .WithName("DeletePlan").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Delete a plan version no invoice uses");

        billing.MapGet("/tenants/{key}/plans", async Task<Results<Ok<IReadOnlyList<AssignmentDto>>, ProblemHttpResult>> (string key, CatalogDbContext catalog, CancellationToken ct) =>
        {
            var tenant = await TenantFinder.FindAsync(catalog, key, ct);
            return tenant is null
                ? TenantFinder.NotFound().ToProblem()
                : TypedResults.Ok<IReadOnlyList<AssignmentDto>>([.. (await catalog.TenantPlanAssignments.AsNoTracking().Where(a => a.TenantId == tenant.Id).ToListAsync(ct))
                    .OrderBy(a => a.EffectiveFrom).Select(AssignmentDto.From)]);
        }).WithName("ListTenantPlans").ProducesProblem(StatusCodes.Status404NotFound).WithSummary("A tenant's plan assignments");

        billing.MapPost("/tenants/{key}/plans", async Task<Results<Created<AssignmentDto>, ProblemHttpResult>> (string key, HttpRequest request, PlanAdmin plans, CancellationToken ct) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<PlanAdmin.AssignRequest>(request, ct);
            if (problem is not null)
            {
                return problem;
            }

            var outcome = await plans.AssignAsync(key, body!, ct);
            return outcome.Failure is { } failure
                ? failure.ToProblem()
                : TypedResults.Created($"/api/v1/ops/billing/tenants/{outcome.Value!.TenantCode}/plans", outcome.Value.Assignment);
        }).WithName("AssignTenantPlan").Accepts<PlanAdmin.AssignRequest>(Json).ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Put a tenant on a plan from a date (ends the current assignment that day)");
    }

    private static void MapUsage(RouteGroupBuilder billing)
    {
        billing.MapGet("/usage", async Task<Results<Ok<List<UsageDto>>, ProblemHttpResult>> (string? month, CatalogDbContext catalog, CancellationToken ct) =>
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
        }).WithName("ListUsage").ProducesProblem(StatusCodes.Status400BadRequest).WithSummary("Every tenant's usage in a month (yyyy-MM)");

        billing.MapGet("/usage/{key}", async Task<Results<Ok<UsageView.Report>, ProblemHttpResult>> (string key, string? month, string? fiscalYear, CatalogDbContext catalog, CancellationToken ct) =>
        {
            if (UsageView.Select(month, fiscalYear, null, out var months, out var daily, out var year) is { } invalid)
            {
                return invalid.ToProblem();
            }

            var tenant = await TenantFinder.FindAsync(catalog, key, ct);
            return tenant is null
                ? TenantFinder.NotFound().ToProblem()
                : TypedResults.Ok(await UsageView.BuildAsync(catalog, tenant, months, daily, year, null, ct));
        }).WithName("GetTenantUsage").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One tenant's usage: a month (with its days) or a fiscal year (April–March)");

        billing.MapPost("/usage/{key}/meter", async Task<Results<Ok<MeterResultDto>, ProblemHttpResult>> (string key, HttpRequest request, CatalogDbContext catalog, IServiceScopeFactory scopes, CancellationToken ct) =>
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

            var tenant = await TenantFinder.FindAsync(catalog, key, ct);
            if (tenant is null || tenant.State is not (AspService.Tenancy.TenantState.Active or AspService.Tenancy.TenantState.Suspended))
            {
                return TenantFinder.NotFound().ToProblem();
            }

            // Recomputed from the tenant's own database, into a scope bound to that tenant only.
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantAccessor>().Set(new Data.Tenancy.TenantBinding(tenant.Id, tenant.Code, tenant.DatabaseName));
            var measured = await scope.ServiceProvider.GetRequiredService<Metering>().MeterAsync(month.Value, ct);
            return TypedResults.Ok(new MeterResultDto(month.Value.ToString(), measured.Days.Count, measured.ActiveUsers));
        }).WithName("MeterTenantUsage").Accepts<CloseRequest>(Json).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Recompute one tenant's usage for a month from its database (idempotent)");
    }

    private static void MapInvoices(RouteGroupBuilder billing)
    {
        billing.MapGet("/closes", async (BillingOverview overview, CancellationToken ct) =>
            TypedResults.Ok<IReadOnlyList<CloseDto>>([.. (await overview.ClosesAsync(ct))
                .Select(c => new CloseDto(c.Month.ToString(), c.ClosedAt, c.UpdatedAt, c.InvoiceCount))]))
            .WithName("ListCloses").WithSummary("The closed months, newest first");

        billing.MapPost("/closes", async Task<Results<Ok<MonthlyClose.Result>, ProblemHttpResult>> (HttpContext http, MonthlyClose close, CancellationToken ct) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<CloseRequest>(http.Request, ct);
            if (problem is not null)
            {
                return problem;
            }

            return !BillingMonth.TryParse(body!.Month, out var month)
                ? Problems.Field("month", BillingText.Get("month_format"))
                : (await close.CloseAsync(new CloseMonthCommand(month.Value), HttpActor.Of(http.User, http.Connection.RemoteIpAddress?.ToString()), ct)).ToOk();
        }).WithName("CloseMonth").Accepts<CloseRequest>(Json).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Close a month (JST) and issue its invoices; idempotent");

        billing.MapGet("/invoices", async Task<Results<Ok<IReadOnlyList<InvoiceListItemDto>>, ProblemHttpResult>> (string? month, string? tenant, BillingOverview overview, CancellationToken ct) =>
        {
            BillingMonth? m = null;
            if (month is not null && !BillingMonth.TryParse(month, out m))
            {
                return Problems.Field("month", BillingText.Get("month_format"));
            }

            return TypedResults.Ok<IReadOnlyList<InvoiceListItemDto>>([.. (await overview.InvoicesAsync(m, tenant, ct)).Select(i => new InvoiceListItemDto(
                i.Id, i.Number, i.Kind, i.Month.ToString(), i.TenantCode, i.RecipientName, i.IssueDate, i.Total, i.Cancelled))]);
        }).WithName("ListInvoices").ProducesProblem(StatusCodes.Status400BadRequest).WithSummary("List invoices (filter by month yyyy-MM and tenant code)");

        billing.MapGet("/invoices/{id:guid}", async Task<Results<Ok<InvoiceDto>, ProblemHttpResult>> (Guid id, BillingOverview overview, CancellationToken ct) =>
            await overview.InvoiceAsync(id, ct) is { } dto ? TypedResults.Ok(dto) : Problems.NotFound())
            .WithName("GetInvoice").ProducesProblem(StatusCodes.Status404NotFound).WithSummary("One invoice with its lines and taxes");

        billing.MapGet("/invoices/{id:guid}/pdf", async Task<Results<FileContentHttpResult, ProblemHttpResult>> (Guid id, BillingOverview overview, CancellationToken ct) =>
            await overview.InvoiceAsync(id, ct) is { } dto
                ? TypedResults.File(InvoicePdf.Render(dto), "application/pdf", $"{dto.Number}.pdf")
                : Problems.NotFound())
            .WithName("GetInvoicePdf").Produces<byte[]>(StatusCodes.Status200OK, "application/pdf").ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The invoice as a PDF");

        billing.MapPost("/invoices/{id:guid}/corrections", async Task<Results<Created<InvoiceDto>, ProblemHttpResult>> (Guid id, HttpRequest request, InvoiceCorrection corrections, CancellationToken ct) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<InvoiceCorrection.Request>(request, ct);
            if (problem is not null)
            {
                return problem;
            }

            var outcome = await corrections.CorrectAsync(id, body!, ct);
            return outcome.Failure is { } failure ? failure.ToProblem() : TypedResults.Created($"/api/v1/ops/billing/invoices/{outcome.Value!.Id}", outcome.Value);
        }).WithName("CorrectInvoice").Accepts<InvoiceCorrection.Request>(Json).ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Issue a correction: a new invoice from current data that cancels this one");

        billing.MapGet("/exports/{month}/invoices.csv", async Task<Results<FileContentHttpResult, ProblemHttpResult>> (string month, string? encoding, BillingExports exports, CancellationToken ct) =>
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
        }).WithName("ExportInvoicesCsv").Produces<byte[]>(StatusCodes.Status200OK, "text/csv").ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("The month's invoice lines as CSV (UTF-8 with BOM, or encoding=shift_jis)");

        billing.MapGet("/exports/{month}/invoices.json", async Task<Results<FileContentHttpResult, ProblemHttpResult>> (string month, BillingExports exports, CancellationToken ct) =>
        {
            var (m, notReady) = await ClosedMonthAsync(month, exports, ct);
            return notReady is not null ? notReady : TypedResults.File(BillingExports.Json(m, await exports.InvoicesAsync(m, ct)), Json, $"invoices-{m}.json");
        }).WithName("ExportInvoicesJson").Produces<InvoiceExportDto>(StatusCodes.Status200OK).ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict).WithSummary("The month's invoices as JSON");
    }

    /// <summary>A month named in a request body (<c>{"month":"2026-11"}</c>).</summary>
    public sealed record CloseRequest(string? Month);

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
}
