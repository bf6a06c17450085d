using AspService.Data.Tenancy;
using AspService.Tenancy;

namespace AspService.Server.Tenancy;

public sealed record TenantDto(
    Guid Id,
    string Code,
    string Name,
    string Kana,
    string PrefectureCode,
    TenantState State,
    string AdminEmail,
    string? Department,
    DateTimeOffset CreatedAt,
    DateTimeOffset StateChangedAt,
    string? SuspendReason,
    DateTimeOffset? DropAfter,
    string? ArchiveFile,
    string? SchemaVersion,
    IReadOnlyList<string> CompletedSteps)
{
    public static TenantDto From(Tenant t, IReadOnlyList<string>? steps = null) => new(
        t.Id, t.Code, t.Name, t.Kana, t.PrefectureCode, t.State, t.AdminEmail, t.Department, t.CreatedAt,
        t.StateChangedAt, t.SuspendReason, t.DropAfter, t.ArchiveFile, t.SchemaVersion, steps ?? []);
}

public sealed record ApplicationDto(
    Guid Id,
    string Code,
    string Name,
    string Department,
    string ContactName,
    string Email,
    string Phone,
    DateOnly PreferredStartDate,
    ApplicationState State,
    string? RejectionReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DecidedAt,
    Guid? TenantId)
{
    public static ApplicationDto From(SignupApplication a) => new(
        a.Id, a.Code, a.Name, a.Department, a.ContactName, a.Email, a.Phone, a.PreferredStartDate, a.State,
        a.RejectionReason, a.CreatedAt, a.DecidedAt, a.TenantId);
}

/// <summary>What an anonymous caller learns about an application: its state and the municipality, no personal data.</summary>
public sealed record SignupStatusDto(Guid Id, string Code, string Name, ApplicationState State);
