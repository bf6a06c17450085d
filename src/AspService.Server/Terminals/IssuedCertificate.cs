namespace AspService.Server.Terminals;

/// <summary>What an agent receives after enrollment or renewal (the agent's contract: docs/agent.md).</summary>
public sealed record IssuedCertificate(
    Guid TerminalId, Guid TenantId, string TenantCode, string TenantName, string Kind, string Name, string State,
    string Serial, string CertificatePem, string ChainPem, DateTimeOffset NotBefore, DateTimeOffset NotAfter,
    DateTimeOffset RenewalOpensAt, string AgentEndpoint, string ProviderCaPem);
