using System.Globalization;
using AspService.Billing;
using AspService.Data.Billing;
using AspService.Data.Catalog;
using AspService.Data.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Stripe;
using Invoice = AspService.Data.Billing.Invoice;

namespace AspService.Server.Billing.Stripe;

/// <summary>
/// Puts one tenant's closed month into Stripe (decision 0022): the customer (once per tenant), the month's
/// meter events, then a Stripe invoice built from our qualified invoice (draft → one item per line and per tax
/// rate → finalize). Every request carries an idempotency key derived from (tenant, month, operation) and every
/// confirmed step is saved in the catalog at once, so a rerun — by an operator or a job — skips what is done,
/// repeats an unfinished step with the same key, and never creates a second invoice or charge.
/// </summary>
public sealed class StripeSync(CatalogDbContext catalog, StripeGateway gateway, IOptions<StripeOptions> options, TimeProvider time, ILogger<StripeSync> logger)
{
    private readonly CatalogDbContext _catalog = catalog;
    private readonly StripeOptions _options = options.Value;
    private readonly TimeProvider _time = time;
    private readonly ILogger _logger = logger;

    public enum Outcome
    {
        /// <summary>The invoice is in Stripe (finalized); nothing was left to do, or the missing steps were done.</summary>
        Synced,

        /// <summary>No Stripe secret key is configured for this deployment.</summary>
        NotConfigured,

        /// <summary>Stripe is not enabled for the tenant.</summary>
        NotEnabled,

        /// <summary>The tenant has no invoice for the month (the month is not closed, or the tenant was not billed).</summary>
        NotInvoiced,

        /// <summary>Stripe refused a request (4xx): permanent until someone changes something; do not retry.</summary>
        Rejected,

        /// <summary>Stripe could not be reached or answered 409/429/5xx after Stripe.net's own retries; retry later.</summary>
        Unavailable,
    }

    public sealed record SyncStep(string Name, string Status);

    public sealed record Result(Outcome Outcome, string Month, Guid TenantId, string? InvoiceNumber, string? StripeInvoiceId, StripeInvoiceState? State, IReadOnlyList<SyncStep> Steps, string? Error)
    {
        /// <summary>True when a job should try again later; false for success and for permanent failures.</summary>
        public bool Retryable => Outcome == Outcome.Unavailable;
    }

    /// <summary>Idempotent: safe to call any number of times, concurrently or after a crash at any point.</summary>
    public async Task<Result> SyncTenantMonthAsync(Guid tenantId, BillingMonth month, CancellationToken ct = default)
    {
        var steps = new List<SyncStep>();
        Result Done(Outcome outcome, Invoice? invoice = null, StripeInvoiceSync? row = null, string? error = null) =>
            new(outcome, month.ToString(), tenantId, invoice?.Number, row?.StripeInvoiceId, row?.State, steps, error);

        if (!_options.IsConfigured)
        {
            return Done(Outcome.NotConfigured);
        }

        var tenant = await _catalog.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tenantId, ct);
        var account = await _catalog.TenantStripeAccounts.SingleOrDefaultAsync(a => a.TenantId == tenantId, ct);
        if (tenant is null || account is not { Enabled: true })
        {
            return Done(Outcome.NotEnabled);
        }

        var invoices = await _catalog.Invoices.AsNoTracking().AsSplitQuery().Include(i => i.Lines).Include(i => i.Taxes)
            .Where(i => i.TenantId == tenantId && i.Month == month.Key).OrderBy(i => i.SequenceNumber).ToListAsync(ct);
        var cancelled = invoices.Where(i => i.CancelsInvoiceId is not null).Select(i => i.CancelsInvoiceId!.Value).ToHashSet();
        var current = invoices.LastOrDefault(i => !cancelled.Contains(i.Id));
        if (current is null)
        {
            return Done(Outcome.NotInvoiced);
        }

