using System.Globalization;
using AspService.Billing;
using AspService.Common;
using AspService.Data.Catalog;
using AspService.Server.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Stripe;

namespace AspService.Server.Billing.Stripe;

/// <summary>
/// Stripe's calls about our invoices (<see cref="StripeWebhookEndpoints"/> hands them over). The Stripe-Signature header
/// is verified with the endpoint's signing secret and a timestamp tolerance measured on our clock; a bad or
/// stale signature is 400 and changes nothing. <c>invoice.paid</c> and <c>invoice.payment_failed</c> move the
/// payment state; any other event type is acknowledged with 200 and ignored (decision 0022: a non-2xx makes
/// Stripe redeliver for days and eventually disable the endpoint).
/// </summary>
public sealed class StripeEvents(CatalogDbContext catalog, IOptions<StripeOptions> options, TimeProvider time, ILogger<StripeEvents> logger)
{
    /// <summary>Stripe's event payloads are a few KiB; an invoice with its lines stays far below this.</summary>
    public const int MaxBytes = 512 * 1024;

    public sealed record Receipt(bool Received, bool Handled, string? State, string? Reason);

    /// <summary>One delivery: the raw body as sent (null when larger than <see cref="MaxBytes"/>) and its Stripe-Signature header.</summary>
    public sealed record Delivery(string? Body, string Signature);

    public async Task<Outcome<Receipt>> HandleAsync(Delivery delivery, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var o = options.Value;
        if (string.IsNullOrEmpty(o.WebhookSecret))
        {
            return Failures.Titled(StatusCodes.Status503ServiceUnavailable, "stripe-webhook-not-configured", BillingText.Get("stripe_webhook_not_configured"));
        }

        var body = delivery.Body;
        if (body is null)
        {
            return Failures.Titled(StatusCodes.Status413PayloadTooLarge, "stripe-event-too-large", BillingText.Get("stripe_event_too_large"));
        }

        var signature = delivery.Signature;
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        try
        {
            EventUtility.ValidateSignature(body, signature, o.WebhookSecret, o.WebhookToleranceSeconds, now);
        }
        catch (Exception ex) when (ex is StripeException or FormatException or OverflowException)
        {
            // Say which check failed (the secret cannot be guessed from that); a stale timestamp is usually a clock problem.
            var stale = SignedAt(signature) is { } t && Math.Abs(now - t) > o.WebhookToleranceSeconds;
            return stale
                ? Failures.Titled(StatusCodes.Status400BadRequest, "stripe-signature-expired", BillingText.Get("stripe_signature_expired"))
                : Failures.Titled(StatusCodes.Status400BadRequest, "stripe-signature-invalid", BillingText.Get("stripe_signature_invalid"));
        }

        Event stripeEvent;
        try
        {
            // The version check is off: we read only the event's id and type and the invoice's id, which every
            // API version carries; a mismatch must not make Stripe redeliver valid events for days.
            stripeEvent = EventUtility.ParseEvent(body, throwOnApiVersionMismatch: false);
        }
        catch (Exception ex) when (ex is StripeException or System.Text.Json.JsonException or Newtonsoft.Json.JsonException or ArgumentException or InvalidOperationException)
        {
            return Malformed();
        }

        if (stripeEvent?.Type is not { Length: > 0 } type || string.IsNullOrEmpty(stripeEvent.Id))
        {
            return Malformed();
        }

        if (!StripePayments.IsHandled(type))
        {
            // Issue 6: an unknown event is bad input (problem+json, nothing changed). The endpoint is subscribed to the
            // handled types only, so Stripe never sends others unless the dashboard is misconfigured (decision 0022).
            logger.LogWarning("Stripe event {EventId} of unhandled type {Type} refused", stripeEvent.Id, type);
            return Failures.Titled(StatusCodes.Status400BadRequest, "stripe-event-unhandled", BillingText.Get("stripe_event_unhandled", type));
        }

        if ((stripeEvent.Data?.Object as global::Stripe.Invoice)?.Id is not { Length: > 0 } stripeInvoiceId)
        {
            return Malformed();
        }

        // Two deliveries of the same event, or a sync step, may write the row at once: the loser reloads once.
        for (var attempt = 1; ; attempt++)
        {
            var row = await catalog.StripeInvoiceSyncs.SingleOrDefaultAsync(s => s.StripeInvoiceId == stripeInvoiceId, ct);
            if (row is null)
            {
                // Not one of ours (the Stripe account may bill other things too).
                logger.LogInformation("Stripe event {EventId} is about an invoice this service did not create; ignored", stripeEvent.Id);
                return new Receipt(true, false, null, "invoice-not-ours");
            }

            if (StripePayments.Next(row.State, type) is not { } next)
            {
                return new Receipt(true, true, row.State.ToString(), "no-change");
            }

            row.State = next;
            row.LastEventId = stripeEvent.Id;
            if (next == StripeInvoiceState.Paid)
            {
                row.PaidAt = new DateTimeOffset(DateTime.SpecifyKind(stripeEvent.Created, DateTimeKind.Utc));
            }

            row.Version++;
            row.UpdatedAt = time.GetUtcNow();
            try
            {
                await catalog.SaveChangesAsync(ct);
                logger.LogInformation("Stripe event {EventId}: invoice {Number} is now {State}", stripeEvent.Id, row.InvoiceNumber, next);
                return new Receipt(true, true, next.ToString(), null);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 3)
            {
                catalog.ChangeTracker.Clear();
            }
        }
    }

    private static Failure Malformed() =>
        Failures.Titled(StatusCodes.Status400BadRequest, "stripe-event-malformed", BillingText.Get("stripe_event_malformed"));

    /// <summary>The <c>t=</c> timestamp of a Stripe-Signature header, if it has one.</summary>
    private static long? SignedAt(string header)
    {
        foreach (var part in header.Split(','))
        {
            var kv = part.Trim();
            if (kv.StartsWith("t=", StringComparison.Ordinal) && long.TryParse(kv.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var t))
            {
                return t;
            }
        }

        return null;
    }
}
