using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using AspService.Data;
using AspService.Data.Sessions;
using AspService.Server.Tenancy;
using AspService.Server.Audit;
using AspService.Tenancy;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using AspService.Tests.Relay;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AspService.Tests.Faults;

/// <summary>
/// PostgreSQL stopped and started again under the real host (Kestrel, real TLS) during provisioning, admin work and a
/// live relay session: provisioning resumes exactly once, every answered change has its audit row, sessions end with
/// a reason, and no office PC is left "online".
/// </summary>
public sealed class DatabaseOutageTests(OwnPostgres postgres) : IClassFixture<OwnPostgres>, IDisposable
{
    private AppFactory? _app;

    private PostgresCluster Cluster => postgres.Cluster;

    public void Dispose() => _app?.Dispose();

    private async Task<AppFactory> AppAsync()
    {
        // A previous test's restart left dead connections in this process's pools; each test starts from clean pools
        // (within a test the host meets the restart as it is).
        Npgsql.NpgsqlConnection.ClearAllPools();
        var catalog = await Cluster.CreateDatabaseAsync("outage_" + Guid.NewGuid().ToString("N")[..8]);
        return _app = new AppFactory(DatabaseProvider.PostgreSql, Cluster.ServerConnectionString, catalog, kestrel: true);
    }

    /// <summary>Stops the database, runs <paramref name="during"/>, starts it again (also when <paramref name="during"/> fails).</summary>
    private async Task OutageAsync(Func<Task> during)
    {
        await Cluster.StopAsync();
        try
        {
            await during();
        }
        finally
        {
            await Cluster.StartAsync();
        }
    }

    [Fact]
    public async Task Provisioning_InterruptedByTheDatabase_ResumesOnceItIsBack_WithNothingCreatedTwice()
    {
        var app = await AppAsync();
        var ops = await app.OperatorClientAsync();
        var lg = AppFactory.FreshMunicipality();
        var accepted = await ops.PostAsJsonAsync("/api/v1/ops/tenants", new { code = lg.Code, adminEmail = "admin@" + lg.Code + ".lg.example" });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

        await OutageAsync(async () => await Assert.ThrowsAnyAsync<Exception>(app.RunTenantWorkAsync));

        // Pooled connections died with the server: the worker's next runs find their way back.
        var tenant = await Eventually.ValueAsync(async () =>
        {
            await RunQuietlyAsync(app.RunTenantWorkAsync);
            try
            {
                await using var scope = app.Services.CreateAsyncScope();
                return await scope.ServiceProvider.GetRequiredService<AspService.Data.Catalog.CatalogDbContext>().Tenants.AsNoTracking().SingleAsync(t => t.Code == lg.Code);
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException || e.InnerException is Npgsql.NpgsqlException)
            {
                return null;
            }
        }, t => t?.State == TenantState.Active);

        await using var db = app.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(new AspService.Data.Tenancy.TenantBinding(tenant!.Id, tenant.Code, tenant.DatabaseName));
        Assert.Equal(1, await db.TenantInfo.CountAsync());
        Assert.Equal(1, await db.CertificateAuthorities.CountAsync(c => c.Current));
        Assert.Equal(1, await db.Users.CountAsync());
    }

    [Fact]
    public async Task AdminChanges_AroundAnOutage_EveryAnsweredChangeHasItsAuditRow_AndTheChainHolds()
    {
        var app = await AppAsync();
        var admin = await app.TenantAdminAsync();
        var answered = 0;

        async Task InviteAsync()
        {
            try
            {
                var r = await admin.Client.PostAsJsonAsync(admin.Url("/api/v1/users"), new { email = $"s-{Guid.NewGuid():N}"[..12] + "@x.lg.example", displayName = "職員", role = "Staff" });
                answered += r.StatusCode == HttpStatusCode.Created ? 1 : 0;
            }
            catch (HttpRequestException)
            {
                // No answer at all: nothing was promised.
            }
        }

        await InviteAsync();
        await OutageAsync(async () =>
        {
            for (var i = 0; i < 3; i++)
            {
                await InviteAsync();
            }
        });
        await Eventually.UntilAsync(async () =>
        {
            await InviteAsync();
            return answered >= 2;
        });

        // Every user that exists was recorded, and every invitation answered 201 exists (an answer lost to the outage
        // may still have created its user: then its row is there too; what may never happen is a change without its row).
        var invited = (await app.AuditActionsAsync(admin.Tenant)).Count(a => a == AuditActions.UserInvited);
        await using (var db = app.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(app.Binding(admin.Tenant)))
        {
            Assert.Equal(await db.Users.CountAsync(), invited); // the first admin's invitation is recorded too
        }

        Assert.InRange(answered, 2, invited);
        var verify = await admin.Client.GetFromJsonAsync<JsonElement>(admin.Url("/api/v1/audit/verify"));
        Assert.True(verify.GetProperty("intact").GetBoolean(), verify.ToString());
    }

