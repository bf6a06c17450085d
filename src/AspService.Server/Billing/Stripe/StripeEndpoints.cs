using AspService.Billing;
using AspService.Data.Billing;
using AspService.Data.Catalog;
using AspService.Data.Tenancy;
using AspService.Server.Hosting;
using AspService.Server.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AspService.Server.Billing.Stripe;

/// <summary>
/// Stripe: registration, the operator endpoints under /api/v1/ops/billing/tenants/{key}/stripe (settings and a
/// sync trigger) and the anonymous webhook <c>POST /api/v1/billing/stripe/webhook</c> (outside any tenant).
/// </summary>
public static class StripeEndpoints
{
    public const string WebhookPath = "/api/v1/billing/stripe/webhook";

    public static IServiceCollection AddStripeBilling(this IServiceCollection services)
    {
        services.AddOptions<StripeOptions>().BindConfiguration(StripeOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StripeOptions>, StripeOptionsValidator>();
        services.AddHttpClient(StripeGateway.HttpClientName, (sp, http) =>
                http.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<StripeOptions>>().Value.TimeoutSeconds))
            .RedactLoggedHeaders(["Authorization"]);
        services.AddSingleton<StripeGateway>();
        services.AddScoped<StripeSync>();
        services.AddScoped<StripeWebhook>();
        return services;
    }

    public sealed record SettingsRequest(bool? Enabled, string? BillingEmail);

    public sealed record SyncRequest(string? Month);

    public sealed record InvoiceSyncDto(
        Guid InvoiceId, string InvoiceNumber, string Month, string? StripeInvoiceId, StripeInvoiceState State, int ItemsCreated,
        DateTimeOffset? MeterEventsAt, bool MeterEventsSkipped, DateTimeOffset? FinalizedAt, long? AmountDue, DateTimeOffset? PaidAt, string? LastError)
    {
        public static InvoiceSyncDto From(StripeInvoiceSync s) => new(
            s.InvoiceId, s.InvoiceNumber, BillingMonth.FromKey(s.Month).ToString(), s.StripeInvoiceId, s.State, s.ItemsCreated,
            s.MeterEventsAt, s.MeterEventsSkipped, s.FinalizedAt, s.AmountDue, s.PaidAt, s.LastError);
    }

    /// <summary>A tenant's Stripe settings. Whether the deployment has a key is shown; the key never is.</summary>
    public sealed record SettingsDto(string Tenant, bool Enabled, string? CustomerId, string? BillingEmail, bool StripeConfigured, IReadOnlyList<InvoiceSyncDto> Invoices);

    /// <summary>Operator endpoints, inside the operator-only /api/v1/ops/billing group.</summary>
    public static void MapStripeOperatorEndpoints(RouteGroupBuilder billing)
    {
        ArgumentNullException.ThrowIfNull(billing);
        billing.MapGet("/tenants/{key}/stripe", async Task<IResult> (string key, CatalogDbContext catalog, IOptions<StripeOptions> options, CancellationToken ct) =>
            await OpsTenantEndpoints.FindAsync(catalog, key, ct) is { } tenant
                ? TypedResults.Ok(await SettingsAsync(catalog, tenant, options.Value, ct))
                : Problems.Of(StatusCodes.Status404NotFound, "tenant_not_found"))
            .WithSummary("A tenant's Stripe settings and the Stripe state of its invoices");

        billing.MapPut("/tenants/{key}/stripe", async Task<IResult> (string key, HttpRequest request, CatalogDbContext catalog, IOptions<StripeOptions> options, TimeProvider time, CancellationToken ct) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<SettingsRequest>(request, ct);
            if (problem is not null)
            {
                return problem;
            }

            var errors = new FieldErrors();
            if (body!.Enabled is null)
            {
                errors.Add("enabled", Text.Get("required"));
            }

            var email = body.BillingEmail is null ? null : errors.Email("billingEmail", body.BillingEmail);
            if (errors.Any)
            {
                return errors.ToProblem();
            }

            var tenant = await OpsTenantEndpoints.FindAsync(catalog, key, ct);
            if (tenant is null)
            {
                return Problems.Of(StatusCodes.Status404NotFound, "tenant_not_found");
            }

            var now = time.GetUtcNow();
            var account = await catalog.TenantStripeAccounts.SingleOrDefaultAsync(a => a.TenantId == tenant.Id, ct);
            if (account is null)
            {
                account = new TenantStripeAccount { TenantId = tenant.Id, CreatedAt = now };
                catalog.TenantStripeAccounts.Add(account);
            }

            account.Enabled = body.Enabled!.Value;
            account.BillingEmail = email;
            account.UpdatedAt = now;
            account.Version++;
            if (!await TenantOnboarding.TrySaveAsync(catalog, ct))
            {
                return Problems.Of(StatusCodes.Status409Conflict, "concurrent_change");
            }

            return TypedResults.Ok(await SettingsAsync(catalog, tenant, options.Value, ct));
        }).WithSummary("Enable or disable Stripe for a tenant (the Stripe customer is created by the first sync and kept)");

        billing.MapPost("/tenants/{key}/stripe/syncs", async Task<IResult> (string key, HttpRequest request, CatalogDbContext catalog, StripeSync sync, CancellationToken ct) =>
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

            var tenant = await OpsTenantEndpoints.FindAsync(catalog, key, ct);
            return tenant is null ? Problems.Of(StatusCodes.Status404NotFound, "tenant_not_found") : ToHttp(await sync.SyncTenantMonthAsync(tenant.Id, month.Value, ct));
        }).WithSummary("Put a tenant's closed month into Stripe (idempotent: a rerun finishes what is missing and creates nothing twice)");
    }

    public static void MapStripeWebhook(IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost(WebhookPath, (HttpRequest request, StripeWebhook webhook, CancellationToken ct) => webhook.HandleAsync(request, ct))
            .AllowAnonymous().WithTags("Billing (Stripe)")
            .WithSummary("Stripe webhook (Stripe-Signature verified): invoice.paid, invoice.payment_failed");
    }

    private static IResult ToHttp(StripeSync.Result result) => result.Outcome switch
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

    internal static async Task<SettingsDto> SettingsAsync(CatalogDbContext catalog, Tenant tenant, StripeOptions options, CancellationToken ct)
    {
        var account = await catalog.TenantStripeAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.TenantId == tenant.Id, ct);
        var rows = await catalog.StripeInvoiceSyncs.AsNoTracking().Where(s => s.TenantId == tenant.Id).ToListAsync(ct);
        return new SettingsDto(tenant.Code, account?.Enabled ?? false, account?.CustomerId, account?.BillingEmail, options.IsConfigured,
            [.. rows.OrderBy(r => r.Month).ThenBy(r => r.InvoiceNumber, StringComparer.Ordinal).Select(InvoiceSyncDto.From)]);
    }
}
