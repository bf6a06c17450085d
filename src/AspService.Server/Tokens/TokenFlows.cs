namespace AspService.Server.Tokens;

/// <summary>
/// The claims the device flow puts in its grants and tokens (the agent's validator reads them too). The flow
/// itself: <see cref="DeviceGrants"/> (decisions) and <see cref="DeviceFlowHandler"/> (OpenIddict's pass-through).
/// </summary>
public static class TokenFlows
{
    public const string TenantClaim = "tid";
    public const string StampClaim = "stamp";
}
