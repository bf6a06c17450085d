using AspService.Data.Identity;
using AspService.Identity;
using AspService.Server.Audit;
using AspService.Server.Identity;
using AspService.Server.Tenancy;
using AspService.Server.Tokens;
using AspService.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AspService.Tests.Identity;

/// <summary>The sign-in use cases called directly, without HTTP: what they answer, and that nothing needs a request.</summary>
public sealed class SignInUseCaseTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    private readonly AppFactory _app = host.App;

    [Fact]
    public async Task TenantSignInFlow_PasswordThenCode_WithoutHttp()
    {
        var admin = await _app.TenantAdminAsync();
        using var scope = TenantScope(admin.Tenant);
        var flow = scope.ServiceProvider.GetRequiredService<TenantSignInFlow>();

        var wrong = await flow.CheckPasswordAsync(new(new(admin.Email, "not-the-password-at-all"), "192.0.2.10", null));
        Assert.Equal(401, wrong.Failure?.Status);
        Assert.Equal("signin-failed", wrong.Failure?.Code);

        var accepted = await flow.CheckPasswordAsync(new(new(admin.Email, admin.Password), "192.0.2.10", null));
        Assert.True(accepted.Succeeded);
        Assert.Equal("totp", accepted.Value!.Answer.Next);
        Assert.Equal(TenantSignInFlow.Verify, accepted.Value.Pending.Stage);
        Assert.Equal(admin.Tenant.Id, accepted.Value.Pending.TenantId);

        // No pending sign-in (the cookie expired or never existed): the stage is refused.
        var noPending = await flow.VerifyCodeAsync(null, new("123456"), "192.0.2.10");
        Assert.Equal(401, noPending.Failure?.Status);
        // A stamp that no longer matches voids the pending sign-in.
        var stale = await flow.VerifyCodeAsync(accepted.Value.Pending with { Stamp = "old" }, new(_app.NextCode(admin.Secret)), "192.0.2.10");
        Assert.Equal(401, stale.Failure?.Status);
        // Enrolment is only for a pending sign-in at the enrol stage.
        Assert.Equal(401, (await flow.BeginEnrolmentAsync(accepted.Value.Pending)).Failure?.Status);

        var signedIn = await flow.VerifyCodeAsync(accepted.Value.Pending, new(_app.NextCode(admin.Secret)), "192.0.2.10");
        Assert.True(signedIn.Succeeded);
        Assert.Equal(admin.Email, signedIn.Value!.Answer.User.Email);
        Assert.Equal(TenantRoles.Admin, signedIn.Value.Answer.User.Role);
        Assert.Null(signedIn.Value.Answer.RecoveryCodes);
        Assert.NotEmpty(signedIn.Value.KnownBrowserCookie);
        Assert.Equal(admin.Email, (await flow.MeAsync(signedIn.Value.User.Id.ToString())).Value?.Email);
        Assert.Equal(401, (await flow.MeAsync(Guid.NewGuid().ToString())).Failure?.Status);
    }

    [Fact]
    public async Task TenantSignInFlow_Links_WithoutHttp()
    {
        var admin = await _app.TenantAdminAsync();
        using var scope = TenantScope(admin.Tenant);
        var flow = scope.ServiceProvider.GetRequiredService<TenantSignInFlow>();

        var dead = await flow.AcceptInvitationAsync(new("no-such-token", TenantIdentityKit.GoodPassword), null, CancellationToken.None);
        Assert.True(dead.Failure?.Fields?.ContainsKey("token"));
        var reset = await flow.ResetPasswordAsync(new(null, TenantIdentityKit.GoodPassword), null, CancellationToken.None);
        Assert.True(reset.Failure?.Fields?.ContainsKey("token"));

        // The same successful answer for an unknown address and a known one.
        Assert.True((await flow.ForgotPasswordAsync(new("nobody@example.invalid"), null, CancellationToken.None)).Value);
        Assert.True((await flow.ForgotPasswordAsync(new(admin.Email), null, CancellationToken.None)).Value);
        var token = _app.MailedToken(admin.Email, "password-reset");
        var weak = await flow.ResetPasswordAsync(new(token, "short"), null, CancellationToken.None);
        Assert.True(weak.Failure?.Fields?.ContainsKey("password"));
        var done = await flow.ResetPasswordAsync(new(token, TenantIdentityKit.GoodPassword + "-2"), null, CancellationToken.None);
        Assert.Equal("login", done.Value?.Next);
    }

    [Fact]
    public async Task OperatorSignInFlow_PasswordThenEnrolment_WithoutHttp()
    {
        var email = $"op-{Guid.NewGuid():N}@provider.example";
        await _app.CreateOperatorAsync(email);
        using var scope = _app.Services.CreateScope();
        var flow = scope.ServiceProvider.GetRequiredService<OperatorSignInFlow>();

        Assert.Equal(401, (await flow.CheckPasswordAsync(new(email, "wrong-password-here"), "192.0.2.20")).Failure?.Status);
        var accepted = await flow.CheckPasswordAsync(new(email, AppFactory.OperatorPassword), "192.0.2.20");
        Assert.Equal("totp-enroll", accepted.Value?.Answer.Next);

        var key = await flow.BeginEnrolmentAsync(accepted.Value!.Pending);
        Assert.StartsWith("otpauth://totp/", key.Value?.OtpauthUri, StringComparison.Ordinal);
        Assert.Equal(401, (await flow.BeginEnrolmentAsync(null)).Failure?.Status);
        var secret = Base32.Decode(key.Value!.Secret);
        _app.Log.Secret(key.Value.Secret);

        Assert.Equal(400, (await flow.VerifyCodeAsync(accepted.Value.Pending, new("12345"))).Failure?.Status);
        var signedIn = await flow.VerifyCodeAsync(accepted.Value.Pending, new(_app.NextCode(secret)));
        Assert.True(signedIn.Value?.TwoFactorEnabled);
        Assert.Equal(email, (await flow.MeAsync(signedIn.Value!.Id.ToString())).Value?.Email);
    }

    [Fact]
    public async Task DeviceGrants_RefuseAnotherTenantOrAChangedStamp_WithoutHttp()
    {
        var admin = await _app.TenantAdminAsync();
        using var scope = TenantScope(admin.Tenant);
        var grants = scope.ServiceProvider.GetRequiredService<DeviceGrants>();
        var flow = scope.ServiceProvider.GetRequiredService<TenantSignInFlow>();
        var accepted = await flow.CheckPasswordAsync(new(new(admin.Email, admin.Password), null, null));
        var user = (await flow.VerifyCodeAsync(accepted.Value!.Pending, new(_app.NextCode(admin.Secret)), null)).Value!.User;
        var tenantId = admin.Tenant.Id.ToString();
        Assert.NotNull(await grants.GrantUserAsync(user.Id.ToString(), tenantId, user.SecurityStamp));
        Assert.Null(await grants.GrantUserAsync(user.Id.ToString(), Guid.NewGuid().ToString(), user.SecurityStamp));
        Assert.Null(await grants.GrantUserAsync(user.Id.ToString(), tenantId, "changed"));
        Assert.Null(await grants.GrantUserAsync(null, tenantId, user.SecurityStamp));

        var identity = await grants.IdentityAsync(user);
        Assert.Equal((TenantRoles.Admin, admin.Tenant.Id), (identity.Role, identity.TenantId));
        await grants.ApprovedAsync(user, "agent", "192.0.2.30", CancellationToken.None);
        Assert.Contains(AuditActions.DeviceApproved, await _app.AuditActionsAsync(admin.Tenant));
    }

    [Fact]
    public void KnownBrowser_IssuedCookie_NamesTheAccountInItsTenantOnly()
    {
        var known = _app.Services.GetRequiredService<KnownBrowser>();
        var (tenant, user) = (Guid.NewGuid(), Guid.NewGuid());
        var cookie = known.Issue(tenant, user);
        Assert.Equal(user, known.AccountIn(cookie, tenant));
        Assert.Null(known.AccountIn(cookie, Guid.NewGuid()));
        Assert.Null(known.AccountIn("forged", tenant));
        Assert.Null(known.AccountIn(null, tenant));
        Assert.Equal("t:x|192.0.2.1", SignInFailureLimiter.Key("t:x", "192.0.2.1"));
        Assert.Equal("t:x|local", SignInFailureLimiter.Key("t:x", null));
    }

    private IServiceScope TenantScope(TenantDto tenant)
    {
        var scope = _app.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<TenantAccessor>().Set(_app.Binding(tenant));
        return scope;
    }
}
