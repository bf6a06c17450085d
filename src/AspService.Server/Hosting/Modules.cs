using AspService.Server.Pki;
using AspService.Server.Policy;
using AspService.Server.Relay;
using AspService.Server.Sessions;
using AspService.Server.Terminals;

namespace AspService.Server.Hosting;

/// <summary>Every feature module, in the order their services are added and their routes mapped.</summary>
public static class Modules
{
    public static IReadOnlyList<IModule> All { get; } =
    [
        new Mail.MailModule(),
        new Audit.AuditModule(),
        new Tenancy.TenancyModule(),
        new Billing.BillingModule(),
        new PkiModule(),
        new TerminalsModule(),
        new PolicyModule(),
        new SessionsModule(),
        new RelayModule(),
        new Identity.IdentityModule(),
        new Tokens.TokensModule(),
    ];
}
