using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AspService.Identity;
using AspService.Tests.Infrastructure;

namespace AspService.Tests.Identity;

public sealed class TenantIdentityTests : IClassFixture<TenantIdentityTests.Host>
{
    private readonly AppFactory _app;

    public TenantIdentityTests(Host host) => _app = host.App;

    public sealed class Host : IDisposable
    {
        public AppFactory App { get; } = new();

        public void Dispose() => App.Dispose();
    }

    [Fact]
    public async Task Provisioning_InvitesFirstAdmin_WholeFlowThroughAdminActions()
    {
        var admin = await _app.TenantAdminAsync();

        Assert.Equal(10, admin.RecoveryCodes.Count);
        Assert.Equal(10, admin.RecoveryCodes.Distinct().Count());
        var me = await admin.Client.GetFromJsonAsync<JsonElement>(admin.Url("/api/v1/me"));
        Assert.Equal("TenantAdmin", me.GetProperty("role").GetString());

        var (staff, staffId) = await _app.InviteAndSignInAsync(admin);
        var staffMe = await staff.Client.GetFromJsonAsync<JsonElement>(staff.Url("/api/v1/me"));
        Assert.Equal("Staff", staffMe.GetProperty("role").GetString());

        var list = await admin.Client.GetFromJsonAsync<JsonElement>(admin.Url("/api/v1/users?q=staff-"));
        Assert.Equal(1, list.GetProperty("total").GetInt32());
        Assert.Equal(staffId, list.GetProperty("items")[0].GetProperty("id").GetGuid());

        // Role change ends the staff member's session (stamp), then they sign in with the new role.
        var role = await admin.Client.PutAsJsonAsync(admin.Url($"/api/v1/users/{staffId}/role"), new { role = "TenantAdmin" });
        Assert.Equal(HttpStatusCode.OK, role.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await staff.Client.GetAsync(staff.Url("/api/v1/me"))).StatusCode);
        staff = await _app.SignInAgainAsync(staff);
        Assert.Equal("TenantAdmin", (await staff.Client.GetFromJsonAsync<JsonElement>(staff.Url("/api/v1/me"))).GetProperty("role").GetString());
        await admin.Client.PutAsJsonAsync(admin.Url($"/api/v1/users/{staffId}/role"), new { role = "Staff" });
        staff = await _app.SignInAgainAsync(staff);

