namespace AspService.Server.Hosting;

/// <summary>Every feature module, in the order their services are added and their routes mapped.</summary>
public static class Modules
{
    public static IReadOnlyList<IModule> All { get; } =
    [
        new Tenancy.TenancyModule(),
        new Billing.BillingModule(),
        new Identity.IdentityModule(),
        new Tokens.TokensModule(),
    ];
}
