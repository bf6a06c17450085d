using AspService.Data.Catalog;
using AspService.Data.Relay;
using AspService.Data.Sessions;
using AspService.Data.TenantData;
using AspService.Data.Terminals;
using AspService.Pki;
using AspService.Server.Jobs;
using AspService.Server.Jobs.Work;
using AspService.Server.Pki;
using AspService.Server.Relay;
using AspService.Server.Tenancy;
using AspService.Tests.Infrastructure;
using Hangfire.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AspService.Tests.Jobs;

/// <summary>Certificate rotation and reaping of relay state on the embedded default (SQLite, in-memory Hangfire storage).</summary>
public sealed class RotationTests
{
    [Fact]
    public void RolloverRule_DueOnlyInsideTheMargin()
    {
        var now = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var year = TimeSpan.FromDays(365);

        Assert.False(CertificateRotation.IsRolloverDue(now + year + TimeSpan.FromDays(1), now, year));
        Assert.True(CertificateRotation.IsRolloverDue(now + year - TimeSpan.FromDays(1), now, year));
        Assert.True(CertificateRotation.IsRolloverDue(now, now, year));
    }

    [Fact]
    public async Task Rotation_RunTwice_DueFound_ExpiredUnrenewedAuditedAndMailedOnce()
    {
        using var app = new AppFactory(settings: JobScenarios.Settings());
        await Rotation_RunTwice_DueFound_ExpiredUnrenewedAuditedAndMailedOnceAsync(app);
    }

    internal static async Task Rotation_RunTwice_DueFound_ExpiredUnrenewedAuditedAndMailedOnceAsync(AppFactory app)
    {
        var tenant = await app.OnboardTenantAsync(await app.OperatorClientAsync());
        var binding = app.Binding(tenant);
        var now = app.Clock.GetUtcNow();
        var due = await RotationKit.PlantAsync(app, binding, now.AddDays(-25), now.AddDays(5), name: "更新待ち");
        var expired = await RotationKit.PlantAsync(app, binding, now.AddDays(-40), now.AddDays(-10), name: "期限切れ端末");
        var renewedOld = await RotationKit.PlantAsync(app, binding, now.AddDays(-25), now.AddDays(5), name: "更新済み");
        await RotationKit.PlantAsync(app, binding, now.AddDays(-1), now.AddDays(29), terminalId: renewedOld.TerminalId, renewedFrom: renewedOld.Serial);
        await RotationKit.PlantAsync(app, binding, now.AddDays(-40), now.AddDays(-10), state: TerminalState.Disabled, name: "停止中");
        var fresh = await RotationKit.PlantAsync(app, binding, now.AddDays(-1), now.AddDays(29), name: "新しい端末");
        var admin = "admin@" + tenant.Code + ".lg.example";

        var first = await RotationKit.RotateAsync(app, tenant.Id);
        var second = await RotationKit.RotateAsync(app, tenant.Id);
        await app.Services.GetRequiredService<CertificateRotationJob>().RunAsync(CancellationToken.None);

        await using (var db = app.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(binding))
        {
            Assert.Equal([due.Serial], await CertificateRotation.DueForRenewalAsync(db, app.Clock.GetUtcNow(), CancellationToken.None));
        }

        var audit = await RotationKit.AuditAsync(app, binding, CertificateRotation.ExpiredUnrenewed);
        var mails = RotationKit.ExpiryMails(app, admin);
        Assert.StartsWith("1 due for renewal; 1 newly expired unrenewed", first, StringComparison.Ordinal);
        Assert.StartsWith("1 due for renewal; 0 newly expired unrenewed", second, StringComparison.Ordinal);
        Assert.Equal([(CertificateRotation.ExpiredUnrenewed, (string?)expired.TerminalId.ToString("D"), (string?)("serial=" + expired.Serial))], audit);
        var mail = Assert.Single(mails);
        Assert.Contains("期限切れ端末", mail, StringComparison.Ordinal);
        Assert.DoesNotContain("停止中", mail, StringComparison.Ordinal);
        Assert.DoesNotContain(fresh.Serial, mail, StringComparison.Ordinal);
        Assert.Equal(1, await RotationKit.CaCountAsync(app, binding));

        // The fresh terminal later expires unrenewed too: reported on its own, once.
        app.Clock.Advance(TimeSpan.FromDays(30));
        await RotationKit.RotateAsync(app, tenant.Id);
        await RotationKit.RotateAsync(app, tenant.Id);
        Assert.Contains(("serial=" + fresh.Serial), (await RotationKit.AuditAsync(app, binding, CertificateRotation.ExpiredUnrenewed)).Select(a => a.Detail));
        Assert.Equal(1, (await RotationKit.AuditAsync(app, binding, CertificateRotation.ExpiredUnrenewed)).Count(a => a.Detail == "serial=" + expired.Serial));
        Assert.Equal(2, RotationKit.ExpiryMails(app, admin).Count);
    }

