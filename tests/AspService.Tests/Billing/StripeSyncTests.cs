using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AspService.Data.Catalog;
using AspService.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AspService.Tests.Billing;

/// <summary>
/// The Stripe sync through the operator API, with the real Stripe.net client talking HTTP to
/// <see cref="StripeStandIn"/>. Each test has its own stand-in, host and catalog.
/// </summary>
public sealed class StripeSyncTests : IAsyncLifetime
{
    private StripeKit _kit = null!;

    public async Task InitializeAsync() => _kit = await StripeKit.StartAsync();

    public async Task DisposeAsync() => await _kit.DisposeAsync();

    private StripeStandIn Stripe => _kit.Stripe;

    private IEnumerable<StripeStandIn.Recorded> Posts(string path) => Stripe.Requests.Where(r => r.Method == "POST" && r.Path == path);

    [Fact]
    public async Task Sync_FirstRun_CustomerMeterEventsInvoiceItemsFinalized_AmountsInWholeYen()
    {
        var (ops, tenant) = await _kit.ClosedTenantAsync();

        var response = await StripeKit.SyncAsync(ops, tenant);

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Synced", result.GetProperty("outcome").GetString());
        Assert.Equal("INV-00000001", result.GetProperty("invoiceNumber").GetString());
        Assert.Equal("Open", result.GetProperty("state").GetString());

        var customer = Assert.Single(Stripe.Customers);
        Assert.Equal(tenant.Name, customer.Value["name"]);
        Assert.Equal(tenant.Code, customer.Value["metadata[aspservice_tenant_code]"]);
        Assert.Equal("ja", customer.Value["preferred_locales[0]"]);

        // One meter event per metered component; identifiers derived from tenant, month and component; the
        // event is placed on the month's last second (JST).
        Assert.Equal(3, Stripe.MeterEvents.Count);
        var monthEnd = new DateTimeOffset(2026, 10, 31, 23, 59, 59, TimeSpan.FromHours(9)).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        foreach (var (component, value) in new[] { ("office_terminals", "2"), ("active_users", "5"), ("extra_session_hours", "1") })
        {
            var meter = Stripe.MeterEvents[$"aspservice-{tenant.Id:N}-202610-{component}"];
            Assert.Equal("aspservice_" + component, meter["event_name"]);
            Assert.Equal(value, meter["payload[value]"]);
            Assert.Equal(customer.Key, meter["payload[stripe_customer_id]"]);
            Assert.Equal(monthEnd, meter["timestamp"]);
        }

        // JPY is zero-decimal: ¥30,000 is sent as 30000. Lines, then the tax computed once on ¥37,200.
        var invoice = Assert.Single(Stripe.Invoices.Values);
        Assert.Equal("open", invoice.Status);
        Assert.Equal([30000L, 3000, 4000, 200, 3720], invoice.Items.Select(i => i.Amount));
        Assert.Equal(40920, invoice.Total);
        Assert.Contains("消費税 10%", invoice.Items[^1].Description, StringComparison.Ordinal);
        var draft = Assert.Single(Posts("/v1/invoices"));
        Assert.Equal("jpy", draft.Form["currency"]);
        Assert.Equal("send_invoice", draft.Form["collection_method"]);
        Assert.Equal("exclude", draft.Form["pending_invoice_items_behavior"]);
        Assert.Equal("INV-00000001", draft.Form["metadata[aspservice_invoice_number]"]);
        Assert.All(Posts("/v1/invoiceitems"), r => Assert.Equal("jpy", r.Form["currency"]));

        // Every request carries an idempotency key derived from (tenant, period, operation).
        Assert.Equal(
            [
                $"aspservice/{tenant.Id:N}/customer",
                StripeKit.Key(tenant, "meter/office_terminals"), StripeKit.Key(tenant, "meter/active_users"), StripeKit.Key(tenant, "meter/extra_session_hours"),
                StripeKit.Key(tenant, "INV-00000001/invoice"),
                StripeKit.Key(tenant, "INV-00000001/item/line-1"), StripeKit.Key(tenant, "INV-00000001/item/line-2"), StripeKit.Key(tenant, "INV-00000001/item/line-3"),
                StripeKit.Key(tenant, "INV-00000001/item/line-4"), StripeKit.Key(tenant, "INV-00000001/item/tax-10"),
                StripeKit.Key(tenant, "INV-00000001/finalize"),
            ],
            Stripe.Requests.Select(r => r.IdempotencyKey));

        var settings = await StripeKit.SettingsAsync(ops, tenant);
        Assert.Equal(customer.Key, settings.GetProperty("customerId").GetString());
        var row = Assert.Single(settings.GetProperty("invoices").EnumerateArray());
        Assert.Equal(invoice.Id, row.GetProperty("stripeInvoiceId").GetString());
        Assert.Equal(5, row.GetProperty("itemsCreated").GetInt32());
        Assert.Equal(40920, row.GetProperty("amountDue").GetInt64());
    }

