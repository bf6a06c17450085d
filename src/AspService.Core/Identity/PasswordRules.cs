namespace AspService.Identity;

/// <summary>
/// Tenant password rules (NIST SP 800-63B style): long enough, not a well-known password, not the user's
/// own address. No composition rules: they push people towards predictable patterns.
/// </summary>
public static class PasswordRules
{
    public const int MinLength = 12;
    public const int MaxLength = 128;

    public const string TooShort = "password_too_short";
    public const string TooLong = "password_too_long";
    public const string Common = "password_common";
    public const string ContainsEmail = "password_contains_email";
    public const string Repetitive = "password_repetitive";

    // Small built-in list of the passwords (and keyboard walks) long enough to pass the length rule that
    // leaked-password corpora show most often, plus Japanese favourites.
    private static readonly HashSet<string> CommonPasswords = new(StringComparer.OrdinalIgnoreCase)
    {
        "123456789012", "1234567890123", "12345678901234", "123456123456", "123123123123", "111111111111",
        "000000000000", "123456654321", "987654321098", "121212121212", "112233445566", "147258369147",
        "password1234", "password12345", "password123456", "passw0rd1234", "p@ssw0rd1234", "p@ssword1234",
        "password!234", "password1!", "passwordpassword", "mypassword123", "mypassword1234", "newpassword1",
        "qwertyuiop12", "qwertyuiop123", "qwerty123456", "qwertyuiopasdf", "1qaz2wsx3edc", "1qaz2wsx3edc4rfv",
        "zaq12wsxcde3", "asdfghjkl123", "asdfghjkl;12", "zxcvbnm12345", "qazwsxedcrfv", "1q2w3e4r5t6y",
        "abcdefghijkl", "abcdef123456", "abc123abc123", "abcd1234abcd", "aaaaaaaaaaaa", "iloveyou1234",
        "letmein12345", "welcome12345", "welcome123456", "administrator", "administrator1", "admin1234567",
        "adminadmin12", "changeme1234", "changeme12345", "trustno1trustno1", "sunshine1234", "football1234",
        "baseball1234", "dragon123456", "monkey123456", "princess1234", "superman1234", "starwars1234",
        "computer1234", "internet1234", "samsung12345", "whatever1234", "master123456", "shadow123456",
        "michael12345", "jennifer1234", "1234qwerasdf", "qwer1234asdf", "1234567890qwerty", "q1w2e3r4t5y6",
        "nihonjapan12", "japan1234567", "tokyo1234567", "nippon123456", "sakura123456", "pokemon12345",
        "doraemon1234", "naruto123456", "totoro123456", "yamada123456", "tanaka123456", "suzuki123456",
        "satou1234567", "kanri1234567", "kanrisha1234", "jichitai1234", "yakuba123456", "yakusho12345",
        "shiyakusho12", "lgwan1234567", "lgwanlgwan12", "telework1234", "terewaku1234", "ohayou123456",
        "konnichiwa12", "arigatou1234", "gambatte1234", "password2024", "password2025", "password2026",
        "welcome2025!", "spring2025!!", "summer2025!!", "winter2025!!", "autumn2025!!",
    };

    /// <summary>Error keys for a candidate password; empty when it is acceptable.</summary>
    public static IReadOnlyList<string> Check(string? password, string? email)
    {
        var errors = new List<string>();
        password ??= "";
        if (password.Length < MinLength)
        {
            errors.Add(TooShort);
        }
        else if (password.Length > MaxLength)
        {
            errors.Add(TooLong);
        }

        if (password.Length > 0 && CommonPasswords.Contains(password))
        {
            errors.Add(Common);
        }
        else if (password.Length > 0 && password.Distinct().Count() <= 2)
        {
            errors.Add(Repetitive);
        }

        var local = email?.Split('@')[0];
        if (local is { Length: >= 4 } && password.Contains(local, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(ContainsEmail);
        }

        return errors;
    }

    public static bool IsCommon(string password) => CommonPasswords.Contains(password);
}