    [Fact]
    public async Task CaRollover_OnceInsideMargin_OldAndNewCertificatesBothVerifyThroughOverlap()
    {
        using var app = new AppFactory(settings: JobScenarios.Settings());
        await CaRollover_OnceInsideMargin_OldAndNewCertificatesBothVerifyThroughOverlapAsync(app);
    }

    internal static async Task CaRollover_OnceInsideMargin_OldAndNewCertificatesBothVerifyThroughOverlapAsync(AppFactory app)
    {
        var tenant = await app.OnboardTenantAsync(await app.OperatorClientAsync());
        var binding = app.Binding(tenant);
        var verifier = app.Services.GetRequiredService<TerminalVerifier>();

        var outside = await RotationKit.RotateAsync(app, tenant.Id);
        app.Clock.Advance(TimeSpan.FromDays((4 * 365) + 2)); // the 5-year CA now has less than a year left
        var now = app.Clock.GetUtcNow();
        var oldCa = await RotationKit.PlantAsync(app, binding, now.AddMinutes(-5), now.AddDays(30), name: "旧CA");
        var rolled = await RotationKit.RotateAsync(app, tenant.Id);
        var again = await RotationKit.RotateAsync(app, tenant.Id);
        var newCa = await RotationKit.PlantAsync(app, binding, now.AddMinutes(-5), now.AddDays(30), name: "新CA");
        app.Clock.Advance(TimeSpan.FromDays(1));

        Assert.EndsWith("CA current", outside, StringComparison.Ordinal);
        Assert.EndsWith("CA rolled over", rolled, StringComparison.Ordinal);
        Assert.EndsWith("CA current", again, StringComparison.Ordinal);
        Assert.Equal(2, await RotationKit.CaCountAsync(app, binding));
        Assert.Single(await RotationKit.AuditAsync(app, binding, CertificateRotation.CaRolledOver));
        Assert.NotEqual(IssuerKey(oldCa.Certificate), IssuerKey(newCa.Certificate));

        // Both roots are trusted: each certificate passes the full handshake check (chain + database).
        await using (var scope = app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantAccessor>().Set(binding);
            var roots = await scope.ServiceProvider.GetRequiredService<TenantCaStore>().TrustedRootsAsync(CancellationToken.None);
            Assert.Equal(2, roots.Count);
            Assert.True(ClientCertificateValidation.Validate(oldCa.Certificate, tenant.Id, roots, app.Clock.GetUtcNow()).Accepted);
            Assert.True(ClientCertificateValidation.Validate(newCa.Certificate, tenant.Id, roots, app.Clock.GetUtcNow()).Accepted);
        }

        Assert.True((await verifier.VerifyAsync(oldCa.Certificate, null, CancellationToken.None)).Accepted);
        Assert.True((await verifier.VerifyAsync(newCa.Certificate, null, CancellationToken.None)).Accepted);

        // Once the old root expires only the new one is trusted, and nothing rolls over again.
        app.Clock.Advance(TimeSpan.FromDays(365));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantAccessor>().Set(binding);
            Assert.Single(await scope.ServiceProvider.GetRequiredService<TenantCaStore>().TrustedRootsAsync(CancellationToken.None));
        }

