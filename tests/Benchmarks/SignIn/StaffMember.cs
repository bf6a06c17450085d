namespace AspService.Benchmarks.SignIn;

/// <summary>
/// A staff member ready to sign in: e-mail, password, the TOTP secret enrolled during setup, and the cookies their own
/// browser kept from that day (the known-browser cookie; the session is gone by the next morning).
/// </summary>
public sealed record StaffMember(string Email, string Password, byte[] Secret, IReadOnlyDictionary<string, string> Cookies);
