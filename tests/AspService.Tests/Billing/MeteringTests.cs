using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AspService.Data.Catalog;
using AspService.Data.Sessions;
using AspService.Data.Terminals;
using AspService.Pki;
using AspService.Server.Tenancy;
using AspService.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AspService.Tests.Billing;

/// <summary>Metering from the tenant databases into the catalog's roll-ups: JST split, idempotence, isolation.</summary>
public sealed class MeteringTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    private AppFactory App => host.App;

    [Fact]
    public async Task Meter_SessionsAndTerminals_AreRolledUpPerJstDayAndMonth_IdempotentlyAndPerTenant()
    {
        var ops = await App.OperatorClientAsync();
        var a = await App.OnboardTenantAsync(ops);
        var b = await App.OnboardTenantAsync(ops);
        var user = Guid.NewGuid();
        await SeedAsync(a, user, sessions: 2);
        await SeedAsync(b, Guid.NewGuid(), sessions: 5);

        for (var run = 0; run < 2; run++)
        {
            var response = await ops.PostAsJsonAsync($"/api/v1/ops/billing/usage/{a.Code}/meter", new { month = "2026-10" });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await using var scope = App.Services.CreateAsyncScope();
        var catalog = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var month = await catalog.UsageMonthly.AsNoTracking().SingleAsync(u => u.TenantId == a.Id && u.Month == 202610);
        Assert.Equal(1, month.ActiveUsers);
        Assert.Equal(2, month.Sessions);
        // Two sessions, each 23:30 on the 31st to 01:00 on the 1st: only their 30 minutes in October count.
        Assert.Equal(2 * 30 * 60, month.SessionSeconds);
        Assert.Equal(1, month.OfficeTerminals);
        Assert.Equal(31, await catalog.UsageDaily.CountAsync(u => u.TenantId == a.Id && u.Day >= new DateOnly(2026, 10, 1) && u.Day <= new DateOnly(2026, 10, 31)));
        Assert.False(await catalog.UsageMonthly.AnyAsync(u => u.TenantId == b.Id));

        await HttpAssert.ProblemAsync(await ops.PostAsJsonAsync($"/api/v1/ops/billing/usage/{a.Code}/meter", new { month = "2026-13" }), HttpStatusCode.BadRequest);
        await HttpAssert.ProblemAsync(await ops.PostAsJsonAsync("/api/v1/ops/billing/usage/999999/meter", new { month = "2026-10" }), HttpStatusCode.NotFound);
    }

    private async Task SeedAsync(TenantDto tenant, Guid user, int sessions)
    {
        await using var db = App.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(App.Binding(tenant));
        db.Terminals.Add(new Terminal { Id = Guid.NewGuid(), Kind = TerminalKind.Office, Name = "PC", State = TerminalState.Active, CreatedAt = new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero) });
        for (var i = 0; i < sessions; i++)
        {
            var start = new DateTimeOffset(2026, 10, 31, 23, 30, 0, TimeSpan.FromHours(9));
            db.Sessions.Add(new RelaySession
            {
                Id = Guid.NewGuid(), UserId = user, HomeTerminalId = Guid.NewGuid(), HomeCertificateSerial = "01", OfficeTerminalId = Guid.NewGuid(),
                State = SessionState.Ended, RequestedAt = start, StartedAt = start, EndedAt = start.AddMinutes(90), EndReason = "home_closed",
                TicketHash = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), TicketExpiresAt = start.AddMinutes(1),
            });
        }

        await db.SaveChangesAsync();
    }
}
