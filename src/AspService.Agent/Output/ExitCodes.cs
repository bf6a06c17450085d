namespace AspService.Agent.Output;

/// <summary>
/// Process exit codes of <c>aspagent</c>; documented in docs/agent.md and decision 0050. Scripts rely on
/// them, so a number never changes meaning.
/// </summary>
public enum ExitCode
{
    Ok = 0,

    /// <summary>A local failure: unreadable or unwritable files, a corrupt configuration, an unexpected answer.</summary>
    Failed = 1,

    /// <summary>Bad arguments: missing or invalid options, http to a non-loopback host.</summary>
    Usage = 2,

    /// <summary>No agent configuration in the configuration directory (status, renew, unenroll).</summary>
    NotEnrolled = 3,

    /// <summary>enroll found an existing enrollment and --force was not given.</summary>
    AlreadyEnrolled = 4,

    /// <summary>The server answered with an error (problem+json or another HTTP error status).</summary>
    ServerProblem = 5,

    /// <summary>The mTLS endpoint refused the connection: the certificate is revoked, unknown or not accepted.</summary>
    Refused = 6,

    /// <summary>The server could not be reached (name resolution, connection, timeout).</summary>
    Unreachable = 7,

    /// <summary>The server's TLS certificate did not validate (pinned provider CA, system trust or host name).</summary>
    UntrustedServer = 8,

    /// <summary>renew without --if-due before the renewal window opened.</summary>
    RenewalNotOpen = 9,

    /// <summary>connect: the telework policy refused the session (every reason is printed, one per line).</summary>
    SessionDenied = 10,

    /// <summary>connect: the office PC is offline (no control connection) or cannot be used.</summary>
    OfficeUnavailable = 11,

    /// <summary>connect: no assigned office terminal matches (none assigned, unknown name or id).</summary>
    OfficeNotFound = 12,

    /// <summary>connect: the device sign-in was denied, expired or failed.</summary>
    SignInFailed = 13,

    /// <summary>connect: nothing connected to the local port before the session ticket ran out.</summary>
    NoLocalConnection = 14,

    /// <summary>Interrupted (Ctrl+C), the shell convention 128 + SIGINT.</summary>
    Cancelled = 130,
}
