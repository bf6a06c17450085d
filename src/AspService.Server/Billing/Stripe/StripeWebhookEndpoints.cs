using System.Text;
using AspService.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AspService.Server.Billing.Stripe;

/// <summary>
/// <c>POST /api/v1/billing/stripe/webhook</c> (anonymous, outside any tenant): reads the raw body (the signature
/// covers the exact bytes) and the Stripe-Signature header and hands them to <see cref="StripeEvents"/>.
/// </summary>
public static class StripeWebhookEndpoints
{
    public const string WebhookPath = "/api/v1/billing/stripe/webhook";

    public static void MapStripeWebhook(IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost(WebhookPath, async Task<Results<Ok<StripeEvents.Receipt>, ProblemHttpResult>> (HttpRequest request, StripeEvents events, CancellationToken ct) =>
            {
                var delivery = new StripeEvents.Delivery(await ReadBodyAsync(request, ct), request.Headers["Stripe-Signature"].ToString());
                return (await events.HandleAsync(delivery, ct)).ToOk();
            })
            .AllowAnonymous().WithTags("Billing (Stripe)").WithName("StripeWebhook")
            .Accepts<System.Text.Json.JsonElement>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Stripe webhook (Stripe-Signature verified): invoice.paid, invoice.payment_failed");
    }

    /// <summary>The raw body as sent (the signature covers the exact bytes), or null when it is too large.</summary>
    private static async Task<string?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > StripeEvents.MaxBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > StripeEvents.MaxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
