using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AspService.Billing;
using AspService.Server.Billing;
using AspService.Server.Tenancy;
using AspService.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AspService.Tests.Billing;

/// <summary>
/// A host configured against a <see cref="StripeStandIn"/> and the steps the Stripe tests share: a tenant on a
/// plan with October's usage, the month closed, Stripe enabled; sync and signed webhooks over HTTP.
/// </summary>
public sealed class StripeKit : IAsyncDisposable
{
    public const string WebhookSecret = "whsec_test_d2ViaG9vay1zZWNyZXQtZm9yLXRlc3Rz";
    public static readonly BillingMonth October = new(2026, 10);

    private StripeKit(StripeStandIn stripe, AppFactory app)
    {
        Stripe = stripe;
        App = app;
    }

    public StripeStandIn Stripe { get; }

    public AppFactory App { get; }

    public static async Task<StripeKit> StartAsync(bool configured = true)
    {
        var stripe = await StripeStandIn.StartAsync();
        var settings = BillingApiTests.Settings();
        settings["Billing:Stripe:ApiBase"] = stripe.BaseAddress.ToString();
        if (configured)
        {
            settings["Billing:Stripe:SecretKey"] = StripeStandIn.SecretKey;
            settings["Billing:Stripe:WebhookSecret"] = WebhookSecret;
        }

        return new StripeKit(stripe, new AppFactory(settings: settings));
    }

    public async ValueTask DisposeAsync()
    {
        App.Dispose();
        await Stripe.DisposeAsync();
    }

    /// <summary>
    /// A tenant on the standard plan (¥30,000 base, ¥1,500/terminal, ¥800/user, 100 h included, ¥200/extra hour)
    /// with 2 terminals, 5 users and 101 h in October, closed: lines 30,000 + 3,000 + 4,000 + 200, tax 3,720,
    /// total ¥40,920.
    /// </summary>
    public async Task<(HttpClient Ops, TenantDto Tenant)> ClosedTenantAsync(HttpClient? ops = null, bool enable = true)
    {
        ops ??= await App.OperatorClientAsync();
        var plans = await ops.GetFromJsonAsync<JsonElement>("/api/v1/ops/billing/plans?code=standard");
        if (plans.GetArrayLength() == 0)
        {
            (await ops.PostAsJsonAsync("/api/v1/ops/billing/plans", new
            {
                code = "standard", name = "標準", effectiveFrom = "2026-01-01", baseFee = 30000, perOfficeTerminal = 1500,
                perActiveUser = 800, includedSessionHours = 100, perExtraHour = 200,
            })).EnsureSuccessStatusCode();
        }

        var tenant = await App.OnboardTenantAsync(ops);
        (await ops.PostAsJsonAsync($"/api/v1/ops/billing/tenants/{tenant.Code}/plans", new { planCode = "standard", effectiveFrom = "2026-04-01" })).EnsureSuccessStatusCode();
        var rollups = App.Services.GetRequiredService<UsageRollups>();
        await rollups.UpsertDailyAsync(tenant.Id, [new UsageRollups.Day(October.FirstDay, 2, 5, 3, 101 * 3600)], CancellationToken.None);
        await rollups.RecomputeMonthAsync(tenant.Id, October, 5, CancellationToken.None);
        (await ops.PostAsJsonAsync("/api/v1/ops/billing/closes", new { month = "2026-10" })).EnsureSuccessStatusCode();
        if (enable)
        {
            (await ops.PutAsJsonAsync($"/api/v1/ops/billing/tenants/{tenant.Code}/stripe", new { enabled = true, billingEmail = "kaikei@" + tenant.Code + ".lg.example" })).EnsureSuccessStatusCode();
        }

        return (ops, tenant);
    }

    public static Task<HttpResponseMessage> SyncAsync(HttpClient ops, TenantDto tenant, string month = "2026-10") =>
        ops.PostAsJsonAsync($"/api/v1/ops/billing/tenants/{tenant.Code}/stripe/syncs", new { month });

    public static async Task<JsonElement> SettingsAsync(HttpClient ops, TenantDto tenant) =>
        await ops.GetFromJsonAsync<JsonElement>($"/api/v1/ops/billing/tenants/{tenant.Code}/stripe");

    public static string Key(TenantDto tenant, string operation) => $"aspservice/{tenant.Id:N}/202610/{operation}";

    /// <summary>Stripe's signing scheme, written out: HMAC-SHA256 over "{t}.{body}", header "t=…,v1=…".</summary>
    public static string Sign(string body, long timestamp, string secret = WebhookSecret)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}"));
        return $"t={timestamp},v1={Convert.ToHexStringLower(mac)}";
    }

    public static string Event(string id, string type, string stripeInvoiceId, long created) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["id"] = id,
        ["object"] = "event",
        ["api_version"] = "2026-10-28.endive",
        ["created"] = created,
        ["livemode"] = false,
        ["pending_webhooks"] = 1,
        ["request"] = new { id = (string?)null, idempotency_key = (string?)null },
        ["type"] = type,
        ["data"] = new
        {
            @object = new Dictionary<string, object?>
            {
                ["id"] = stripeInvoiceId,
                ["object"] = "invoice",
                ["status"] = type == "invoice.paid" ? "paid" : "open",
                ["customer"] = "cus_standin000001",
                ["currency"] = "jpy",
                ["total"] = 40920,
                ["amount_due"] = 40920,
                ["created"] = created,
                ["livemode"] = false,
                ["metadata"] = new { },
            },
        },
    });

    public long Now => App.Clock.GetUtcNow().ToUnixTimeSeconds();

    public async Task<HttpResponseMessage> WebhookAsync(string body, string? signature)
    {
        var client = App.ClientFor();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/billing/stripe/webhook")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);
        }

        return await client.SendAsync(request);
    }
}
