using AspService.Billing;
using AspService.Data.Billing;
using AspService.Data.Catalog;
using AspService.Common;
using AspService.Server.Hosting;
using AspService.Server.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Billing;

/// <summary>Operators' plan versions and tenant plan assignments, with the checks of decision 0020.</summary>
public sealed class PlanAdmin(CatalogDbContext catalog, TimeProvider time)
{
    public sealed record PlanRequest(
        string? Code,
        string? Name,
        DateOnly? EffectiveFrom,
        DateOnly? EffectiveUntil,
        long? BaseFee,
        long? PerOfficeTerminal,
        long? PerActiveUser,
        int? IncludedSessionHours,
        long? PerExtraHour,
        int? Version);

    public sealed record AssignRequest(string? PlanCode, DateOnly? EffectiveFrom);

    /// <summary>A new assignment and the code of the tenant it belongs to (the API's location names it).</summary>
    public sealed record Assigned(string TenantCode, AssignmentDto Assignment);

    public async Task<Outcome<PlanDto>> CreateAsync(PlanRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new FieldErrors();
        var code = errors.Required("code", request.Code, 40);
        if (code is not null && !code.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            errors.Add("code", BillingText.Get("plan_code"));
        }

        var plan = new Plan { Id = Guid.CreateVersion7(time.GetUtcNow()), Code = code ?? string.Empty, Name = string.Empty, CreatedAt = time.GetUtcNow() };
        if (!Apply(plan, request, errors))
        {
            return errors.ToFailure();
        }

        if (await OverlapAsync(plan, ct) is { } overlap)
        {
            return overlap;
        }

        catalog.Plans.Add(plan);
        if (!await TenantOnboarding.TrySaveAsync(catalog, ct))
        {
            return await OverlapAsync(plan, ct) ?? Failures.Of(StatusCodes.Status409Conflict, "concurrent_change");
        }

        return PlanDto.From(plan);
    }

    public async Task<Outcome<PlanDto>> UpdateAsync(Guid id, PlanRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var plan = await catalog.Plans.SingleOrDefaultAsync(p => p.Id == id, ct);
        if (plan is null)
        {
            return Failures.NotFound();
        }

        var errors = new FieldErrors();
        if (request.Code is not null && request.Code != plan.Code)
        {
            errors.Add("code", Text.Get("unknown_field"));
        }

        if (request.Version is null)
        {
            errors.Add("version", Text.Get("required"));
        }

        var used = await catalog.Invoices.AnyAsync(i => i.PlanId == id, ct);
        var before = plan.Prices;
        var beforeFrom = plan.EffectiveFrom;
        if (!Apply(plan, request, errors) || errors.Any)
        {
            return errors.ToFailure();
        }

        if (used && (plan.Prices != before || plan.EffectiveFrom != beforeFrom))
        {
            return Failures.Titled(StatusCodes.Status409Conflict, "plan-in-use", BillingText.Get("plan_in_use"));
        }

        if (await OverlapAsync(plan, ct) is { } overlap)
        {
            return overlap;
        }

        // The client's version must match: a stale form does not overwrite another operator's change.
        catalog.Entry(plan).Property(p => p.Version).OriginalValue = request.Version!.Value;
        plan.Version = request.Version.Value + 1;
        plan.UpdatedAt = time.GetUtcNow();
        try
        {
            await catalog.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return Failures.Of(StatusCodes.Status409Conflict, "concurrent_change");
        }

        return PlanDto.From(plan);
    }

