using AspService.Data.Catalog;
using AspService.Data.Tenancy;
using AspService.Server.Hosting;
using AspService.Server.Tenancy.Provisioning;
using AspService.Tenancy;
using AspService.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AspService.Server.Tenancy;

/// <summary>Operator actions that move a tenant through its lifecycle; illegal moves are a 409 and change nothing.</summary>
public sealed class TenantLifecycleActions(
    CatalogDbContext catalog,
    TimeProvider time,
    TenantWorkSignal signal,
    IOptions<TenancyOptions> options)
{
    public sealed record SuspendRequest(string? Reason);

    public sealed record DecommissionRequest(string? ConfirmCode);

    /// <summary>Suspends the tenant named by <paramref name="key"/> (code or id): sign-in and connections stop, data stays.</summary>
    public async Task<Outcome<TenantDto>> SuspendAsync(string key, SuspendRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await TenantFinder.FindAsync(catalog, key, ct) is not { } tenant)
        {
            return TenantFinder.NotFound();
        }

        var errors = new FieldErrors();
        var reason = errors.Required("reason", request.Reason, 500);
        return errors.Any ? errors.ToFailure() : await MoveAsync(tenant, TenantState.Suspended, t => t.SuspendReason = reason, ct);
    }

    public async Task<Outcome<TenantDto>> ResumeAsync(string key, CancellationToken ct) =>
        await TenantFinder.FindAsync(catalog, key, ct) is { } tenant
            ? await MoveAsync(tenant, TenantState.Active, t => t.SuspendReason = null, ct)
            : TenantFinder.NotFound();

    public async Task<Outcome<TenantDto>> DecommissionAsync(string key, DecommissionRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await TenantFinder.FindAsync(catalog, key, ct) is not { } tenant)
        {
            return TenantFinder.NotFound();
        }

        // Irreversible: the operator types the code, as with deleting a repository.
        if (!string.Equals(request.ConfirmCode?.Trim(), tenant.Code, StringComparison.Ordinal))
        {
            return Failures.Field("confirmCode", Text.Get("confirm_mismatch"));
        }

        return await MoveAsync(tenant, TenantState.Decommissioning,
            t => t.DropAfter = time.GetUtcNow() + options.Value.DecommissionRetention, ct);
    }

    private async Task<Outcome<TenantDto>> MoveAsync(Tenant tenant, TenantState to, Action<Tenant> apply, CancellationToken ct)
    {
        if (!TenantLifecycle.CanMove(tenant.State, to))
        {
            return Failures.Field("state", Text.Get("illegal_transition", tenant.State, to), StatusCodes.Status409Conflict);
        }

        tenant.State = to;
        tenant.StateChangedAt = time.GetUtcNow();
        tenant.Version++;
        apply(tenant);
        try
        {
            await catalog.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            catalog.ChangeTracker.Clear();
            return Failures.Of(StatusCodes.Status409Conflict, "concurrent_change");
        }

        if (to == TenantState.Decommissioning)
        {
            signal.Notify();
        }

        if (to is TenantState.Suspended or TenantState.Decommissioning)
        {
            // A suspended tenant's live sessions and control connections close on every relay node.
            catalog.RelayCommands.Add(new Data.Relay.RelayCommand
            {
                TenantId = tenant.Id,
                Kind = Data.Relay.RelayCommandKind.CloseTenant,
                TargetId = tenant.Id,
                Reason = "tenant_suspended",
                CreatedAt = time.GetUtcNow(),
            });
            await catalog.SaveChangesAsync(ct);
        }

        return TenantDto.From(tenant);
    }
}
