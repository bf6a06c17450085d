using AspService.Common;
using AspService.Server.Hosting;

namespace AspService.Server.Terminals;

/// <summary>
/// The terminal after an administrator's change (as it was just before, for a deletion), or why not. Field messages
/// are already in the request's language, keyed by the API's field names (kind, name, location, ownerUserId, userId).
/// </summary>
public sealed record TerminalOutcome(TerminalDto? Terminal, TerminalError? Error, IReadOnlyDictionary<string, string[]>? Fields = null)
{
    public bool Succeeded => Error is null;

    public static TerminalOutcome Done(TerminalDto terminal) => new(terminal, null);

    public static TerminalOutcome Failed(TerminalError error) => new(null, error);

    /// <summary>Why not, in the shared vocabulary the HTTP edge turns into problem+json; null on success.</summary>
    public Failure? Failure => Error switch
    {
        null => null,
        TerminalError.Invalid => Failures.Fields(new Dictionary<string, string[]>(Fields!, StringComparer.Ordinal)),
        TerminalError.NotPending => Failures.Titled(StatusCodes.Status409Conflict, "terminal-not-pending", TerminalText.Get("not_pending")),
        TerminalError.OfficeOnly => Failures.Titled(StatusCodes.Status409Conflict, "office-only", TerminalText.Get("office_only")),
        _ => TerminalRegistry.NotFound,
    };

    public static TerminalOutcome Invalid(Dictionary<string, string[]> fields) => new(null, TerminalError.Invalid, fields);
}
