using System.Text.Json;
using System.Text.Json.Serialization;

namespace AspService.Agent.Home;

/// <summary><c>GET /api/v1/relay/offices</c>: an office terminal assigned to the signed-in staff member.</summary>
public sealed class OfficeView
{
    public Guid Id { get; set; }

    public string Name { get; set; } = "";

    public string? Location { get; set; }

    public bool Online { get; set; }
}

/// <summary><c>POST /api/v1/relay/sessions</c>.</summary>
public sealed record SessionRequest(Guid OfficeTerminalId);

/// <summary>Which redirection channels the tenant's policy allows (true = allowed); written into the .rdp file.</summary>
public sealed class RedirectionView
{
    public bool Clipboard { get; set; }

    public bool Drives { get; set; }

    public bool Printers { get; set; }

    public bool Ports { get; set; }
}

/// <summary>The broker's answer (201): the single-use ticket and the relay node to present it to.</summary>
public sealed class SessionOffer
{
    public Guid SessionId { get; set; }

    public string Ticket { get; set; } = "";

    public Uri? RelayUrl { get; set; }

    /// <summary>The relay node's raw data tunnel (decision 0075); absent from older relays.</summary>
    public Uri? TunnelUrl { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public RedirectionView Redirection { get; set; } = new();

    public TimeSpan MaxSessionLength { get; set; }

    public TimeSpan IdleTimeout { get; set; }
}

/// <summary>tokens.json: the staff member's tokens from the device flow, for the server they were issued by.</summary>
public sealed class SavedTokens
{
    public int Version { get; set; } = 1;

    public Uri? Server { get; set; }

    public string AccessToken { get; set; } = "";

    public DateTimeOffset AccessTokenExpiresAt { get; set; }

    public string? RefreshToken { get; set; }

    public DateTimeOffset SavedAt { get; set; }
}

/// <summary><c>GET /api/v1/relay/sessions/{id}</c>: how a session ended (asked after a tunnel closed, which carries no reason).</summary>
public sealed class SessionStatusView
{
    public string? State { get; set; }

    public string? EndReason { get; set; }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(List<OfficeView>))]
[JsonSerializable(typeof(SessionRequest))]
[JsonSerializable(typeof(SessionOffer))]
[JsonSerializable(typeof(SavedTokens))]
[JsonSerializable(typeof(SessionStatusView))]
internal sealed partial class HomeJson : JsonSerializerContext;
