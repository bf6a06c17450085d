using AspService.Policy;

namespace AspService.Server.Policy;

/// <summary>The whole new policy, the version it was edited from (null: any), and whether a weakening was confirmed.</summary>
public sealed record PolicySaveCommand(TeleworkPolicy Policy, int? ExpectedVersion, bool WeakeningConfirmed);
