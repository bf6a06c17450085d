using AspService.Data.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AspService.Data.TenantData;

/// <summary>
/// One municipality's own database. Bound to its tenant when constructed; there is no API to re-point it
/// (the connection string is derived from the binding and fixed in the options).
/// </summary>
public sealed class TenantDbContext : DbContext
{
    public TenantDbContext(DbContextOptions<TenantDbContext> options, TenantBinding tenant)
        : base(options)
    {
        Tenant = tenant;
    }

    public TenantBinding Tenant { get; }

    public DbSet<TenantInfo> TenantInfo => Set<TenantInfo>();

    public DbSet<TenantSetting> Settings => Set<TenantSetting>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        ProviderConventions.Apply(configurationBuilder, Database.ProviderName);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<TenantInfo>(e =>
        {
            e.ToTable("TenantInfo");
            e.HasKey(t => t.TenantId);
            e.Property(t => t.TenantId).ValueGeneratedNever();
            e.Property(t => t.Code).HasMaxLength(6).IsFixedLength().IsUnicode(false);
        });
        modelBuilder.Entity<TenantSetting>(e =>
        {
            e.HasKey(s => s.Key);
            e.Property(s => s.Key).HasMaxLength(100).IsUnicode(false);
            e.Property(s => s.Value).HasMaxLength(4000);
        });
    }
}

/// <summary>
/// Written once by provisioning: which tenant this database belongs to. Checked when the database is
/// opened so a mis-derived connection can never serve another tenant's data.
/// </summary>
public sealed class TenantInfo
{
    public Guid TenantId { get; set; }

    public required string Code { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A tenant-wide setting (locale, time zone, later the policy defaults).</summary>
public sealed class TenantSetting
{
    public required string Key { get; set; }

    public required string Value { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
