namespace AspService.Server.Sessions;

/// <summary>
/// One line of the history: a session (requested, live or ended) or a request the broker refused, which never became
/// a session and is known only from the audit log. <see cref="ReasonCodes"/> are the policy's stable denial codes
/// (<c>PolicyDenialCode</c> names, or <c>office_inactive</c>), for a broker refusal or a session the relay refused at pairing.
/// </summary>
public sealed record SessionHistoryRow(
    DateTimeOffset At, Guid UserId, string? UserName, string? OfficeName, Guid? SessionId, string State,
    DateTimeOffset? StartedAt, DateTimeOffset? EndedAt, string? EndReason, IReadOnlyList<string> ReasonCodes);
