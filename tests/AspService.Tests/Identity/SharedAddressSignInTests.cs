using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AspService.Data.Identity;
using AspService.Identity;
using AspService.Server.Tenancy;
using AspService.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace AspService.Tests.Identity;

/// <summary>
/// A whole city hall behind one address (real sockets, 127.0.0.1): its staff sign in without 429 once the
/// tenant lists the address as its egress, while password spraying from that address is stopped, and another
/// tenant gets neither the ceiling nor the block.
/// </summary>
public sealed class SharedAddressSignInTests
{
    private const int Staff = 500;
    private const string Password = "Shiyakusho-Asa-Signin-2026";

    [Fact]
    public async Task FiveHundredStaffFromOneEgressAddress_No429_SprayingFromItStopped_OtherTenantUnaffected()
    {
        // A per-address ceiling far below 500 sign-ins (2 requests each), so only the tenant's egress ceiling can let them through.
        using var app = new AppFactory(kestrel: true, settings: new()
        {
            ["RateLimits:AuthPerClientPerMinute"] = "60",
            ["RateLimits:AuthPerTenantPerMinute"] = "100000",
            ["RateLimits:FailedSignInsPerTenantPerMinute"] = "20",
        });
        var ops = await app.OperatorClientAsync();
        var a = await app.TenantAdminAsync(ops);
        var b = await app.TenantAdminAsync(ops);
        var egress = await a.Client.PutAsJsonAsync(a.Url("/api/v1/tenant/egress"), new { networks = new[] { "127.0.0.1/32", "198.51.100.0/24" } });
        Assert.Equal(HttpStatusCode.OK, egress.StatusCode);
        // Another tenant's admin cannot read or set A's egress (its cookie is not valid in A).
        Assert.Equal(HttpStatusCode.Unauthorized, (await b.Client.PutAsJsonAsync(a.Url("/api/v1/tenant/egress"), new { networks = new[] { "10.0.0.0/8" } })).StatusCode);
        var secret = await SeedStaffAsync(app, a.Tenant);

        // Every staff member signs in: password, then TOTP, all from 127.0.0.1.
        var statuses = new System.Collections.Concurrent.ConcurrentBag<HttpStatusCode>();
        app.Clock.Advance(TimeSpan.FromSeconds(Totp.StepSeconds));
        var code = Totp.Compute(secret, Totp.StepAt(app.Clock.GetUtcNow()));
        await Parallel.ForEachAsync(Enumerable.Range(0, Staff), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var (client, _) = app.NewClient();
            var login = await client.PostAsJsonAsync(a.Url("/api/v1/auth/login"), new { email = StaffEmail(a.Tenant, i), password = Password }, ct);
            statuses.Add(login.StatusCode);
            if (login.StatusCode == HttpStatusCode.OK)
            {
                statuses.Add((await client.PostAsJsonAsync(a.Url("/api/v1/auth/totp"), new { code }, ct)).StatusCode);
            }
        });
        Assert.Equal(Staff * 2, statuses.Count(s => s == HttpStatusCode.OK));

        // A sprayer at the same address: one wrong password against many accounts. Stopped after the tenant's failure
        // ceiling, and stays stopped even when it then tries a right password.
        var sprayer = app.ClientFor();
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 30; i++)
        {
            answers.Add((await sprayer.PostAsJsonAsync(a.Url("/api/v1/auth/login"), new { email = StaffEmail(a.Tenant, i), password = "Spring-2026-Guess!" })).StatusCode);
        }

        Assert.Equal(20, answers.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.All(answers.Skip(20), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
        var right = await sprayer.PostAsJsonAsync(a.Url("/api/v1/auth/login"), new { email = StaffEmail(a.Tenant, 400), password = Password });
        await HttpAssert.ProblemAsync(right, HttpStatusCode.TooManyRequests, "signin-throttled");

        // Tenant B at the same address: not blocked by A's sprayer...
        var bAgain = await app.ClientFor().PostAsJsonAsync(b.Url("/api/v1/auth/login"), new { email = b.Email, password = b.Password });
        Assert.Equal(HttpStatusCode.OK, bAgain.StatusCode);
        // ...and without A's egress ceiling: the per-address ceiling of 60 a minute applies to it.
        var bStatuses = new List<HttpStatusCode>();
        for (var i = 0; i < 70; i++)
        {
            bStatuses.Add((await app.ClientFor().PostAsJsonAsync(b.Url("/api/v1/auth/totp"), new { code = "000000" })).StatusCode);
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, bStatuses);

        // The failure window ends with the minute (service clock): A's address may try again.
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var later = await sprayer.PostAsJsonAsync(a.Url("/api/v1/auth/login"), new { email = StaffEmail(a.Tenant, 401), password = Password });
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
    }

    [Theory]
    [InlineData("10.0.0.0/8", "networks[1]")]
    [InlineData("not-a-network", "networks[1]")]
    [InlineData("2001:db8::/16", "networks[1]")]
    public void Egress_TooWideOrMalformed_FieldError(string network, string field)
    {
        var (stored, errors) = TenantEgress.Normalise(["192.0.2.0/24", network]);

        Assert.Null(stored);
        Assert.Equal(field, Assert.Single(errors).Field);
    }

    private static string StaffEmail(TenantDto tenant, int i) => $"shokuin{i:000}@{tenant.Code}.lg.example";

    /// <summary>500 enrolled staff written straight into the tenant's database (one password hash, one TOTP secret), as an import would.</summary>
    private static async Task<byte[]> SeedStaffAsync(AppFactory app, TenantDto tenant)
    {
        var secret = Totp.NewSecret();
        var protector = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("AspService.Tenant.Totp.v1", tenant.Id.ToString());
        var protectedSecret = protector.Protect(Convert.ToBase64String(secret));
        var hash = new PasswordHasher<TenantUser>().HashPassword(null!, Password);
        await using var db = app.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(app.Binding(tenant));
        for (var i = 0; i < Staff; i++)
        {
            var email = StaffEmail(tenant, i);
            var user = new TenantUser
            {
                Id = Guid.CreateVersion7(),
                UserName = email,
                NormalizedUserName = email.ToUpperInvariant(),
                Email = email,
                NormalizedEmail = email.ToUpperInvariant(),
                EmailConfirmed = true,
                PasswordHash = hash,
                SecurityStamp = Guid.NewGuid().ToString("N"),
                ConcurrencyStamp = Guid.NewGuid().ToString(),
                LockoutEnabled = true,
                TwoFactorEnabled = true,
                TotpSecretProtected = protectedSecret,
                DisplayName = $"職員 {i}",
                CreatedAt = app.Clock.GetUtcNow(),
            };
            db.Users.Add(user);
            db.UserRoles.Add(new IdentityUserRole<Guid> { UserId = user.Id, RoleId = TenantRoles.StaffId });
        }

        await db.SaveChangesAsync();
        return secret;
    }
}
