namespace AspService.Server.Terminals;

/// <summary>Why an administrator's change to a terminal did nothing.</summary>
public enum TerminalError
{
    /// <summary>Field errors (see <see cref="TerminalOutcome.Fields"/>).</summary>
    Invalid,

    /// <summary>No such terminal in this tenant (another tenant's id looks the same).</summary>
    NotFound,

    /// <summary>Approval of a terminal that is not waiting for it.</summary>
    NotPending,

    /// <summary>Staff assignment to a home device (only office terminals are shared).</summary>
    OfficeOnly,
}
