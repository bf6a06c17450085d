using System.Security.Claims;

namespace AspService.Server.Identity;

/// <summary>Marks the operator endpoints that answer while the operator still has to replace a temporary password.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class AllowWithTemporaryPasswordAttribute : Attribute;

/// <summary>
/// An operator signed in with a temporary password reaches only <c>/api/v1/ops/me</c> and
/// <c>/api/v1/ops/me/password</c>; everything else answers 403 <c>password_change_required</c>.
/// </summary>
public static class OperatorPasswordGate
{
    public static bool Pending(ClaimsPrincipal? user) => user?.HasClaim(OperatorAuth.PasswordChangeClaim, "true") == true;

    public static bool Allows(ClaimsPrincipal user, object? resource) =>
        !Pending(user)
        || (resource is HttpContext http && http.GetEndpoint()?.Metadata.GetMetadata<AllowWithTemporaryPasswordAttribute>() is not null);
}
