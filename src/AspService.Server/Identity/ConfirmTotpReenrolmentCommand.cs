namespace AspService.Server.Identity;

/// <summary>A code from the new authenticator (digits only; the caller folds full-width digits and spaces).</summary>
public sealed record ConfirmTotpReenrolmentCommand(string? Code);
