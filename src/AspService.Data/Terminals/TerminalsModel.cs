using Microsoft.EntityFrameworkCore;

namespace AspService.Data.Terminals;

/// <summary>Terminal registry and PKI tables of the tenant database, kept out of TenantDbContext's body.</summary>
public static class TerminalsModel
{
    public static void Configure(ModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Entity<Terminal>(e =>
        {
            e.ToTable("Terminals");
            e.HasKey(t => t.Id);
            e.Property(t => t.Id).ValueGeneratedNever();
            e.Property(t => t.Kind).HasConversion<string>().HasMaxLength(10).IsUnicode(false);
            e.Property(t => t.State).HasConversion<string>().HasMaxLength(20).IsUnicode(false);
            e.Property(t => t.Name).HasMaxLength(100);
            e.Property(t => t.Location).HasMaxLength(100);
            e.Property(t => t.ReportedRedirection).HasMaxLength(200).IsUnicode(false);
            e.Property(t => t.Version).IsConcurrencyToken();
            e.HasIndex(t => new { t.Kind, t.State });
            e.HasIndex(t => t.OwnerUserId);
            e.HasQueryFilter(t => t.DeletedAt == null);
        });
        builder.Entity<TerminalAssignment>(e =>
        {
            e.ToTable("TerminalAssignments");
            e.HasKey(a => new { a.TerminalId, a.UserId });
            e.HasIndex(a => a.UserId);
        });
        builder.Entity<TerminalCertificate>(e =>
        {
            e.ToTable("TerminalCertificates");
            e.HasKey(c => c.Serial);
            e.Property(c => c.Serial).HasMaxLength(40).IsUnicode(false);
            e.Property(c => c.Thumbprint).HasMaxLength(64).IsUnicode(false);
            e.Property(c => c.RenewedFrom).HasMaxLength(40).IsUnicode(false);
            e.Property(c => c.RevocationReason).HasMaxLength(40).IsUnicode(false);
            e.HasIndex(c => c.TerminalId);
            e.HasIndex(c => c.NotAfter);
        });
        builder.Entity<EnrollmentToken>(e =>
        {
            e.ToTable("EnrollmentTokens");
            e.HasKey(t => t.Id);
            e.Property(t => t.TokenHash).HasMaxLength(64).IsUnicode(false);
            e.Property(t => t.Kind).HasConversion<string>().HasMaxLength(10).IsUnicode(false);
            e.Property(t => t.PresetName).HasMaxLength(100);
            e.HasIndex(t => t.TokenHash).IsUnique();
            e.HasIndex(t => t.ExpiresAt);
        });
        builder.Entity<TenantCa>(e =>
        {
            e.ToTable("TenantCas");
            e.HasKey(c => c.Id);
            e.Property(c => c.Id).ValueGeneratedNever();
        });
    }
}
