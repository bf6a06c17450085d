using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AngleSharp.Html.Dom;
using AspService.Identity;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;

namespace AspService.Tests.Consoles;

/// <summary>
/// The administrators' users screens in-process: every action goes through the page's own form (antiforgery),
/// MFA reset, deletion and bulk disable change nothing until confirmed, staff get 403, the signed-out are sent to
/// sign-in, another tenant's admin cannot see or change a user by id, and a CP932 file with 髙 and 﨑 imports.
/// </summary>
public sealed class AdminUsersPageTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    private readonly AppFactory _app = host.App;

    [Fact]
    public async Task Admin_SearchesInvitesResendsEditsAndChangesRole_AllAudited()
    {
        var admin = await _app.TenantAdminAsync();
        var (_, staffId) = await _app.InviteAndSignInAsync(admin);

        // Invite through the form: a field error first (no name), then the real thing.
        var invite = await AdminForms.GetAsync(admin, "/admin/users/invite");
        var email = "kouhou@" + admin.Tenant.Code + ".lg.example";
        var wrong = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(admin, invite, "main form[method=post]",
            ("Email", email), ("DisplayName", ""), ("Role", "Staff")));
        Assert.Equal("true", wrong.QuerySelector("#display-name")!.GetAttribute("aria-invalid"));
        Assert.Equal("#display-name", wrong.QuerySelector(".error-summary a")!.GetAttribute("href"));
        var invited = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(admin, invite, "main form[method=post]",
            ("Email", email), ("DisplayName", "広報 花子"), ("Department", "広報課"), ("Role", "Staff")));
        Assert.Contains("広報 花子", invited.QuerySelector(".notice")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("招待中", invited.QuerySelector("dl.facts")!.TextContent, StringComparison.Ordinal);
        var firstToken = _app.MailedToken(email, "invitation");

        // Lost the mail: a new one, and the first link no longer works.
        var resent = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(admin, invited, "form[action*='handler=Resend']"));
        Assert.Contains("再送しました", resent.QuerySelector(".notice")!.TextContent, StringComparison.Ordinal);
        var secondToken = _app.MailedToken(email, "invitation");
        Assert.NotEqual(firstToken, secondToken);
        var (fresh, _) = _app.NewClient();
        var old = await fresh.PostAsJsonAsync(admin.Url("/api/v1/auth/invitation/accept"), new { token = firstToken, password = TenantIdentityKit.GoodPassword });
        Assert.Equal(HttpStatusCode.BadRequest, old.StatusCode);

        // Search finds by department; the list shows last sign-in for the one who signed in and なし for the invitee.
        var list = await AdminForms.GetAsync(admin, "/admin/users?q=" + Uri.EscapeDataString("広報"));
        var rows = list.QuerySelectorAll("#users-table tbody tr");
        Assert.Single(rows);
        Assert.Contains("広報 花子", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("なし", rows[0].QuerySelector("td[data-label='最終サインイン']")!.TextContent, StringComparison.Ordinal);
        var all = await AdminForms.GetAsync(admin, "/admin/users");
        var staffRow = all.QuerySelectorAll("#users-table tbody tr").Single(r => r.QuerySelector("a")!.GetAttribute("href")!.EndsWith(staffId.ToString(), StringComparison.Ordinal));
        Assert.Matches(@"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", staffRow.QuerySelector("td[data-label='最終サインイン']")!.TextContent);

        // Name and department, then the role.
        var user = await AdminForms.GetAsync(admin, $"/admin/users/{staffId}");
        var edited = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(admin, user, "form[action*='handler=Profile']",
            ("DisplayName", "山田 次郎"), ("Department", "総務課")));
        Assert.Equal("山田 次郎", edited.QuerySelector("h1")!.TextContent.Trim());
        Assert.Equal("総務課", edited.QuerySelector("#department")!.GetAttribute("value"));
        var promoted = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(admin, edited, "form[action*='handler=Role']", ("NewRole", "TenantAdmin")));
        Assert.Equal("TenantAdmin", promoted.QuerySelector("#new-role option[selected]")!.GetAttribute("value"));

        var audit = await _app.AuditActionsAsync(admin.Tenant);
        // The first admin at onboarding, the staff member, the invitee and the resend.
        Assert.Equal(4, audit.Count(a => a == "user.invited"));
        Assert.Contains("user.changed", audit);
        Assert.Contains("user.role_changed", audit);
    }

    [Fact]
    public async Task ResetMfa_Delete_BulkDisable_ChangeNothingUntilConfirmed()
    {
        var admin = await _app.TenantAdminAsync();
        var (staff, staffId) = await _app.InviteAndSignInAsync(admin);
        var (second, secondId) = await _app.InviteAndSignInAsync(admin);
        var (third, thirdId) = await _app.InviteAndSignInAsync(admin);

        // MFA reset: the first POST only asks, saying what follows.
        var page = await AdminForms.GetAsync(admin, $"/admin/users/{staffId}");
        var asked = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(admin, page, "form[action*='handler=ResetMfa']"));
        Assert.Contains("リカバリーコード", asked.QuerySelector(".notice.warning")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("mfa.reset", await _app.AuditActionsAsync(admin.Tenant));
        Assert.Equal(HttpStatusCode.OK, (await staff.Client.GetAsync(staff.Url("/api/v1/me"))).StatusCode);
        var reset = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(admin, asked, ".notice.warning form"));
        Assert.Contains("未登録", reset.QuerySelector("dl.facts")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("mfa.reset", await _app.AuditActionsAsync(admin.Tenant));
        Assert.Equal(HttpStatusCode.Unauthorized, (await staff.Client.GetAsync(staff.Url("/api/v1/me"))).StatusCode);

        // Bulk disable (人事異動): select two, confirm, both are out; the third is untouched.
        var list = await AdminForms.GetAsync(admin, "/admin/users");
        var bulk = (IHtmlFormElement)list.QuerySelector("form[action*='handler=Disable']")!;
        var fields = AdminForms.Fields(bulk);
        fields.Add(new("Selected", secondId.ToString()));
        fields.Add(new("Selected", thirdId.ToString()));
        var confirm = await AdminForms.HtmlAsync(await admin.Client.PostAsync(bulk.GetAttribute("action"), new FormUrlEncodedContent(fields)));
        Assert.Contains("2 人を停止します", confirm.QuerySelector(".notice.warning h2")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await second.Client.GetAsync(second.Url("/api/v1/me"))).StatusCode);
        Assert.DoesNotContain("user.disabled", await _app.AuditActionsAsync(admin.Tenant));
        var done = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(admin, confirm, ".notice.warning form"));
        Assert.Contains("2 人を停止しました", done.QuerySelector(".notice")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.Client.GetAsync(second.Url("/api/v1/me"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await third.Client.GetAsync(third.Url("/api/v1/me"))).StatusCode);
        Assert.Equal(2, (await _app.AuditActionsAsync(admin.Tenant)).Count(a => a == "user.disabled"));

        // Enable one again from its page.
        var thirdPage = await AdminForms.GetAsync(admin, $"/admin/users/{thirdId}");
        var enabled = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(admin, thirdPage, "form[action*='handler=Enable']"));
        Assert.Contains("利用中", enabled.QuerySelector("dl.facts")!.TextContent, StringComparison.Ordinal);

        // Delete: asked first, then gone from the list.
        var secondPage = await AdminForms.GetAsync(admin, $"/admin/users/{secondId}");
        var askDelete = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(admin, secondPage, "form[action*='handler=Delete']"));
        Assert.Contains("元に戻せません", askDelete.QuerySelector(".notice.warning")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("user.deleted", await _app.AuditActionsAsync(admin.Tenant));
        var deleted = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(admin, askDelete, ".notice.warning form"));
        Assert.DoesNotContain(second.Email, deleted.QuerySelector("#users-table")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("user.deleted", await _app.AuditActionsAsync(admin.Tenant));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.GetAsync(admin.Url($"/admin/users/{secondId}"))).StatusCode);

        // The admin cannot act on their own account: the page says so and offers no such buttons.
        var me = await AdminForms.GetAsync(admin, "/admin/users");
        var own = me.QuerySelectorAll("#users-table tbody tr").Single(r => r.TextContent.Contains(admin.Email, StringComparison.Ordinal));
        Assert.True(own.QuerySelector("input[type=checkbox]")!.HasAttribute("disabled"));
    }

    [Fact]
    public async Task Staff_Get403_SignedOut_RedirectToSignIn_WithoutAntiforgery_NothingChanges()
    {
        var admin = await _app.TenantAdminAsync();
        var (staff, staffId) = await _app.InviteAndSignInAsync(admin);
        foreach (var path in new[] { "/admin/users", $"/admin/users/{staffId}", "/admin/users/invite", "/admin/users/import", "/admin/users?handler=Export" })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await staff.Client.GetAsync(staff.Url(path))).StatusCode);
            using var anonymous = _app.CreateDefaultClient(_app.ClientBaseAddress);
            var signedOut = await anonymous.GetAsync(staff.Url(path));
            Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
            Assert.StartsWith(staff.Url("/sign-in?returnUrl="), signedOut.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }

        // A staff member's POST with a valid token of their own is refused too.
        var own = await AdminForms.GetAsync(staff, "/my/account");
        var post = await staff.Client.PostAsync(staff.Url($"/admin/users/{staffId}?handler=Disable"),
            new FormUrlEncodedContent([new("__RequestVerificationToken", AdminForms.Token(own))]));
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        // The admin's POST without the page's token is refused.
        var forged = await admin.Client.PostAsync(admin.Url($"/admin/users/{staffId}?handler=Disable"), new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.DoesNotContain("user.disabled", await _app.AuditActionsAsync(admin.Tenant));
        Assert.Equal(HttpStatusCode.OK, (await staff.Client.GetAsync(staff.Url("/api/v1/me"))).StatusCode);
    }

    [Fact]
    public async Task OtherTenantsAdmin_CannotSeeOrChangeUsersById()
    {
        var a = await _app.TenantAdminAsync();
        var (staffA, staffAId) = await _app.InviteAndSignInAsync(a);
        var b = await _app.TenantAdminAsync();
        var bPage = await AdminForms.GetAsync(b, "/admin/users");
        var token = AdminForms.Token(bPage);

        Assert.Equal(HttpStatusCode.NotFound, (await b.Client.GetAsync(b.Url($"/admin/users/{staffAId}"))).StatusCode);
        foreach (var handler in new[] { "Disable", "Delete", "ResetMfa", "Resend", "Enable", "Role", "Profile" })
        {
            var answer = await b.Client.PostAsync(b.Url($"/admin/users/{staffAId}?handler={handler}"), new FormUrlEncodedContent(
                [new("__RequestVerificationToken", token), new("confirmed", "true"), new("NewRole", "TenantAdmin"), new("DisplayName", "乗っ取り")]));
            Assert.True(answer.StatusCode == HttpStatusCode.NotFound, handler + " → " + (int)answer.StatusCode);
        }

        // Bulk disable with A's id in B's list: nobody to disable.
        var bulk = await b.Client.PostAsync(b.Url("/admin/users?handler=Disable"), new FormUrlEncodedContent(
            [new("__RequestVerificationToken", token), new("confirmed", "true"), new("Selected", staffAId.ToString())]));
        Assert.Contains("停止する利用者を選んでください", await bulk.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // B's search and export do not show A's people.
        Assert.DoesNotContain(staffA.Email, await b.Client.GetStringAsync(b.Url("/admin/users?q=staff")), StringComparison.Ordinal);
        Assert.DoesNotContain(staffA.Email, await b.Client.GetStringAsync(b.Url("/admin/users?handler=Export")), StringComparison.Ordinal);

        var auditA = await _app.AuditActionsAsync(a.Tenant);
        Assert.DoesNotContain("user.disabled", auditA);
        Assert.DoesNotContain("user.changed", auditA);
        Assert.Equal(HttpStatusCode.OK, (await staffA.Client.GetAsync(staffA.Url("/api/v1/me"))).StatusCode);
    }

    [Fact]
    public async Task ImportPage_Cp932WithIbmAndNecExtensions_ImportsNamesExactly_AndExportsThem()
    {
        var admin = await _app.TenantAdminAsync();
        var code = admin.Tenant.Code;
        // What Excel on Windows writes: 髙 = FB FC and 﨑 = FA B1 (IBM extensions); some personnel systems write the
        // NEC-selected forms instead (髙 = EE E0). All three must read as the same characters.
        var cp932 = StaffCsv.WindowsJapanese;
        var header = cp932.GetBytes("メールアドレス,氏名,所属,権限\r\n");
        var row1 = cp932.GetBytes($"takahashi@{code}.lg.example,髙橋 一郎,総務課,職員\r\n");
        var row2 = cp932.GetBytes($"yamasaki@{code}.lg.example,山﨑 花子,企画課,管理者\r\n");
        var row3 = Concat(cp932.GetBytes($"takada@{code}.lg.example,"), [0xEE, 0xE0], cp932.GetBytes("田 三郎,税務課,職員\r\n"));
        Assert.Equal([0xFB, 0xFC], cp932.GetBytes("髙"));
        Assert.Equal([0xFA, 0xB1], cp932.GetBytes("﨑"));
        var file = Concat(header, row1, row2, row3);

        var page = await AdminForms.GetAsync(admin, "/admin/users/import");
        var check = await UploadAsync(admin, page, file, dryRun: true);
        Assert.Contains("新規 3 人", check.QuerySelector(".notice")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("users.imported", await _app.AuditActionsAsync(admin.Tenant));
        var done = await UploadAsync(admin, page, file, dryRun: false);
        Assert.Contains("取り込みました", done.QuerySelector(".notice")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("users.imported", await _app.AuditActionsAsync(admin.Tenant));

        var list = (await AdminForms.GetAsync(admin, "/admin/users")).QuerySelector("#users-table")!.TextContent;
        Assert.Contains("髙橋 一郎", list, StringComparison.Ordinal);
        Assert.Contains("山﨑 花子", list, StringComparison.Ordinal);
        Assert.Contains("髙田 三郎", list, StringComparison.Ordinal);
        var export = await admin.Client.GetByteArrayAsync(admin.Url("/admin/users?handler=Export"));
        var text = Encoding.UTF8.GetString(export);
        Assert.Contains("髙橋 一郎", text, StringComparison.Ordinal);
        Assert.Contains("山﨑 花子", text, StringComparison.Ordinal);
        // Round trip: the names encode back to CP932 (the form Windows writes) without loss.
        Assert.Equal("髙田 三郎", cp932.GetString(cp932.GetBytes("髙田 三郎")));

        // A file that is neither UTF-8 nor CP932 writes nothing and says why, by line.
        var bad = await UploadAsync(admin, page, [0x85, 0x40, 0x0A], dryRun: false);
        Assert.Equal("#file", bad.QuerySelector(".error-summary a")!.GetAttribute("href"));
        Assert.Contains("UTF-8", bad.QuerySelector("table")!.TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0xFB, 0xFC }, "髙")]
    [InlineData(new byte[] { 0xEE, 0xE0 }, "髙")]
    [InlineData(new byte[] { 0xFA, 0xB1 }, "﨑")]
    [InlineData(new byte[] { 0x8E, 0x52, 0xFA, 0xB1 }, "山﨑")]
    [InlineData(new byte[] { 0x82, 0xA0, 0xEE, 0xE0, 0x82, 0xA0 }, "あ髙あ")]
    public void Decode_Cp932Extensions_ReadAsTheCharacter(byte[] bytes, string expected) =>
        Assert.Equal(expected, StaffCsv.Decode(Concat(StaffCsv.WindowsJapanese.GetBytes("メール,氏名\r\n"), bytes))?.Split("\r\n")[1]);

    [Fact]
    public void Decode_EveryNecSelectedCharacter_MatchesItsIbmForm()
    {
        // Rows 0xED–0xEE hold the same characters as the IBM rows; each must decode, and to what it encodes back from.
        var cp932 = StaffCsv.WindowsJapanese;
        var decoded = 0;
        for (var lead = 0xED; lead <= 0xEE; lead++)
        {
            for (var trail = 0x40; trail <= 0xFC; trail++)
            {
                if (trail == 0x7F || (lead == 0xEE && trail is 0xED or 0xEE))
                {
                    continue;
                }

                if (StaffCsv.Decode(Concat("a,b\r\n"u8.ToArray(), [(byte)lead, (byte)trail])) is { } text)
                {
                    var ch = text[5..];
                    Assert.Equal(ch, cp932.GetString(cp932.GetBytes(ch)));
                    decoded++;
                }
            }
        }

        Assert.True(decoded >= 370, decoded + " NEC-selected characters decoded");
    }

    private static async Task<IHtmlDocument> UploadAsync(TenantSession admin, IHtmlDocument page, byte[] file, bool dryRun)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(AdminForms.Token(page)), "__RequestVerificationToken" },
            { new StringContent(dryRun ? "true" : "false"), "DryRun" },
        };
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(content, "Upload", "職員一覧.csv");
        return await AdminForms.HtmlAsync(await admin.Client.PostAsync(admin.Url("/admin/users/import"), form));
    }

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}
