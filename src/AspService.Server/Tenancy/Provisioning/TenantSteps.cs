using AspService.Data.Tenancy;

namespace AspService.Server.Tenancy.Provisioning;

/// <summary>Names of the resumable operations recorded in the catalog.</summary>
public static class TenantOperations
{
    public const string Provision = "provision";
    public const string Decommission = "decommission";
}

/// <summary>
/// One idempotent step of a resumable tenant operation. Running it twice must leave the same state as
/// running it once: a crash after the work but before the step is recorded makes the runner repeat it.
/// Later features add their own provisioning steps by registering more of these.
/// </summary>
public interface ITenantStep
{
    string Operation { get; }

    /// <summary>Stable name stored in the catalog; never rename a released step.</summary>
    string Name { get; }

    /// <summary>Position in the operation; gaps leave room for later features' steps.</summary>
    int Order { get; }

    /// <summary>False when the step may not run yet (e.g. the retention period has not passed).</summary>
    bool IsDue(Tenant tenant, DateTimeOffset now) => true;

    Task RunAsync(Tenant tenant, TenantBinding binding, CancellationToken ct);
}
