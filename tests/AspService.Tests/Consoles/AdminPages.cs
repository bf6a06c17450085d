using System.Net;
using System.Net.WebSockets;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using AspService.Data.Sessions;
using AspService.Server.Tenancy;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using AspService.Tests.Relay;
using Microsoft.Extensions.DependencyInjection;

namespace AspService.Tests.Consoles;

/// <summary>Helpers of the administrators' page tests: HTML, forms, real sessions through the relay, seeded history.</summary>
public static class AdminPages
{
    public static async Task<IHtmlDocument> HtmlAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {response.RequestMessage?.RequestUri}\n{body}");
        return new HtmlParser().ParseDocument(body);
    }

    public static async Task<IHtmlDocument> GetHtmlAsync(this TenantSession who, string path) => await HtmlAsync(await who.Client.GetAsync(who.Url(path)));

    /// <summary>The fields of the page's POST form (antiforgery token included).</summary>
    public static List<KeyValuePair<string, string>> PostFields(IHtmlDocument page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var form = (IHtmlFormElement?)page.QuerySelector("main form[method=post]");
        Assert.NotNull(form);
        return [.. form!.Elements.OfType<IHtmlInputElement>().Where(i => i.Name is not null).Select(i => new KeyValuePair<string, string>(i.Name!, i.Value))];
    }

    /// <summary>The text of a page's main content, whitespace collapsed.</summary>
    public static string MainText(IHtmlDocument page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return string.Join(' ', (page.QuerySelector("main")?.TextContent ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>A session made live through the real relay: offer, office echo, home data stream.</summary>
    public static async Task<(Guid SessionId, ClientWebSocket Home, Task Office)> LiveAsync(this RelayScenario s, ClientWebSocket control)
    {
        ArgumentNullException.ThrowIfNull(s);
        var offer = await s.OfferAsync();
        var office = await s.EchoOfficeAsync(control);
        var home = await s.App.ConnectAsync(s.Home.Certificate, "/api/v1/relay/data", offer.GetProperty("ticket").GetString());
        var id = offer.GetProperty("sessionId").GetGuid();
        await Eventually.ValueAsync(() => s.SessionAsync(id), x => x.State == SessionState.Live);
        return (id, home, office);
    }

    /// <summary>Writes finished sessions straight into the tenant database (for exact times, or many rows).</summary>
    public static async Task SeedEndedAsync(this AppFactory app, TenantSession admin, Guid userId, Guid homeId, Guid officeId,
        params (DateTimeOffset Start, DateTimeOffset End)[] sessions)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(admin);
        await using var db = app.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(app.Binding(admin.Tenant));
        foreach (var (start, end) in sessions)
        {
            db.Sessions.Add(new RelaySession
            {
                Id = Guid.NewGuid(), UserId = userId, HomeTerminalId = homeId, HomeCertificateSerial = "seeded", OfficeTerminalId = officeId,
                RelayNodeId = Guid.NewGuid(), State = SessionState.Ended, RequestedAt = start.AddSeconds(-5), StartedAt = start, EndedAt = end,
                EndReason = "home_closed", TicketHash = Guid.NewGuid().ToByteArray(), TicketExpiresAt = start.AddSeconds(55), TicketUsedAt = start,
                SourceAddress = "127.0.0.1",
            });
        }

        await db.SaveChangesAsync();
    }

    /// <summary>A client over the real socket that shows redirects instead of following them (Kestrel hosts only).</summary>
    public static HttpClient NoRedirects(this AppFactory app, TenantSession? who = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = app.WebAddress };
        if (who is not null)
        {
            client.DefaultRequestHeaders.Add("Cookie", string.Join("; ", who.Cookies.Values.Select(v => v.Key + "=" + v.Value)));
        }

        return client;
    }
}
