using AspService.Data.Catalog;
using AspService.Server.Audit;
using AspService.Data.Tenancy;
using AspService.Server.Hosting;
using AspService.Server.Tenancy.Provisioning;
using AspService.Tenancy;
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

    public async Task<Outcome<ApplicationDto>> SubmitAsync(SubmitRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
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
            return errors.ToFailure();
        }

        var lg = lookup.Entry!;
        if (await ConflictAsync(lg, ct) is { } conflict)
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
        return ApplicationDto.From(application);
    }

    /// <summary>Approves a pending application for the acting operator: onboards the tenant and starts provisioning.</summary>
    public async Task<Outcome<ApplicationDto>> ApproveAsync(Guid applicationId, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (await catalog.SignupApplications.SingleOrDefaultAsync(a => a.Id == applicationId, ct) is not { } application)
        {
            return Failures.NotFound();
        }

        if (application.State != ApplicationState.Pending)
        {
            return Decided(application);
        }

        var lg = LocalGovernmentDirectory.Shipped.Find(application.Code)!;
        if (await TenantOnboarding.CodeConflictAsync(catalog, lg, ct) is { } conflict)
        {
            return conflict;
        }

        var now = time.GetUtcNow();
        var tenant = TenantOnboarding.NewTenant(lg, application.Email, application.Department, now);
        catalog.Tenants.Add(tenant);
        application.State = ApplicationState.Approved;
        application.DecidedAt = now;
        application.DecidedBy = actor.UserId;
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
            return Failures.Of(StatusCodes.Status409Conflict, "concurrent_change");
        }

        signal.Notify();
        await mail.ApprovedAsync(application, ct);
        return ApplicationDto.From(application);
    }

    /// <summary>Rejects a pending application with the reason the applicant is told.</summary>
    public async Task<Outcome<ApplicationDto>> RejectAsync(Guid applicationId, RejectRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        if (await catalog.SignupApplications.SingleOrDefaultAsync(a => a.Id == applicationId, ct) is not { } application)
        {
            return Failures.NotFound();
        }

        var errors = new FieldErrors();
        var reason = errors.Required("reason", request.Reason, 500);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        if (application.State != ApplicationState.Pending)
        {
            return Decided(application);
        }

        application.State = ApplicationState.Rejected;
        application.RejectionReason = reason;
        application.DecidedAt = time.GetUtcNow();
        application.DecidedBy = actor.UserId;
        application.Version++;
        try
        {
            await catalog.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            catalog.ChangeTracker.Clear();
            return Failures.Of(StatusCodes.Status409Conflict, "concurrent_change");
        }

        await mail.RejectedAsync(application, ct);
        return ApplicationDto.From(application);
    }

    private static Failure Decided(SignupApplication application) =>
        Failures.Field("state", Text.Get("application_decided", application.State), StatusCodes.Status409Conflict);

    private async Task<Failure?> ConflictAsync(LocalGovernment lg, CancellationToken ct)
    {
        if (await TenantOnboarding.CodeConflictAsync(catalog, lg, ct) is { } tenantConflict)
        {
            return tenantConflict;
        }

        var pending = await catalog.SignupApplications.AnyAsync(a => a.Code == lg.Code && a.State == ApplicationState.Pending, ct);
        return pending
            ? Failures.Field("code", Text.Get("code_has_application", lg.Name, lg.Code), StatusCodes.Status409Conflict)
            : null;
    }
}
