namespace AspService.Tenancy;

/// <summary>Applied → Approved → Provisioning → Active ⇄ Suspended → Decommissioning → Deleted.</summary>
public enum TenantState
{
    Applied,
    Approved,
    Provisioning,
    Active,
    Suspended,
    Decommissioning,
    Deleted,
}

public static class TenantLifecycle
{
    /// <summary>The only legal moves of a tenant's state; everything else is a 409.</summary>
    public static bool CanMove(TenantState from, TenantState to) => (from, to) switch
    {
        (TenantState.Applied, TenantState.Approved) => true,
        (TenantState.Approved, TenantState.Provisioning) => true,
        (TenantState.Provisioning, TenantState.Active) => true,
        (TenantState.Active, TenantState.Suspended) => true,
        (TenantState.Suspended, TenantState.Active) => true,
        (TenantState.Active, TenantState.Decommissioning) => true,
        (TenantState.Suspended, TenantState.Decommissioning) => true,
        (TenantState.Decommissioning, TenantState.Deleted) => true,
        _ => false,
    };

    /// <summary>A tenant whose code is taken: a new tenant or application for the same code is refused.</summary>
    public static bool HoldsCode(TenantState state) => state is not TenantState.Deleted;

    /// <summary>Only an active tenant can sign in, open sessions or be reached by tenant endpoints.</summary>
    public static bool IsUsable(TenantState state) => state == TenantState.Active;
}
