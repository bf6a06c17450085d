using System.Net;
using AspService.Tests.Infrastructure;

namespace AspService.Tests.Identity;

public sealed class TokenRateLimitTests
{
    [Fact]
    public async Task DeviceAuthorizationEndpoint_RateLimitedPerClient()
    {
        using var app = new AppFactory(settings: new() { ["RateLimits:AuthPerClientPerMinute"] = "10" });
        var ops = await app.OperatorClientAsync();
        var tenant = await app.OnboardTenantAsync(ops);
        var client = DeviceFlowTests.Agent(app);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
        {
            var response = await client.PostAsync(DeviceFlowTests.Https(tenant.Code, "/connect/device"),
                DeviceFlowTests.Form(("client_id", "aspagent"), ("scope", "openid offline_access")));
            statuses.Add(response.StatusCode);
        }

        // The operator's sign-in used part of this client's budget; the device endpoint answers until the rest is gone.
        Assert.Equal(HttpStatusCode.OK, statuses[0]);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }
}