    /// <summary>Deletes a plan version no invoice uses; true when done.</summary>
    public async Task<Outcome<bool>> DeleteAsync(Guid id, CancellationToken ct)
    {
        var plan = await catalog.Plans.SingleOrDefaultAsync(p => p.Id == id, ct);
        if (plan is null)
        {
            return Failures.NotFound();
        }

        if (await catalog.Invoices.AnyAsync(i => i.PlanId == id, ct))
        {
            return Failures.Titled(StatusCodes.Status409Conflict, "plan-in-use", BillingText.Get("plan_in_use"));
        }

        catalog.Plans.Remove(plan);
        await catalog.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>
    /// Puts a tenant on a plan from a day on: the open assignment (if any) ends that day. A new assignment
    /// must start after every existing one; history is changed only by adding to it.
    /// </summary>
    public async Task<Outcome<Assigned>> AssignAsync(string tenantKey, AssignRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await TenantFinder.FindAsync(catalog, tenantKey, ct) is not { } tenant)
        {
            return TenantFinder.NotFound();
        }

        var errors = new FieldErrors();
        var code = errors.Required("planCode", request.PlanCode, 40);
        if (request.EffectiveFrom is null)
        {
            errors.Add("effectiveFrom", Text.Get("required"));
        }

        if (code is not null && !await catalog.Plans.AnyAsync(p => p.Code == code, ct))
        {
            errors.Add("planCode", BillingText.Get("plan_unknown", code));
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        var from = request.EffectiveFrom!.Value;
        var existing = await catalog.TenantPlanAssignments.Where(a => a.TenantId == tenant.Id).ToListAsync(ct);
        if (existing.Any(a => a.EffectiveFrom >= from))
        {
            return Failures.Field("effectiveFrom", BillingText.Get("assignment_overlap", from.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)), StatusCodes.Status409Conflict);
        }

        foreach (var open in existing.Where(a => a.EffectiveUntil is null || a.EffectiveUntil > from))
        {
            open.EffectiveUntil = from;
        }

        var assignment = new TenantPlanAssignment
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            TenantId = tenant.Id,
            PlanCode = code!,
            EffectiveFrom = from,
            CreatedAt = time.GetUtcNow(),
        };
        catalog.TenantPlanAssignments.Add(assignment);
        if (!await TenantOnboarding.TrySaveAsync(catalog, ct))
        {
            return Failures.Of(StatusCodes.Status409Conflict, "concurrent_change");
        }

        return new Assigned(tenant.Code, AssignmentDto.From(assignment));
    }

    private static bool Apply(Plan plan, PlanRequest r, FieldErrors errors)
    {
        var name = errors.Required("name", r.Name, 100);
        if (r.EffectiveFrom is null)
        {
            errors.Add("effectiveFrom", Text.Get("required"));
        }

        long Price(string field, long? value)
        {
            if (value is null)
            {
                errors.Add(field, Text.Get("required"));
                return 0;
            }

            if (value < 0)
            {
                errors.Add(field, BillingText.Get("negative"));
            }

            return value.Value;
        }

        var prices = new PlanPrices(
            Price("baseFee", r.BaseFee),
            Price("perOfficeTerminal", r.PerOfficeTerminal),
            Price("perActiveUser", r.PerActiveUser),
            (int)Price("includedSessionHours", r.IncludedSessionHours),
            Price("perExtraHour", r.PerExtraHour));
        if (r.EffectiveFrom is { } from && !new DatePeriod(from, r.EffectiveUntil).IsValid)
        {
            errors.Add("effectiveUntil", BillingText.Get("period_order"));
        }

        if (errors.Any)
        {
            return false;
        }

        plan.Name = name!;
        plan.EffectiveFrom = r.EffectiveFrom!.Value;
        plan.EffectiveUntil = r.EffectiveUntil;
        plan.BaseFee = prices.BaseFee;
        plan.PerOfficeTerminal = prices.PerOfficeTerminal;
        plan.PerActiveUser = prices.PerActiveUser;
        plan.IncludedSessionHours = prices.IncludedSessionHours;
        plan.PerExtraHour = prices.PerExtraHour;
        return true;
    }

    private async Task<Failure?> OverlapAsync(Plan plan, CancellationToken ct)
    {
        var siblings = await catalog.Plans.AsNoTracking().Where(p => p.Code == plan.Code && p.Id != plan.Id).ToListAsync(ct);
        var clash = siblings.OrderBy(p => p.EffectiveFrom).FirstOrDefault(p => p.Period.Overlaps(plan.Period));
        return clash is null
            ? null
            : Failures.Field("effectiveFrom", BillingText.Get("plan_overlap", clash.Code, clash.EffectiveFrom.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                clash.EffectiveUntil?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "—"), StatusCodes.Status409Conflict);
    }
}
