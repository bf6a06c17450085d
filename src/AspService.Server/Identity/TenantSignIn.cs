namespace AspService.Server.Identity;

/// <summary>
/// Transitional: features outside Identity still read the client address here. The sign-in itself is
/// <see cref="TenantSignInFlow"/> (use cases) and <see cref="TenantSignInEndpoints"/> (HTTP edge); see decision 0101.
/// </summary>
public static class TenantSignIn
{
    /// <summary>The same as <see cref="TenantSignInEndpoints.Client"/>; callers should move there.</summary>
    public static string? Client(HttpContext http) => TenantSignInEndpoints.Client(http);
}
