using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Resources;
using System.Text;
using AspService.Server.Audit;
using AspService.Server.Resources;
using AspService.Policy;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using AspService.Common;

namespace AspService.Tests.Consoles;

/// <summary>
/// The administrators' audit log: every action the code can write has a label in Japanese and in English, the page
/// filters by action, person and JST days, shows names instead of ids and details in words, exports CSV; staff get
/// 403, the signed-out go to sign-in, and another tenant's admin sees nothing of this tenant.
/// </summary>
public sealed class AdminAuditTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    private static readonly ResourceManager Vocabulary = new(typeof(ConsoleText).FullName!, typeof(ConsoleText).Assembly);
    private readonly AppFactory _app = host.App;

    public static TheoryData<string> Actions()
    {
        // AuditActions directly, and whatever the catalog lists besides (terminals, relay, policy, jobs, tenancy).
        var data = new TheoryData<string>();
        foreach (var action in AuditCatalog.Constants(typeof(AuditActions)).Concat(AuditCatalog.All).Distinct())
        {
            data.Add(action);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Actions))]
    public void EveryAuditAction_HasALabel_InJapaneseAndInEnglish(string action)
    {
        var (ja, en) = Labels("audit." + action);
        Assert.True(ja is not null && HasJapanese(ja), $"audit.{action}: no Japanese label");
        Assert.True(en is not null && !HasJapanese(en), $"audit.{action}: no English label");
    }

    [Fact]
    public void EveryClassOfAuditActions_IsInTheCatalog()
    {
        // A feature that adds a class of audit actions (…Audit or AuditActions) must be listed, or its actions go unlabelled.
        var classes = typeof(AuditLog).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: true, IsSealed: true } && (t.Name.EndsWith("Audit", StringComparison.Ordinal) || t.Name == nameof(AuditActions)));
        foreach (var type in classes)
        {
            Assert.True(AuditCatalog.ActionClasses.Contains(type), type.FullName + " is not in AuditCatalog.ActionClasses");
        }

        Assert.True(AuditCatalog.All.Count >= 50, AuditCatalog.All.Count + " actions");
    }

    [Fact]
    public void EveryPolicyRefusal_HasALabel_InJapaneseAndInEnglish()
    {
        foreach (var code in Enum.GetNames<PolicyDenialCode>())
        {
            var (ja, en) = Labels("audit.value." + code);
            Assert.True(ja is not null && HasJapanese(ja), code);
            Assert.True(en is not null && !HasJapanese(en), code);
        }
    }

    [Fact]
    public async Task Admin_FiltersByActionPersonAndDays_SeesNamesAndWords_ExportsCsv()
    {
        var admin = await _app.TenantAdminAsync();
        var (_, staffId) = await _app.InviteAndSignInAsync(admin);
        var (_, otherId) = await _app.InviteAndSignInAsync(admin);
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PostAsync(admin.Url($"/api/v1/users/{staffId}/disable"), null)).StatusCode);
        var today = Jst.Today(_app.Clock.GetUtcNow()).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var tomorrow = Jst.Today(_app.Clock.GetUtcNow()).AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var disabled = await AdminForms.GetAsync(admin, $"/admin/audit?action=user.disabled&from={today}&to={today}");
        var rows = disabled.QuerySelectorAll("tbody tr");
        Assert.Single(rows);
        Assert.Equal("利用者の停止", rows[0].QuerySelector("td[data-label='操作']")!.TextContent.Trim());
        Assert.Equal("山田 太郎", rows[0].QuerySelector("td[data-label='対象']")!.TextContent.Trim());
        Assert.DoesNotContain(staffId.ToString(), disabled.QuerySelector("table")!.TextContent, StringComparison.OrdinalIgnoreCase);

        // The token revocation that followed: its reason in words, not "reason=user.disabled".
        var revoked = await AdminForms.GetAsync(admin, "/admin/audit?action=tokens.revoked");
        var detail = revoked.QuerySelector("tbody tr td[data-label='詳細']")!.TextContent;
        Assert.Contains("理由：", detail, StringComparison.Ordinal);
        Assert.Contains("利用者の停止", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("reason=", detail, StringComparison.Ordinal);

        // By person: only entries where the staff member acted or was acted on.
        var person = await AdminForms.GetAsync(admin, $"/admin/audit?user={staffId}");
        var personRows = person.QuerySelectorAll("tbody tr");
        Assert.NotEmpty(personRows);
        Assert.Contains(personRows, r => r.TextContent.Contains("サインイン成功", StringComparison.Ordinal));
        Assert.All(personRows, r => Assert.Contains("山田 太郎", r.TextContent, StringComparison.Ordinal));
        Assert.DoesNotContain(otherId.ToString(), person.QuerySelector("table")!.InnerHtml, StringComparison.OrdinalIgnoreCase);

        // Days are JST and inclusive: tomorrow has nothing yet; an end before the start is a field error.
        Assert.Empty((await AdminForms.GetAsync(admin, $"/admin/audit?from={tomorrow}")).QuerySelectorAll("tbody tr"));
        var backwards = await AdminForms.GetAsync(admin, $"/admin/audit?from={tomorrow}&to={today}");
        Assert.Equal("true", backwards.QuerySelector("#to")!.GetAttribute("aria-invalid"));
        Assert.Equal("#to", backwards.QuerySelector(".error-summary a")!.GetAttribute("href"));

        var csv = Encoding.UTF8.GetString(await admin.Client.GetByteArrayAsync(admin.Url("/admin/audit?handler=Export&action=user.disabled")));
        Assert.StartsWith("\uFEFF日時,操作,操作した人,対象,詳細,接続元,通し番号", csv, StringComparison.Ordinal);
        Assert.Contains("利用者の停止", csv, StringComparison.Ordinal);
        Assert.Contains("山田 太郎", csv, StringComparison.Ordinal);
        Assert.DoesNotContain(staffId.ToString(), csv, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(2, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Staff_Get403_SignedOut_RedirectToSignIn_OtherTenantSeesNothing()
    {
        var a = await _app.TenantAdminAsync();
        var (staff, staffId) = await _app.InviteAndSignInAsync(a);
        var b = await _app.TenantAdminAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.Client.GetAsync(staff.Url("/admin/audit"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.Client.GetAsync(staff.Url("/admin/audit?handler=Export"))).StatusCode);
        using var anonymous = _app.CreateDefaultClient(_app.ClientBaseAddress);
        var signedOut = await anonymous.GetAsync(a.Url("/admin/audit"));
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.StartsWith(a.Url("/sign-in?returnUrl="), signedOut.Headers.Location!.OriginalString, StringComparison.Ordinal);

        // B's admin asking for A's staff member by id: no entries, no name.
        var page = await AdminForms.GetAsync(b, $"/admin/audit?user={staffId}");
        Assert.Empty(page.QuerySelectorAll("tbody tr"));
        var all = await b.Client.GetStringAsync(b.Url("/admin/audit"));
        Assert.DoesNotContain(staff.Email, all, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(staffId.ToString(), all, StringComparison.OrdinalIgnoreCase);
        var csv = await b.Client.GetStringAsync(b.Url($"/admin/audit?handler=Export&user={staffId}"));
        Assert.DoesNotContain("山田 太郎", csv, StringComparison.Ordinal);
        Assert.Single(csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
    }

    private static (string? Ja, string? En) Labels(string key) =>
        (Vocabulary.GetResourceSet(CultureInfo.InvariantCulture, true, false)!.GetString(key),
         Vocabulary.GetResourceSet(CultureInfo.GetCultureInfo("en"), true, false)!.GetString(key));

    private static bool HasJapanese(string text) =>
        text.Any(c => c is >= '\u3040' and <= '\u30FF' or >= '\u4E00' and <= '\u9FFF');
}