    [Fact]
    public async Task Sync_RunAgain_SendsNothingAndChangesNothing()
    {
        var (ops, tenant) = await _kit.ClosedTenantAsync();
        (await StripeKit.SyncAsync(ops, tenant)).EnsureSuccessStatusCode();
        var requests = Stripe.Requests.Count;
        var before = (await StripeKit.SettingsAsync(ops, tenant)).GetRawText();

        var again = await (await StripeKit.SyncAsync(ops, tenant)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("Synced", again.GetProperty("outcome").GetString());
        Assert.All(again.GetProperty("steps").EnumerateArray(), s => Assert.Equal("existing", s.GetProperty("status").GetString()));
        Assert.Equal(requests, Stripe.Requests.Count);
        Assert.Equal(before, (await StripeKit.SettingsAsync(ops, tenant)).GetRawText());
    }

    [Fact]
    public async Task Sync_ProgressLostAfterStripeAnswered_SameKeysReplayedNoSecondInvoiceOrCharge()
    {
        var (ops, tenant) = await _kit.ClosedTenantAsync();
        (await StripeKit.SyncAsync(ops, tenant)).EnsureSuccessStatusCode();
        var first = Stripe.Requests;
        var before = await StripeKit.SettingsAsync(ops, tenant);
        // As if every catalog write after a Stripe answer had been lost (a crash between the two).
        using (var scope = _kit.App.Services.CreateScope())
        {
            var catalog = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
            await catalog.StripeInvoiceSyncs.ExecuteDeleteAsync();
            await catalog.TenantStripeAccounts.ExecuteUpdateAsync(s => s.SetProperty(a => a.CustomerId, (string?)null));
        }

        var rerun = await StripeKit.SyncAsync(ops, tenant);

        Assert.Equal(HttpStatusCode.OK, rerun.StatusCode);
        var replays = Stripe.Requests.Skip(first.Count).ToList();
        Assert.Equal(first.Select(r => r.IdempotencyKey), replays.Select(r => r.IdempotencyKey));
        Assert.All(replays, r => Assert.True(r.Replayed, r.Path));
        Assert.Single(Stripe.Customers);
        Assert.Single(Stripe.Invoices);
        Assert.Equal(5, Stripe.Invoices.Values.Single().Items.Count);
        Assert.Equal(3, Stripe.MeterEvents.Count);
        var after = await StripeKit.SettingsAsync(ops, tenant);
        Assert.Equal(before.GetProperty("customerId").GetString(), after.GetProperty("customerId").GetString());
        Assert.Equal(before.GetProperty("invoices")[0].GetProperty("stripeInvoiceId").GetString(), after.GetProperty("invoices")[0].GetProperty("stripeInvoiceId").GetString());
    }

    [Fact]
    public async Task Sync_AnswerLostOnTheWay_StripeNetRetriesWithSameKey_OneInvoice()
    {
        var (ops, tenant) = await _kit.ClosedTenantAsync();
        Stripe.Fail("POST", "/v1/invoices", StripeStandIn.Failure.DropAfterProcessing);

        var response = await StripeKit.SyncAsync(ops, tenant);

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var attempts = Posts("/v1/invoices").ToList();
        Assert.Equal(2, attempts.Count);
        Assert.Equal(attempts[0].IdempotencyKey, attempts[1].IdempotencyKey);
        Assert.True(attempts[1].Replayed);
        Assert.Single(Stripe.Invoices);
        Assert.Equal("open", Stripe.Invoices.Values.Single().Status);
    }

    [Fact]
    public async Task Sync_StripeFailsMidway_503Retryable_RerunFinishesWithoutDuplicates()
    {
        var (ops, tenant) = await _kit.ClosedTenantAsync();
        // The third item fails before Stripe does anything, and Stripe says not to retry at once.
        Stripe.Fail("POST", "/v1/invoiceitems", StripeStandIn.Failure.RejectBeforeProcessing, status: 500, shouldRetry: false, after: 2);

        var failed = await StripeKit.SyncAsync(ops, tenant);

        var problem = await HttpAssert.ProblemAsync(failed, HttpStatusCode.ServiceUnavailable);
        Assert.True(problem.GetProperty("retryable").GetBoolean());
        var state = (await StripeKit.SettingsAsync(ops, tenant)).GetProperty("invoices")[0];
        Assert.Equal("Draft", state.GetProperty("state").GetString());
        Assert.Equal(2, state.GetProperty("itemsCreated").GetInt32());
        Assert.StartsWith("Stripe 500", state.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, Posts("/v1/invoiceitems").Count());

        var rerun = await StripeKit.SyncAsync(ops, tenant);
        Assert.True(rerun.StatusCode == HttpStatusCode.OK, await rerun.Content.ReadAsStringAsync());
        var done = (await StripeKit.SettingsAsync(ops, tenant)).GetProperty("invoices")[0];
        Assert.Equal("Open", done.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, done.GetProperty("lastError").ValueKind);
        Assert.Single(Stripe.Invoices);
        Assert.Equal(40920, Stripe.Invoices.Values.Single().Total);
        Assert.Equal(5, Stripe.Invoices.Values.Single().Items.Count);
        Assert.Single(Posts("/v1/invoices"));
        Assert.Single(Stripe.Customers);
        // The failed item was sent again under the same key; nothing else twice.
        var itemKeys = Posts("/v1/invoiceitems").Select(r => r.IdempotencyKey).ToList();
        Assert.Equal(6, itemKeys.Count);
        Assert.Equal(5, itemKeys.Distinct().Count());
    }

    [Fact]
    public async Task Sync_Stripe4xx_502PermanentNotRetried_NothingElseSent()
    {
        var (ops, tenant) = await _kit.ClosedTenantAsync();
        Stripe.Fail("POST", "/v1/customers", StripeStandIn.Failure.RejectBeforeProcessing, status: 400, code: "email_invalid", times: 10);

        var response = await StripeKit.SyncAsync(ops, tenant);

        var problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.BadGateway);
        Assert.False(problem.GetProperty("retryable").GetBoolean());
        Assert.Contains("email_invalid", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var request = Assert.Single(Stripe.Requests);
        Assert.Equal("/v1/customers", request.Path);
        var settings = await StripeKit.SettingsAsync(ops, tenant);
        Assert.Equal(JsonValueKind.Null, settings.GetProperty("customerId").ValueKind);
        Assert.Empty(settings.GetProperty("invoices").EnumerateArray());
    }

    [Fact]
    public async Task Sync_AfterCorrection_OldStripeInvoiceVoided_CorrectionSyncedWithItsOwnKeys_MeterEventsNotResent()
    {
        var (ops, tenant) = await _kit.ClosedTenantAsync();
        (await StripeKit.SyncAsync(ops, tenant)).EnsureSuccessStatusCode();
        var original = (await ops.GetFromJsonAsync<JsonElement>("/api/v1/ops/billing/invoices?month=2026-10"))[0];
        (await ops.PostAsJsonAsync($"/api/v1/ops/billing/invoices/{original.GetProperty("id").GetGuid()}/corrections", new { note = "再計算" })).EnsureSuccessStatusCode();

        var response = await StripeKit.SyncAsync(ops, tenant);

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal("INV-00000002", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("invoiceNumber").GetString());
        Assert.Equal(["void", "open"], Stripe.Invoices.Values.Select(i => i.Status));
        Assert.Contains(Stripe.Requests, r => r.IdempotencyKey == StripeKit.Key(tenant, "INV-00000001/void"));
        Assert.Contains(Stripe.Requests, r => r.IdempotencyKey == StripeKit.Key(tenant, "INV-00000002/invoice"));
        Assert.Equal(3, Posts("/v1/billing/meter_events").Count());
        var rows = (await StripeKit.SettingsAsync(ops, tenant)).GetProperty("invoices").EnumerateArray().ToList();
        Assert.Equal(["Void", "Open"], rows.Select(r => r.GetProperty("state").GetString()));
    }

    [Fact]
    public async Task Sync_BadInput_PreciseProblems_NothingSent()
    {
        var (ops, tenant) = await _kit.ClosedTenantAsync(enable: false);

        await HttpAssert.ProblemAsync(await StripeKit.SyncAsync(ops, tenant), HttpStatusCode.Conflict); // not enabled
        (await ops.PutAsJsonAsync($"/api/v1/ops/billing/tenants/{tenant.Code}/stripe", new { enabled = true })).EnsureSuccessStatusCode();
        var notClosed = await HttpAssert.ProblemAsync(await StripeKit.SyncAsync(ops, tenant, "2026-11"), HttpStatusCode.Conflict);
        Assert.EndsWith("stripe-no-invoice", notClosed.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.NotEmpty(HttpAssert.FieldErrors(await HttpAssert.ProblemAsync(await StripeKit.SyncAsync(ops, tenant, "2026-13"), HttpStatusCode.BadRequest), "month"));
        await HttpAssert.ProblemAsync(await ops.PostAsJsonAsync("/api/v1/ops/billing/tenants/999999/stripe/syncs", new { month = "2026-10" }), HttpStatusCode.NotFound);
        var noFlag = await HttpAssert.ProblemAsync(await ops.PutAsJsonAsync($"/api/v1/ops/billing/tenants/{tenant.Code}/stripe", new { billingEmail = "x@y.example" }), HttpStatusCode.BadRequest);
        Assert.NotEmpty(HttpAssert.FieldErrors(noFlag, "enabled"));
        var badEmail = await HttpAssert.ProblemAsync(await ops.PutAsJsonAsync($"/api/v1/ops/billing/tenants/{tenant.Code}/stripe", new { enabled = true, billingEmail = "no-at-sign" }), HttpStatusCode.BadRequest);
        Assert.NotEmpty(HttpAssert.FieldErrors(badEmail, "billingEmail"));

        Assert.Empty(Stripe.Requests);
        var settings = await StripeKit.SettingsAsync(ops, tenant);
        Assert.True(settings.GetProperty("enabled").GetBoolean());
        Assert.True(settings.GetProperty("stripeConfigured").GetBoolean());
    }

    [Fact]
    public async Task Settings_NeverShowSecrets_NonOperator401()
    {
        var (ops, tenant) = await _kit.ClosedTenantAsync();
        (await StripeKit.SyncAsync(ops, tenant)).EnsureSuccessStatusCode();

        var text = await ops.GetStringAsync($"/api/v1/ops/billing/tenants/{tenant.Code}/stripe");
        var sync = await (await StripeKit.SyncAsync(ops, tenant)).Content.ReadAsStringAsync();

        Assert.DoesNotContain(StripeStandIn.SecretKey, text + sync, StringComparison.Ordinal);
        Assert.DoesNotContain(StripeKit.WebhookSecret, text + sync, StringComparison.Ordinal);
        var anonymous = _kit.App.ClientFor();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/v1/ops/billing/tenants/{tenant.Code}/stripe")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await StripeKit.SyncAsync(anonymous, tenant)).StatusCode);
    }

    [Fact]
    public async Task Sync_StripeNotConfigured_409()
    {
        await using var unconfigured = await StripeKit.StartAsync(configured: false);
        var (ops, tenant) = await unconfigured.ClosedTenantAsync();

        var problem = await HttpAssert.ProblemAsync(await StripeKit.SyncAsync(ops, tenant), HttpStatusCode.Conflict);

        Assert.EndsWith("stripe-not-configured", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Empty(unconfigured.Stripe.Requests);
    }
}
