using System.Net;
using AngleSharp.Html.Parser;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;

namespace AspService.Tests.Consoles;

/// <summary>
/// English on request is clean English on every administrators' screen: every heading, label, column, legend, button
/// and hint of the users, audit, policy and terminals pages comes from the English vocabulary (a missing English
/// entry would fall back to Japanese and fail here). People's own data (names) is left out.
/// </summary>
public sealed class AdminUsersEnglishTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    private readonly AppFactory _app = host.App;

    [Fact]
    public async Task AdminScreens_InEnglish_ShowNoJapaneseOnLabels()
    {
        var admin = await _app.TenantAdminAsync();
        var (_, staffId) = await _app.InviteAndSignInAsync(admin);
        admin.Cookies.Values[".AspNetCore.Culture"] = Uri.EscapeDataString("c=en|uic=en");
        foreach (var path in new[] { "/admin/users", $"/admin/users/{staffId}", "/admin/users/invite", "/admin/users/import", "/admin/audit",
            "/admin/audit?action=signin.succeeded", "/admin/policy", "/admin/terminals" })
        {
            var response = await admin.Client.GetAsync(admin.Url(path));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
            Assert.Equal("en", page.DocumentElement.GetAttribute("lang"));
            var labels = page.QuerySelectorAll("main h1, main h2, main label, main th, main legend, main button, main .hint, main caption, main summary, header nav a")
                .Where(e => e.Closest("tbody") is null && e.Closest("[lang]:not(html)") is null && !(path.Contains(staffId.ToString(), StringComparison.Ordinal) && e.TagName == "H1"))
                .Select(e => e.TextContent.Trim()).Where(t => t.Length > 0).ToList();
            Assert.NotEmpty(labels);
            var japanese = labels.Where(t => t.Any(c => c is >= '\u3040' and <= '\u30FF' or >= '\u4E00' and <= '\u9FFF')).ToList();
            Assert.True(japanese.Count == 0, path + ": " + string.Join(" | ", japanese));
        }
    }
}
