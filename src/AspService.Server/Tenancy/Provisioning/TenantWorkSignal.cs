namespace AspService.Server.Tenancy.Provisioning;

/// <summary>
/// Raised when this process records new tenant work (onboarding, decommissioning), so the jobs feature can
/// queue an immediate run instead of waiting for the recurring one.
/// </summary>
public sealed class TenantWorkSignal
{
    public event Action? Notified;

    public void Notify() => Notified?.Invoke();
}
