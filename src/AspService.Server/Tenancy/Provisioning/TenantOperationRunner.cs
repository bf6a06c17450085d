using AspService.Data.Catalog;
using AspService.Data.Tenancy;
using AspService.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Tenancy.Provisioning;

public enum OperationOutcome
{
    Completed,
    Waiting,
    NotApplicable,
}

/// <summary>
/// Runs a tenant operation's steps in order, skipping those the catalog records as done, and records each
/// step right after it finishes. A crash anywhere resumes at the first unrecorded step.
/// </summary>
public sealed class TenantOperationRunner(
    IEnumerable<ITenantStep> steps,
    IDbContextFactory<CatalogDbContext> catalogs,
    TimeProvider time,
    ILogger<TenantOperationRunner> logger,
    Observability.ServiceMetrics metrics)
{
    private readonly ITenantStep[] _steps = [.. steps.OrderBy(s => s.Order)];

    public IReadOnlyList<string> StepNames(string operation) =>
        [.. _steps.Where(s => s.Operation == operation).Select(s => s.Name)];

    /// <summary>
    /// For a tenant provisioned by an older version: runs the provisioning steps added since (e.g. a new
    /// feature's seed data), without changing its state. Returns the names of the steps it ran.
    /// </summary>
    public async Task<IReadOnlyList<string>> CatchUpAsync(Guid tenantId, CancellationToken ct)
    {
        await using var catalog = await catalogs.CreateDbContextAsync(ct);
        var tenant = await catalog.Tenants.SingleOrDefaultAsync(t => t.Id == tenantId, ct);
        if (tenant is null || tenant.State is not (TenantState.Active or TenantState.Suspended))
        {
            return [];
        }

        var done = await catalog.TenantOperationSteps
            .Where(s => s.TenantId == tenantId && s.Operation == TenantOperations.Provision)
            .Select(s => s.Step).ToListAsync(ct);
        var ran = new List<string>();
        var binding = new TenantBinding(tenant.Id, tenant.Code, tenant.DatabaseName);
        foreach (var step in _steps.Where(s => s.Operation == TenantOperations.Provision && !done.Contains(s.Name)))
        {
            await step.RunAsync(tenant, binding, ct);
            catalog.TenantOperationSteps.Add(new TenantOperationStep
            {
                TenantId = tenantId,
                Operation = TenantOperations.Provision,
                Step = step.Name,
                CompletedAt = time.GetUtcNow(),
            });
            await catalog.SaveChangesAsync(ct);
            ran.Add(step.Name);
            logger.LogInformation("Tenant {TenantId}: provisioning step {Step} caught up", tenantId, step.Name);
        }

        return ran;
    }

    public async Task<OperationOutcome> RunAsync(Guid tenantId, string operation, CancellationToken ct)
    {
        await using var catalog = await catalogs.CreateDbContextAsync(ct);
        var tenant = await catalog.Tenants.SingleOrDefaultAsync(t => t.Id == tenantId, ct);
        var expected = operation == TenantOperations.Provision ? TenantState.Provisioning : TenantState.Decommissioning;
        if (tenant is null || tenant.State != expected)
        {
            return OperationOutcome.NotApplicable;
        }

        var binding = new TenantBinding(tenant.Id, tenant.Code, tenant.DatabaseName);
        var done = await catalog.TenantOperationSteps
            .Where(s => s.TenantId == tenantId && s.Operation == operation)
            .Select(s => s.Step)
            .ToListAsync(ct);

        foreach (var step in _steps.Where(s => s.Operation == operation && !done.Contains(s.Name)))
        {
            if (!step.IsDue(tenant, time.GetUtcNow()))
            {
                await catalog.SaveChangesAsync(ct);
                return OperationOutcome.Waiting;
            }

            await step.RunAsync(tenant, binding, ct);
            catalog.TenantOperationSteps.Add(new TenantOperationStep
            {
                TenantId = tenantId,
                Operation = operation,
                Step = step.Name,
                CompletedAt = time.GetUtcNow(),
            });
            await catalog.SaveChangesAsync(ct);
            logger.LogInformation("Tenant {TenantId} {Operation}: step {Step} done", tenantId, operation, step.Name);
        }

        var final = operation == TenantOperations.Provision ? TenantState.Active : TenantState.Deleted;
        if (final == TenantState.Active)
        {
            metrics.Provisioned(time.GetUtcNow() - tenant.StateChangedAt);
        }

        tenant.State = final;
        tenant.StateChangedAt = time.GetUtcNow();
        tenant.Version++;
        await catalog.SaveChangesAsync(ct);
        logger.LogInformation("Tenant {TenantId} {Operation} completed: {State}", tenantId, operation, final);
        return OperationOutcome.Completed;
    }
}
