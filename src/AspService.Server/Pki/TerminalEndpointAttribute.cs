namespace AspService.Server.Pki;

/// <summary>Endpoint metadata: reachable only over the agent listener with a verified terminal certificate.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class TerminalEndpointAttribute : Attribute;
