using AspService.Data.Tenancy;
using AspService.Pki;

namespace AspService.Server.Pki;

/// <summary>
/// Set on a connection of the agent listener once its client certificate passed every check. Its presence is
/// what makes a request a terminal request: the tenant comes from here, never from the host or path.
/// </summary>
public sealed record TerminalConnection(TenantBinding Tenant, Guid TerminalId, TerminalKind Kind, string Serial, bool PendingApproval);
