namespace AspService.Server.Identity;

/// <summary>Marks the operator endpoints that answer while the operator still has to replace a temporary password.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class AllowWithTemporaryPasswordAttribute : Attribute;
