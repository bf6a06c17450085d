using AspService.Billing;
using AspService.Server.Hosting;
using AspService.Server.Identity;
using AspService.Server.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AspService.Server.Billing;

/// <summary>
/// A tenant admin's own billing: usage, invoices and their PDFs under /api/v1/billing inside the tenant. The
/// rows live in the catalog, so every query is filtered by the tenant resolved for the request (host or
/// /t/{code}), never by an id the client sends: another tenant's invoice id is simply not found.
/// </summary>
public static class TenantBillingEndpoints
{
    public static void MapTenantBillingEndpoints(IEndpointRouteBuilder app)
    {
        var billing = app.MapTenantGroup("/api/v1/billing").WithTags("Billing (tenant admins)").RequireAuthorization(TenantAuth.AdminPolicy);

        billing.MapGet("/usage", async Task<Results<Ok<UsageView.Report>, ProblemHttpResult>> (string? month, string? fiscalYear, TenantAccessor accessor, TenantBilling billing, TimeProvider time, CancellationToken ct) =>
        {
            var current = BillingMonth.Of(time.GetUtcNow());
            // Neither given: this month so far (with its days) and the eleven months before it.
            if (UsageView.Select(month, fiscalYear, () => (TenantBilling.LastTwelve(current), current), out var months, out var daily, out var year) is { } invalid)
            {
                return invalid.ToProblem();
            }

            return TypedResults.Ok(await billing.UsageAsync(accessor.Required.TenantId, months, daily, year, ct));
        }).WithName("GetOwnUsage").ProducesProblem(StatusCodes.Status400BadRequest).WithSummary("This municipality's usage: this month so far and the past months, a month (?month=yyyy-MM, with its days) or a fiscal year (?fiscalYear=2026, April–March)");

        billing.MapGet("/invoices", async (TenantAccessor accessor, TenantBilling billing, CancellationToken ct) =>
            TypedResults.Ok(await billing.InvoicesAsync(accessor.Required.TenantId, ct)))
            .WithName("ListOwnInvoices").WithSummary("This municipality's invoices, newest first (corrections included; cancelled ones marked)");

        billing.MapGet("/invoices/{id:guid}", async Task<Results<Ok<InvoiceDto>, ProblemHttpResult>> (Guid id, TenantAccessor accessor, TenantBilling billing, CancellationToken ct) =>
            await billing.InvoiceAsync(accessor.Required.TenantId, id, ct) is { } dto ? TypedResults.Ok(dto) : Problems.NotFound())
            .WithName("GetOwnInvoice").ProducesProblem(StatusCodes.Status404NotFound).WithSummary("One of this municipality's invoices");

        billing.MapGet("/invoices/{id:guid}/pdf", async Task<Results<FileContentHttpResult, ProblemHttpResult>> (Guid id, TenantAccessor accessor, TenantBilling billing, CancellationToken ct) =>
            await billing.PdfAsync(accessor.Required.TenantId, id, ct) is { } pdf
                ? TypedResults.File(pdf.Pdf, "application/pdf", pdf.FileName)
                : Problems.NotFound())
            .WithName("GetOwnInvoicePdf").Produces<byte[]>(StatusCodes.Status200OK, "application/pdf").ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One of this municipality's invoices as a PDF (適格請求書)");
    }
}
