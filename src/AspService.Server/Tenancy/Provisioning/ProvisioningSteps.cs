using AspService.Data.Tenancy;
using AspService.Data.TenantData;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Tenancy.Provisioning;

internal sealed class CreateDatabaseStep(TenantDatabases databases) : ITenantStep
{
    public string Operation => TenantOperations.Provision;

    public string Name => "create-database";

    public int Order => 100;

    public Task RunAsync(Tenant tenant, TenantBinding binding, CancellationToken ct) => databases.CreateAsync(binding, ct);
}

internal sealed class MigrateDatabaseStep(TenantDatabases databases, TimeProvider time) : ITenantStep
{
    public string Operation => TenantOperations.Provision;

    public string Name => "migrate";

    public int Order => 200;

    public async Task RunAsync(Tenant tenant, TenantBinding binding, CancellationToken ct)
    {
        tenant.SchemaVersion = await databases.MigrateAsync(binding, ct);
        tenant.MigratedAt = time.GetUtcNow();
        tenant.MigrationError = null;
    }
}

/// <summary>Writes the tenant's identity marker and default settings, only where missing.</summary>
internal sealed class SeedDefaultsStep(TenantDbContextFactory contexts, TimeProvider time) : ITenantStep
{
    public static readonly IReadOnlyDictionary<string, string> Defaults = new Dictionary<string, string>
    {
        ["locale"] = "ja-JP",
        ["timeZone"] = "Asia/Tokyo",
    };

    public string Operation => TenantOperations.Provision;

    public string Name => "seed-defaults";

    public int Order => 300;

    public async Task RunAsync(Tenant tenant, TenantBinding binding, CancellationToken ct)
    {
        await using var db = contexts.CreateUnpooled(binding);
        var now = time.GetUtcNow();
        if (!await db.TenantInfo.AnyAsync(ct))
        {
            db.TenantInfo.Add(new TenantInfo { TenantId = tenant.Id, Code = tenant.Code, CreatedAt = now });
        }

        var existing = await db.Settings.Select(s => s.Key).ToListAsync(ct);
        foreach (var (key, value) in Defaults)
        {
            if (!existing.Contains(key))
            {
                db.Settings.Add(new TenantSetting { Key = key, Value = value, UpdatedAt = now });
            }
        }

        await db.SaveChangesAsync(ct);
    }
}

/// <summary>Writes the documented export archive before anything is dropped.</summary>
internal sealed class ExportArchiveStep(TenantArchiveWriter writer) : ITenantStep
{
    public string Operation => TenantOperations.Decommission;

    public string Name => "export-archive";

    public int Order => 100;

    public async Task RunAsync(Tenant tenant, TenantBinding binding, CancellationToken ct) =>
        tenant.ArchiveFile = await writer.WriteAsync(tenant, binding, ct);
}

/// <summary>Drops the database once the retention period after the export has passed.</summary>
internal sealed class DropDatabaseStep(TenantDatabases databases) : ITenantStep
{
    public string Operation => TenantOperations.Decommission;

    public string Name => "drop-database";

    public int Order => 200;

    public bool IsDue(Tenant tenant, DateTimeOffset now) => tenant.DropAfter is { } due && due <= now;

    public Task RunAsync(Tenant tenant, TenantBinding binding, CancellationToken ct) => databases.DropAsync(binding.DatabaseName, ct);
}
