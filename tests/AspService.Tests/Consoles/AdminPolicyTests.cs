using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Dom;
using AspService.Policy;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using AspService.Common;

namespace AspService.Tests.Consoles;

/// <summary>
/// The administrators' policy screen in-process: a plain change saves; a weakening (MFA, certificate, redirection)
/// changes nothing until the confirmation step; the municipality's own closed days refuse connections and show in
/// the calendar; staff get 403, the signed-out go to sign-in, a stale form does not overwrite a newer policy, and one
/// tenant's admin never changes another's policy.
/// </summary>
public sealed class AdminPolicyTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    private readonly AppFactory _app = host.App;

    [Fact]
    public async Task Weakening_MfaOffOrClipboardOn_NeedsConfirmation_ThenSaves()
    {
        var admin = await _app.TenantAdminAsync();
        var page = await AdminForms.GetAsync(admin, "/admin/policy");
        Assert.True(page.QuerySelector("#requireMfa")!.HasAttribute("checked"));
        Assert.NotNull(page.QuerySelector("form#policy-form[data-unsaved-warning]"));

        // MFA off and the clipboard on: the page lists both and what follows; nothing is saved.
        var asked = await AdminForms.HtmlAsync(await SubmitAsync(admin, page, ("Form.RequireMfa", null), ("Form.Clipboard", "true")));
        var warning = asked.QuerySelector(".notice.warning")!.TextContent;
        Assert.Contains("二要素認証が不要になります", warning, StringComparison.Ordinal);
        Assert.Contains("クリップボードの共有を許可します", warning, StringComparison.Ordinal);
        Assert.True((await PolicyAsync(admin)).GetProperty("policy").GetProperty("requireMfa").GetBoolean());
        Assert.DoesNotContain("policy.changed", await _app.AuditActionsAsync(admin.Tenant));
        // The confirmation form carries the edited values (MFA still unticked).
        Assert.False(asked.QuerySelector("#requireMfa")!.HasAttribute("checked"));

        var saved = await AdminForms.HtmlAsync(await SubmitAsync(admin, asked, ("Confirmed", "true")));
        Assert.Contains("保存しました", saved.QuerySelector(".notice.success")!.TextContent, StringComparison.Ordinal);
        var policy = (await PolicyAsync(admin)).GetProperty("policy");
        Assert.False(policy.GetProperty("requireMfa").GetBoolean());
        Assert.True(policy.GetProperty("redirection").GetProperty("clipboard").GetBoolean());
        Assert.Contains("policy.changed", await _app.AuditActionsAsync(admin.Tenant));

        // Making it stricter again needs no confirmation.
        var again = await AdminForms.HtmlAsync(await SubmitAsync(admin, saved, ("Form.RequireMfa", "true"), ("Form.Clipboard", null)));
        Assert.NotNull(again.QuerySelector(".notice.success"));
        Assert.True((await PolicyAsync(admin)).GetProperty("policy").GetProperty("requireMfa").GetBoolean());
    }

    [Fact]
    public async Task ExtraClosedDays_SavedShownInCalendar_AndRefuseConnections_FieldErrorsNextToFields()
    {
        var admin = await _app.TenantAdminAsync();
        var today = Jst.Today(_app.Clock.GetUtcNow());
        var closed = today.AddDays(1).DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? today.AddDays(3) : today.AddDays(1);
        var page = await AdminForms.GetAsync(admin, "/admin/policy");
        Assert.Equal(28, page.QuerySelectorAll("table.calendar td").Length);

        var bad = await AdminForms.HtmlAsync(await SubmitAsync(admin, page, ("Form.AllowedFrom", "朝8時"), ("Form.ExtraClosedDays", "来週の月曜")));
        Assert.Equal("true", bad.QuerySelector("#allowedFrom")!.GetAttribute("aria-invalid"));
        Assert.Equal("true", bad.QuerySelector("#extraClosedDays")!.GetAttribute("aria-invalid"));
        Assert.Equal(new[] { "#allowedFrom", "#extraClosedDays" }, bad.QuerySelectorAll(".error-summary a").Select(a => a.GetAttribute("href")));
        var tooMany = await AdminForms.HtmlAsync(await SubmitAsync(admin, page, ("Form.MaxConcurrent", "11")));
        Assert.True("true" == tooMany.QuerySelector("#maxConcurrentSessionsPerUser")!.GetAttribute("aria-invalid"), tooMany.QuerySelector("main")!.TextContent[..600]);

        var saved = await AdminForms.HtmlAsync(await SubmitAsync(admin, page, ("Form.ExtraClosedDays", closed.ToString("yyyy/M/d", System.Globalization.CultureInfo.InvariantCulture))));
        Assert.NotNull(saved.QuerySelector(".notice.success"));
        var stored = (await PolicyAsync(admin)).GetProperty("policy").GetProperty("extraClosedDays");
        Assert.Equal(closed.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), stored[0].GetString());
        var cell = saved.QuerySelectorAll("table.calendar td").Single(td => td.QuerySelector(".date")!.TextContent.StartsWith($"{closed.Month}月{closed.Day}日", StringComparison.Ordinal));
        Assert.Contains("団体の閉庁日", cell.TextContent, StringComparison.Ordinal);
        Assert.Contains("closed", cell.ClassList);

        // The rule itself: the day is refused with OfficeClosed, the day before is not.
        var policy = new TeleworkPolicy { ExtraClosedDays = [closed], AllowedWeekdays = [.. Enum.GetValues<DayOfWeek>()] };
        var noon = new DateTimeOffset(closed.ToDateTime(new TimeOnly(12, 0)), Jst.Offset);
        var request = new TeleworkRequest(IPAddress.Loopback, 0, true, true, ReportedRedirection.AllOff);
        Assert.Contains(PolicyEvaluator.Evaluate(policy, request, noon).Reasons, r => r.Code == PolicyDenialCode.OfficeClosed);
        Assert.DoesNotContain(PolicyEvaluator.Evaluate(policy with { AllowOnClosedDays = true }, request, noon).Reasons, r => r.Code == PolicyDenialCode.OfficeClosed);
    }

    [Fact]
    public async Task Staff403_SignedOutToSignIn_StaleFormRefused_OtherTenantUntouched()
    {
        var a = await _app.TenantAdminAsync();
        var (staff, _) = await _app.InviteAndSignInAsync(a);
        var b = await _app.TenantAdminAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.Client.GetAsync(staff.Url("/admin/policy"))).StatusCode);
        var own = await AdminForms.GetAsync(staff, "/my/account");
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.Client.PostAsync(staff.Url("/admin/policy"), new FormUrlEncodedContent(
            [new("__RequestVerificationToken", AdminForms.Token(own)), new("Form.AllowedFrom", "00:00"), new("Confirmed", "true")]))).StatusCode);
        using var anonymous = _app.CreateDefaultClient(_app.ClientBaseAddress);
        var signedOut = await anonymous.GetAsync(a.Url("/admin/policy"));
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.StartsWith(a.Url("/sign-in?returnUrl="), signedOut.Headers.Location!.OriginalString, StringComparison.Ordinal);

        // Two forms opened at version 0: the first save wins, the second is told to reopen.
        var first = await AdminForms.GetAsync(a, "/admin/policy");
        var second = await AdminForms.GetAsync(a, "/admin/policy");
        Assert.NotNull((await AdminForms.HtmlAsync(await SubmitAsync(a, first, ("Form.MaxConcurrent", "2")))).QuerySelector(".notice.success"));
        var stale = await AdminForms.HtmlAsync(await SubmitAsync(a, second, ("Form.MaxConcurrent", "3")));
        Assert.Contains("ほかの管理者が先に", stale.QuerySelector(".error-summary")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(2, (await PolicyAsync(a)).GetProperty("policy").GetProperty("maxConcurrentSessionsPerUser").GetInt32());

        // B's admin weakens B's policy: A's is untouched.
        var bPage = await AdminForms.GetAsync(b, "/admin/policy");
        await SubmitAsync(b, bPage, ("Form.RequireHomeCertificate", null), ("Confirmed", "true"));
        Assert.False((await PolicyAsync(b)).GetProperty("policy").GetProperty("requireHomeCertificate").GetBoolean());
        Assert.True((await PolicyAsync(a)).GetProperty("policy").GetProperty("requireHomeCertificate").GetBoolean());
    }

    [Fact]
    public void Weakening_FindsEachLooseningOnly()
    {
        var strict = TeleworkPolicy.LgwanDefault;
        Assert.Empty(PolicyWeakening.Find(strict, strict with { MaxConcurrentSessionsPerUser = 2, ExtraClosedDays = [new DateOnly(2026, 12, 28)] }));
        Assert.Equal(new[] { PolicyWeakening.Mfa }, PolicyWeakening.Find(strict, strict with { RequireMfa = false }));
        Assert.Equal(new[] { PolicyWeakening.HomeCertificate }, PolicyWeakening.Find(strict, strict with { RequireHomeCertificate = false }));
        Assert.Equal(new[] { "redirection.Drives", "redirection.Ports" },
            PolicyWeakening.Find(strict, strict with { Redirection = new RedirectionSettings(false, true, false, true) }));
        Assert.Equal(new[] { PolicyWeakening.RedirectionCheck }, PolicyWeakening.Find(strict, strict with { RedirectionCheck = RedirectionCheck.Lenient }));
        Assert.Equal(new[] { PolicyWeakening.SelfRegistration, PolicyWeakening.Approval },
            PolicyWeakening.Find(strict, strict with { AllowHomeSelfRegistration = true, HomeRegistrationRequiresApproval = false }));
        // Tightening is never a weakening.
        Assert.Empty(PolicyWeakening.Find(strict with { RequireMfa = false, RedirectionCheck = RedirectionCheck.Lenient }, strict));
    }

    /// <summary>Posts the policy form as a browser would, with some fields changed (null value: a checkbox unticked).</summary>
    private static async Task<HttpResponseMessage> SubmitAsync(TenantSession who, IHtmlDocument page, params (string Name, string? Value)[] set)
    {
        var form = (IHtmlFormElement)page.QuerySelector("form#policy-form")!;
        var fields = AdminForms.Fields(form)
            .Concat(form.Elements.OfType<IHtmlTextAreaElement>().Select(t => new KeyValuePair<string, string>(t.Name!, t.Value)))
            .Where(f => !set.Any(s => s.Name == f.Key)).ToList();
        fields.AddRange(set.Where(s => s.Value is not null).Select(s => new KeyValuePair<string, string>(s.Name, s.Value!)));
        return await AdminForms.FollowAsync(who, await who.Client.PostAsync(who.Url("/admin/policy"), new FormUrlEncodedContent(fields)));
    }

    private static async Task<JsonElement> PolicyAsync(TenantSession who) =>
        await who.Client.GetFromJsonAsync<JsonElement>(who.Url("/api/v1/policy"));
}
