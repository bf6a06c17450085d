using AspService.Tenancy;

namespace AspService.Tests.Tenancy;

public sealed class TenantLifecycleTests
{
    private static readonly HashSet<(TenantState, TenantState)> Legal =
    [
        (TenantState.Applied, TenantState.Approved),
        (TenantState.Approved, TenantState.Provisioning),
        (TenantState.Provisioning, TenantState.Active),
        (TenantState.Active, TenantState.Suspended),
        (TenantState.Suspended, TenantState.Active),
        (TenantState.Active, TenantState.Decommissioning),
        (TenantState.Suspended, TenantState.Decommissioning),
        (TenantState.Decommissioning, TenantState.Deleted),
    ];

    [Fact]
    public void CanMove_EveryPair_OnlyTheDocumentedMoves()
    {
        foreach (var from in Enum.GetValues<TenantState>())
        {
            foreach (var to in Enum.GetValues<TenantState>())
            {
                Assert.Equal(Legal.Contains((from, to)), TenantLifecycle.CanMove(from, to));
            }
        }
    }

    [Fact]
    public void IsUsable_OnlyActive()
    {
        Assert.Equal([TenantState.Active], Enum.GetValues<TenantState>().Where(TenantLifecycle.IsUsable));
    }
}
