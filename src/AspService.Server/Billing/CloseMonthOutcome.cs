namespace AspService.Server.Billing;

/// <summary>
/// The month closed (<see cref="Closed"/>), or why not: <see cref="Refusal"/> (a problem type: the month has not
/// ended, the issuer settings are incomplete, a tenant has no plan) with its localized <see cref="Message"/>.
/// </summary>
public sealed record CloseMonthOutcome(MonthlyClose.Result? Closed, string? Refusal, string? Message)
{
    public const string MonthNotEnded = "month-not-ended";
    public const string IssuerMissing = "billing-issuer-missing";
    public const string PlanMissing = "billing-plan-missing";

    public static CloseMonthOutcome Done(MonthlyClose.Result closed) => new(closed, null, null);

    public static CloseMonthOutcome Refused(string refusal, string message) => new(null, refusal, message);
}
