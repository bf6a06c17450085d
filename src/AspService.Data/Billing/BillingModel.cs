using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace AspService.Data.Billing;

/// <summary>Billing tables of the catalog (plans, usage roll-ups, invoices, Stripe state), kept out of CatalogDbContext's body.</summary>
public static class BillingModel
{
    public static void Configure(ModelBuilder builder, string? providerName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Filtered indexes are written in each provider's own quoting.
        string Q(string column) => providerName == "Microsoft.EntityFrameworkCore.SqlServer" ? $"[{column}]" : $"\"{column}\"";
        builder.Entity<Plan>(e =>
        {
            e.ToTable("Plans");
            e.HasKey(p => p.Id);
            e.Property(p => p.Code).HasMaxLength(40).IsUnicode(false);
            e.Property(p => p.Name).HasMaxLength(100);
            e.Property(p => p.Version).IsConcurrencyToken();
            e.HasIndex(p => new { p.Code, p.EffectiveFrom }).IsUnique();
            e.Ignore(p => p.Period);
            e.Ignore(p => p.Prices);
        });

        builder.Entity<TenantPlanAssignment>(e =>
        {
            e.ToTable("TenantPlanAssignments");
            e.HasKey(a => a.Id);
            e.Property(a => a.PlanCode).HasMaxLength(40).IsUnicode(false);
            e.HasIndex(a => new { a.TenantId, a.EffectiveFrom }).IsUnique();
            e.Ignore(a => a.Period);
        });

        builder.Entity<UsageDaily>(e =>
        {
            e.ToTable("UsageDaily");
            e.HasKey(u => new { u.TenantId, u.Day });
            e.HasIndex(u => u.Day);
        });

        builder.Entity<UsageMonthly>(e =>
        {
            e.ToTable("UsageMonthly");
            e.HasKey(u => new { u.TenantId, u.Month });
            e.HasIndex(u => u.Month);
        });

        builder.Entity<UsageReport>(e =>
        {
            e.ToTable("UsageReports");
            e.HasKey(r => new { r.TenantId, r.Month });
            e.Property(r => r.Month).ValueGeneratedNever();
            e.HasIndex(r => r.Month);
        });

        builder.Entity<BillingClose>(e =>
        {
            e.ToTable("BillingCloses");
            e.HasKey(c => c.Month);
            e.Property(c => c.Month).ValueGeneratedNever();
        });

        builder.Entity<InvoiceSequence>(e =>
        {
            e.ToTable("InvoiceSequences");
            e.HasKey(s => s.Name);
            e.Property(s => s.Name).HasMaxLength(40).IsUnicode(false);
            e.Property(s => s.LastNumber).IsConcurrencyToken();
        });

        builder.Entity<Invoice>(e =>
        {
            e.ToTable("Invoices");
            e.HasKey(i => i.Id);
            e.Property(i => i.Number).HasMaxLength(40).IsUnicode(false);
            e.Property(i => i.TenantCode).HasMaxLength(6).IsFixedLength().IsUnicode(false);
            e.Property(i => i.Kind).HasConversion<string>().HasMaxLength(20).IsUnicode(false);
            e.Property(i => i.Rounding).HasConversion<string>().HasMaxLength(20).IsUnicode(false);
            e.Property(i => i.RecipientName).HasMaxLength(120);
            e.Property(i => i.IssuerName).HasMaxLength(200);
            e.Property(i => i.IssuerAddress).HasMaxLength(300);
            e.Property(i => i.RegistrationNumber).HasMaxLength(14).IsFixedLength().IsUnicode(false);
            e.Property(i => i.PlanCode).HasMaxLength(40).IsUnicode(false);
            e.Property(i => i.Note).HasMaxLength(500);
            e.HasIndex(i => i.Number).IsUnique();
            e.HasIndex(i => i.SequenceNumber).IsUnique();
            e.HasIndex(i => new { i.Month, i.TenantId });
            // The close is idempotent because of this: one regular invoice per tenant and month.
            e.HasIndex(i => new { i.TenantId, i.Month }).IsUnique().HasDatabaseName("UX_Invoices_RegularPerMonth")
                .HasFilter($"{Q("Kind")} = '{nameof(InvoiceKind.Regular)}'");
            // An invoice is cancelled at most once.
            e.HasIndex(i => i.CancelsInvoiceId).IsUnique().HasFilter($"{Q("CancelsInvoiceId")} IS NOT NULL");
            e.HasMany(i => i.Lines).WithOne().HasForeignKey(l => l.InvoiceId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(i => i.Taxes).WithOne().HasForeignKey(t => t.InvoiceId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<InvoiceLine>(e =>
        {
            e.ToTable("InvoiceLines");
            e.HasKey(l => new { l.InvoiceId, l.LineNumber });
            e.Property(l => l.LineNumber).ValueGeneratedNever();
            e.Property(l => l.Code).HasMaxLength(40).IsUnicode(false);
            e.Property(l => l.Description).HasMaxLength(200);
            e.Property(l => l.Unit).HasMaxLength(10);
        });

        builder.Entity<InvoiceTax>(e =>
        {
            e.ToTable("InvoiceTaxes");
            e.HasKey(t => new { t.InvoiceId, t.RatePercent });
            e.Property(t => t.RatePercent).ValueGeneratedNever();
        });

        builder.Entity<TenantStripeAccount>(e =>
        {
            e.ToTable("TenantStripeAccounts");
            e.HasKey(a => a.TenantId);
            e.Property(a => a.CustomerId).HasMaxLength(255).IsUnicode(false);
            e.Property(a => a.BillingEmail).HasMaxLength(256);
            e.Property(a => a.Version).IsConcurrencyToken();
            e.HasOne<Tenancy.Tenant>().WithOne().HasForeignKey<TenantStripeAccount>(a => a.TenantId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<StripeInvoiceSync>(e =>
        {
            e.ToTable("StripeInvoiceSyncs");
            e.HasKey(s => s.InvoiceId);
            e.Property(s => s.InvoiceNumber).HasMaxLength(40).IsUnicode(false);
            e.Property(s => s.CustomerId).HasMaxLength(255).IsUnicode(false);
            e.Property(s => s.StripeInvoiceId).HasMaxLength(255).IsUnicode(false);
            e.Property(s => s.State).HasConversion<string>().HasMaxLength(20).IsUnicode(false);
            e.Property(s => s.LastEventId).HasMaxLength(255).IsUnicode(false);
            e.Property(s => s.LastError).HasMaxLength(500);
            e.Property(s => s.Version).IsConcurrencyToken();
            e.HasIndex(s => new { s.TenantId, s.Month });
            // Webhooks find our invoice by Stripe's id.
            e.HasIndex(s => s.StripeInvoiceId).IsUnique().HasFilter($"{Q("StripeInvoiceId")} IS NOT NULL");
            e.HasOne<Invoice>().WithOne().HasForeignKey<StripeInvoiceSync>(s => s.InvoiceId).OnDelete(DeleteBehavior.Restrict);
        });
    }

    /// <summary>Issued invoices are immutable: any update or delete of one is a programming error.</summary>
    public static void RefuseInvoiceChanges(ChangeTracker tracker)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        foreach (var entry in tracker.Entries())
        {
            if (entry.Entity is Invoice or InvoiceLine or InvoiceTax && entry.State is EntityState.Modified or EntityState.Deleted)
            {
                throw new InvalidOperationException("issued invoices are immutable; issue a correction instead");
            }
        }
    }
}
