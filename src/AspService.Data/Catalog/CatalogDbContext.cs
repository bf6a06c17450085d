using AspService.Data.Billing;
using AspService.Data.Identity;
using AspService.Data.Relay;
using AspService.Data.Tenancy;
using AspService.Tenancy;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace AspService.Data.Catalog;

/// <summary>The provider-wide database: tenants, applications, operators, operation progress.</summary>
public sealed class CatalogDbContext(DbContextOptions<CatalogDbContext> options)
    : IdentityUserContext<OperatorUser, Guid>(options)
{
    public DbSet<Tenant> Tenants => Set<Tenant>();

    public DbSet<TenantOperationStep> TenantOperationSteps => Set<TenantOperationStep>();

    public DbSet<SignupApplication> SignupApplications => Set<SignupApplication>();

    public DbSet<Plan> Plans => Set<Plan>();

    public DbSet<TenantPlanAssignment> TenantPlanAssignments => Set<TenantPlanAssignment>();

    public DbSet<UsageDaily> UsageDaily => Set<UsageDaily>();

    public DbSet<UsageMonthly> UsageMonthly => Set<UsageMonthly>();

    public DbSet<BillingClose> BillingCloses => Set<BillingClose>();

    public DbSet<InvoiceSequence> InvoiceSequences => Set<InvoiceSequence>();

    public DbSet<TenantStripeAccount> TenantStripeAccounts => Set<TenantStripeAccount>();

    public DbSet<StripeInvoiceSync> StripeInvoiceSyncs => Set<StripeInvoiceSync>();

    public DbSet<Invoice> Invoices => Set<Invoice>();

    public DbSet<InvoiceLine> InvoiceLines => Set<InvoiceLine>();

    public DbSet<InvoiceTax> InvoiceTaxes => Set<InvoiceTax>();

    public DbSet<RelayNode> RelayNodes => Set<RelayNode>();

    public DbSet<RelayCommand> RelayCommands => Set<RelayCommand>();

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        BillingModel.RefuseInvoiceChanges(ChangeTracker);
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        BillingModel.RefuseInvoiceChanges(ChangeTracker);
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        ProviderConventions.Apply(configurationBuilder, Database.ProviderName);

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<OperatorUser>(e =>
        {
            e.ToTable("Operators");
            e.Property(u => u.DisplayName).HasMaxLength(100);
            e.Property(u => u.TotpSecretProtected).HasMaxLength(1000);
        });
        builder.Entity<Microsoft.AspNetCore.Identity.IdentityUserClaim<Guid>>().ToTable("OperatorClaims");
        builder.Entity<Microsoft.AspNetCore.Identity.IdentityUserLogin<Guid>>().ToTable("OperatorLogins");
        builder.Entity<Microsoft.AspNetCore.Identity.IdentityUserToken<Guid>>().ToTable("OperatorTokens");

        builder.Entity<Tenant>(e =>
        {
            e.HasKey(t => t.Id);
            e.Property(t => t.Code).HasMaxLength(6).IsFixedLength().IsUnicode(false);
            e.Property(t => t.Name).HasMaxLength(100);
            e.Property(t => t.Kana).HasMaxLength(200);
            e.Property(t => t.PrefectureCode).HasMaxLength(6).IsUnicode(false);
            e.Property(t => t.EgressNetworks).HasMaxLength(2000).IsUnicode(false);
            e.Property(t => t.State).HasConversion<string>().HasMaxLength(20).IsUnicode(false);
            e.Property(t => t.DatabaseName).HasMaxLength(63).IsUnicode(false);
            e.Property(t => t.AdminEmail).HasMaxLength(256);
            e.Property(t => t.Department).HasMaxLength(100);
            e.Property(t => t.SuspendReason).HasMaxLength(500);
            e.Property(t => t.ArchiveFile).HasMaxLength(260);
            e.Property(t => t.SchemaVersion).HasMaxLength(150);
            e.Property(t => t.MigrationError).HasMaxLength(2000);
            e.Property(t => t.Version).IsConcurrencyToken();
            e.HasIndex(t => t.DatabaseName).IsUnique();
            e.HasIndex(t => t.Code);
            // One live tenant per code; deleted tenants keep their row for history.
            e.HasIndex(t => t.Code).IsUnique().HasDatabaseName("UX_Tenants_LiveCode")
                .HasFilter(Filter("State", nameof(TenantState.Deleted), equal: false));
            e.HasIndex(t => t.State);
        });

        builder.Entity<TenantOperationStep>(e =>
        {
            e.HasKey(s => new { s.TenantId, s.Operation, s.Step });
            e.Property(s => s.Operation).HasMaxLength(40).IsUnicode(false);
            e.Property(s => s.Step).HasMaxLength(60).IsUnicode(false);
        });

        builder.Entity<SignupApplication>(e =>
        {
            e.HasKey(a => a.Id);
            e.Property(a => a.Code).HasMaxLength(6).IsFixedLength().IsUnicode(false);
            e.Property(a => a.Name).HasMaxLength(100);
            e.Property(a => a.Department).HasMaxLength(100);
            e.Property(a => a.ContactName).HasMaxLength(100);
            e.Property(a => a.Email).HasMaxLength(256);
            e.Property(a => a.Phone).HasMaxLength(30);
            e.Property(a => a.State).HasConversion<string>().HasMaxLength(20).IsUnicode(false);
            e.Property(a => a.RejectionReason).HasMaxLength(500);
            e.Property(a => a.Version).IsConcurrencyToken();
            e.HasIndex(a => a.Code).IsUnique().HasDatabaseName("UX_SignupApplications_PendingCode")
                .HasFilter(Filter("State", nameof(ApplicationState.Pending), equal: true));
            e.HasIndex(a => new { a.State, a.CreatedAt });
        });

        BillingModel.Configure(builder, Database.ProviderName);
        RelayModel.Configure(builder);
    }

    // Filtered unique indexes are written in each provider's own quoting.
    private string Filter(string column, string value, bool equal)
    {
        var op = equal ? "=" : "<>";
        return Database.ProviderName switch
        {
            "Microsoft.EntityFrameworkCore.SqlServer" => $"[{column}] {op} '{value}'",
            _ => $"\"{column}\" {op} '{value}'",
        };
    }
}
