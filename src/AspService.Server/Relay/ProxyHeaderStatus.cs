namespace AspService.Server.Relay;

/// <summary>What the first bytes of a connection say about a PROXY protocol header.</summary>
public enum ProxyHeaderStatus
{
    /// <summary>No PROXY header: the connection starts with something else (a TLS ClientHello).</summary>
    Absent,

    /// <summary>So far a header (or nothing decisive yet): more bytes are needed.</summary>
    Incomplete,

    /// <summary>A PROXY header that is malformed or not supported (version 1 text, UDP, UNIX sockets).</summary>
    Invalid,

    /// <summary>A version 2 PROXY command with the client's address.</summary>
    Proxied,

    /// <summary>A version 2 LOCAL command (or PROXY with an unspecified family): the proxy's own connection, e.g. a health check.</summary>
    Local,
}