        // Disable kills the session and blocks sign-in; enable lets them back in.
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PostAsync(admin.Url($"/api/v1/users/{staffId}/disable"), null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await staff.Client.GetAsync(staff.Url("/api/v1/me"))).StatusCode);
        var blocked = await _app.NewClient().Client.PostAsJsonAsync(staff.Url("/api/v1/auth/login"), new { email = staff.Email, password = staff.Password });
        await HttpAssert.ProblemAsync(blocked, HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PostAsync(admin.Url($"/api/v1/users/{staffId}/enable"), null)).StatusCode);
        staff = await _app.SignInAgainAsync(staff);

        // MFA reset: the next sign-in must enroll again.
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PostAsync(admin.Url($"/api/v1/users/{staffId}/mfa/reset"), null)).StatusCode);
        var again = _app.NewClient().Client;
        var login = await again.PostAsJsonAsync(staff.Url("/api/v1/auth/login"), new { email = staff.Email, password = staff.Password });
        Assert.Equal("totp-enroll", (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("next").GetString());

        // Export, then soft delete: gone from the list and the export, but the audit history remains intact.
        var csv = await admin.Client.GetStringAsync(admin.Url("/api/v1/users/export"));
        Assert.Contains(staff.Email, csv, StringComparison.Ordinal);
        Assert.Contains("メールアドレス", csv, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.DeleteAsync(admin.Url($"/api/v1/users/{staffId}"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.GetAsync(admin.Url($"/api/v1/users/{staffId}"))).StatusCode);
        Assert.DoesNotContain(staff.Email, await admin.Client.GetStringAsync(admin.Url("/api/v1/users/export")), StringComparison.Ordinal);

        var audit = await admin.Client.GetFromJsonAsync<JsonElement>(admin.Url("/api/v1/audit?take=500"));
        var actions = audit.EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "user.invited", "user.invitation_accepted", "mfa.enrolled", "signin.succeeded", "user.role_changed",
            "user.disabled", "user.enabled", "mfa.reset", "user.deleted" }, actions);
        var verify = await admin.Client.GetFromJsonAsync<JsonElement>(admin.Url("/api/v1/audit/verify"));
        Assert.True(verify.GetProperty("intact").GetBoolean());
    }

    [Fact]
    public async Task AcceptInvitation_WeakPasswordThenReuse_RejectedAndChangesNothing()
    {
        var ops = await _app.OperatorClientAsync();
        var tenant = await _app.OnboardTenantAsync(ops);
        var email = "admin@" + tenant.Code + ".lg.example";
        var token = _app.MailedToken(email, "invitation");
        var client = _app.NewClient().Client;
        var url = $"/t/{tenant.Code}/api/v1/auth/invitation/accept";

        var shortPw = await HttpAssert.ProblemAsync(await client.PostAsJsonAsync(url, new { token, password = "short" }), HttpStatusCode.BadRequest);
        Assert.Contains("12 文字以上", HttpAssert.FieldErrors(shortPw, "password")[0], StringComparison.Ordinal);
        var common = await HttpAssert.ProblemAsync(await client.PostAsJsonAsync(url, new { token, password = "password1234" }), HttpStatusCode.BadRequest);
        Assert.Contains("よく使われる", HttpAssert.FieldErrors(common, "password")[0], StringComparison.Ordinal);
        using var en = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(new { token, password = "qwertyuiop123" }) };
        en.Headers.AcceptLanguage.ParseAdd("en");
        var english = await HttpAssert.ProblemAsync(await client.SendAsync(en), HttpStatusCode.BadRequest);
        Assert.Contains("too common", HttpAssert.FieldErrors(english, "password")[0], StringComparison.Ordinal);

        // The link survived the rejected attempts; it works once.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync(url, new { token, password = TenantIdentityKit.GoodPassword })).StatusCode);
        var reuse = await HttpAssert.ProblemAsync(await client.PostAsJsonAsync(url, new { token, password = "Another-Long-Pass-99" }), HttpStatusCode.BadRequest);
        Assert.NotEmpty(HttpAssert.FieldErrors(reuse, "token"));
        var login = await client.PostAsJsonAsync($"/t/{tenant.Code}/api/v1/auth/login", new { email, password = "Another-Long-Pass-99" });
        await HttpAssert.ProblemAsync(login, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AcceptInvitation_After72Hours_Expired()
    {
        var ops = await _app.OperatorClientAsync();
        var tenant = await _app.OnboardTenantAsync(ops);
        var token = _app.MailedToken("admin@" + tenant.Code + ".lg.example", "invitation");

        _app.Clock.Advance(TimeSpan.FromHours(72) + TimeSpan.FromMinutes(1));
        var response = await _app.NewClient().Client.PostAsJsonAsync($"/t/{tenant.Code}/api/v1/auth/invitation/accept",
            new { token, password = TenantIdentityKit.GoodPassword });

        await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task SignIn_BeforeTotp_NoSessionAndCodesAreSingleUse()
    {
        var admin = await _app.TenantAdminAsync();
        var client = _app.NewClient().Client;
        await client.PostAsJsonAsync(admin.Url("/api/v1/auth/login"), new { email = admin.Email, password = admin.Password });

        // Password alone reaches nothing.
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(admin.Url("/api/v1/me"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(admin.Url("/api/v1/users"))).StatusCode);

        // The code used at enrollment (same step) cannot be used again.
        var used = Totp.Compute(admin.Secret, Totp.StepAt(_app.Clock.GetUtcNow()));
        var replay = await HttpAssert.ProblemAsync(await client.PostAsJsonAsync(admin.Url("/api/v1/auth/totp"), new { code = used }), HttpStatusCode.BadRequest);
        Assert.NotEmpty(HttpAssert.FieldErrors(replay, "code"));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync(admin.Url("/api/v1/auth/totp"), new { code = _app.NextCode(admin.Secret) })).StatusCode);
    }

    [Fact]
    public async Task RecoveryCode_SignsInOnce()
    {
        var admin = await _app.TenantAdminAsync();
        var code = admin.RecoveryCodes[3];

        async Task<HttpResponseMessage> TryAsync()
        {
            var client = _app.NewClient().Client;
            await client.PostAsJsonAsync(admin.Url("/api/v1/auth/login"), new { email = admin.Email, password = admin.Password });
            return await client.PostAsJsonAsync(admin.Url("/api/v1/auth/recovery"), new { code });
        }

        Assert.Equal(HttpStatusCode.OK, (await TryAsync()).StatusCode);
        await HttpAssert.ProblemAsync(await TryAsync(), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task PasswordReset_LinkWorksOnceAndExpiresAfterAnHour()
    {
        var admin = await _app.TenantAdminAsync();
        var client = _app.NewClient().Client;
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync(admin.Url("/api/v1/auth/password/forgot"), new { email = admin.Email })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync(admin.Url("/api/v1/auth/password/forgot"), new { email = "nobody@x.example" })).StatusCode);
        var token = _app.MailedToken(admin.Email, "password-reset");

        var reset = await client.PostAsJsonAsync(admin.Url("/api/v1/auth/password/reset"), new { token, password = "Brand-New-Secret-2026" });
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        await HttpAssert.ProblemAsync(await client.PostAsJsonAsync(admin.Url("/api/v1/auth/password/reset"), new { token, password = "Other-New-Secret-2026" }), HttpStatusCode.BadRequest);
        var renewed = await _app.SignInAgainAsync(admin with { Password = "Brand-New-Secret-2026" });
        Assert.Equal(HttpStatusCode.OK, (await renewed.Client.GetAsync(admin.Url("/api/v1/me"))).StatusCode);
        // The old session ended with the password change.
        Assert.Equal(HttpStatusCode.Unauthorized, (await admin.Client.GetAsync(admin.Url("/api/v1/me"))).StatusCode);

        await client.PostAsJsonAsync(admin.Url("/api/v1/auth/password/forgot"), new { email = admin.Email });
        var late = _app.MailedToken(admin.Email, "password-reset");
        _app.Clock.Advance(TimeSpan.FromMinutes(61));
        await HttpAssert.ProblemAsync(await client.PostAsJsonAsync(admin.Url("/api/v1/auth/password/reset"), new { token = late, password = "Third-New-Secret-2026" }), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Login_RepeatedWrongPasswords_LocksOut()
    {
        var admin = await _app.TenantAdminAsync();
        var client = _app.NewClient().Client;
        HttpResponseMessage last = null!;
        for (var i = 0; i < 5; i++)
        {
            last = await client.PostAsJsonAsync(admin.Url("/api/v1/auth/login"), new { email = admin.Email, password = "wrong-password-" + i });
        }

        await HttpAssert.ProblemAsync(last, HttpStatusCode.Forbidden);
        var right = await client.PostAsJsonAsync(admin.Url("/api/v1/auth/login"), new { email = admin.Email, password = admin.Password });
        await HttpAssert.ProblemAsync(right, HttpStatusCode.Forbidden);
        // A locked-out account's session ends too; read the log directly.
        Assert.Equal(HttpStatusCode.Unauthorized, (await admin.Client.GetAsync(admin.Url("/api/v1/me"))).StatusCode);
        Assert.Contains("signin.locked_out", await _app.AuditActionsAsync(admin.Tenant));
    }

    [Fact]
    public async Task Staff_CannotCallAdminEndpoints_AdminCannotReachOperatorApi()
    {
        var admin = await _app.TenantAdminAsync();
        var (staff, _) = await _app.InviteAndSignInAsync(admin);

        Assert.Equal(HttpStatusCode.Forbidden, (await staff.Client.GetAsync(staff.Url("/api/v1/users"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.Client.PostAsJsonAsync(staff.Url("/api/v1/users"), new { email = "x@y.example", displayName = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.Client.GetAsync(staff.Url("/api/v1/audit/verify"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.Client.GetAsync(staff.Url("/api/v1/users/export"))).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.GetAsync(admin.Url("/api/v1/ops/tenants"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await admin.Client.GetAsync("/api/v1/ops/tenants")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await admin.Client.GetAsync("/api/v1/ops/me")).StatusCode);
    }

    [Fact]
    public async Task CrossTenant_CookieLinksAndIdsOfTenantB_FailAgainstTenantA()
    {
        var ops = await _app.OperatorClientAsync();
        var a = await _app.TenantAdminAsync(ops);
        var b = await _app.TenantAdminAsync(ops);
        var (bStaff, bStaffId) = await _app.InviteAndSignInAsync(b);

        // B's session cookie, presented under A's cookie name and path, is not read.
        var stolen = b.Cookies.Values["asp.t." + b.Tenant.Code];
        var (probe, jar) = _app.NewClient();
        jar.Values["asp.t." + a.Tenant.Code] = stolen;
        Assert.Equal(HttpStatusCode.Unauthorized, (await probe.GetAsync(a.Url("/api/v1/me"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await probe.GetAsync(a.Url("/api/v1/users"))).StatusCode);
        // Under its own name at A's path it is not A's cookie either.
        var (probe2, jar2) = _app.NewClient();
        jar2.Values["asp.t." + b.Tenant.Code] = stolen;
        Assert.Equal(HttpStatusCode.Unauthorized, (await probe2.GetAsync(a.Url("/api/v1/me"))).StatusCode);

        // B's user ids are unknown in A.
        Assert.Equal(HttpStatusCode.NotFound, (await a.Client.GetAsync(a.Url($"/api/v1/users/{bStaffId}"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await a.Client.PostAsync(a.Url($"/api/v1/users/{bStaffId}/disable"), null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await a.Client.DeleteAsync(a.Url($"/api/v1/users/{bStaffId}"))).StatusCode);

        // B's invitation and reset links are unknown in A (and stay valid in B).
        var bInviteEmail = "late@" + b.Tenant.Code + ".lg.example";
        await b.Client.PostAsJsonAsync(b.Url("/api/v1/users"), new { email = bInviteEmail, displayName = "遅れて 参加" });
        var invitation = _app.MailedToken(bInviteEmail, "invitation");
        var client = _app.NewClient().Client;
        await HttpAssert.ProblemAsync(await client.PostAsJsonAsync(a.Url("/api/v1/auth/invitation/accept"),
            new { token = invitation, password = TenantIdentityKit.GoodPassword }), HttpStatusCode.BadRequest);
        await client.PostAsJsonAsync(b.Url("/api/v1/auth/password/forgot"), new { email = bStaff.Email });
        var reset = _app.MailedToken(bStaff.Email, "password-reset");
        await HttpAssert.ProblemAsync(await client.PostAsJsonAsync(a.Url("/api/v1/auth/password/reset"),
            new { token = reset, password = TenantIdentityKit.GoodPassword + "x" }), HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync(b.Url("/api/v1/auth/invitation/accept"),
            new { token = invitation, password = TenantIdentityKit.GoodPassword })).StatusCode);

        // B's credentials do not sign in at A (the same address would be a different account there).
        await HttpAssert.ProblemAsync(await client.PostAsJsonAsync(a.Url("/api/v1/auth/login"), new { email = b.Email, password = b.Password }),
            HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task SameEmailInTwoTenants_TwoUnrelatedAccounts()
    {
        var ops = await _app.OperatorClientAsync();
        var a = await _app.TenantAdminAsync(ops);
        var b = await _app.TenantAdminAsync(ops);
        const string email = "shared.person@example.jp";

        var (inA, idA) = await _app.InviteAndSignInAsync(a, email: email);
        var (inB, idB) = await _app.InviteAndSignInAsync(b, email: email);

        Assert.NotEqual(idA, idB);
        Assert.Equal(HttpStatusCode.OK, (await a.Client.PostAsync(a.Url($"/api/v1/users/{idA}/disable"), null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await inA.Client.GetAsync(inA.Url("/api/v1/me"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await inB.Client.GetAsync(inB.Url("/api/v1/me"))).StatusCode);
    }

    [Fact]
    public async Task AdminChanges_BadInput_PreciseProblems()
    {
        var admin = await _app.TenantAdminAsync();
        var adminId = (await admin.Client.GetFromJsonAsync<JsonElement>(admin.Url("/api/v1/me"))).GetProperty("id").GetGuid();

        var bad = await HttpAssert.ProblemAsync(await admin.Client.PostAsJsonAsync(admin.Url("/api/v1/users"),
            new { email = "not-an-email", displayName = "", role = "Boss" }), HttpStatusCode.BadRequest);
        Assert.NotEmpty(HttpAssert.FieldErrors(bad, "email"));
        Assert.NotEmpty(HttpAssert.FieldErrors(bad, "displayName"));
        Assert.NotEmpty(HttpAssert.FieldErrors(bad, "role"));
        await HttpAssert.ProblemAsync(await admin.Client.PostAsJsonAsync(admin.Url("/api/v1/users"),
            new { email = admin.Email, displayName = "重複" }), HttpStatusCode.Conflict);
        await HttpAssert.ProblemAsync(await admin.Client.PostAsync(admin.Url($"/api/v1/users/{adminId}/disable"), null), HttpStatusCode.Conflict);
        await HttpAssert.ProblemAsync(await admin.Client.PutAsJsonAsync(admin.Url($"/api/v1/users/{Guid.NewGuid()}/role"), new { role = "Staff" }), HttpStatusCode.NotFound);
        await HttpAssert.ProblemAsync(await admin.Client.PutAsJsonAsync(admin.Url($"/api/v1/users/{adminId}/role"), new { role = "Root" }), HttpStatusCode.BadRequest);
        await HttpAssert.ProblemAsync(await admin.Client.PostAsJsonAsync(admin.Url("/api/v1/users"), new { email = "a@b.example", extra = 1 }), HttpStatusCode.BadRequest);
    }
}

public sealed class TenantAccountRateLimitTests : IDisposable
{
    private readonly AppFactory _app = new(settings: new() { ["RateLimits:AuthPerAccountPerMinute"] = "3" });

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Login_PerAccountLimit_FourthAttemptRefused()
    {
        var admin = await _app.TenantAdminAsync();
        var client = _app.NewClient().Client;

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add((await client.PostAsJsonAsync(admin.Url("/api/v1/auth/login"), new { email = "guesser@x.example", password = "nope-" + i })).StatusCode);
        }

        // Other accounts are not affected.
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync(admin.Url("/api/v1/auth/password/forgot"), new { email = "someone.else@x.example" })).StatusCode);
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], answers);
    }
}

public sealed class TenantClientRateLimitTests : IDisposable
{
    private readonly AppFactory _app = new(settings: new() { ["RateLimits:AuthPerClientPerMinute"] = "20" });

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Login_PerClientLimit_ManyAccountsFromOneClientRefused()
    {
        var admin = await _app.TenantAdminAsync();
        var client = _app.NewClient().Client;

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 25; i++)
        {
            answers.Add((await client.PostAsJsonAsync(admin.Url("/api/v1/auth/login"), new { email = $"other{i}@x.example", password = "nope" })).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, answers[0]);
        Assert.Equal(HttpStatusCode.TooManyRequests, answers[^1]);
    }
}
