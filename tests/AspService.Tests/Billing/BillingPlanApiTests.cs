using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AspService.Tests.Infrastructure;

namespace AspService.Tests.Billing;

public sealed class BillingPlanApiTests : IClassFixture<BillingPlanApiTests.Host>
{
    private readonly AppFactory _app;

    public BillingPlanApiTests(Host host) => _app = host.App;

    public sealed class Host : IDisposable
    {
        public AppFactory App { get; } = new(settings: BillingApiTests.Settings());

        public void Dispose() => App.Dispose();
    }

    private static string FreshCode() => "p-" + Guid.NewGuid().ToString("N")[..10];

    private static Dictionary<string, object?> Body(string code, string from = "2026-04-01", string? until = null) => new()
    {
        ["code"] = code,
        ["name"] = "ベーシック",
        ["effectiveFrom"] = from,
        ["effectiveUntil"] = until,
        ["baseFee"] = 20000,
        ["perOfficeTerminal"] = 1000,
        ["perActiveUser"] = 500,
        ["includedSessionHours"] = 50,
        ["perExtraHour"] = 300,
    };

    private static async Task<int> CountAsync(HttpClient ops, string code) =>
        (await ops.GetFromJsonAsync<JsonElement>($"/api/v1/ops/billing/plans?code={code}")).GetArrayLength();

