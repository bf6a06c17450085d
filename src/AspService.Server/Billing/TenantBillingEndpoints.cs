using AspService.Billing;
using AspService.Data.Billing;
using AspService.Data.Catalog;
using AspService.Server.Hosting;
using AspService.Server.Identity;
using AspService.Server.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Billing;

/// <summary>
/// A tenant admin's own billing: usage, invoices and their PDFs under /api/v1/billing inside the tenant. The
/// rows live in the catalog, so every query is filtered by the tenant resolved for the request (host or
/// /t/{code}), never by an id the client sends: another tenant's invoice id is simply not found.
/// </summary>
public static class TenantBillingEndpoints
{
    public sealed record InvoiceSummary(
        Guid Id, string Number, InvoiceKind Kind, string Month, DateOnly IssueDate, long Total, bool Cancelled, StripeInvoiceState? PaymentState, DateTimeOffset? PaidAt);

    public static void MapTenantBillingEndpoints(IEndpointRouteBuilder app)
    {
        var billing = app.MapTenantGroup("/api/v1/billing").WithTags("Billing (tenant admins)").RequireAuthorization(TenantAuth.AdminPolicy);

        billing.MapGet("/usage", async Task<IResult> (string? month, string? fiscalYear, TenantAccessor accessor, CatalogDbContext catalog, TimeProvider time, CancellationToken ct) =>
        {
            var current = BillingMonth.Of(time.GetUtcNow());
            // Neither given: this month so far (with its days) and the eleven months before it.
            var problem = UsageView.Select(month, fiscalYear, () => ([.. Enumerable.Range(0, 12).Select(i => Back(current, 11 - i))], current), out var months, out var daily, out var year);
            if (problem is not null)
            {
                return problem;
            }

            var tenant = await catalog.Tenants.AsNoTracking().SingleAsync(t => t.Id == accessor.Required.TenantId, ct);
            return TypedResults.Ok(await UsageView.BuildAsync(catalog, tenant, months, daily, year, current.ToString(), ct));
        }).WithSummary("This municipality's usage: this month so far and the past months, a month (?month=yyyy-MM, with its days) or a fiscal year (?fiscalYear=2026, April–March)");

        billing.MapGet("/invoices", async (TenantAccessor accessor, CatalogDbContext catalog, CancellationToken ct) =>
        {
            var tenantId = accessor.Required.TenantId;
            var invoices = await catalog.Invoices.AsNoTracking().Where(i => i.TenantId == tenantId).OrderByDescending(i => i.SequenceNumber)
                .Select(i => new { i.Id, i.Number, i.Kind, i.Month, i.IssueDate, i.Total, i.CancelsInvoiceId }).ToListAsync(ct);
            var payments = await catalog.StripeInvoiceSyncs.AsNoTracking().Where(s => s.TenantId == tenantId).ToDictionaryAsync(s => s.InvoiceId, ct);
            var cancelled = invoices.Where(i => i.CancelsInvoiceId is not null).Select(i => i.CancelsInvoiceId!.Value).ToHashSet();
            return TypedResults.Ok(invoices.Select(i => new InvoiceSummary(
                i.Id, i.Number, i.Kind, BillingMonth.FromKey(i.Month).ToString(), i.IssueDate, i.Total, cancelled.Contains(i.Id),
                payments.GetValueOrDefault(i.Id)?.State, payments.GetValueOrDefault(i.Id)?.PaidAt)).ToList());
        }).WithSummary("This municipality's invoices, newest first (corrections included; cancelled ones marked)");

        billing.MapGet("/invoices/{id:guid}", async Task<IResult> (Guid id, TenantAccessor accessor, CatalogDbContext catalog, CancellationToken ct) =>
            await BillingEndpoints.LoadAsync(catalog, id, accessor.Required.TenantId, ct) is { } dto ? TypedResults.Ok(dto) : Problems.NotFound())
            .WithSummary("One of this municipality's invoices");

        billing.MapGet("/invoices/{id:guid}/pdf", async Task<IResult> (Guid id, TenantAccessor accessor, CatalogDbContext catalog, CancellationToken ct) =>
            await BillingEndpoints.LoadAsync(catalog, id, accessor.Required.TenantId, ct) is { } dto
                ? TypedResults.File(InvoicePdf.Render(dto), "application/pdf", $"{dto.Number}.pdf")
                : Problems.NotFound())
            .WithSummary("One of this municipality's invoices as a PDF (適格請求書)");
    }

    private static BillingMonth Back(BillingMonth month, int count)
    {
        for (var i = 0; i < count; i++)
        {
            month = month.Previous;
        }

        return month;
    }
}
