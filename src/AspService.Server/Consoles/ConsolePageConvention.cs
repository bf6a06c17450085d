using AspService.Server.Tenancy;
using Microsoft.AspNetCore.Mvc.ApplicationModels;

namespace AspService.Server.Consoles;

/// <summary>
/// Every Razor page is a console page; pages whose model is marked <see cref="TenantScopedAttribute"/> (all
/// <see cref="TenantPageModel"/>s) exist only inside a tenant, the others only outside one (the tenant guard).
/// </summary>
internal sealed class ConsolePageConvention : IPageApplicationModelConvention
{
    public void Apply(PageApplicationModel model)
    {
        model.EndpointMetadata.Add(new ConsolePageAttribute());
        if (model.ModelType?.IsDefined(typeof(TenantScopedAttribute), inherit: true) == true)
        {
            model.EndpointMetadata.Add(new TenantScopedAttribute());
        }
    }
}
