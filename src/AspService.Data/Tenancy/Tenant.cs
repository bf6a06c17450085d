using AspService.Tenancy;

namespace AspService.Data.Tenancy;

/// <summary>A municipality served by this deployment. Lives in the catalog.</summary>
public sealed class Tenant
{
    public Guid Id { get; set; }

    /// <summary>団体コード, six digits with check digit. Unique among tenants that are not Deleted.</summary>
    public required string Code { get; set; }

    public required string Name { get; set; }

    public required string Kana { get; set; }

    public required string PrefectureCode { get; set; }

    public TenantState State { get; set; }

    /// <summary>Name of the tenant's own database (file name on SQLite). Credentials are never stored.</summary>
    public required string DatabaseName { get; set; }

    public required string AdminEmail { get; set; }

    public string? Department { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset StateChangedAt { get; set; }

    public string? SuspendReason { get; set; }

    /// <summary>Set when decommissioning: the database is dropped after this instant.</summary>
    public DateTimeOffset? DropAfter { get; set; }

    /// <summary>Where the decommissioning export was written (relative to the archive folder).</summary>
    public string? ArchiveFile { get; set; }

    /// <summary>Last migration applied to the tenant database, recorded by provisioning and migrate-all.</summary>
    public string? SchemaVersion { get; set; }

    public DateTimeOffset? MigratedAt { get; set; }

    public string? MigrationError { get; set; }

    /// <summary>
    /// The municipality's egress networks (its LGWAN / internet exit addresses), CIDR, one per line. Sign-ins
    /// from them share the tenant's rate ceiling instead of the much smaller per-address one.
    /// </summary>
    public string? EgressNetworks { get; set; }

    /// <summary>Optimistic concurrency: two operators changing one tenant cannot both win.</summary>
    public int Version { get; set; }
}

/// <summary>A finished step of a resumable operation (provision, decommission) for one tenant.</summary>
public sealed class TenantOperationStep
{
    public Guid TenantId { get; set; }

    public required string Operation { get; set; }

    public required string Step { get; set; }

    public DateTimeOffset CompletedAt { get; set; }
}

public enum ApplicationState
{
    Pending,
    Approved,
    Rejected,
}

/// <summary>A municipality's self-service signup (利用申込).</summary>
public sealed class SignupApplication
{
    public Guid Id { get; set; }

    public required string Code { get; set; }

    public required string Name { get; set; }

    public required string Department { get; set; }

    public required string ContactName { get; set; }

    public required string Email { get; set; }

    public required string Phone { get; set; }

    public DateOnly PreferredStartDate { get; set; }

    public ApplicationState State { get; set; }

    public string? RejectionReason { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    public Guid? DecidedBy { get; set; }

    public Guid? TenantId { get; set; }

    public int Version { get; set; }
}
