namespace AspService.Benchmarks.SignIn;

/// <summary>A staff member ready to sign in: e-mail, password and the TOTP secret enrolled during setup.</summary>
public sealed record StaffMember(string Email, string Password, byte[] Secret);
