using AspService.Data.Audit;
using AspService.Data.Identity;
using AspService.Data.Policy;
using AspService.Data.Tenancy;
using AspService.Data.Sessions;
using AspService.Data.Terminals;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace AspService.Data.TenantData;

/// <summary>
/// One municipality's own database. Bound to its tenant when constructed; there is no API to re-point it
/// (the connection string is derived from the binding and fixed in the options). Also the tenant's
/// ASP.NET Core Identity store: its staff and admins live here, never in the catalog.
/// </summary>
public sealed class TenantDbContext : IdentityDbContext<TenantUser, TenantRole, Guid>
{
    public TenantDbContext(DbContextOptions<TenantDbContext> options, TenantBinding tenant)
        : base(options)
    {
        Tenant = tenant;
    }

    public TenantBinding Tenant { get; }

    public DbSet<TenantInfo> TenantInfo => Set<TenantInfo>();

    public DbSet<TenantSetting> Settings => Set<TenantSetting>();

    public DbSet<UserLinkToken> LinkTokens => Set<UserLinkToken>();

    public DbSet<RecoveryCode> RecoveryCodes => Set<RecoveryCode>();

    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();

    public DbSet<Terminal> Terminals => Set<Terminal>();

    public DbSet<TerminalAssignment> TerminalAssignments => Set<TerminalAssignment>();

    public DbSet<TerminalCertificate> TerminalCertificates => Set<TerminalCertificate>();

    public DbSet<EnrollmentToken> EnrollmentTokens => Set<EnrollmentToken>();

    public DbSet<TenantCa> CertificateAuthorities => Set<TenantCa>();

    public DbSet<PolicyDocument> Policy => Set<PolicyDocument>();

    public DbSet<RelaySession> Sessions => Set<RelaySession>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        ProviderConventions.Apply(configurationBuilder, Database.ProviderName);

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        ConfigureIdentity(builder);
        // OpenIddict applications, authorizations, scopes and tokens: per tenant, like the users they belong to.
        builder.UseOpenIddict<Guid>();
        builder.Entity<TenantInfo>(e =>
        {
            e.ToTable("TenantInfo");
            e.HasKey(t => t.TenantId);
            e.Property(t => t.TenantId).ValueGeneratedNever();
            e.Property(t => t.Code).HasMaxLength(6).IsFixedLength().IsUnicode(false);
        });
        builder.Entity<TenantSetting>(e =>
        {
            e.HasKey(s => s.Key);
            e.Property(s => s.Key).HasMaxLength(100).IsUnicode(false);
            e.Property(s => s.Value).HasMaxLength(4000);
        });
        builder.Entity<AuditEntry>(e =>
        {
            e.ToTable("AuditLog");
            e.HasKey(a => a.Sequence);
            e.Property(a => a.Sequence).ValueGeneratedNever();
            e.Property(a => a.Action).HasMaxLength(60).IsUnicode(false);
            e.Property(a => a.Actor).HasMaxLength(80).IsUnicode(false);
            e.Property(a => a.Subject).HasMaxLength(80).IsUnicode(false);
            e.Property(a => a.Detail).HasMaxLength(1000);
            e.Property(a => a.Client).HasMaxLength(64).IsUnicode(false);
            e.Property(a => a.PreviousHash).HasMaxLength(64).IsUnicode(false);
            e.Property(a => a.Hash).HasMaxLength(64).IsUnicode(false);
            e.HasIndex(a => a.At);
            e.HasIndex(a => a.Subject);
        });
        TerminalsModel.Configure(builder);
        PolicyModel.Configure(builder);
        builder.Entity<RelaySession>(e =>
        {
            e.ToTable("Sessions");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.State).HasConversion<string>().HasMaxLength(12).IsUnicode(false);
            e.Property(x => x.HomeCertificateSerial).HasMaxLength(40).IsUnicode(false);
            e.Property(x => x.SourceAddress).HasMaxLength(45).IsUnicode(false);
            e.Property(x => x.EndReason).HasMaxLength(40).IsUnicode(false);
            e.Property(x => x.TicketHash).HasMaxLength(32);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasIndex(x => x.TicketHash).IsUnique();
            e.HasIndex(x => new { x.State, x.UserId });
            e.HasIndex(x => x.RequestedAt);
        });
    }

    private static void ConfigureIdentity(ModelBuilder builder)
    {
        builder.Entity<TenantUser>(e =>
        {
            e.ToTable("Users");
            e.Property(u => u.DisplayName).HasMaxLength(100);
            e.Property(u => u.Department).HasMaxLength(100);
            e.Property(u => u.TotpSecretProtected).HasMaxLength(1000);
            // Deleted users stay for the audit history but are invisible to every query, sign-in included.
            e.HasQueryFilter(u => u.DeletedAt == null);
        });
        builder.Entity<TenantRole>(e =>
        {
            e.ToTable("Roles");
            e.HasData(
                new TenantRole { Id = TenantRoles.AdminId, Name = TenantRoles.Admin, NormalizedName = TenantRoles.Admin.ToUpperInvariant(), ConcurrencyStamp = "tenant-admin" },
                new TenantRole { Id = TenantRoles.StaffId, Name = TenantRoles.Staff, NormalizedName = TenantRoles.Staff.ToUpperInvariant(), ConcurrencyStamp = "staff" });
        });
        builder.Entity<IdentityUserRole<Guid>>().ToTable("UserRoles");
        builder.Entity<IdentityUserClaim<Guid>>().ToTable("UserClaims");
        builder.Entity<IdentityUserLogin<Guid>>().ToTable("UserLogins");
        builder.Entity<IdentityUserToken<Guid>>().ToTable("UserTokens");
        builder.Entity<IdentityRoleClaim<Guid>>().ToTable("RoleClaims");
        builder.Entity<UserLinkToken>(e =>
        {
            e.ToTable("UserLinkTokens");
            e.HasKey(t => t.Id);
            e.Property(t => t.Purpose).HasConversion<string>().HasMaxLength(20).IsUnicode(false);
            e.Property(t => t.TokenHash).HasMaxLength(64).IsUnicode(false);
            e.HasIndex(t => t.TokenHash).IsUnique();
            e.HasIndex(t => new { t.UserId, t.Purpose });
        });
        builder.Entity<RecoveryCode>(e =>
        {
            e.ToTable("RecoveryCodes");
            e.HasKey(c => c.Id);
            e.Property(c => c.CodeHash).HasMaxLength(64).IsUnicode(false);
            e.HasIndex(c => c.UserId);
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
