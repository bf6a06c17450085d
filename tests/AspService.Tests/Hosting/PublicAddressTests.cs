using System.Net.Http.Json;
using System.Text.Json;
using AspService.Server.Hosting;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;

namespace AspService.Tests.Hosting;

/// <summary>Links, the tenant's publicUrl and the start report use the configured public base URL, else the bound address.</summary>
public sealed class PublicAddressTests
{
    [Fact]
    public async Task Configured_InvitationLinkAndPublicUrlNameIt()
    {
        using var app = new AppFactory(settings: new() { ["Server:PublicBaseUrl"] = "https://telework.example.jp/", ["Tenancy:BaseDomain"] = "" });
        var ops = await app.OperatorClientAsync();
        var tenant = await app.OnboardTenantAsync(ops);

        var mail = Directory.GetFiles(Path.Combine(app.DataRoot, "mail"), "*.eml").Select(f => TenantIdentityKit.Body(File.ReadAllText(f))).Single();
        var self = await app.ClientFor().GetFromJsonAsync<JsonElement>($"/t/{tenant.Code}/api/v1/tenant");

        Assert.Contains($"https://telework.example.jp/t/{tenant.Code}/invitation?token=", mail, StringComparison.Ordinal);
        Assert.Equal($"https://telework.example.jp/t/{tenant.Code}", self.GetProperty("publicUrl").GetString());
    }

    [Fact]
    public async Task LegacySetting_StillCounts_AndAnUnreachableAddressIsReportedAtStart()
    {
        using var app = new AppFactory(settings: new() { ["TenantIdentity:PublicBaseUrl"] = "http://127.0.0.1:9", ["Tenancy:BaseDomain"] = "" });
        var ops = await app.OperatorClientAsync();
        var tenant = await app.OnboardTenantAsync(ops);

        var self = await app.ClientFor().GetFromJsonAsync<JsonElement>($"/t/{tenant.Code}/api/v1/tenant");

        Assert.Equal($"http://127.0.0.1:9/t/{tenant.Code}", self.GetProperty("publicUrl").GetString());
        await Eventually.UntilAsync(() => app.Log.Lines.Any(l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("not reachable", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Unset_OnKestrel_DerivedFromTheBoundAddress_AndWarnedOutsideDevelopment()
    {
        using var app = new AppFactory(kestrel: true, settings: new() { ["Tenancy:BaseDomain"] = "", ["environment"] = "Production" });
        var ops = await app.OperatorClientAsync();
        var tenant = await app.OnboardTenantAsync(ops);

        var self = await app.ClientFor().GetFromJsonAsync<JsonElement>($"/t/{tenant.Code}/api/v1/tenant");

        Assert.Equal($"{app.WebAddress.ToString().TrimEnd('/')}/t/{tenant.Code}", self.GetProperty("publicUrl").GetString());
        Assert.Contains(app.Log.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("Server:PublicBaseUrl is not set", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, true, null)]
    [InlineData(null, false, "is not set")]
    [InlineData("https://telework.example.jp", false, null)]
    [InlineData("http://localhost:5080", false, null)]
    [InlineData("http://127.0.0.1:8080", false, null)]
    [InlineData("http://telework.example.jp", false, "not https")]
    [InlineData("telework.example.jp", false, "not an absolute")]
    [InlineData("ftp://telework.example.jp", true, "not an absolute")]
    [InlineData("https://telework.example.jp/?a=1", true, "query")]
    public void Problems_NameWhatIsWrong(string? configured, bool development, string? expected)
    {
        var problems = PublicAddress.Problems(configured, development);

        if (expected is null)
        {
            Assert.Empty(problems);
        }
        else
        {
            Assert.Contains(expected, Assert.Single(problems), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("http://[::]:5080", "http://localhost:5080")]
    [InlineData("http://+:80", "http://localhost:80")]
    [InlineData("https://127.0.0.1:5443,http://0.0.0.0:5080", "http://localhost:5080")]
    public void FromListener_PrefersPlainHttpAndNamesWildcardsLocalhost(string addresses, string expected) =>
        Assert.Equal(expected, PublicAddress.FromListener(addresses.Split(',')));
}
