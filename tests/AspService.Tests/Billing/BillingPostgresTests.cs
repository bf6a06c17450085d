using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AspService.Data;
using AspService.Tests.Infrastructure;

namespace AspService.Tests.Billing;

/// <summary>The close and a correction on PostgreSQL: filtered unique indexes, DateOnly columns and the counter.</summary>
[Collection(PostgresGroup.Name)]
public sealed class BillingPostgresTests(PostgresCluster cluster)
{
    [Fact]
    public async Task Close_OnPostgres_IdempotentWithGapFreeNumbersAndCorrection()
    {
        var catalog = await cluster.CreateDatabaseAsync("billing_" + Guid.NewGuid().ToString("N")[..8]);
        using var app = new AppFactory(DatabaseProvider.PostgreSql, cluster.ServerConnectionString, catalog, BillingApiTests.Settings());
        var ops = await app.OperatorClientAsync();
        (await ops.PostAsJsonAsync("/api/v1/ops/billing/plans", new
        {
            code = "standard", name = "標準", effectiveFrom = "2026-01-01", baseFee = 30000, perOfficeTerminal = 1500,
            perActiveUser = 800, includedSessionHours = 100, perExtraHour = 200,
        })).EnsureSuccessStatusCode();
        foreach (var _ in Enumerable.Range(0, 2))
        {
            var tenant = await app.OnboardTenantAsync(ops);
            (await ops.PostAsJsonAsync($"/api/v1/ops/billing/tenants/{tenant.Code}/plans", new { planCode = "standard", effectiveFrom = "2026-10-01" })).EnsureSuccessStatusCode();
        }

        (await ops.PostAsJsonAsync("/api/v1/ops/billing/closes", new { month = "2026-10" })).EnsureSuccessStatusCode();
        var again = await (await ops.PostAsJsonAsync("/api/v1/ops/billing/closes", new { month = "2026-10" })).Content.ReadFromJsonAsync<JsonElement>();
        var invoices = (await ops.GetFromJsonAsync<JsonElement>("/api/v1/ops/billing/invoices?month=2026-10")).EnumerateArray().ToList();
        var correction = await ops.PostAsJsonAsync($"/api/v1/ops/billing/invoices/{invoices[0].GetProperty("id").GetGuid()}/corrections", new { note = "再発行" });
        var second = await ops.PostAsJsonAsync($"/api/v1/ops/billing/invoices/{invoices[0].GetProperty("id").GetGuid()}/corrections", new { note = "再発行" });
        var csv = await ops.GetAsync("/api/v1/ops/billing/exports/2026-10/invoices.csv?encoding=shift_jis");

        Assert.Equal(0, again.GetProperty("issued").GetInt32());
        Assert.Equal(["INV-00000001", "INV-00000002"], invoices.Select(i => i.GetProperty("number").GetString()));
        Assert.Equal(HttpStatusCode.Created, correction.StatusCode);
        Assert.Equal("INV-00000003", (await correction.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("number").GetString());
        await HttpAssert.ProblemAsync(second, HttpStatusCode.Conflict);
        Assert.True(csv.StatusCode == HttpStatusCode.OK, await csv.Content.ReadAsStringAsync());
    }
}
