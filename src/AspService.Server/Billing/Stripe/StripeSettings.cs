using AspService.Billing;
using AspService.Common;
using AspService.Data.Billing;
using AspService.Data.Catalog;
using AspService.Data.Tenancy;
using AspService.Server.Hosting;
using AspService.Server.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AspService.Server.Billing.Stripe;

/// <summary>A tenant's Stripe settings (operators): read them with the Stripe state of its invoices, or switch Stripe on and off.</summary>
public sealed class StripeSettings(CatalogDbContext catalog, IOptions<StripeOptions> options, TimeProvider time)
{
    public sealed record SettingsRequest(bool? Enabled, string? BillingEmail);

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

    public async Task<Outcome<SettingsDto>> GetAsync(string tenantKey, CancellationToken ct) =>
        await TenantFinder.FindAsync(catalog, tenantKey, ct) is { } tenant ? await SettingsAsync(tenant, ct) : TenantFinder.NotFound();

    /// <summary>Enables or disables Stripe for a tenant (the Stripe customer is created by the first sync and kept).</summary>
    public async Task<Outcome<SettingsDto>> SetAsync(string tenantKey, SettingsRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new FieldErrors();
        if (request.Enabled is null)
        {
            errors.Add("enabled", Text.Get("required"));
        }

        var email = request.BillingEmail is null ? null : errors.Email("billingEmail", request.BillingEmail);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        if (await TenantFinder.FindAsync(catalog, tenantKey, ct) is not { } tenant)
        {
            return TenantFinder.NotFound();
        }

        var now = time.GetUtcNow();
        var account = await catalog.TenantStripeAccounts.SingleOrDefaultAsync(a => a.TenantId == tenant.Id, ct);
        if (account is null)
        {
            account = new TenantStripeAccount { TenantId = tenant.Id, CreatedAt = now };
            catalog.TenantStripeAccounts.Add(account);
        }

        account.Enabled = request.Enabled!.Value;
        account.BillingEmail = email;
        account.UpdatedAt = now;
        account.Version++;
        if (!await TenantOnboarding.TrySaveAsync(catalog, ct))
        {
            return Failures.Of(StatusCodes.Status409Conflict, "concurrent_change");
        }

        return await SettingsAsync(tenant, ct);
    }

    public async Task<SettingsDto> SettingsAsync(Tenant tenant, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var account = await catalog.TenantStripeAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.TenantId == tenant.Id, ct);
        var rows = await catalog.StripeInvoiceSyncs.AsNoTracking().Where(s => s.TenantId == tenant.Id).ToListAsync(ct);
        return new SettingsDto(tenant.Code, account?.Enabled ?? false, account?.CustomerId, account?.BillingEmail, options.Value.IsConfigured,
            [.. rows.OrderBy(r => r.Month).ThenBy(r => r.InvoiceNumber, StringComparer.Ordinal).Select(InvoiceSyncDto.From)]);
    }
}
