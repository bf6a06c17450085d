namespace AspService.Data.Tenancy;

/// <summary>
/// The one tenant a request, job or connection works for. Created once from the catalog and never changed.
/// </summary>
public sealed record TenantBinding(Guid TenantId, string Code, string DatabaseName);
