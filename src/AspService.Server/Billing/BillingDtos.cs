using AspService.Billing;
using AspService.Data.Billing;

namespace AspService.Server.Billing;

public sealed record InvoiceLineDto(int LineNumber, string Code, string Description, long Quantity, string Unit, long UnitPrice, long Amount, int TaxRatePercent);

public sealed record InvoiceTaxDto(int RatePercent, long Subtotal, long Tax);

/// <summary>An invoice as the API and the JSON export show it. Amounts are whole yen.</summary>
public sealed record InvoiceDto(
    Guid Id,
    string Number,
    InvoiceKind Kind,
    string Month,
    Guid TenantId,
    string TenantCode,
    string RecipientName,
    DateOnly IssueDate,
    DateOnly PeriodStart,
    DateOnly PeriodEnd,
    string IssuerName,
    string IssuerAddress,
    string RegistrationNumber,
    string PlanCode,
    TaxRounding Rounding,
    long Subtotal,
    long Tax,
    long Total,
    string Currency,
    string? CancelsInvoiceNumber,
    string? CancelledByInvoiceNumber,
    string? Note,
    IReadOnlyList<InvoiceLineDto> Lines,
    IReadOnlyList<InvoiceTaxDto> Taxes)
{
    public static InvoiceDto From(Invoice i, string? cancels, string? cancelledBy) => new(
        i.Id, i.Number, i.Kind, BillingMonth.FromKey(i.Month).ToString(), i.TenantId, i.TenantCode, i.RecipientName, i.IssueDate,
        i.PeriodStart, i.PeriodEnd, i.IssuerName, i.IssuerAddress, i.RegistrationNumber, i.PlanCode, i.Rounding,
        i.Subtotal, i.Tax, i.Total, "JPY", cancels, cancelledBy, i.Note,
        [.. i.Lines.OrderBy(l => l.LineNumber).Select(l => new InvoiceLineDto(l.LineNumber, l.Code, l.Description, l.Quantity, l.Unit, l.UnitPrice, l.Amount, l.TaxRatePercent))],
        [.. i.Taxes.OrderBy(t => t.RatePercent).Select(t => new InvoiceTaxDto(t.RatePercent, t.Subtotal, t.Tax))]);
}

public sealed record PlanDto(
    Guid Id,
    string Code,
    string Name,
    DateOnly EffectiveFrom,
    DateOnly? EffectiveUntil,
    long BaseFee,
    long PerOfficeTerminal,
    long PerActiveUser,
    int IncludedSessionHours,
    long PerExtraHour,
    int Version)
{
    public static PlanDto From(Plan p) => new(p.Id, p.Code, p.Name, p.EffectiveFrom, p.EffectiveUntil, p.BaseFee, p.PerOfficeTerminal,
        p.PerActiveUser, p.IncludedSessionHours, p.PerExtraHour, p.Version);
}

public sealed record AssignmentDto(Guid Id, Guid TenantId, string PlanCode, DateOnly EffectiveFrom, DateOnly? EffectiveUntil)
{
    public static AssignmentDto From(TenantPlanAssignment a) => new(a.Id, a.TenantId, a.PlanCode, a.EffectiveFrom, a.EffectiveUntil);
}

public sealed record UsageDto(string Month, Guid TenantId, string TenantCode, string TenantName, int OfficeTerminals, int ActiveUsers, int Sessions, long SessionSeconds, DateTimeOffset? ComputedAt);

public sealed record DailyUsageDto(DateOnly Day, int OfficeTerminals, int ActiveUsers, int Sessions, long SessionSeconds);
