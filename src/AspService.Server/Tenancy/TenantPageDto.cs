namespace AspService.Server.Tenancy;

/// <summary>One page of the operator's tenant list and how many tenants match in all.</summary>
public sealed record TenantPageDto(int Total, int Page, int PageSize, IReadOnlyList<TenantDto> Items);
