using AspService.Data.Catalog;
using AspService.Data.Tenancy;
using AspService.Server.Hosting;
using AspService.Server.Tenancy.Provisioning;
using AspService.Tenancy;
using AspService.Common;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Tenancy;

/// <summary>
/// Creates a tenant for a local government code and queues its provisioning. The unique index on live
/// codes is the final word on duplicates, so two operators racing for one code cannot both win.
/// </summary>
public sealed class TenantOnboarding(CatalogDbContext catalog, TimeProvider time, TenantWorkSignal signal)
{
    public sealed record Request(string? Code, string? AdminEmail, string? Department);

    public async Task<Outcome<TenantDto>> OnboardAsync(Request request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new FieldErrors();
        var lookup = LocalGovernmentDirectory.Shipped.Lookup(request.Code);
        if (!lookup.Success)
        {
            errors.Add("code", CodeProblems.Message(lookup));
        }

        var email = errors.Email("adminEmail", request.AdminEmail);
        var department = errors.Optional("department", request.Department, 100);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        if (await CodeConflictAsync(catalog, lookup.Entry!, ct) is { } conflict)
        {
            return conflict;
        }

        var tenant = NewTenant(lookup.Entry!, email!, department, time.GetUtcNow());
        catalog.Tenants.Add(tenant);
        if (!await TrySaveAsync(catalog, ct))
        {
            return await CodeConflictAsync(catalog, lookup.Entry!, ct)
                ?? throw new InvalidOperationException("tenant insert failed without a code conflict");
        }

        signal.Notify();
        return TenantDto.From(tenant);
    }

    /// <summary>A new tenant goes straight from Approved to Provisioning; the row records the latter.</summary>
    public static Tenant NewTenant(LocalGovernment lg, string adminEmail, string? department, DateTimeOffset now)
    {
        var id = Guid.CreateVersion7(now);
        return new Tenant
        {
            Id = id,
            Code = lg.Code,
            Name = lg.Name,
            Kana = lg.Kana,
            PrefectureCode = lg.PrefectureCode,
            State = TenantState.Provisioning,
            DatabaseName = $"t{lg.Code}_{id.ToString("N")[^8..]}",
            AdminEmail = adminEmail,
            Department = department,
            CreatedAt = now,
            StateChangedAt = now,
        };
    }

    public static async Task<Failure?> CodeConflictAsync(CatalogDbContext catalog, LocalGovernment lg, CancellationToken ct)
    {
        var live = await catalog.Tenants.AsNoTracking()
            .Where(t => t.Code == lg.Code && t.State != TenantState.Deleted)
            .Select(t => (TenantState?)t.State).FirstOrDefaultAsync(ct);
        return live is { } state
            ? Failures.Field("code", Text.Get("code_has_tenant", lg.Name, lg.Code, state), StatusCodes.Status409Conflict)
            : null;
    }

    /// <summary>Saves; on a unique-index violation discards the pending changes and returns false.</summary>
    public static async Task<bool> TrySaveAsync(CatalogDbContext catalog, CancellationToken ct)
    {
        try
        {
            await catalog.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException ex) when (ex is not DbUpdateConcurrencyException)
        {
            catalog.ChangeTracker.Clear();
            return false;
        }
    }
}
