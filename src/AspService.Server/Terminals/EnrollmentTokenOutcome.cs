namespace AspService.Server.Terminals;

/// <summary>A new enrollment token (its secret shown once), or field errors.</summary>
public sealed record EnrollmentTokenOutcome(CreatedTokenDto? Token, IReadOnlyDictionary<string, string[]>? Fields);
