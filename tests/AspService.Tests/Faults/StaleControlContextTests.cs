using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using AspService.Tests.Relay;
using AspService.Tests.Terminals;

namespace AspService.Tests.Faults;

/// <summary>
/// Issue 12 #2: the office PC's control connection must never write its state from a stale context. An admin renames the
/// terminal while it is connected; when the agent then leaves, the terminal is offline and the broker refuses tickets.
/// </summary>
public sealed class StaleControlContextTests(KestrelHost host) : IClassFixture<KestrelHost>
{
    private AppFactory App => host.App;

    [Fact]
    public async Task RenamedWhileConnected_ThenAgentLeaves_TerminalIsOffline_AndTheBrokerAnswers409()
    {
        var s = await App.ScenarioAsync();
        var control = await s.OfficeOnlineAsync();

        var rename = await s.Admin.Client.PutAsJsonAsync(s.Admin.Url($"/api/v1/terminals/{s.Office.Id}"), new { name = "本庁舎 3F-12", location = "企画課" });
        Assert.Equal(HttpStatusCode.OK, rename.StatusCode);
        // A hello after the rename (the agent reports its redirection again) is a second write on the same connection.
        await control.SendJsonAsync(new { type = "hello", agentVersion = "test", target = "127.0.0.1:3389", redirection = RelayKit.AllOff });
        try
        {
            await control.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        catch (WebSocketException)
        {
            // The relay may already have dropped the connection; what matters is the state it leaves behind.
        }

        control.Dispose();

        var terminal = await Eventually.ValueAsync(
            async () => await s.Admin.Client.GetFromJsonAsync<JsonElement>(s.Admin.Url($"/api/v1/terminals/{s.Office.Id}")),
            t => !t.GetProperty("online").GetBoolean());
        Assert.Equal("本庁舎 3F-12", terminal.GetProperty("name").GetString());
        var offices = await s.HomeClient().SendAsync(Bearer(HttpMethod.Get, "/api/v1/relay/offices", s.AccessToken));
        Assert.DoesNotContain("\"online\":true", await offices.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await HttpAssert.ProblemAsync(await s.RequestSessionAsync(), HttpStatusCode.Conflict, "office-offline");
        var actions = await App.AuditActionsAsync(s.Admin.Tenant);
        Assert.Contains("terminal.offline", actions);
    }

    private static HttpRequestMessage Bearer(HttpMethod method, string path, string token)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return request;
    }
}
