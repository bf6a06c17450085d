using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Dom;
using AspService.Server.Terminals;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using AspService.Tests.Terminals;

namespace AspService.Tests.Consoles;

/// <summary>
/// One terminal's page and the office-PC registration (what the static portal's terminals.js offered), in-process over
/// the real host: every change goes through the registry's use cases and is audited as the API audits it; bad input
/// shows the error next to its field and changes nothing; disabling, revoking, deleting and removing an assignment
/// change nothing until confirmed; staff get 403, the signed-out go to sign-in, another tenant's id is not found.
/// </summary>
public sealed class AdminTerminalPagesTests(KestrelHost host) : IClassFixture<KestrelHost>
{
    private AppFactory App => host.App;

    [Fact]
    public async Task RegisterOffice_BadInputChangesNothing_ThenRegisteredEditedAndAudited()
    {
        var admin = await App.TenantAdminAsync();
        var form = await AdminForms.GetAsync(admin, "/admin/terminals/new");

        var empty = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(admin, form, "main form[method=post]", ("Name", "  "), ("Location", "本庁舎")));
        Assert.Equal("true", empty.QuerySelector("#name")!.GetAttribute("aria-invalid"));
        Assert.Contains("name-error", empty.QuerySelector("#name")!.GetAttribute("aria-describedby"), StringComparison.Ordinal);
        Assert.NotNull(empty.QuerySelector(".error-summary a[href='#name']"));
        Assert.Equal("本庁舎", ((IHtmlInputElement)empty.QuerySelector("#location")!).Value);
        Assert.Empty(await TerminalsAsync(admin));
        Assert.DoesNotContain(TerminalAudit.Created, await App.AuditActionsAsync(admin.Tenant));

        var created = await AdminForms.SubmitAsync(admin, form, "main form[method=post]", ("Name", "総務課-PC01"), ("Location", "本庁舎 3 階"));
        var detail = await AdminForms.HtmlAsync(created);
        var terminal = Assert.Single(await TerminalsAsync(admin));
        Assert.EndsWith($"/admin/terminals/{terminal.Id}", created.RequestMessage!.RequestUri!.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal("office", terminal.Kind);
        Assert.Equal("総務課-PC01", terminal.Name);
        Assert.Equal("本庁舎 3 階", terminal.Location);
        Assert.Equal("unenrolled", terminal.State);
        Assert.Equal("総務課-PC01", detail.QuerySelector("h1")!.TextContent.Trim());
        Assert.Contains("登録しました", detail.QuerySelector(".notice.success")!.TextContent, StringComparison.Ordinal);
        Assert.Contains(TerminalAudit.Created, await App.AuditActionsAsync(admin.Tenant));

        // Too long a name: the field says so, nothing changes, nothing is audited.
        var tooLong = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(admin, detail, "form[action*='handler=Change']", ("Name", new string('あ', 101))));
        Assert.Equal("true", tooLong.QuerySelector("#name")!.GetAttribute("aria-invalid"));
        Assert.Equal("総務課-PC01", (await TerminalAsync(admin, terminal.Id)).Name);
        Assert.DoesNotContain(TerminalAudit.Changed, await App.AuditActionsAsync(admin.Tenant));

