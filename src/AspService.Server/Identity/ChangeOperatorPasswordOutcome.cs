using AspService.Data.Identity;

namespace AspService.Server.Identity;

/// <summary>
/// The changed operator (the caller re-issues its session from it), or why not: a refusal of the whole request
/// (<see cref="Unauthorized"/>, <see cref="RateLimited"/>, <see cref="PasswordExpired"/>) or errors by field
/// (<c>currentPassword</c>, <c>newPassword</c>) with a code: <see cref="CurrentWrong"/>, a
/// <see cref="AspService.Identity.PasswordRules"/> rule, or Identity's own message in <see cref="FieldError.Message"/>.
/// Callers put the codes into words.
/// </summary>
public sealed record ChangeOperatorPasswordOutcome(OperatorUser? User, string? Refusal, IReadOnlyList<ChangeOperatorPasswordOutcome.FieldError> Errors)
{
    public const string Unauthorized = "unauthorized";
    public const string RateLimited = "rate_limited";
    public const string PasswordExpired = "password_expired";
    public const string CurrentWrong = "current_wrong";

    public sealed record FieldError(string Field, string Code, string? Message = null);

    public bool Succeeded => User is not null && Refusal is null && Errors.Count == 0;

    public static ChangeOperatorPasswordOutcome Done(OperatorUser user) => new(user, null, []);

    public static ChangeOperatorPasswordOutcome Refused(string refusal) => new(null, refusal, []);

    public static ChangeOperatorPasswordOutcome Invalid(params FieldError[] errors) => new(null, null, errors);
}
