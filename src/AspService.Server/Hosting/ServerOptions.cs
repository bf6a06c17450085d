namespace AspService.Server.Hosting;

/// <summary>Which roles this process runs (section <c>Server</c>, or <c>--roles web,relay,jobs</c>).</summary>
public sealed class ServerOptions
{
    public const string Section = "Server";

    /// <summary>Comma-separated subset of <c>web</c>, <c>relay</c>, <c>jobs</c>. The embedded default runs all three.</summary>
    public string Roles { get; set; } = "web,relay,jobs";

    /// <summary>Apply catalog migrations at start (embedded default). Production runs the <c>migrate</c> command instead.</summary>
    public bool MigrateCatalogOnStart { get; set; } = true;

    public ServerRoles ParsedRoles => ServerRolesParser.Parse(Roles);
}

[Flags]
public enum ServerRoles
{
    None = 0,
    Web = 1,
    Relay = 2,
    Jobs = 4,
}

public static class ServerRolesParser
{
    public static ServerRoles Parse(string? text)
    {
        var roles = ServerRoles.None;
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            roles |= part.ToLowerInvariant() switch
            {
                "web" => ServerRoles.Web,
                "relay" => ServerRoles.Relay,
                "jobs" => ServerRoles.Jobs,
                "all" => ServerRoles.Web | ServerRoles.Relay | ServerRoles.Jobs,
                _ => throw new FormatException($"unknown role '{part}' (use web, relay, jobs)"),
            };
        }

        return roles == ServerRoles.None ? throw new FormatException("no role given (use web, relay, jobs)") : roles;
    }
}
