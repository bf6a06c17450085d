using System.Security.Claims;

namespace AspService.Server.Identity;

/// <summary>
/// An operator signed in with a temporary password reaches only <c>/api/v1/ops/me</c> and
/// <c>/api/v1/ops/me/password</c>; everything else answers 403 <c>password_change_required</c>.
/// </summary>
public static class OperatorPasswordGateHandler
{
    public static bool Pending(ClaimsPrincipal? user) => user?.HasClaim(OperatorAuth.PasswordChangeClaim, "true") == true;

    public static bool Allows(ClaimsPrincipal user, object? resource) =>
        !Pending(user)
        || (resource is HttpContext http && http.GetEndpoint()?.Metadata.GetMetadata<AllowWithTemporaryPasswordAttribute>() is not null);
}
