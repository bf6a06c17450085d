using AspService.Data.Catalog;
using AspService.Data.Tenancy;
using AspService.Server.Hosting;
using AspService.Server.Tenancy.Provisioning;
using AspService.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using AspService.Common;

namespace AspService.Server.Tenancy;

/// <summary>Self-service applications (利用申込) and the operator's decision on them.</summary>
public sealed class Signups(CatalogDbContext catalog, TimeProvider time, TenantWorkSignal signal, ApplicantMail mail)
{
    public sealed record SubmitRequest(
        string? Code,
        string? Department,
        string? ContactName,
        string? Email,
        string? Phone,
        DateOnly? PreferredStartDate);

    public sealed record RejectRequest(string? Reason);

    public async Task<Results<Created<ApplicationDto>, ProblemHttpResult>> SubmitAsync(SubmitRequest request, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var lookup = LocalGovernmentDirectory.Shipped.Lookup(request.Code);
        if (!lookup.Success)
        {
            errors.Add("code", CodeProblems.Message(lookup));
        }

        var department = errors.Required("department", request.Department, 100);
        var contact = errors.Required("contactName", request.ContactName, 100);
        var email = errors.Email("email", request.Email);
        var phone = errors.Required("phone", request.Phone, 30);
        if (phone is not null && !Validation.IsPhone(phone))
        {
            errors.Add("phone", Text.Get("invalid_phone"));
        }

        var today = Jst.Today(time.GetUtcNow());
        if (request.PreferredStartDate is null)
        {
            errors.Add("preferredStartDate", Text.Get("required"));
        }
        else if (request.PreferredStartDate < today)
        {
            errors.Add("preferredStartDate", Text.Get("date_past"));
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var lg = lookup.Entry!;
        var conflict = await ConflictAsync(lg, ct);
        if (conflict is not null)
        {
            return conflict;
        }

        var application = new SignupApplication
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            Code = lg.Code,
            Name = lg.Name,
            Department = department!,
            ContactName = contact!,
            Email = email!,
            Phone = phone!,
            PreferredStartDate = request.PreferredStartDate!.Value,
            State = ApplicationState.Pending,
            CreatedAt = time.GetUtcNow(),
        };
        catalog.SignupApplications.Add(application);
        if (!await TenantOnboarding.TrySaveAsync(catalog, ct))
        {
            return await ConflictAsync(lg, ct) ?? throw new InvalidOperationException("application insert failed without a conflict");
        }

        await mail.ReceivedAsync(application, ct);
        return TypedResults.Created($"/api/v1/signups/{application.Id}", ApplicationDto.From(application));
    }

    public async Task<Results<Ok<ApplicationDto>, ProblemHttpResult>> ApproveAsync(SignupApplication application, Guid operatorId, CancellationToken ct)
    {
        if (application.State != ApplicationState.Pending)
        {
            return Problems.Field("state", Text.Get("application_decided", application.State), StatusCodes.Status409Conflict);
        }

        var lg = LocalGovernmentDirectory.Shipped.Find(application.Code)!;
        var conflict = await TenantOnboarding.CodeConflictAsync(catalog, lg, ct);
        if (conflict is not null)
        {
            return conflict;
        }

        var now = time.GetUtcNow();
        var tenant = TenantOnboarding.NewTenant(lg, application.Email, application.Department, now);
        catalog.Tenants.Add(tenant);
        application.State = ApplicationState.Approved;
        application.DecidedAt = now;
        application.DecidedBy = operatorId;
        application.TenantId = tenant.Id;
        application.Version++;
        try
        {
            if (!await TenantOnboarding.TrySaveAsync(catalog, ct))
            {
                return await TenantOnboarding.CodeConflictAsync(catalog, lg, ct)
                    ?? throw new InvalidOperationException("approval failed without a conflict");
            }
        }
        catch (DbUpdateConcurrencyException)
        {
            catalog.ChangeTracker.Clear();
            return Problems.Of(StatusCodes.Status409Conflict, "concurrent_change");
        }

        signal.Notify();
        await mail.ApprovedAsync(application, ct);
        return TypedResults.Ok(ApplicationDto.From(application));
    }

    public async Task<Results<Ok<ApplicationDto>, ProblemHttpResult>> RejectAsync(SignupApplication application, RejectRequest request, Guid operatorId, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var reason = errors.Required("reason", request.Reason, 500);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (application.State != ApplicationState.Pending)
        {
            return Problems.Field("state", Text.Get("application_decided", application.State), StatusCodes.Status409Conflict);
        }

        application.State = ApplicationState.Rejected;
        application.RejectionReason = reason;
        application.DecidedAt = time.GetUtcNow();
        application.DecidedBy = operatorId;
        application.Version++;
        try
        {
            await catalog.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            catalog.ChangeTracker.Clear();
            return Problems.Of(StatusCodes.Status409Conflict, "concurrent_change");
        }

        await mail.RejectedAsync(application, ct);
        return TypedResults.Ok(ApplicationDto.From(application));
    }

    private async Task<ProblemHttpResult?> ConflictAsync(LocalGovernment lg, CancellationToken ct)
    {
        var tenantConflict = await TenantOnboarding.CodeConflictAsync(catalog, lg, ct);
        if (tenantConflict is not null)
        {
            return tenantConflict;
        }

        var pending = await catalog.SignupApplications.AnyAsync(a => a.Code == lg.Code && a.State == ApplicationState.Pending, ct);
        return pending
            ? Problems.Field("code", Text.Get("code_has_application", lg.Name, lg.Code), StatusCodes.Status409Conflict)
            : null;
    }
}