        var run = new Run(this, gateway.Create(), tenant, month, steps);
        StripeInvoiceSync? row = null;
        try
        {
            var customerId = await run.EnsureCustomerAsync(account, ct);
            foreach (var old in invoices.Where(i => cancelled.Contains(i.Id)))
            {
                await run.RetireAsync(old, ct);
            }

            row = await RowAsync(current, customerId, ct);
            await run.MeterEventsAsync(row, current, ct);
            await run.DraftAsync(row, current, ct);
            await run.ItemsAsync(row, current, ct);
            await run.FinalizeAsync(row, current, ct);
            if (row.LastError is not null)
            {
                row.LastError = null;
                await SaveAsync(row, ct);
            }

            return Done(Outcome.Synced, current, row);
        }
        catch (StripeException ex) when (StripeGateway.IsPermanent(ex))
        {
            var error = StripeGateway.Describe(ex);
            _logger.LogWarning("Stripe refused the sync of tenant {Tenant} for {Month}: {Error}", tenant.Code, month, error);
            await RecordErrorAsync(row, error, ct);
            return Done(Outcome.Rejected, current, row, error);
        }
        catch (Exception ex) when (ex is StripeException or HttpRequestException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            var error = ex is StripeException s ? StripeGateway.Describe(s) : "Stripe unreachable: " + ex.GetType().Name;
            _logger.LogWarning("Stripe sync of tenant {Tenant} for {Month} failed and may be retried: {Error}", tenant.Code, month, error);
            await RecordErrorAsync(row, error, ct);
            return Done(Outcome.Unavailable, current, row, error);
        }
        catch (DbUpdateException)
        {
            // Another sync of the same invoice saved first; its steps are done, a rerun continues from there.
            _logger.LogWarning("Stripe sync of tenant {Tenant} for {Month} ran concurrently with another; retry", tenant.Code, month);
            return Done(Outcome.Unavailable, current, row, "concurrent sync");
        }
    }

    private async Task<StripeInvoiceSync> RowAsync(Invoice invoice, string customerId, CancellationToken ct)
    {
        var row = await _catalog.StripeInvoiceSyncs.SingleOrDefaultAsync(s => s.InvoiceId == invoice.Id, ct);
        if (row is not null)
        {
            return row;
        }

        var now = _time.GetUtcNow();
        row = new StripeInvoiceSync
        {
            InvoiceId = invoice.Id,
            TenantId = invoice.TenantId,
            Month = invoice.Month,
            InvoiceNumber = invoice.Number,
            CustomerId = customerId,
            State = StripeInvoiceState.Pending,
            CreatedAt = now,
            UpdatedAt = now,
        };
        _catalog.StripeInvoiceSyncs.Add(row);
        await _catalog.SaveChangesAsync(ct);
        return row;
    }

    /// <summary>Saves a changed row; the version stops a concurrent sync or webhook from being overwritten.</summary>
    private async Task SaveAsync(StripeInvoiceSync row, CancellationToken ct)
    {
        row.Version++;
        row.UpdatedAt = _time.GetUtcNow();
        await _catalog.SaveChangesAsync(ct);
    }

    private async Task RecordErrorAsync(StripeInvoiceSync? row, string error, CancellationToken ct)
    {
        if (row is null)
        {
            return;
        }

        try
        {
            row.LastError = error.Length > 500 ? error[..500] : error;
            await SaveAsync(row, ct);
        }
        catch (DbUpdateException)
        {
            // The failure is reported to the caller either way; the row is updated by the next run.
        }
    }

    /// <summary>The requests of one sync, each with its idempotency key, and the catalog write that follows it.</summary>
    private sealed class Run(StripeSync owner, StripeClient client, Tenant tenant, BillingMonth month, List<SyncStep> steps)
    {
        private const string Currency = "jpy";

        private DateTimeOffset Now => owner._time.GetUtcNow();

        private RequestOptions Key(string operation) => new() { IdempotencyKey = StripeKeys.Idempotency(tenant.Id, month, operation) };

        public async Task<string> EnsureCustomerAsync(TenantStripeAccount account, CancellationToken ct)
        {
            if (account.CustomerId is { } existing)
            {
                steps.Add(new("customer", "existing"));
                return existing;
            }

            var customer = await client.V1.Customers.CreateAsync(new CustomerCreateOptions
            {
                Name = tenant.Name,
                Description = $"{tenant.Name}（団体コード {tenant.Code}）",
                Email = account.BillingEmail,
                PreferredLocales = ["ja"],
                Metadata = new() { ["aspservice_tenant_id"] = tenant.Id.ToString(), ["aspservice_tenant_code"] = tenant.Code },
            }, new RequestOptions { IdempotencyKey = StripeKeys.Customer(tenant.Id) }, ct);
            account.CustomerId = customer.Id;
            account.UpdatedAt = Now;
            account.Version++;
            await owner._catalog.SaveChangesAsync(ct);
            steps.Add(new("customer", "created"));
            return customer.Id;
        }

        /// <summary>
        /// An invoice that a correction replaced: its Stripe invoice is voided (deleted while still a draft).
        /// A paid one is left alone and reported: refunding is an operator's decision.
        /// </summary>
        public async Task RetireAsync(Invoice old, CancellationToken ct)
        {
            var row = await owner._catalog.StripeInvoiceSyncs.SingleOrDefaultAsync(s => s.InvoiceId == old.Id, ct);
            var name = "retire " + old.Number;
            if (row?.StripeInvoiceId is not { } stripeId || row.State == StripeInvoiceState.Void)
            {
                return;
            }

            if (row.State == StripeInvoiceState.Paid)
            {
                owner._logger.LogWarning("Corrected invoice {Number} was already paid through Stripe; settle the difference by hand", old.Number);
                steps.Add(new(name, "paid-not-voided"));
                return;
            }

            if (row.FinalizedAt is null)
            {
                try
                {
                    await client.V1.Invoices.DeleteAsync(stripeId, null, Key(old.Number + "/delete"), ct);
                }
                catch (StripeException ex) when (ex.StripeError?.Code == "resource_missing")
                {
                    // Deleted by an earlier run whose save did not happen.
                }
            }
            else
            {
                await client.V1.Invoices.VoidInvoiceAsync(stripeId, null, Key(old.Number + "/void"), ct);
            }

            row.State = StripeInvoiceState.Void;
            await owner.SaveAsync(row, ct);
            steps.Add(new(name, "voided"));
        }

        /// <summary>
        /// One meter event per metered component, with an identifier derived from (tenant, month, component) so
        /// Stripe drops a repeat. Sent once per tenant and month: a correction's usage is charged through its
        /// invoice items, not reported again (the identifiers would collide).
        /// </summary>
        public async Task MeterEventsAsync(StripeInvoiceSync row, Invoice invoice, CancellationToken ct)
        {
            if (row.MeterEventsAt is not null)
            {
                steps.Add(new("meter-events", "existing"));
                return;
            }

            var sentBefore = await owner._catalog.StripeInvoiceSyncs.AnyAsync(
                s => s.TenantId == tenant.Id && s.Month == month.Key && s.InvoiceId != row.InvoiceId && s.MeterEventsAt != null, ct);
            var at = StripeMeters.Timestamp(month, Now);
            string status;
            if (sentBefore)
            {
                status = "sent-with-earlier-invoice";
            }
            else if (at is null)
            {
                // Stripe refuses events older than 35 days; the invoice items still charge the usage.
                row.MeterEventsSkipped = true;
                status = "too-old";
            }
            else
            {
                var count = 0;
                foreach (var (component, quantity) in StripeMeters.Quantities(invoice.Lines.OrderBy(l => l.LineNumber).Select(ToPriced)))
                {
                    if (owner._options.MeterEventName(component) is not { } eventName)
                    {
                        continue;
                    }

                    await client.V1.Billing.MeterEvents.CreateAsync(new global::Stripe.Billing.MeterEventCreateOptions
                    {
                        EventName = eventName,
                        Identifier = StripeKeys.MeterIdentifier(tenant.Id, month, component),
                        Timestamp = at.Value.UtcDateTime,
                        Payload = new()
                        {
                            ["stripe_customer_id"] = row.CustomerId,
                            ["value"] = quantity.ToString(CultureInfo.InvariantCulture),
                        },
                    }, Key("meter/" + component), ct);
                    count++;
                }

                status = string.Create(CultureInfo.InvariantCulture, $"sent {count}");
            }

            row.MeterEventsAt = Now;
            await owner.SaveAsync(row, ct);
            steps.Add(new("meter-events", status));
        }

        public async Task DraftAsync(StripeInvoiceSync row, Invoice invoice, CancellationToken ct)
        {
            if (row.StripeInvoiceId is not null)
            {
                steps.Add(new("invoice", "existing"));
                return;
            }

            var draft = await client.V1.Invoices.CreateAsync(new InvoiceCreateOptions
            {
                Customer = row.CustomerId,
                Currency = Currency,
                CollectionMethod = "send_invoice",
                DaysUntilDue = owner._options.DaysUntilDue,
                AutoAdvance = false,
                // Only the items we add to this invoice below, never stray pending items of the customer.
                PendingInvoiceItemsBehavior = "exclude",
                Description = $"請求書 {invoice.Number}（{month.Year}年{month.Month}月分）。適格請求書は同じ番号の PDF です。",
                Metadata = new()
                {
                    ["aspservice_invoice_id"] = invoice.Id.ToString(),
                    ["aspservice_invoice_number"] = invoice.Number,
                    ["aspservice_tenant_code"] = tenant.Code,
                    ["aspservice_month"] = month.ToString(),
                },
            }, Key(invoice.Number + "/invoice"), ct);
            row.StripeInvoiceId = draft.Id;
            row.State = StripeInvoiceState.Draft;
            await owner.SaveAsync(row, ct);
            steps.Add(new("invoice", "created"));
        }

        public async Task ItemsAsync(StripeInvoiceSync row, Invoice invoice, CancellationToken ct)
        {
            var items = StripeInvoiceItems.From(
                [.. invoice.Lines.OrderBy(l => l.LineNumber).Select(ToPriced)],
                [.. invoice.Taxes.OrderBy(t => t.RatePercent).Select(t => new TaxSubtotal(t.RatePercent, t.Subtotal, t.Tax))]);
            if (row.ItemsCreated >= items.Count)
            {
                steps.Add(new("items", "existing"));
                return;
            }

            var first = row.ItemsCreated;
            for (var i = first; i < items.Count; i++)
            {
                var item = items[i];
                await client.V1.InvoiceItems.CreateAsync(new InvoiceItemCreateOptions
                {
                    Customer = row.CustomerId,
                    Invoice = row.StripeInvoiceId,
                    Currency = Currency,
                    Amount = item.Amount,
                    Description = item.Description,
                    Metadata = new() { ["aspservice_item"] = item.Key },
                }, Key($"{invoice.Number}/item/{item.Key}"), ct);
                row.ItemsCreated = i + 1;
                await owner.SaveAsync(row, ct);
            }

            steps.Add(new("items", string.Create(CultureInfo.InvariantCulture, $"created {items.Count - first}")));
        }

        public async Task FinalizeAsync(StripeInvoiceSync row, Invoice invoice, CancellationToken ct)
        {
            if (row.FinalizedAt is not null)
            {
                steps.Add(new("finalize", "existing"));
                return;
            }

            var finalized = await client.V1.Invoices.FinalizeInvoiceAsync(row.StripeInvoiceId, new InvoiceFinalizeOptions { AutoAdvance = true }, Key(invoice.Number + "/finalize"), ct);
            if (finalized.Total != StripeAmounts.Jpy(invoice.Total))
            {
                // Cannot happen while the items mirror the invoice; if it does, accounting must know.
                owner._logger.LogError("Stripe invoice of {Number} totals {StripeTotal}, the qualified invoice {Total}", invoice.Number, finalized.Total, invoice.Total);
            }

            row.FinalizedAt = Now;
            row.AmountDue = finalized.AmountDue;
            // A webhook may already have moved the state on; only a draft becomes open here.
            if (row.State == StripeInvoiceState.Draft)
            {
                row.State = finalized.Status == "paid" ? StripeInvoiceState.Paid : StripeInvoiceState.Open;
                row.PaidAt = row.State == StripeInvoiceState.Paid ? Now : null;
            }

            await owner.SaveAsync(row, ct);
            steps.Add(new("finalize", "done"));
        }

        private static PricedLine ToPriced(InvoiceLine l) => new(l.Code, l.Description, l.Quantity, l.Unit, l.UnitPrice, l.Amount, l.TaxRatePercent);
    }
}
