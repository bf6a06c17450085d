using Microsoft.Extensions.Options;
using Stripe;

namespace AspService.Server.Billing.Stripe;

/// <summary>
/// Makes Stripe.net clients from <see cref="StripeOptions"/>: the configured API base, the secret key, and an
/// HttpClient from the factory (pooled connections, our timeout). Stripe.net retries network failures, 409 and
/// 5xx itself, re-sending the same Idempotency-Key; it never retries other 4xx.
/// </summary>
public sealed class StripeGateway(IHttpClientFactory httpClients, IOptions<StripeOptions> options)
{
    public const string HttpClientName = "stripe";

    public StripeClient Create()
    {
        var o = options.Value;
        if (!o.IsConfigured)
        {
            throw new InvalidOperationException("Billing:Stripe:SecretKey is not configured");
        }

        var http = new SystemNetHttpClient(httpClients.CreateClient(HttpClientName), o.MaxNetworkRetries, appInfo: null, enableTelemetry: false);
        return new StripeClient(new StripeClientOptions { ApiKey = o.SecretKey, ApiBase = o.ApiBase.TrimEnd('/'), HttpClient = http });
    }

    /// <summary>
    /// A 4xx other than 409 (a concurrent request with the same key) and 429 (rate limit) means Stripe refused
    /// what we sent: retrying the same request cannot succeed, so a job must not loop on it.
    /// </summary>
    public static bool IsPermanent(StripeException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        var status = (int)ex.HttpStatusCode;
        return status is >= 400 and < 500 and not 409 and not 429;
    }

    /// <summary>What went wrong, without Stripe's free-text message (it may echo parameter values such as an address).</summary>
    public static string Describe(StripeException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        var e = ex.StripeError;
        var parts = new[] { e?.Type, e?.Code, e?.Param is { } p ? "param " + p : null }.Where(s => !string.IsNullOrEmpty(s));
        return $"Stripe {(int)ex.HttpStatusCode} {string.Join(" ", parts)}".Trim();
    }
}
