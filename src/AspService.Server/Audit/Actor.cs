namespace AspService.Server.Audit;

/// <summary>Who asks a use case to act (a signed-in tenant user) and from which address, for checks and the audit log.</summary>
public sealed record Actor(Guid UserId, string? Client)
{
    public string Id => UserId.ToString();
}