    [Fact]
    public async Task Create_Valid_201AndListed()
    {
        var ops = await _app.OperatorClientAsync();
        var code = FreshCode();

        var response = await ops.PostAsJsonAsync("/api/v1/ops/billing/plans", Body(code, "2026-04-01", "2027-04-01"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var plan = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(20000, plan.GetProperty("baseFee").GetInt64());
        Assert.Equal("2027-04-01", plan.GetProperty("effectiveUntil").GetString());
        Assert.Equal(1, await CountAsync(ops, code));
    }

    [Theory]
    [InlineData("baseFee")]
    [InlineData("perOfficeTerminal")]
    [InlineData("perActiveUser")]
    [InlineData("includedSessionHours")]
    [InlineData("perExtraHour")]
    public async Task Create_NegativePrice_400NamesFieldAndChangesNothing(string field)
    {
        var ops = await _app.OperatorClientAsync();
        var code = FreshCode();
        var body = Body(code);
        body[field] = -1;

        var problem = await HttpAssert.ProblemAsync(await ops.PostAsJsonAsync("/api/v1/ops/billing/plans", body), HttpStatusCode.BadRequest);

        Assert.Single(HttpAssert.FieldErrors(problem, field));
        Assert.Equal(0, await CountAsync(ops, code));
    }

    [Theory]
    [InlineData("2026-04-01", null, "2026-10-01", null)] // both open-ended
    [InlineData("2026-04-01", "2026-10-02", "2026-10-01", null)] // one day of overlap
    [InlineData("2026-04-01", null, "2025-01-01", "2026-04-02")]
    public async Task Create_OverlappingPeriod_409NamesEffectiveFrom(string from1, string? until1, string from2, string? until2)
    {
        var ops = await _app.OperatorClientAsync();
        var code = FreshCode();
        (await ops.PostAsJsonAsync("/api/v1/ops/billing/plans", Body(code, from1, until1))).EnsureSuccessStatusCode();

        var problem = await HttpAssert.ProblemAsync(await ops.PostAsJsonAsync("/api/v1/ops/billing/plans", Body(code, from2, until2)), HttpStatusCode.Conflict);

        Assert.Contains(code, HttpAssert.FieldErrors(problem, "effectiveFrom").Single(), StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync(ops, code));
    }

    [Fact]
    public async Task Create_AdjacentPeriods_BothAccepted()
    {
        var ops = await _app.OperatorClientAsync();
        var code = FreshCode();
        (await ops.PostAsJsonAsync("/api/v1/ops/billing/plans", Body(code, "2026-04-01", "2026-10-01"))).EnsureSuccessStatusCode();
        (await ops.PostAsJsonAsync("/api/v1/ops/billing/plans", Body(code, "2026-10-01"))).EnsureSuccessStatusCode();
        Assert.Equal(2, await CountAsync(ops, code));
    }

    [Theory]
    [InlineData("code", "Bad Code")]
    [InlineData("effectiveUntil", "2026-03-01")]
    [InlineData("name", "")]
    public async Task Create_BadField_400NamesIt(string field, string value)
    {
        var ops = await _app.OperatorClientAsync();
        var body = Body(FreshCode());
        body[field] = value;

        var problem = await HttpAssert.ProblemAsync(await ops.PostAsJsonAsync("/api/v1/ops/billing/plans", body), HttpStatusCode.BadRequest);

        Assert.NotEmpty(HttpAssert.FieldErrors(problem, field));
    }

    [Fact]
    public async Task Create_UnknownFieldOrWrongType_400()
    {
        var ops = await _app.OperatorClientAsync();
        var body = Body(FreshCode());
        body["baseFee"] = "free";
        var problem = await HttpAssert.ProblemAsync(await ops.PostAsJsonAsync("/api/v1/ops/billing/plans", body), HttpStatusCode.BadRequest);
        Assert.NotEmpty(HttpAssert.FieldErrors(problem, "baseFee"));
    }

    [Fact]
    public async Task Update_StaleVersion_409_CurrentVersion_200()
    {
        var ops = await _app.OperatorClientAsync();
        var created = await (await ops.PostAsJsonAsync("/api/v1/ops/billing/plans", Body(FreshCode()))).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetGuid();
        var body = Body(created.GetProperty("code").GetString()!);
        body["baseFee"] = 25000;
        body["version"] = 0;

        var ok = await ops.PutAsJsonAsync($"/api/v1/ops/billing/plans/{id}", body);
        var stale = await ops.PutAsJsonAsync($"/api/v1/ops/billing/plans/{id}", body);

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        await HttpAssert.ProblemAsync(stale, HttpStatusCode.Conflict);
        Assert.Equal(25000, (await ops.GetFromJsonAsync<JsonElement>($"/api/v1/ops/billing/plans/{id}")).GetProperty("baseFee").GetInt64());
    }

    [Fact]
    public async Task Assign_UnknownPlanOrEarlierDate_RefusedAndHistoryUnchanged()
    {
        var ops = await _app.OperatorClientAsync();
        var code = FreshCode();
        (await ops.PostAsJsonAsync("/api/v1/ops/billing/plans", Body(code))).EnsureSuccessStatusCode();
        var tenant = await _app.OnboardTenantAsync(ops);
        (await ops.PostAsJsonAsync($"/api/v1/ops/billing/tenants/{tenant.Code}/plans", new { planCode = code, effectiveFrom = "2026-06-01" })).EnsureSuccessStatusCode();

        var unknown = await HttpAssert.ProblemAsync(await ops.PostAsJsonAsync($"/api/v1/ops/billing/tenants/{tenant.Code}/plans", new { planCode = "nope", effectiveFrom = "2026-07-01" }), HttpStatusCode.BadRequest);
        var earlier = await HttpAssert.ProblemAsync(await ops.PostAsJsonAsync($"/api/v1/ops/billing/tenants/{tenant.Code}/plans", new { planCode = code, effectiveFrom = "2026-06-01" }), HttpStatusCode.Conflict);
        await HttpAssert.ProblemAsync(await ops.PostAsJsonAsync("/api/v1/ops/billing/tenants/131016/plans", new { planCode = code, effectiveFrom = "2026-07-01" }), HttpStatusCode.NotFound);

        Assert.NotEmpty(HttpAssert.FieldErrors(unknown, "planCode"));
        Assert.NotEmpty(HttpAssert.FieldErrors(earlier, "effectiveFrom"));
        var history = await ops.GetFromJsonAsync<JsonElement>($"/api/v1/ops/billing/tenants/{tenant.Code}/plans");
        var only = Assert.Single(history.EnumerateArray());
        Assert.Equal(JsonValueKind.Null, only.GetProperty("effectiveUntil").ValueKind);

        (await ops.PostAsJsonAsync($"/api/v1/ops/billing/tenants/{tenant.Code}/plans", new { planCode = code, effectiveFrom = "2026-09-15" })).EnsureSuccessStatusCode();
        history = await ops.GetFromJsonAsync<JsonElement>($"/api/v1/ops/billing/tenants/{tenant.Code}/plans");
        Assert.Equal("2026-09-15", history[0].GetProperty("effectiveUntil").GetString());
    }

    [Fact]
    public async Task Usage_ByTenantFiscalYear_TwelveMonthsAprilToMarch()
    {
        var ops = await _app.OperatorClientAsync();
        var tenant = await _app.OnboardTenantAsync(ops);

        var usage = await ops.GetFromJsonAsync<JsonElement>($"/api/v1/ops/billing/usage/{tenant.Code}?fiscalYear=2026");

        var months = usage.GetProperty("months").EnumerateArray().Select(m => m.GetProperty("month").GetString()).ToList();
        Assert.Equal(12, months.Count);
        Assert.Equal("2026-04", months[0]);
        Assert.Equal("2027-03", months[^1]);
        await HttpAssert.ProblemAsync(await ops.GetAsync($"/api/v1/ops/billing/usage/{tenant.Code}"), HttpStatusCode.BadRequest);
        await HttpAssert.ProblemAsync(await ops.GetAsync($"/api/v1/ops/billing/usage/{tenant.Code}?month=2026-1"), HttpStatusCode.BadRequest);
        await HttpAssert.ProblemAsync(await ops.GetAsync("/api/v1/ops/billing/usage?month=x"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Endpoints_WithoutOperator_401_InsideTenant_Refused()
    {
        var anonymous = _app.ClientFor();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/ops/billing/plans")).StatusCode);
        var ops = await _app.OperatorClientAsync();
        var tenant = await _app.OnboardTenantAsync(ops);
        // Operator endpoints never answer on a tenant path.
        Assert.NotEqual(HttpStatusCode.OK, (await ops.GetAsync($"/t/{tenant.Code}/api/v1/ops/billing/plans")).StatusCode);
    }
}

public sealed class BillingOptionsTests
{
    [Theory]
    [InlineData("T7123456789013")] // wrong check digit
    [InlineData("7123456789012")] // no T
    public void Start_InvalidRegistrationNumber_HostRefusesToStart(string registration)
    {
        using var app = new AppFactory(settings: BillingApiTests.Settings(registration));
        var ex = Assert.ThrowsAny<Exception>(() => app.ClientFor());
        Assert.Contains("RegistrationNumber", ex.ToString(), StringComparison.Ordinal);
    }
}
