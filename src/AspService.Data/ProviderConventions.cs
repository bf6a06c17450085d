using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace AspService.Data;

/// <summary>Per-provider storage conventions shared by the catalog and tenant models.</summary>
public static class ProviderConventions
{
    public static void Apply(ModelConfigurationBuilder builder, string? providerName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (providerName == "Microsoft.EntityFrameworkCore.Sqlite")
        {
            // SQLite cannot order or compare DateTimeOffset text; store UTC ticks, which sort chronologically.
            builder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
            builder.Properties<DateTimeOffset?>().HaveConversion<UtcTicksConverter>();
        }
    }

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.UtcTicks,
        v => new DateTimeOffset(v, TimeSpan.Zero));
}
