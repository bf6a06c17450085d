using Microsoft.EntityFrameworkCore;

namespace AspService.Data.Policy;

/// <summary>The telework policy's table of the tenant database: one row, the whole document as JSON.</summary>
public static class PolicyModel
{
    public static void Configure(ModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Entity<PolicyDocument>(e =>
        {
            e.ToTable("Policy");
            e.HasKey(p => p.Id);
            e.Property(p => p.Id).ValueGeneratedNever();
            e.Property(p => p.Version).IsConcurrencyToken();
        });
    }
}