    [Fact]
    public async Task LiveSession_WhenTheDatabaseGoesAwayAndComesBack_EndsWithAReason_AndTheOfficeIsNotLeftOnline()
    {
        var app = await AppAsync();
        var s = await app.ScenarioAsync();
        var control = await s.OfficeOnlineAsync();
        var offer = await s.OfferAsync();
        var office = await s.EchoOfficeAsync(control);
        var home = await app.ConnectAsync(s.Home.Certificate, "/api/v1/relay/data", offer.GetProperty("ticket").GetString());
        var id = offer.GetProperty("sessionId").GetGuid();
        await Eventually.ValueAsync(() => SessionAsync(app, s, id), x => x?.State == SessionState.Live);

        await OutageAsync(async () =>
        {
            // The user hangs up and the office PC goes away while nothing can be written.
            await home.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            await office;
            await control.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        });
        home.Dispose();
        control.Dispose();

        var session = await Eventually.ValueAsync(() => SessionAsync(app, s, id), x => x?.State == SessionState.Ended, TimeSpan.FromMinutes(2));
        Assert.False(string.IsNullOrEmpty(session!.EndReason));
        await Eventually.UntilAsync(async () =>
        {
            var r = await s.Admin.Client.GetAsync(s.Admin.Url($"/api/v1/terminals/{s.Office.Id}"));
            return r.IsSuccessStatusCode && !(await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("online").GetBoolean();
        }, TimeSpan.FromMinutes(2));
        await HttpAssert.ProblemAsync(await s.RequestSessionAsync(), HttpStatusCode.Conflict, "office-offline");
        var actions = await app.AuditActionsAsync(s.Admin.Tenant);
        Assert.Contains("session.ended", actions);
        Assert.Contains("terminal.offline", actions);
    }

    [Fact]
    public async Task Requests_WhileTheDatabaseIsDown_Answer503WithRetryAfter_NeverA500_AndWorkAgainOnceItIsBack()
    {
        var app = await AppAsync();
        var admin = await app.TenantAdminAsync();
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.GetAsync(admin.Url("/api/v1/users"))).StatusCode);

        await OutageAsync(async () =>
        {
            var r = await admin.Client.GetAsync(admin.Url("/api/v1/users"));
            await HttpAssert.ProblemAsync(r, HttpStatusCode.ServiceUnavailable, "database-unavailable");
            Assert.Equal(TimeSpan.FromSeconds(5), r.Headers.RetryAfter?.Delta);
        });

        // Back: the pools were emptied by the failures, so the next requests open fresh connections. The connections
        // opened before the restart are gone too: no request meets one of them and fails with a 500.
        var statuses = new List<HttpStatusCode>();
        await Eventually.UntilAsync(async () =>
        {
            statuses.Add((await admin.Client.GetAsync(admin.Url("/api/v1/users"))).StatusCode);
            return statuses[^1] == HttpStatusCode.OK;
        });
        Assert.All(statuses, s => Assert.Contains(s, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.Client.GetAsync(admin.Url("/api/v1/users"))).StatusCode);
        }
    }

    private static async Task RunQuietlyAsync(Func<Task> work)
    {
        try
        {
            await work();
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or InvalidOperationException or DbUpdateException or TimeoutException
            || e.InnerException is Npgsql.NpgsqlException)
        {
            // The first use of a pool emptied by the restart may still fail; the next run retries.
        }
    }

    private static async Task<RelaySession?> SessionAsync(AppFactory app, RelayScenario s, Guid id)
    {
        try
        {
            await using var db = app.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(app.Binding(s.Admin.Tenant));
            return await db.Sessions.AsNoTracking().SingleAsync(x => x.Id == id);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException || e.InnerException is Npgsql.NpgsqlException)
        {
            return null; // a pooled connection that died with the restart
        }
    }
}
