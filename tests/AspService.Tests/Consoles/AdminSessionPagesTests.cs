using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using AspService.Data.Sessions;
using AspService.Server.Consoles;
using AspService.Server.Relay;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using AspService.Tests.Relay;
using AspService.Tests.Terminals;
using Microsoft.Extensions.DependencyInjection;
using AspService.Common;

namespace AspService.Tests.Consoles;

/// <summary>
/// The administrators' session screens over the real host with sessions made through the real relay: live sessions
/// with force-disconnect, every staff member's history with refusal reasons in Japanese, テレワーク実施記録 with its
/// CSV, and 利用率. Each: staff get 403, signed-out people go to sign-in, another tenant's admin sees none of it.
/// </summary>
public sealed class AdminSessionPagesTests(KestrelHost host) : IClassFixture<KestrelHost>
{
    private const string Office = "窓口PC-7";

    private AppFactory App => host.App;

    private async Task<RelayScenario> ScenarioAsync()
    {
        var s = await App.ScenarioAsync();
        var put = await s.Admin.Client.PutAsJsonAsync(s.Admin.Url($"/api/v1/terminals/{s.Office.Id}"), new { name = Office, location = "本庁舎1階" });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        return s;
    }

    [Fact]
    public async Task LiveSessions_AdminConfirmsAndPosts_SessionEndsDisconnectedByAdmin()
    {
        var s = await ScenarioAsync();
        var other = await App.ScenarioAsync();
        using var control = await s.OfficeOnlineAsync();
        var (sessionId, home, office) = await s.LiveAsync(control);

        var list = await s.Admin.GetHtmlAsync("/admin/sessions");
        var row = AdminPages.MainText(list);
        Assert.Contains("山田 太郎", row, StringComparison.Ordinal);
        Assert.Contains(Office, row, StringComparison.Ordinal);
        var link = list.QuerySelectorAll("main a").Single(a => a.TextContent.Contains("山田 太郎 さんの接続を切断", StringComparison.Ordinal));
        Assert.Equal(s.Admin.Url($"/admin/sessions/{sessionId}/disconnect"), link.GetAttribute("href"));
        // The admin navigation reaches the page.
        Assert.Contains(list.QuerySelectorAll("nav.admin-nav a"), a => a.GetAttribute("href") == s.Admin.Url("/admin/sessions"));

        // The confirmation says what follows; its GET changes nothing.
        var confirm = await s.Admin.GetHtmlAsync($"/admin/sessions/{sessionId}/disconnect");
        Assert.Contains("管理者が切断", AdminPages.MainText(confirm), StringComparison.Ordinal);
        Assert.NotNull(confirm.QuerySelector("button[type=submit][data-confirm]"));
        var fields = AdminPages.PostFields(confirm);
        Assert.Equal(SessionState.Live, (await s.SessionAsync(sessionId)).State);

        // Staff: 403 (page and POST); signed out: sign-in; another tenant's admin: not found, and their list is empty.
        Assert.Equal(HttpStatusCode.Forbidden, (await s.Staff.Client.GetAsync(s.Staff.Url("/admin/sessions"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await s.Staff.Client.GetAsync(s.Staff.Url($"/admin/sessions/{sessionId}/disconnect"))).StatusCode);
        Assert.False((await s.Staff.Client.PostAsync(s.Staff.Url($"/admin/sessions/{sessionId}/disconnect"), new FormUrlEncodedContent(fields))).IsSuccessStatusCode);
        using (var anonymous = App.NoRedirects())
        {
            var answer = await anonymous.GetAsync(s.Admin.Url("/admin/sessions"));
            Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
            Assert.StartsWith(s.Admin.Url("/sign-in?returnUrl="), answer.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await other.Admin.Client.GetAsync(other.Admin.Url($"/admin/sessions/{sessionId}/disconnect"))).StatusCode);
        Assert.DoesNotContain(sessionId.ToString(), await (await other.Admin.Client.GetAsync(other.Admin.Url("/admin/sessions"))).Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        // Without the page's antiforgery token nothing happens.
        Assert.Equal(HttpStatusCode.BadRequest, (await s.Admin.Client.PostAsync(s.Admin.Url($"/admin/sessions/{sessionId}/disconnect"), new FormUrlEncodedContent([]))).StatusCode);
        Assert.Equal(SessionState.Live, (await s.SessionAsync(sessionId)).State);

        // The admin confirms: back on the list with the notice; the relay closes the session (it polls every second).
        var posted = await s.Admin.Client.PostAsync(s.Admin.Url($"/admin/sessions/{sessionId}/disconnect"), new FormUrlEncodedContent(fields));
        Assert.Equal(s.Admin.Url("/admin/sessions"), posted.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("山田 太郎 さんのセッションの切断を指示しました", (await AdminPages.HtmlAsync(posted)).QuerySelector(".notice")!.TextContent, StringComparison.Ordinal);
        App.Clock.Advance(TimeSpan.FromSeconds(1));
        var ended = await Eventually.ValueAsync(() => s.SessionAsync(sessionId), x => x.State == SessionState.Ended);
        Assert.Equal(EndReasons.ByAdmin, ended.EndReason);
        await office;
        home.Dispose();
        Assert.Contains(RelayAudit.Disconnected, await App.AuditActionsAsync(s.Admin.Tenant));
        Assert.DoesNotContain(RelayAudit.Disconnected, await App.AuditActionsAsync(other.Admin.Tenant));
        Assert.Contains("接続中のセッションはありません", AdminPages.MainText(await s.Admin.GetHtmlAsync("/admin/sessions")), StringComparison.Ordinal);

        // The history shows why it ended; the API still answers 409 for an ended session.
        Assert.Contains("管理者が切断", AdminPages.MainText(await s.Admin.GetHtmlAsync("/admin/sessions/history")), StringComparison.Ordinal);
        await HttpAssert.ProblemAsync(await s.Admin.Client.PostAsync(s.Admin.Url($"/api/v1/sessions/{sessionId}/disconnect"), null),
            HttpStatusCode.Conflict, "session-not-live");
    }

    [Fact]
    public async Task History_SessionsAndRefusalsInJapanese_FilterByStaffAndDates_Pages()
    {
        var s = await ScenarioAsync();
        var other = await App.ScenarioAsync();
        var (second, secondId) = await App.InviteAndSignInAsync(s.Admin);
        using var control = await s.OfficeOnlineAsync();
        // One session waiting for pairing, then a refused second request (one session at a time is the default policy).
        var offer = await s.OfferAsync();
        App.Clock.Advance(TimeSpan.FromSeconds(10));
        var refused = await s.RequestSessionAsync();
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("TooManySessions", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var page = await s.Admin.GetHtmlAsync("/admin/sessions/history");
        var rows = page.QuerySelectorAll("main tbody tr").Select(r => r.TextContent).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Contains("拒否", rows[0], StringComparison.Ordinal);
        Assert.Contains("同時接続数の上限", rows[0], StringComparison.Ordinal);
        Assert.Contains(Office, rows[0], StringComparison.Ordinal);
        Assert.Contains("接続準備中", rows[1], StringComparison.Ordinal);
        Assert.DoesNotContain("TooManySessions", page.Body!.OuterHtml, StringComparison.Ordinal);

        // Filters: the other staff member has nothing; a date range without the day has nothing; today (JST) has both.
        Assert.Contains("条件に合う記録はありません", AdminPages.MainText(await s.Admin.GetHtmlAsync($"/admin/sessions/history?user={secondId}")), StringComparison.Ordinal);
        Assert.Equal(2, (await s.Admin.GetHtmlAsync($"/admin/sessions/history?user={s.StaffId}")).QuerySelectorAll("main tbody tr").Length);
        var today = Jst.Today(App.Clock.GetUtcNow()).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var tomorrow = Jst.Today(App.Clock.GetUtcNow()).AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(2, (await s.Admin.GetHtmlAsync($"/admin/sessions/history?from={today}&to={today}")).QuerySelectorAll("main tbody tr").Length);
        Assert.Empty((await s.Admin.GetHtmlAsync($"/admin/sessions/history?from={tomorrow}")).QuerySelectorAll("main tbody tr"));
        // Bad dates: the error next to the field and in the summary, no rows, no 500.
        var bad = await s.Admin.GetHtmlAsync($"/admin/sessions/history?from={tomorrow}&to={today}");
        Assert.Equal("true", bad.QuerySelector("#from")!.GetAttribute("aria-invalid"));
        Assert.NotNull(bad.QuerySelector(".error-summary a[href='#from']"));
        Assert.Equal("true", (await s.Admin.GetHtmlAsync("/admin/sessions/history?to=2026-02-30")).QuerySelector("#to")!.GetAttribute("aria-invalid"));

        // Paging: 60 more sessions of the second staff member; 50 a page, the next-page link keeps the filter.
        var start = App.Clock.GetUtcNow().AddDays(-3);
        await App.SeedEndedAsync(s.Admin, secondId, s.Home.Id, s.Office.Id,
            [.. Enumerable.Range(0, 60).Select(i => (start.AddMinutes(i * 10), start.AddMinutes(i * 10 + 5)))]);
        var first = await s.Admin.GetHtmlAsync("/admin/sessions/history");
        Assert.Equal(50, first.QuerySelectorAll("main tbody tr").Length);
        Assert.Contains("全 62 件のうち 1〜50 件目", AdminPages.MainText(first), StringComparison.Ordinal);
        var next = first.QuerySelector("nav.pager a[rel=next]")!.GetAttribute("href")!;
        var secondPage = await AdminPages.HtmlAsync(await s.Admin.Client.GetAsync(next));
        Assert.Equal(12, secondPage.QuerySelectorAll("main tbody tr").Length);
        Assert.Contains("拒否", secondPage.QuerySelector("main tbody")!.TextContent + first.QuerySelector("main tbody")!.TextContent, StringComparison.Ordinal);
        var filtered = await s.Admin.GetHtmlAsync($"/admin/sessions/history?user={secondId}&p=2");
        Assert.Equal(10, filtered.QuerySelectorAll("main tbody tr").Length);
        Assert.Contains($"user={secondId}", filtered.QuerySelector("nav.pager a[rel=prev]")!.GetAttribute("href"), StringComparison.Ordinal);

        // Another tenant's admin sees none of it; staff get 403.
        var theirs = await other.Admin.GetHtmlAsync("/admin/sessions/history");
        Assert.DoesNotContain(Office, theirs.Body!.TextContent, StringComparison.Ordinal);
        Assert.Empty(theirs.QuerySelectorAll("main tbody tr"));
        Assert.Empty((await other.Admin.GetHtmlAsync($"/admin/sessions/history?user={s.StaffId}")).QuerySelectorAll("main tbody tr"));
        Assert.Equal(HttpStatusCode.Forbidden, (await s.Staff.Client.GetAsync(s.Staff.Url("/admin/sessions/history"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await second.Client.GetAsync(second.Url("/admin/sessions/history"))).StatusCode);
        _ = offer;
    }

    [Fact]
    public async Task TeleworkRecords_MonthPerStaff_CsvForAttendanceSystems_FormulaSafe_AndRates()
    {
        var s = await ScenarioAsync();
        var other = await App.ScenarioAsync();
        // A real session through the relay, ended by the home side.
        using var control = await s.OfficeOnlineAsync();
        var (realId, home, office) = await s.LiveAsync(control);
        await home.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        await Eventually.ValueAsync(() => s.SessionAsync(realId), x => x.State == SessionState.Ended);
        await office;
        home.Dispose();
        var real = await s.SessionAsync(realId);

        // Two exact sessions on 10 November (JST), one crossing midnight, and a name that a spreadsheet would run as a formula.
        var jst = TimeSpan.FromHours(9);
        await App.SeedEndedAsync(s.Admin, s.StaffId, s.Home.Id, s.Office.Id,
            (new DateTimeOffset(2026, 11, 10, 9, 30, 0, jst), new DateTimeOffset(2026, 11, 10, 17, 45, 0, jst)),
            (new DateTimeOffset(2026, 11, 10, 22, 0, 0, jst), new DateTimeOffset(2026, 11, 11, 0, 30, 0, jst)));
        await RenameAsync(s, "=HYPERLINK(\"http://x\")", "@SUM(A1)");

        var page = await s.Admin.GetHtmlAsync("/admin/telework?month=2026-11");
        var text = AdminPages.MainText(page);
        Assert.Contains("=HYPERLINK", text, StringComparison.Ordinal);
        Assert.Contains("3 回・2 日", text, StringComparison.Ordinal);
        Assert.Contains("09:30", text, StringComparison.Ordinal);
        Assert.Contains("17:45", text, StringComparison.Ordinal);
        Assert.Contains("8 時間 15 分", text, StringComparison.Ordinal);
        Assert.Contains("11/11 00:30", text, StringComparison.Ordinal);
        Assert.Contains("合計 10 時間 45 分", text, StringComparison.Ordinal);
        Assert.Contains("この月のテレワークの記録はありません", AdminPages.MainText(await s.Admin.GetHtmlAsync("/admin/telework?month=2026-10")), StringComparison.Ordinal);
        Assert.Equal("true", (await s.Admin.GetHtmlAsync("/admin/telework?month=2026-13")).QuerySelector("#month")!.GetAttribute("aria-invalid"));

        // The CSV: UTF-8 with BOM, one line per session in JST, formula-like fields neutralised.
        var csvLink = page.QuerySelectorAll("main a[download]").Single().GetAttribute("href")!;
        var csv = await s.Admin.Client.GetAsync(csvLink);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var bytes = await csv.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("メールアドレス,氏名,所属,日付,開始,終了,時間（分）", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.Equal($"{s.Staff.Email},\"'=HYPERLINK(\"\"http://x\"\")\",'@SUM(A1),2026-11-10,09:30,17:45,495", lines[1]);
        Assert.Equal($"{s.Staff.Email},\"'=HYPERLINK(\"\"http://x\"\")\",'@SUM(A1),2026-11-10,22:00,2026-11-11 00:30,150", lines[2]);
        var realStart = Jst.ToJst(real.StartedAt!.Value);
        Assert.StartsWith($"{s.Staff.Email},\"'=HYPERLINK(\"\"http://x\"\")\",'@SUM(A1),{realStart:yyyy-MM-dd},{realStart:HH:mm},", lines[3], StringComparison.Ordinal);

        // 利用率 for FY2026: November so far, 1 of 2 accounts (the admin and the staff member) teleworked.
        var rates = await s.Admin.GetHtmlAsync("/admin/telework/rates?fy=2026");
        var november = rates.QuerySelectorAll("main tbody tr").Single(r => r.TextContent.Contains("2026年11月", StringComparison.Ordinal));
        Assert.Equal(["2", "1", "50.0%"], november.QuerySelectorAll("td").Select(td => td.TextContent.Trim()));
        Assert.Contains("途中集計", november.TextContent, StringComparison.Ordinal);
        var october = rates.QuerySelectorAll("main tbody tr").Single(r => r.TextContent.Contains("2026年10月", StringComparison.Ordinal));
        Assert.Equal(["0", "0", "―"], october.QuerySelectorAll("td").Select(td => td.TextContent.Trim()));
        Assert.Equal(["2", "1", "50.0%"], rates.QuerySelectorAll("main tfoot td").Select(td => td.TextContent.Trim()));
        // 年度 with 和暦 alongside, in the year row and the choice of years; the records page names the month's 年度 too.
        Assert.Equal("2026年度（令和8年度、4月〜翌年3月）", rates.QuerySelector("main tfoot th")!.ChildNodes[0].TextContent.Trim());
        Assert.Contains(rates.QuerySelectorAll("#fy option"), o => o.TextContent == "2026年度（令和8年度）");
        Assert.Equal("対象：2026年11月・2026年度（令和8年度）", page.QuerySelector("#period")!.TextContent.Trim());
        Assert.DoesNotContain(rates.QuerySelectorAll("main tbody tr"), r => r.TextContent.Contains("2026年12月", StringComparison.Ordinal));

        // Staff: 403 for the page, the CSV and the rates; another tenant's admin gets only the header and 0 teleworked.
        Assert.Equal(HttpStatusCode.Forbidden, (await s.Staff.Client.GetAsync(s.Staff.Url("/admin/telework"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await s.Staff.Client.GetAsync(s.Staff.Url("/admin/telework?handler=csv&month=2026-11"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await s.Staff.Client.GetAsync(s.Staff.Url("/admin/telework/rates"))).StatusCode);
        var theirs = Encoding.UTF8.GetString(await other.Admin.Client.GetByteArrayAsync(other.Admin.Url($"/admin/telework?handler=csv&month=2026-11&user={s.StaffId}")));
        Assert.Single(theirs.Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("HYPERLINK", await other.Admin.Client.GetStringAsync(other.Admin.Url("/admin/telework?month=2026-11")), StringComparison.Ordinal);
        var theirRates = await other.Admin.GetHtmlAsync("/admin/telework/rates?fy=2026");
        Assert.Equal(["2", "0", "0.0%"], theirRates.QuerySelectorAll("main tfoot td").Select(td => td.TextContent.Trim()));
    }

    [Fact]
    public async Task AdminPages_AnotherTenantsAdminSession_GoesToThatTenantsSignIn_StaffForbidden_AnonymousSignIn()
    {
        var a = await App.TenantAdminAsync();
        var (staff, _) = await App.InviteAndSignInAsync(a);
        var b = await App.TenantAdminAsync();
        using var withA = App.NoRedirects(a);
        using var staffA = App.NoRedirects(staff);
        using var anonymous = App.NoRedirects();
        foreach (var (path, _) in AdminNav.Links)
        {
            var own = await withA.GetAsync(a.Url(path));
            Assert.True(own.StatusCode == HttpStatusCode.OK, $"{path}: {(int)own.StatusCode}");
            Assert.Equal(HttpStatusCode.Forbidden, (await staffA.GetAsync(a.Url(path))).StatusCode);
            foreach (var (who, client) in new[] { ("A's admin", withA), ("anonymous", anonymous) })
            {
                var answer = await client.GetAsync(b.Url(path));
                Assert.True(answer.StatusCode == HttpStatusCode.Redirect
                    && answer.Headers.Location!.OriginalString.StartsWith(b.Url("/sign-in?returnUrl="), StringComparison.Ordinal), $"{who} {b.Url(path)}: {(int)answer.StatusCode}");
            }
        }
    }

    [Fact]
    public async Task Dashboard_PendingApprovals_OfficesOnline_LiveSessions_ThisMonthsUsage()
    {
        var s = await ScenarioAsync();
        var other = await App.ScenarioAsync();
        using var web = App.CreateDefaultClient(App.WebAddress);
        var second = await TerminalKit.EnrollAsync(web, s.Admin.Tenant.Code, await s.Admin.TokenAsync("home", ownerUserId: s.StaffId), "自宅PC-2");
        // The policy's approval rule is another screen's business; the device is put in the state it leads to.
        await using (var db = App.Services.GetRequiredService<AspService.Server.Tenancy.TenantDbContextFactory>().CreateUnpooled(App.Binding(s.Admin.Tenant)))
        {
            (await db.Terminals.FindAsync(second.Id))!.State = AspService.Data.Terminals.TerminalState.PendingApproval;
            await db.SaveChangesAsync();
        }

        var before = await s.Admin.GetHtmlAsync("/admin");
        Assert.Equal("1 件", before.QuerySelector("#pending")!.TextContent.Trim());
        Assert.Equal("0 台（全 1 台）", before.QuerySelector("#offices")!.TextContent.Trim());
        Assert.StartsWith("0 件", before.QuerySelector("#live")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Contains("今月の利用（2026年11月）", AdminPages.MainText(before), StringComparison.Ordinal);
        Assert.NotNull(before.QuerySelector(".notice.warning"));

        using var control = await s.OfficeOnlineAsync();
        var (_, home, office) = await s.LiveAsync(control);
        var during = await s.Admin.GetHtmlAsync("/admin");
        Assert.Equal("1 台（全 1 台）", during.QuerySelector("#offices")!.TextContent.Trim());
        Assert.StartsWith("1 件", during.QuerySelector("#live")!.TextContent.Trim(), StringComparison.Ordinal);

        // Another tenant's dashboard counts only its own; staff get 403.
        var theirs = await other.Admin.GetHtmlAsync("/admin");
        Assert.Equal("0 件", theirs.QuerySelector("#pending")!.TextContent.Trim());
        Assert.StartsWith("0 件", theirs.QuerySelector("#live")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await s.Staff.Client.GetAsync(s.Staff.Url("/admin"))).StatusCode);
        await home.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        await office;
        home.Dispose();
    }

    private async Task RenameAsync(RelayScenario s, string name, string department)
    {
        await using var db = App.Services.GetRequiredService<AspService.Server.Tenancy.TenantDbContextFactory>().CreateUnpooled(App.Binding(s.Admin.Tenant));
        var user = await db.Users.FindAsync(s.StaffId);
        user!.DisplayName = name;
        user.Department = department;
        await db.SaveChangesAsync();
    }
}
