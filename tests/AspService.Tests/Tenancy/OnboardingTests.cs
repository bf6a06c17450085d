using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AspService.Server.Tenancy;
using AspService.Tenancy;
using AspService.Tests.Infrastructure;

namespace AspService.Tests.Tenancy;

public sealed class OnboardingTests : IClassFixture<OnboardingTests.Host>
{
    private readonly AppFactory _app;

    public OnboardingTests(Host host) => _app = host.App;

    public sealed class Host : IDisposable
    {
        public AppFactory App { get; } = new();

        public void Dispose() => App.Dispose();
    }

    [Fact]
    public async Task Onboard_ValidCode_ProvisionsActiveTenantWithOfficialName()
    {
        var ops = await _app.OperatorClientAsync();
        var lg = AppFactory.FreshMunicipality();

        var tenant = await _app.OnboardTenantAsync(ops, lg);

        Assert.Equal(lg.Name, tenant.Name);
        Assert.Equal(lg.Kana, tenant.Kana);
        Assert.Equal(TenantState.Active, tenant.State);
        Assert.Equal(["provision/create-database", "provision/create-tenant-ca", "provision/invite-first-admin", "provision/migrate", "provision/register-oidc-clients", "provision/seed-defaults"], tenant.CompletedSteps);
        Assert.NotNull(tenant.SchemaVersion);
        var info = await _app.ClientFor().GetFromJsonAsync<JsonElement>($"/t/{lg.Code}/api/v1/tenant");
        Assert.Equal(lg.Name, info.GetProperty("name").GetString());
        Assert.Equal("Asia/Tokyo", info.GetProperty("timeZone").GetString());
    }

    [Theory]
    [InlineData("011011", "札幌市")] // a ward of Sapporo: not a local government
    [InlineData("131017", "検査数字")] // Chiyoda with a wrong check digit
    [InlineData("999997", "一覧にありません")] // well-formed, but no such local government
    [InlineData("12", "6 桁")]
    public async Task Onboard_BadCode_400NamesCodeAndChangesNothing(string code, string expected)
    {
        var ops = await _app.OperatorClientAsync();
        var before = (await ops.GetFromJsonAsync<JsonElement>("/api/v1/ops/tenants")).GetProperty("total").GetInt32();

        var response = await ops.PostAsJsonAsync("/api/v1/ops/tenants", new { code, adminEmail = "a@b.example" });

        var problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(expected, HttpAssert.FieldErrors(problem, "code").Single(), StringComparison.Ordinal);
        var after = (await ops.GetFromJsonAsync<JsonElement>("/api/v1/ops/tenants")).GetProperty("total").GetInt32();
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task ListTenants_SearchByKatakanaOrHiraganaReading_Finds()
    {
        var ops = await _app.OperatorClientAsync();
        var tenant = await _app.OnboardTenantAsync(ops);
        var katakana = string.Concat(tenant.Kana.Select(c => c is >= 'ぁ' and <= 'ゖ' ? (char)(c + 0x60) : c));

        var byKatakana = await ops.GetFromJsonAsync<JsonElement>($"/api/v1/ops/tenants?q={Uri.EscapeDataString(katakana)}");
        var byHiragana = await ops.GetFromJsonAsync<JsonElement>($"/api/v1/ops/tenants?q={Uri.EscapeDataString(tenant.Kana)}");

        Assert.Contains(byKatakana.GetProperty("items").EnumerateArray(), t => t.GetProperty("code").GetString() == tenant.Code);
        Assert.Contains(byHiragana.GetProperty("items").EnumerateArray(), t => t.GetProperty("code").GetString() == tenant.Code);
    }

    [Fact]
    public async Task ListTenants_BadStateFilter_400()
    {
        var ops = await _app.OperatorClientAsync();

        var response = await ops.GetAsync("/api/v1/ops/tenants?state=Sleeping");

        await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("page=2147483647&pageSize=500", HttpStatusCode.OK)] // far past the end: an empty page, not an overflow
    [InlineData("page=-5&pageSize=0", HttpStatusCode.OK)]
    [InlineData("page=abc", HttpStatusCode.BadRequest)]
    [InlineData("pageSize=99999999999", HttpStatusCode.BadRequest)]
    public async Task ListTenants_ExtremePaging_NeverServerError(string query, HttpStatusCode expected)
    {
        var ops = await _app.OperatorClientAsync();

        var response = await ops.GetAsync("/api/v1/ops/tenants?" + query);

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.BadRequest)
        {
            await HttpAssert.ProblemAsync(response, expected);
        }
    }
}
