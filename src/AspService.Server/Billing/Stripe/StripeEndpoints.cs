using AspService.Billing;
using AspService.Data.Catalog;
using AspService.Server.Hosting;
using AspService.Server.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AspService.Server.Billing.Stripe;

/// <summary>
/// Stripe's operator endpoints under /api/v1/ops/billing/tenants/{key}/stripe (settings and a sync trigger); the
/// webhook is <see cref="StripeWebhookEndpoints"/>.
/// </summary>
public static class StripeEndpoints
{
    public sealed record SyncRequest(string? Month);

    /// <summary>Operator endpoints, inside the operator-only /api/v1/ops/billing group.</summary>
    public static void MapStripeOperatorEndpoints(RouteGroupBuilder billing)
    {
        ArgumentNullException.ThrowIfNull(billing);
        billing.MapGet("/tenants/{key}/stripe", async (string key, StripeSettings settings, CancellationToken ct) =>
                (await settings.GetAsync(key, ct)).ToOk())
            .WithName("GetTenantStripe").ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A tenant's Stripe settings and the Stripe state of its invoices");

        billing.MapPut("/tenants/{key}/stripe", (string key, HttpRequest request, StripeSettings settings, CancellationToken ct) =>
                JsonBody.ThenAsync<StripeSettings.SettingsRequest, StripeSettings.SettingsDto>(request, body => settings.SetAsync(key, body, ct), ct))
            .WithName("SetTenantStripe").Accepts<StripeSettings.SettingsRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Enable or disable Stripe for a tenant (the Stripe customer is created by the first sync and kept)");

        billing.MapPost("/tenants/{key}/stripe/syncs", async Task<Results<Ok<StripeSync.Result>, ProblemHttpResult>> (string key, HttpRequest request, CatalogDbContext catalog, StripeSync sync, CancellationToken ct) =>
            {
                var (body, problem) = await JsonBody.ReadAsync<SyncRequest>(request, ct);
                if (problem is not null)
                {
                    return problem;
                }

                if (!BillingMonth.TryParse(body!.Month, out var month))
                {
                    return Problems.Field("month", BillingText.Get("month_format"));
                }

                var tenant = await TenantFinder.FindAsync(catalog, key, ct);
                return tenant is null ? TenantFinder.NotFound().ToProblem() : ToHttp(await sync.SyncTenantMonthAsync(tenant.Id, month.Value, ct));
            })
            .WithName("SyncTenantStripe").Accepts<SyncRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status502BadGateway).ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Put a tenant's closed month into Stripe (idempotent: a rerun finishes what is missing and creates nothing twice)");
    }

    private static Results<Ok<StripeSync.Result>, ProblemHttpResult> ToHttp(StripeSync.Result result) => result.Outcome switch
    {
        StripeSync.Outcome.Synced => TypedResults.Ok(result),
        StripeSync.Outcome.NotConfigured => Problems.Titled(StatusCodes.Status409Conflict, "stripe-not-configured", BillingText.Get("stripe_not_configured")),
        StripeSync.Outcome.NotEnabled => Problems.Titled(StatusCodes.Status409Conflict, "stripe-not-enabled", BillingText.Get("stripe_not_enabled")),
        StripeSync.Outcome.NotInvoiced => Problems.Titled(StatusCodes.Status409Conflict, "stripe-no-invoice", BillingText.Get("stripe_no_invoice", result.Month)),
        StripeSync.Outcome.Rejected => WithResult(Problems.Titled(StatusCodes.Status502BadGateway, "stripe-rejected", BillingText.Get("stripe_rejected")), result),
        _ => WithResult(Problems.Titled(StatusCodes.Status503ServiceUnavailable, "stripe-unavailable", BillingText.Get("stripe_unavailable")), result),
    };

    // The failed step and Stripe's error code help the operator; no secret or Stripe free text is in them.
    private static ProblemHttpResult WithResult(ProblemHttpResult problem, StripeSync.Result result)
    {
        problem.ProblemDetails.Detail = result.Error;
        problem.ProblemDetails.Extensions["retryable"] = result.Retryable;
        problem.ProblemDetails.Extensions["steps"] = result.Steps;
        return problem;
    }
}
