using AspService.Billing;
using AspService.Data.Billing;
using AspService.Data.Catalog;
using AspService.Server.Hosting;
using AspService.Server.Identity;
using AspService.Server.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Billing;

/// <summary>
/// Stored monthly usage reports: a tenant admin's own (filtered by the tenant resolved for the request, never by
/// an id from the client), any tenant's for operators, and the provider-wide summary of a month.
/// </summary>
public static class UsageReportEndpoints
{
    public sealed record ReportSummary(string Month, DateTimeOffset CreatedAt, string Csv, string Pdf);

    public static void Map(RouteGroupBuilder ops, IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(ops);
        var tenant = app.MapTenantGroup("/api/v1/billing/usage-reports").WithTags("Billing (tenant admins)").RequireAuthorization(TenantAuth.AdminPolicy);

        tenant.MapGet("", async (TenantAccessor accessor, CatalogDbContext catalog, CancellationToken ct) =>
        {
            var tenantId = accessor.Required.TenantId;
            var rows = await catalog.Set<UsageReport>().AsNoTracking().Where(r => r.TenantId == tenantId).OrderByDescending(r => r.Month)
                .Select(r => new { r.Month, r.CreatedAt }).ToListAsync(ct);
            return TypedResults.Ok(rows.Select(r => Summary(BillingMonth.FromKey(r.Month).ToString(), r.CreatedAt)).ToList());
        }).WithName("ListOwnUsageReports").WithSummary("This municipality's monthly usage reports, newest first");

        tenant.MapGet("/{month}.csv", (string month, TenantAccessor accessor, CatalogDbContext catalog, CancellationToken ct) =>
            FileAsync(catalog, accessor.Required.TenantId, month, pdf: false, ct))
            .WithName("GetOwnUsageReportCsv").Files("text/csv").WithSummary("A monthly usage report as CSV (UTF-8 with BOM; one row per JST day and a total row)");

        tenant.MapGet("/{month}.pdf", (string month, TenantAccessor accessor, CatalogDbContext catalog, CancellationToken ct) =>
            FileAsync(catalog, accessor.Required.TenantId, month, pdf: true, ct))
            .WithName("GetOwnUsageReportPdf").Files("application/pdf").WithSummary("A monthly usage report as PDF (利用状況報告書)");

        ops.MapGet("/usage-reports/{month}/summary.csv", async Task<Results<FileContentHttpResult, ProblemHttpResult>> (string month, UsageReports reports, CancellationToken ct) =>
        {
            if (!BillingMonth.TryParse(month, out var m))
            {
                return Problems.Field("month", BillingText.Get("month_format"));
            }

            var bytes = BillingExports.Encode(await reports.SummaryCsvAsync(m.Value, ct), BillingExports.Utf8WithBom);
            return TypedResults.File(bytes, "text/csv; charset=utf-8", $"usage-summary-{m}.csv");
        }).WithName("GetUsageSummaryCsv").Produces<byte[]>(StatusCodes.Status200OK, "text/csv").ProducesProblem(StatusCodes.Status400BadRequest).WithSummary("Every tenant's usage report figures for a month, one row per tenant (CSV, UTF-8 with BOM)");

        ops.MapGet("/usage-reports/{key}/{month}.csv", async (string key, string month, CatalogDbContext catalog, CancellationToken ct) =>
            await TenantFinder.FindAsync(catalog, key, ct) is { } t ? await FileAsync(catalog, t.Id, month, pdf: false, ct) : TenantFinder.NotFound().ToProblem())
            .WithName("GetTenantUsageReportCsv").Files("text/csv").WithSummary("One tenant's monthly usage report as CSV");

        ops.MapGet("/usage-reports/{key}/{month}.pdf", async (string key, string month, CatalogDbContext catalog, CancellationToken ct) =>
            await TenantFinder.FindAsync(catalog, key, ct) is { } t ? await FileAsync(catalog, t.Id, month, pdf: true, ct) : TenantFinder.NotFound().ToProblem())
            .WithName("GetTenantUsageReportPdf").Files("application/pdf").WithSummary("One tenant's monthly usage report as PDF");
    }

    private static ReportSummary Summary(string month, DateTimeOffset createdAt) =>
        new(month, createdAt, $"usage-reports/{month}.csv", $"usage-reports/{month}.pdf");

    /// <summary>A stored report file, or the problem of a bad month (400) or a missing report (404).</summary>
    private static RouteHandlerBuilder Files(this RouteHandlerBuilder route, string contentType) => route
        .Produces<byte[]>(StatusCodes.Status200OK, contentType).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> FileAsync(CatalogDbContext catalog, Guid tenantId, string month, bool pdf, CancellationToken ct)
    {
        if (!BillingMonth.TryParse(month, out var m))
        {
            return Problems.Field("month", BillingText.Get("month_format"));
        }

        var key = m.Value.Key;
        var bytes = pdf
            ? await catalog.Set<UsageReport>().AsNoTracking().Where(r => r.TenantId == tenantId && r.Month == key).Select(r => r.Pdf).SingleOrDefaultAsync(ct)
            : await catalog.Set<UsageReport>().AsNoTracking().Where(r => r.TenantId == tenantId && r.Month == key).Select(r => r.Csv).SingleOrDefaultAsync(ct);
        if (bytes is null)
        {
            return Problems.NotFound();
        }

        return pdf
            ? TypedResults.File(bytes, "application/pdf", $"usage-report-{m}.pdf")
            : TypedResults.File(bytes, "text/csv; charset=utf-8", $"usage-report-{m}.csv");
    }
}