        Assert.EndsWith("CA current", await RotationKit.RotateAsync(app, tenant.Id), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rotation_ForTenantA_NeverTouchesTenantB()
    {
        using var app = new AppFactory(settings: JobScenarios.Settings());
        await Rotation_ForTenantA_NeverTouchesTenantBAsync(app);
    }

    internal static async Task Rotation_ForTenantA_NeverTouchesTenantBAsync(AppFactory app)
    {
        var ops = await app.OperatorClientAsync();
        var a = await app.OnboardTenantAsync(ops);
        var b = await app.OnboardTenantAsync(ops);
        var now = app.Clock.GetUtcNow();
        await RotationKit.PlantAsync(app, app.Binding(a), now.AddDays(-40), now.AddDays(-10));
        await RotationKit.PlantAsync(app, app.Binding(b), now.AddDays(-40), now.AddDays(-10));
        app.Clock.Advance(TimeSpan.FromDays((4 * 365) + 2));
        var auditB = await AuditCountAsync(app, app.Binding(b));

        await RotationKit.RotateAsync(app, a.Id);

        Assert.Single(await RotationKit.AuditAsync(app, app.Binding(a), CertificateRotation.ExpiredUnrenewed));
        Assert.Equal(2, await RotationKit.CaCountAsync(app, app.Binding(a)));
        Assert.Equal(auditB, await AuditCountAsync(app, app.Binding(b)));
        Assert.Equal(1, await RotationKit.CaCountAsync(app, app.Binding(b)));
        Assert.Empty(RotationKit.ExpiryMails(app, "admin@" + b.Code + ".lg.example"));
    }

    [Fact]
    public async Task TenantJobs_WithoutTenant_Refused()
    {
        using var app = new AppFactory(settings: JobScenarios.Settings());
        var rotation = Job.FromExpression<TenantCertificateRotationJob>(j => j.RunAsync(Guid.Empty, CancellationToken.None));
        var reaping = Job.FromExpression<SessionReapingJob>(j => j.RunAsync(Guid.Empty, CancellationToken.None));

        Assert.True(TenantJobFilter.LacksTenant(rotation));
        Assert.True(TenantJobFilter.LacksTenant(reaping));
        await Assert.ThrowsAsync<PermanentJobException>(() => RotationKit.RotateAsync(app, Guid.Empty));
        await Assert.ThrowsAsync<PermanentJobException>(() => app.Services.GetRequiredService<SessionReapingJob>().RunAsync(Guid.Empty, CancellationToken.None));
    }

    [Fact]
    public async Task Reaping_RunTwice_StaleSessionsEnded_OldTokensCommandsAndNodesRemoved()
    {
        using var app = new AppFactory(settings: JobScenarios.Settings());
        await Reaping_RunTwice_StaleSessionsEnded_OldTokensCommandsAndNodesRemovedAsync(app);
    }

    internal static async Task Reaping_RunTwice_StaleSessionsEnded_OldTokensCommandsAndNodesRemovedAsync(AppFactory app)
    {
        var ops = await app.OperatorClientAsync();
        var tenant = await app.OnboardTenantAsync(ops);
        var other = await app.OnboardTenantAsync(ops);
        var binding = app.Binding(tenant);
        var now = app.Clock.GetUtcNow();
        var alive = Guid.NewGuid();
        var dead = Guid.NewGuid();
        var gone = Guid.NewGuid();
        await using (var catalog = await app.Services.GetRequiredService<IDbContextFactory<CatalogDbContext>>().CreateDbContextAsync())
        {
            catalog.RelayNodes.AddRange(
                new RelayNode { Id = alive, PublicUrl = "https://relay-a", Host = "a", StartedAt = now.AddDays(-1), LastHeartbeatAt = now },
                new RelayNode { Id = dead, PublicUrl = "https://relay-b", Host = "b", StartedAt = now.AddDays(-1), LastHeartbeatAt = now.AddHours(-1) },
                new RelayNode { Id = gone, PublicUrl = "https://relay-c", Host = "c", StartedAt = now.AddDays(-20), LastHeartbeatAt = now.AddDays(-8), StoppedAt = now.AddDays(-8) });
            catalog.RelayCommands.AddRange(
                new RelayCommand { TenantId = tenant.Id, Kind = RelayCommandKind.CloseSession, TargetId = Guid.NewGuid(), Reason = "old", CreatedAt = now.AddHours(-2) },
                new RelayCommand { TenantId = tenant.Id, Kind = RelayCommandKind.CloseSession, TargetId = Guid.NewGuid(), Reason = "new", CreatedAt = now.AddMinutes(-5) });
            await catalog.SaveChangesAsync();
        }

        var tokens = new { Old = Guid.NewGuid(), OldUsed = Guid.NewGuid(), Recent = Guid.NewGuid() };
        var sessions = new { Stuck = Guid.NewGuid(), Pairing = Guid.NewGuid(), Lost = Guid.NewGuid(), Piped = Guid.NewGuid() };
        var otherSession = Guid.NewGuid();
        await using (var db = app.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(binding))
        {
            db.EnrollmentTokens.AddRange(
                Token(tokens.Old, now.AddDays(-8), used: null),
                Token(tokens.OldUsed, now.AddDays(-8), used: now.AddDays(-9)),
                Token(tokens.Recent, now.AddDays(-2), used: null));
            db.Sessions.AddRange(
                Session(sessions.Stuck, SessionState.Requested, alive, now.AddHours(-1)),
                Session(sessions.Pairing, SessionState.Requested, alive, now.AddSeconds(30)),
                Session(sessions.Lost, SessionState.Live, dead, now.AddHours(-2)),
                Session(sessions.Piped, SessionState.Live, alive, now.AddHours(-2)));
            await db.SaveChangesAsync();
        }

        await using (var db = app.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(app.Binding(other)))
        {
            db.Sessions.Add(Session(otherSession, SessionState.Live, dead, now.AddHours(-2)));
            await db.SaveChangesAsync();
        }

        async Task<string> RunAsync()
        {
            await app.Services.GetRequiredService<ReapingJob>().RunAsync(CancellationToken.None);
            await app.Services.GetRequiredService<SessionReapingJob>().RunAsync(tenant.Id, CancellationToken.None);
            await using var db = app.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(binding);
            await using var catalog = await app.Services.GetRequiredService<IDbContextFactory<CatalogDbContext>>().CreateDbContextAsync();
            var t = string.Join(",", (await db.EnrollmentTokens.Select(x => x.Id).ToListAsync()).Order());
            var s = string.Join(",", (await db.Sessions.ToListAsync()).OrderBy(x => x.Id).Select(x => $"{x.Id}:{x.State}:{x.EndReason}:{x.EndedAt}"));
            var n = string.Join(",", (await catalog.RelayNodes.Select(x => x.Id).ToListAsync()).Order());
            var c = string.Join(",", await catalog.RelayCommands.OrderBy(x => x.Id).Select(x => x.Reason).ToListAsync());
            return $"{t}\n{s}\n{n}\n{c}";
        }

        var once = await RunAsync();
        var twice = await RunAsync();

        Assert.Equal(once, twice);
        await using var check = app.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(binding);
        var byId = await check.Sessions.ToDictionaryAsync(x => x.Id);
        Assert.Equal((SessionState.Ended, "office_timeout"), (byId[sessions.Stuck].State, byId[sessions.Stuck].EndReason));
        Assert.Equal(SessionState.Requested, byId[sessions.Pairing].State);
        Assert.Equal((SessionState.Ended, SessionReapingJob.RelayLost), (byId[sessions.Lost].State, byId[sessions.Lost].EndReason));
        Assert.Equal(SessionState.Live, byId[sessions.Piped].State);
        Assert.Equal(new[] { tokens.OldUsed, tokens.Recent }.Order(), (await check.EnrollmentTokens.Select(x => x.Id).ToListAsync()).Order());
        Assert.Contains(alive.ToString(), once, StringComparison.Ordinal);
        Assert.Contains(dead.ToString(), once, StringComparison.Ordinal);
        Assert.DoesNotContain(gone.ToString(), once, StringComparison.Ordinal);
        Assert.EndsWith("\nnew", once, StringComparison.Ordinal);

        // The other tenant's session is its own job's business: untouched until that job runs.
        await using var otherDb = app.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(app.Binding(other));
        Assert.Equal(SessionState.Live, (await otherDb.Sessions.SingleAsync(x => x.Id == otherSession)).State);
    }

    private static string IssuerKey(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate) =>
        Convert.ToHexString(certificate.Extensions.OfType<System.Security.Cryptography.X509Certificates.X509AuthorityKeyIdentifierExtension>().Single().KeyIdentifier!.Value.Span);

    private static EnrollmentToken Token(Guid id, DateTimeOffset expiresAt, DateTimeOffset? used) => new()
    {
        Id = id,
        TokenHash = Convert.ToHexStringLower(id.ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()),
        Kind = TerminalKind.Office,
        CreatedBy = Guid.NewGuid(),
        CreatedAt = expiresAt.AddDays(-1),
        ExpiresAt = expiresAt,
        UsedAt = used,
    };

    private static RelaySession Session(Guid id, SessionState state, Guid node, DateTimeOffset ticketExpiresAt) => new()
    {
        Id = id,
        UserId = Guid.NewGuid(),
        HomeTerminalId = Guid.NewGuid(),
        HomeCertificateSerial = "01",
        OfficeTerminalId = Guid.NewGuid(),
        RelayNodeId = node,
        State = state,
        RequestedAt = ticketExpiresAt.AddSeconds(-60),
        StartedAt = state == SessionState.Live ? ticketExpiresAt : null,
        TicketHash = id.ToByteArray(),
        TicketExpiresAt = ticketExpiresAt,
    };

    private static async Task<int> AuditCountAsync(AppFactory app, AspService.Data.Tenancy.TenantBinding binding)
    {
        await using var db = app.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(binding);
        return await db.AuditLog.CountAsync();
    }
}
