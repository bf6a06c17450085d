using AspService.Data.Catalog;
using AspService.Data.Tenancy;
using AspService.Server.Cli;
using AspService.Server.Tenancy;
using AspService.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Audit;

/// <summary><c>audit verify --tenant CODE</c>: checks one tenant's chain; exit 1 and the first broken row if altered.</summary>
public static class AuditCommands
{
    public static async Task<int> VerifyAsync(string[] args, IServiceProvider services, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var i = Array.IndexOf(args, "--tenant");
        var code = i >= 0 && i + 1 < args.Length ? args[i + 1] : throw new CommandException("--tenant CODE is required");
        var catalogs = services.GetRequiredService<IDbContextFactory<CatalogDbContext>>();
        Tenant? tenant;
        await using (var catalog = await catalogs.CreateDbContextAsync())
        {
            tenant = await catalog.Tenants.AsNoTracking()
                .FirstOrDefaultAsync(t => t.Code == code && t.State != TenantState.Deleted && t.State != TenantState.Applied && t.State != TenantState.Approved);
        }

        if (tenant is null)
        {
            throw new CommandException($"no tenant with code {code}");
        }

        await using var db = services.GetRequiredService<TenantDbContextFactory>()
            .CreateUnpooled(new TenantBinding(tenant.Id, tenant.Code, tenant.DatabaseName));
        var result = await AuditLog.VerifyAsync(db, CancellationToken.None);
        if (result.Break is { } broken)
        {
            await output.WriteLineAsync(
                $"{tenant.Code} {tenant.Name}: 監査ログの連鎖が {broken.Sequence} 行目で壊れています / audit chain BROKEN at row {broken.Sequence} ({broken.Kind.ToString().ToLowerInvariant()}), {result.Rows} rows intact before it");
            return 1;
        }

        await output.WriteLineAsync($"{tenant.Code} {tenant.Name}: 監査ログは完全です / audit chain intact ({result.Rows} rows)");
        return 0;
    }
}
