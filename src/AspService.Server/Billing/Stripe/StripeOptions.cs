using System.Net;
using AspService.Billing;
using Microsoft.Extensions.Options;

namespace AspService.Server.Billing.Stripe;

/// <summary>
/// Stripe settings (section <c>Billing:Stripe</c>). Stripe is off until <see cref="SecretKey"/> is set; it is
/// then used for the tenants an operator enables. The secret key and the webhook signing secret come from
/// configuration (environment or a secret store), are never logged and never returned by an API.
/// </summary>
public sealed class StripeOptions
{
    public const string Section = "Billing:Stripe";

    /// <summary>Base URL of Stripe's API; tests and proxies point it elsewhere.</summary>
    public string ApiBase { get; set; } = "https://api.stripe.com";

    /// <summary>Secret (or restricted) API key, <c>sk_…</c> / <c>rk_…</c>.</summary>
    public string? SecretKey { get; set; }

    /// <summary>The webhook endpoint's signing secret, <c>whsec_…</c>; without it the webhook answers 503.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>How old a webhook's signed timestamp may be (Stripe's libraries default to 300 s).</summary>
    public int WebhookToleranceSeconds { get; set; } = 300;

    /// <summary>Payment term of Stripe invoices (collection by invoice, as municipalities pay against invoices).</summary>
    public int DaysUntilDue { get; set; } = 30;

    /// <summary>Stripe.net's own retries of network failures, 409 and 5xx, with the same idempotency key.</summary>
    public int MaxNetworkRetries { get; set; } = 2;

    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>Event names of the Billing Meters per component; an empty name sends no events for it.</summary>
    public string? MeterOfficeTerminals { get; set; } = "aspservice_office_terminals";

    public string? MeterActiveUsers { get; set; } = "aspservice_active_users";

    public string? MeterExtraSessionHours { get; set; } = "aspservice_extra_session_hours";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(SecretKey);

    public string? MeterEventName(string component) => (component switch
    {
        PlanPricing.OfficeTerminals => MeterOfficeTerminals,
        PlanPricing.ActiveUsers => MeterActiveUsers,
        PlanPricing.ExtraHours => MeterExtraSessionHours,
        _ => null,
    }) is { Length: > 0 } name ? name : null;

    // Options objects end up in debugger views and exception messages; keep the secrets out of them.
    public override string ToString() => $"StripeOptions {{ ApiBase = {ApiBase}, Configured = {IsConfigured} }}";
}

internal sealed class StripeOptionsValidator : IValidateOptions<StripeOptions>
{
    public ValidateOptionsResult Validate(string? name, StripeOptions options)
    {
        var failures = new List<string>();
        if (!Uri.TryCreate(options.ApiBase, UriKind.Absolute, out var api) || api.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(api.Query))
        {
            failures.Add("Billing:Stripe:ApiBase must be an absolute http(s) URL");
        }
        else if (api.Scheme == "http" && !IsLoopback(api))
        {
            // The secret key travels in every request's Authorization header.
            failures.Add("Billing:Stripe:ApiBase must use https (plain http only to a loopback address)");
        }

        if (options.SecretKey is { } key && (key.Length == 0 || key.Any(char.IsWhiteSpace)))
        {
            failures.Add("Billing:Stripe:SecretKey must not be empty or contain white space");
        }

        if (options.WebhookToleranceSeconds is < 1 or > 3600)
        {
            failures.Add("Billing:Stripe:WebhookToleranceSeconds must be between 1 and 3600");
        }

        if (options.DaysUntilDue is < 1 or > 365)
        {
            failures.Add("Billing:Stripe:DaysUntilDue must be between 1 and 365");
        }

        if (options.MaxNetworkRetries is < 0 or > 5)
        {
            failures.Add("Billing:Stripe:MaxNetworkRetries must be between 0 and 5");
        }

        if (options.TimeoutSeconds is < 1 or > 300)
        {
            failures.Add("Billing:Stripe:TimeoutSeconds must be between 1 and 300");
        }

        foreach (var meter in new[] { options.MeterOfficeTerminals, options.MeterActiveUsers, options.MeterExtraSessionHours })
        {
            if (meter is { Length: > 100 })
            {
                failures.Add("Billing:Stripe meter event names are at most 100 characters");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
