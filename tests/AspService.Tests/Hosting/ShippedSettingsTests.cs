using AspService.Server.Identity;
using AspService.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace AspService.Tests.Hosting;

/// <summary>
/// The settings file the server ships with must not quietly undo a decision made in code: e.g. a per-address sign-in
/// limit of 30 a minute in appsettings.json refused a whole city hall behind one NAT address (decision 0065).
/// </summary>
public sealed class ShippedSettingsTests
{
    private static readonly string ShippedFile = Path.Combine(Repo.Root, "src", "AspService.Server", "appsettings.json");

    [Fact]
    public void ShippedRateLimits_AreTheDecidedOnes()
    {
        var shipped = new ConfigurationBuilder().AddJsonFile(ShippedFile).Build();
        var limits = shipped.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        var decided = new RateLimitOptions();

        Assert.Equal(decided.AuthPerClientPerMinute, limits.AuthPerClientPerMinute);
        Assert.Equal(decided.AuthPerTenantPerMinute, limits.AuthPerTenantPerMinute);
        Assert.Equal(decided.FailedSignInsPerTenantPerMinute, limits.FailedSignInsPerTenantPerMinute);
        Assert.Equal(decided.AuthPerAccountPerMinute, limits.AuthPerAccountPerMinute);
        Assert.True(limits.AuthPerClientPerMinute >= 600, "a city hall's morning needs hundreds of sign-ins a minute from one address");
    }
}
