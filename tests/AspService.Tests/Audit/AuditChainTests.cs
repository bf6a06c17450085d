using System.Net.Http.Json;
using System.Text.Json;
using AspService.Audit;
using AspService.Server.Cli;
using AspService.Server.Tenancy;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AspService.Tests.Audit;

public sealed class AuditChainTests : IClassFixture<AuditChainTests.Host>
{
    private static readonly DateTimeOffset T0 = new(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly AppFactory _app;

    public AuditChainTests(Host host) => _app = host.App;

    public sealed class Host : IDisposable
    {
        public AppFactory App { get; } = new();

        public void Dispose() => App.Dispose();
    }

    private static List<AuditRecord> Chain(int count)
    {
        var rows = new List<AuditRecord>();
        var previous = AuditChain.Genesis;
        for (var i = 1; i <= count; i++)
        {
            var at = T0.AddMinutes(i);
            var hash = AuditChain.ComputeHash(i, at, "user.changed", "actor", "subject-" + i, "detail", "127.0.0.1", previous);
            rows.Add(new AuditRecord(i, at, "user.changed", "actor", "subject-" + i, "detail", "127.0.0.1", previous, hash));
            previous = hash;
        }

        return rows;
    }

    [Fact]
    public void Verify_IntactChain_NoBreak() => Assert.Null(AuditChain.Verify(Chain(5)));

    [Fact]
    public void Verify_Empty_NoBreak() => Assert.Null(AuditChain.Verify([]));

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public void Verify_EditedRow_BreaksAtThatRow(int row)
    {
        var rows = Chain(5);
        rows[row - 1] = rows[row - 1] with { Detail = "role=TenantAdmin" };

        Assert.Equal(new AuditBreak(row, AuditBreakKind.Content), AuditChain.Verify(rows));
    }

    [Fact]
    public void Verify_EditedRowWithRecomputedHash_BreaksAtNextRow()
    {
        var rows = Chain(5);
        var forged = rows[2] with { Actor = "someone-else" };
        rows[2] = forged with { Hash = AuditChain.ComputeHash(forged) };

        Assert.Equal(new AuditBreak(4, AuditBreakKind.Link), AuditChain.Verify(rows));
    }

    [Fact]
    public void Verify_RemovedRow_GapAtItsSequence()
    {
        var rows = Chain(5);
        rows.RemoveAt(2);

        Assert.Equal(new AuditBreak(3, AuditBreakKind.Gap), AuditChain.Verify(rows));
    }

    [Fact]
    public void Verify_RemovedLastRows_Undetectable_ButPrefixStaysValid()
    {
        // Truncation at the end cannot be seen from the rows alone; the count in the answer shows it.
        Assert.Null(AuditChain.Verify(Chain(5).Take(3)));
    }

    [Fact]
    public void ComputeHash_FieldBoundariesMatter()
    {
        var a = AuditChain.ComputeHash(1, T0, "ab", "c", null, null, null, AuditChain.Genesis);
        var b = AuditChain.ComputeHash(1, T0, "a", "bc", null, null, null, AuditChain.Genesis);
        var c = AuditChain.ComputeHash(1, T0, "a", "bc", "", null, null, AuditChain.Genesis);

        Assert.NotEqual(a, b);
        Assert.NotEqual(b, c);
    }

    [Fact]
    public void Normalize_TruncatesToMilliseconds()
    {
        var at = T0.AddTicks(12_345);
        Assert.Equal(T0.AddMilliseconds(1), AuditChain.Normalize(at));
    }

    [Fact]
    public async Task Verify_RowEditedInDatabase_EndpointAndCommandReportThatRow()
    {
        var admin = await _app.TenantAdminAsync();
        await _app.InviteAndSignInAsync(admin);
        var intact = await admin.Client.GetFromJsonAsync<JsonElement>(admin.Url("/api/v1/audit/verify"));
        Assert.True(intact.GetProperty("intact").GetBoolean());
        var rows = intact.GetProperty("rows").GetInt64();
        Assert.True(rows >= 5);

        var (code, text) = await RunVerifyCommandAsync(admin.Tenant.Code);
        Assert.Equal(0, code);
        Assert.Contains("intact", text, StringComparison.Ordinal);

        await using (var db = _app.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(_app.Binding(admin.Tenant)))
        {
            await db.AuditLog.Where(a => a.Sequence == 3).ExecuteUpdateAsync(s => s.SetProperty(a => a.Detail, "tampered"));
        }

        var broken = await admin.Client.GetFromJsonAsync<JsonElement>(admin.Url("/api/v1/audit/verify"));
        Assert.False(broken.GetProperty("intact").GetBoolean());
        Assert.Equal(3, broken.GetProperty("brokenAt").GetInt64());
        Assert.Equal("content", broken.GetProperty("reason").GetString());
        (code, text) = await RunVerifyCommandAsync(admin.Tenant.Code);
        Assert.Equal(1, code);
        Assert.Contains("row 3", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_RowDeletedInDatabase_ReportsGap()
    {
        var admin = await _app.TenantAdminAsync();
        await using (var db = _app.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(_app.Binding(admin.Tenant)))
        {
            await db.AuditLog.Where(a => a.Sequence == 2).ExecuteDeleteAsync();
        }

        var broken = await admin.Client.GetFromJsonAsync<JsonElement>(admin.Url("/api/v1/audit/verify"));
        Assert.Equal(2, broken.GetProperty("brokenAt").GetInt64());
        Assert.Equal("gap", broken.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task VerifyCommand_UnknownTenant_FailsWithReason()
    {
        var (code, text) = await RunVerifyCommandAsync("999997");
        Assert.Equal(2, code);
        Assert.Contains("no tenant", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditEntries_ContainNoSecrets()
    {
        var admin = await _app.TenantAdminAsync();
        var (staff, _) = await _app.InviteAndSignInAsync(admin);
        await using var db = _app.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(_app.Binding(admin.Tenant));
        var all = string.Join("\n", await db.AuditLog.Select(a => a.Action + a.Actor + a.Subject + a.Detail).ToListAsync());

        Assert.DoesNotContain(TenantIdentityKit.GoodPassword, all, StringComparison.Ordinal);
        Assert.DoesNotContain(staff.RecoveryCodes[0], all, StringComparison.Ordinal);
        Assert.DoesNotContain("token", all, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<(int Code, string Text)> RunVerifyCommandAsync(string code)
    {
        using var output = new StringWriter();
        var exit = await ServerCommands.RunAsync(["audit", "verify", "--tenant", code], _app.Services, output, output);
        return (exit, output.ToString());
    }
}
