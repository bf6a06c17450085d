using System.Net;
using System.Text;
using AspService.Tests.Infrastructure;
using AspService.Tests.Terminals;

namespace AspService.Tests.Fuzz;

/// <summary>Regression tests for the server errors the fuzz run found, one per cause, each answering precisely now.</summary>
[Collection(FuzzGroup.Name)]
public sealed class FuzzFindingsTests(FuzzHost host)
{
    [Theory]
    [InlineData("/connect/device", "client_id=aspagent&scope=%00")]
    [InlineData("/connect/token", "grant_type=%00&client_id=aspagent")]
    [InlineData("/connect/verify", "user_code=%00")]
    public async Task FormBodyWithANul_OnTheTokenEndpoints_Is400NotA500(string path, string form)
    {
        var before = host.Log.Errors.Count;
        using var content = new StringContent(form, Encoding.ASCII, "application/x-www-form-urlencoded");

        // Signed in (the verification page needs a user), so the form is what is judged.
        var response = await host.A.Staff.Client.PostAsync(host.A.Staff.Url(path), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(host.Log.Errors.Skip(before));
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task UnknownJobsDashboardPath_AsOperator_Is404NotA500(string method)
    {
        var before = host.Log.Errors.Count;
        var response = await host.Operator.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/ops/jobs/no-such-page"));

        await HttpAssert.ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Empty(host.Log.Errors.Skip(before));
    }

    [Fact]
    public async Task ConcurrentUnenrollOfOneTerminal_OneWins_TheOthersAre409_NeverA500()
    {
        var admin = host.OtherAdmin;
        var terminal = await OfficeAsync();
        var before = host.Log.Errors.Count;

        var replies = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            using var client = host.App.MtlsClient(terminal.Certificate);
            try
            {
                return (HttpStatusCode?)(await client.DeleteAsync("/api/v1/terminal/")).StatusCode;
            }
            catch (HttpRequestException)
            {
                return null; // refused at the handshake: the certificate was already revoked by the winner
            }
        }));

        Assert.Contains(HttpStatusCode.NoContent, replies);
        Assert.All(replies, s => Assert.True(s is null or HttpStatusCode.NoContent or HttpStatusCode.Conflict or HttpStatusCode.Unauthorized, s?.ToString()));
        Assert.Empty(host.Log.Errors.Skip(before));
    }

    [Fact]
    public async Task ConcurrentAdminChangesOfOneTerminal_AreAnsweredOr409_NeverA500()
    {
        var admin = host.OtherAdmin;
        var terminal = await OfficeAsync();
        var before = host.Log.Errors.Count;

        var replies = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            admin.Client.PostAsync(admin.Url($"/api/v1/terminals/{terminal.Id}/{(i % 2 == 0 ? "disable" : "enable")}"), null)));

        Assert.All(replies, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, r.StatusCode.ToString()));
        Assert.Empty(host.Log.Errors.Skip(before));
    }

    private async Task<EnrolledTerminal> OfficeAsync()
    {
        using var web = host.App.CreateDefaultClient(host.App.WebAddress);
        return await TerminalKit.EnrollAsync(web, host.OtherAdmin.Tenant.Code, await host.OtherAdmin.TokenAsync("office"));
    }
}
