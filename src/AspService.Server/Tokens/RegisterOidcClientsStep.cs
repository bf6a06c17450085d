using AspService.Data.Tenancy;
using AspService.Server.Tenancy;
using AspService.Server.Tenancy.Provisioning;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AspService.Server.Tokens;

/// <summary>
/// Provisioning: registers the tenant's OAuth clients (the command-line agent, a public client using the
/// device authorization grant). Idempotent: an existing registration is brought up to date.
/// </summary>
internal sealed class RegisterOidcClientsStep(IServiceScopeFactory scopes) : ITenantStep
{
    public const string AgentClientId = "aspagent";

    public string Operation => TenantOperations.Provision;

    public string Name => "register-oidc-clients";

    public int Order => 500;

    public async Task RunAsync(Tenant tenant, TenantBinding binding, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantAccessor>().Set(binding);
        await EnsureAsync(scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>(), ct);
    }

    public static async Task EnsureAsync(IOpenIddictApplicationManager applications, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(applications);
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = AgentClientId,
            ClientType = ClientTypes.Public,
            DisplayName = "AspService agent",
            Permissions =
            {
                Permissions.Endpoints.DeviceAuthorization,
                Permissions.Endpoints.Token,
                Permissions.GrantTypes.DeviceCode,
                Permissions.GrantTypes.RefreshToken,
                Permissions.Scopes.Profile,
                Permissions.Scopes.Roles,
            },
        };
        descriptor.DisplayNames[new System.Globalization.CultureInfo("ja-JP")] = "テレワーク接続エージェント";
        var existing = await applications.FindByClientIdAsync(AgentClientId, ct);
        if (existing is null)
        {
            await applications.CreateAsync(descriptor, ct);
        }
        else
        {
            await applications.UpdateAsync(existing, descriptor, ct);
        }
    }
}