        // A new name; an empty location clears it.
        var changed = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(admin, detail, "form[action*='handler=Change']", ("Name", "総務課-PC02"), ("Location", "")));
        Assert.Contains("変更しました", changed.QuerySelector(".notice.success")!.TextContent, StringComparison.Ordinal);
        var after = await TerminalAsync(admin, terminal.Id);
        Assert.Equal("総務課-PC02", after.Name);
        Assert.Null(after.Location);
        Assert.Contains(TerminalAudit.Changed, await App.AuditActionsAsync(admin.Tenant));

        // The list links the terminal to its page.
        var list = await AdminForms.GetAsync(admin, "/admin/terminals");
        Assert.NotNull(list.QuerySelector($"tbody a[href='{admin.Url($"/admin/terminals/{terminal.Id}")}']"));
    }

    [Fact]
    public async Task Assign_SearchPickAndRemoveAfterConfirmation_Audited()
    {
        var admin = await App.TenantAdminAsync();
        var (staff, staffId) = await App.InviteAndSignInAsync(admin);
        var id = await CreateOfficeAsync(admin, "企画課-PC01");
        var staffEmail = staff.Email;
        var page = await AdminForms.GetAsync(admin, $"/admin/terminals/{id}");

        // Nobody chosen: an error next to the picker, nothing assigned.
        var none = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(admin, page, "form[action*='handler=Assign']"));
        Assert.Equal("true", none.QuerySelector("#userId")!.GetAttribute("aria-invalid"));
        Assert.NotNull(none.QuerySelector(".error-summary a[href='#userId']"));
        Assert.Empty((await TerminalAsync(admin, id)).Assignees!);

        // The search narrows the picker; then the pick is assigned.
        var searched = await AdminForms.GetAsync(admin, $"/admin/terminals/{id}?q={Uri.EscapeDataString(staffEmail)}");
        var options = searched.QuerySelectorAll("#userId option").Select(o => o.GetAttribute("value")).Where(v => v is { Length: > 0 }).ToList();
        Assert.Equal([staffId.ToString()], options);
        var assigned = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(admin, searched, "form[action*='handler=Assign']", ("UserId", staffId.ToString())));
        Assert.Contains("割り当てました", assigned.QuerySelector(".notice.success")!.TextContent, StringComparison.Ordinal);
        Assert.Contains(staffEmail, assigned.QuerySelector("table")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(staffId, Assert.Single((await TerminalAsync(admin, id)).Assignees!).UserId);
        Assert.Contains(TerminalAudit.Assigned, await App.AuditActionsAsync(admin.Tenant));
        // Already assigned: no longer offered.
        Assert.DoesNotContain(assigned.QuerySelectorAll("#userId option"), o => o.GetAttribute("value") == staffId.ToString());

        // Removing asks first and says what follows; nothing changes until confirmed.
        var asked = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(admin, assigned, "table form[action*='handler=Unassign']"));
        Assert.Contains("接続できなくなります", asked.QuerySelector(".notice.warning")!.TextContent, StringComparison.Ordinal);
        Assert.Single((await TerminalAsync(admin, id)).Assignees!);
        Assert.DoesNotContain(TerminalAudit.Unassigned, await App.AuditActionsAsync(admin.Tenant));
        var removed = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(admin, asked, ".notice.warning form"));
        Assert.Contains("解除しました", removed.QuerySelector(".notice.success")!.TextContent, StringComparison.Ordinal);
        Assert.Empty((await TerminalAsync(admin, id)).Assignees!);
        Assert.Contains(TerminalAudit.Unassigned, await App.AuditActionsAsync(admin.Tenant));
    }

    [Fact]
    public async Task Enrolled_DisableEnableRevokeTokenDelete_ConfirmedStepsOnlyChange()
    {
        var admin = await App.TenantAdminAsync();
        using var web = App.CreateDefaultClient(App.WebAddress);
        var office = await TerminalKit.EnrollAsync(web, admin.Tenant.Code, await admin.TokenAsync("office"), "人事課-PC01");
        var page = await AdminForms.GetAsync(admin, $"/admin/terminals/{office.Id}");
        Assert.Contains(office.Serial, page.QuerySelector("table")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("利用中", page.QuerySelector("dl.facts")!.TextContent, StringComparison.Ordinal);

        // Disable: a confirmation step, then disabled and audited; enable brings it back.
        var asked = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(admin, page, "form[action*='handler=Disable']"));
        Assert.Contains("次の接続から拒否され", asked.QuerySelector(".notice.warning")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("active", (await TerminalAsync(admin, office.Id)).State);
        Assert.DoesNotContain(TerminalAudit.Disabled, await App.AuditActionsAsync(admin.Tenant));
        var disabled = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(admin, asked, ".notice.warning form"));
        Assert.Equal("disabled", (await TerminalAsync(admin, office.Id)).State);
        Assert.Contains(TerminalAudit.Disabled, await App.AuditActionsAsync(admin.Tenant));
        var enabled = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(admin, disabled, "form[action*='handler=Enable']"));
        Assert.Equal("active", (await TerminalAsync(admin, office.Id)).State);
        Assert.Contains(TerminalAudit.Enabled, await App.AuditActionsAsync(admin.Tenant));

        // A token for this very terminal: shown once, never cached; a bad lifetime is a field error.
        var badTtl = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(admin, enabled, "form[action*='handler=Issue']", ("TtlMinutes", "abc")));
        Assert.Equal("true", badTtl.QuerySelector("#ttlMinutes")!.GetAttribute("aria-invalid"));
        Assert.Null(badTtl.QuerySelector("#issued-token"));
        var issuedAnswer = await AdminForms.SubmitAsync(admin, enabled, "form[action*='handler=Issue']");
        Assert.Contains("no-store", issuedAnswer.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        var token = (await AdminForms.HtmlAsync(issuedAnswer)).QuerySelector("#issued-token")!.TextContent.Trim();
        var tokens = await admin.Client.GetFromJsonAsync<List<EnrollmentTokenDto>>(admin.Url("/api/v1/enrollment-tokens?open=true"));
        Assert.Equal(office.Id, Assert.Single(tokens!).TerminalId);
        Assert.DoesNotContain(token, await admin.Client.GetStringAsync(admin.Url($"/admin/terminals/{office.Id}")), StringComparison.Ordinal);

        // Revoke: asks first, then every certificate is revoked.
        var revokeAsked = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(admin, enabled, "form[action*='handler=Revoke']"));
        Assert.Null((await TerminalAsync(admin, office.Id)).Certificates.Single().RevokedAt);
        await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(admin, revokeAsked, ".notice.warning form"));
        Assert.NotNull((await TerminalAsync(admin, office.Id)).Certificates.Single().RevokedAt);

        // Delete: asks first and says what follows; then gone, back on the list with a notice.
        var deleteAsked = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(admin, enabled, "form[action*='handler=Delete']"));
        Assert.Contains("取り消せません", deleteAsked.QuerySelector(".notice.warning")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.GetAsync(admin.Url($"/api/v1/terminals/{office.Id}"))).StatusCode);
        var deleted = await AdminForms.SubmitAsync(admin, deleteAsked, ".notice.warning form");
        var list = await AdminForms.HtmlAsync(deleted);
        Assert.EndsWith("/admin/terminals", deleted.RequestMessage!.RequestUri!.AbsolutePath, StringComparison.Ordinal);
        Assert.Contains("削除しました", list.QuerySelector(".notice.success")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.GetAsync(admin.Url($"/api/v1/terminals/{office.Id}"))).StatusCode);
        Assert.Contains(TerminalAudit.Deleted, await App.AuditActionsAsync(admin.Tenant));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.GetAsync(admin.Url($"/admin/terminals/{office.Id}"))).StatusCode);
    }

    [Fact]
    public async Task PendingHomeDevice_DashboardAndListLinkToIt_ApprovedOnItsPage()
    {
        var admin = await App.TenantAdminAsync();
        var (staff, _) = await App.InviteAndSignInAsync(admin);
        var home = await PendingHomeAsync(admin, staff);

        var dashboard = await AdminForms.GetAsync(admin, "/admin");
        Assert.NotNull(dashboard.QuerySelector($".notice a[href='{admin.Url("/admin/terminals#pending")}']"));
        Assert.Null(dashboard.QuerySelector($"main a[href='{admin.Url("/")}']"));
        var list = await AdminForms.GetAsync(admin, "/admin/terminals");
        var link = list.QuerySelector($"#pending ~ ul a[href='{admin.Url($"/admin/terminals/{home}")}']");
        Assert.NotNull(link);

        var page = await AdminForms.GetAsync(admin, $"/admin/terminals/{home}");
        Assert.Contains("承認待ち", page.QuerySelector("dl.facts")!.TextContent, StringComparison.Ordinal);
        // A home device has no staff assignments or location form.
        Assert.Null(page.QuerySelector("form[action*='handler=Assign']"));
        var approved = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(admin, page, "form[action*='handler=Approve']"));
        Assert.Contains("承認しました", approved.QuerySelector(".notice.success")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("active", (await TerminalAsync(admin, home)).State);
        Assert.Contains(TerminalAudit.Approved, await App.AuditActionsAsync(admin.Tenant));

        // Approving again: the reason on the page, nothing else changes.
        var again = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(admin, page, "form[action*='handler=Approve']"));
        Assert.Contains("承認待ちではありません", again.QuerySelector(".error-summary")!.TextContent, StringComparison.Ordinal);
        Assert.Single(await App.AuditActionsAsync(admin.Tenant), a => a == TerminalAudit.Approved);
        Assert.Null((await AdminForms.GetAsync(admin, "/admin/terminals")).QuerySelector("#pending"));
    }

    [Fact]
    public async Task TokensList_OpenByDefault_AllOnRequestWithTheirState()
    {
        var admin = await App.TenantAdminAsync();
        await admin.TokenAsync("office");
        var list = await AdminForms.GetAsync(admin, "/admin/terminals");
        var open = list.QuerySelector("#tokens ~ table")!;
        Assert.Contains("未使用", open.TextContent, StringComparison.Ordinal);
        await AdminForms.SubmitAsync(admin, list, "form[action*='handler=RevokeToken']");

        Assert.Null((await AdminForms.GetAsync(admin, "/admin/terminals")).QuerySelector("#tokens ~ table"));
        var all = await AdminForms.GetAsync(admin, "/admin/terminals?tokens=all");
        Assert.Contains("取り消し済み", all.QuerySelector("#tokens ~ table")!.TextContent, StringComparison.Ordinal);
        Assert.Null(all.QuerySelector("#tokens ~ table form"));
        Assert.Equal("page", all.QuerySelector($"a[href='{admin.Url("/admin/terminals?tokens=all#tokens")}']")!.GetAttribute("aria-current"));
    }

    [Fact]
    public async Task Staff403_SignedOutToSignIn_OtherTenantsTerminalNotFound_NothingChanged()
    {
        var a = await App.TenantAdminAsync();
        var (staff, staffId) = await App.InviteAndSignInAsync(a);
        var b = await App.TenantAdminAsync();
        var id = await CreateOfficeAsync(a, "機密-A-PC");
        await a.Client.PostAsJsonAsync(a.Url($"/api/v1/terminals/{id}/assignments"), new { userId = staffId });

        foreach (var path in new[] { $"/admin/terminals/{id}", "/admin/terminals/new" })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await staff.Client.GetAsync(staff.Url(path))).StatusCode);
            using var anonymous = App.NoRedirects();
            var signedOut = await anonymous.GetAsync(a.Url(path));
            Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
            Assert.StartsWith(a.Url("/sign-in?returnUrl="), signedOut.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }

        var staffPost = await staff.Client.PostAsync(staff.Url($"/admin/terminals/{id}?handler=Delete"), new FormUrlEncodedContent(
            [new("__RequestVerificationToken", AdminForms.Token(await AdminForms.GetAsync(staff, "/my"))), new("confirmed", "true")]));
        Assert.Equal(HttpStatusCode.Forbidden, staffPost.StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await b.Client.GetAsync(b.Url($"/admin/terminals/{id}"))).StatusCode);
        var bToken = AdminForms.Token(await AdminForms.GetAsync(b, "/admin/terminals/new"));
        foreach (var handler in new[] { "Change", "Approve", "Enable", "Disable", "Revoke", "Delete", "Assign", "Unassign", "Issue" })
        {
            foreach (var confirmed in new[] { "false", "true" })
            {
                var answer = await b.Client.PostAsync(b.Url($"/admin/terminals/{id}?handler={handler}"), new FormUrlEncodedContent(
                    [new("__RequestVerificationToken", bToken), new("confirmed", confirmed), new("Name", "乗っ取り"), new("UserId", staffId.ToString()),
                        new("user", staffId.ToString())]));
                Assert.True(answer.StatusCode == HttpStatusCode.NotFound, $"{handler} confirmed={confirmed}: {(int)answer.StatusCode}");
            }
        }

        var still = await TerminalAsync(a, id);
        Assert.Equal("機密-A-PC", still.Name);
        Assert.Equal("unenrolled", still.State);
        Assert.Single(still.Assignees!);
        var actions = await App.AuditActionsAsync(a.Tenant);
        Assert.DoesNotContain(actions, x => x is TerminalAudit.Changed or TerminalAudit.Deleted or TerminalAudit.Disabled or TerminalAudit.Unassigned);
        Assert.DoesNotContain("enrollment_token.created", await App.AuditActionsAsync(b.Tenant));
    }

    [Fact]
    public async Task NewPages_InEnglish_ShowNoJapaneseOnLabels()
    {
        var admin = await App.TenantAdminAsync();
        var (staff, staffId) = await App.InviteAndSignInAsync(admin);
        var office = await CreateOfficeAsync(admin, "PC-1");
        await admin.Client.PostAsJsonAsync(admin.Url($"/api/v1/terminals/{office}/assignments"), new { userId = staffId });
        var home = await PendingHomeAsync(admin, staff);
        await admin.TokenAsync("office");
        // People's own names are their data, not labels: left out.
        var names = (await admin.Client.GetFromJsonAsync<JsonElement>(admin.Url("/api/v1/users?take=500"))).GetProperty("items")
            .EnumerateArray().Select(u => u.GetProperty("displayName").GetString()!).ToList();
        admin.Cookies.Values[".AspNetCore.Culture"] = Uri.EscapeDataString("c=en|uic=en");
        var pages = new List<IHtmlDocument>();
        foreach (var path in new[] { $"/admin/terminals/{office}", $"/admin/terminals/{home}", "/admin/terminals/new", "/admin/terminals?tokens=all", "/admin" })
        {
            pages.Add(await AdminForms.GetAsync(admin, path));
        }

        // States that only appear after a step: a confirmation, field errors.
        var detail = pages[0];
        pages.Add(await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(admin, detail, "form[action*='handler=Delete']")));
        pages.Add(await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(admin, detail, "table form[action*='handler=Unassign']")));
        pages.Add(await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(admin, detail, "form[action*='handler=Change']", ("Name", ""))));
        pages.Add(await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(admin, pages[2], "main form[method=post]")));
        foreach (var page in pages)
        {
            Assert.Equal("en", page.DocumentElement.GetAttribute("lang"));
            var labels = page.QuerySelectorAll("main h1, main h2, main h3, main p, main label, main th, main td, main dt, main dd, main button, main a, main .hint, main li, main option")
                .Where(e => e.Closest("[lang]:not(html)") is null)
                .Select(e => names.Aggregate(e.TextContent, (text, name) => text.Replace(name, "", StringComparison.Ordinal)).Trim())
                .Where(t => t.Length > 0).ToList();
            Assert.NotEmpty(labels);
            var japanese = labels.Where(t => t.Any(c => c is >= '\u3000' and <= '\u30FF' or >= '\u4E00' and <= '\u9FFF' or >= '\uFF00' and <= '\uFFEF')).ToList();
            Assert.True(japanese.Count == 0, page.Title + ": " + string.Join(" | ", japanese));
        }
    }

    private static async Task<Guid> CreateOfficeAsync(TenantSession admin, string name)
    {
        var created = await admin.Client.PostAsJsonAsync(admin.Url("/api/v1/terminals"), new { kind = "office", name });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<TerminalDto>())!.Id;
    }

    /// <summary>A home device a staff member enrolled themselves, waiting for approval (the policy allows it).</summary>
    private async Task<Guid> PendingHomeAsync(TenantSession admin, TenantSession staff)
    {
        var policy = await admin.Client.GetFromJsonAsync<JsonElement>(admin.Url("/api/v1/policy"));
        var document = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(policy.GetProperty("policy").GetRawText())!;
        document["allowHomeSelfRegistration"] = JsonSerializer.SerializeToElement(true);
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PutAsJsonAsync(admin.Url("/api/v1/policy"), document)).StatusCode);
        var created = await staff.Client.PostAsJsonAsync(staff.Url("/api/v1/me/enrollment-tokens"), new { name = "HomePC" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var token = (await created.Content.ReadFromJsonAsync<CreatedTokenDto>())!.Token;
        using var web = App.CreateDefaultClient(App.WebAddress);
        var home = await TerminalKit.EnrollAsync(web, admin.Tenant.Code, token);
        Assert.Equal("pendingApproval", home.Answer.GetProperty("state").GetString());
        return home.Id;
    }

    private static async Task<List<TerminalDto>> TerminalsAsync(TenantSession admin) =>
        (await admin.Client.GetFromJsonAsync<List<TerminalDto>>(admin.Url("/api/v1/terminals")))!;

    private static async Task<TerminalDto> TerminalAsync(TenantSession admin, Guid id) =>
        (await admin.Client.GetFromJsonAsync<TerminalDto>(admin.Url($"/api/v1/terminals/{id}")))!;
}
