using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AspService.Policy;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;

namespace AspService.Tests.Sessions;

/// <summary>The policy API reads window bounds the way its messages describe them ("HH:mm", "24:00" = end of day).</summary>
public sealed class PolicyApiTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    private readonly AppFactory _app = host.App;

    [Fact]
    public async Task Put_WholeDayAs0000To2400_Accepted_AndStoredAsEndOfDay()
    {
        var admin = await _app.TenantAdminAsync();

        var put = await admin.Client.PutAsJsonAsync(admin.Url("/api/v1/policy"), new { allowedFrom = "00:00", allowedUntil = "24:00" });

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var stored = await admin.Client.GetFromJsonAsync<JsonElement>(admin.Url("/api/v1/policy"));
        Assert.True(PolicyClockConverter.TryParse(stored.GetProperty("policy").GetProperty("allowedUntil").GetString(), out var until));
        Assert.Equal(TimeSpan.FromHours(24), until);
    }

    [Theory]
    [InlineData("allowedUntil", "24:01", "00:01", "24:00")]
    [InlineData("allowedUntil", "00:00", "00:01", "24:00")]
    [InlineData("allowedFrom", "24:00", "00:00", "23:59")]
    public async Task Put_OutOfRange_MessageNamesTheRuleItChecks(string field, string value, string low, string high)
    {
        var admin = await _app.TenantAdminAsync();

        var put = await admin.Client.PutAsJsonAsync(admin.Url("/api/v1/policy"), new Dictionary<string, string> { [field] = value });

        var problem = await HttpAssert.ProblemAsync(put, HttpStatusCode.BadRequest);
        var message = Assert.Single(HttpAssert.FieldErrors(problem, field));
        Assert.Contains(low, message, StringComparison.Ordinal);
        Assert.Contains(high, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("24:00", 24 * 60)]
    [InlineData("8:30", 8 * 60 + 30)]
    [InlineData("08:30:00", 8 * 60 + 30)]
    [InlineData("1.00:00:00", 24 * 60)]
    public void Clock_ReadsPeoplesAndDotNetsForms(string text, int minutes)
    {
        Assert.True(PolicyClockConverter.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMinutes(minutes), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("8")]
    [InlineData("08:60")]
    [InlineData("noon")]
    [InlineData("08:00:00:00")]
    public void Clock_RefusesWhatIsNoTime(string text) => Assert.False(PolicyClockConverter.TryParse(text, out _));
}
