using System.Security.Cryptography;
using System.Text;

namespace AspService.Common;

/// <summary>
/// How one-time secrets given to people are stored (invitation and reset links, enrolment tokens, recovery codes):
/// only their SHA-256, lower-case hex. They are long random values, so a plain hash (no salt, no stretching) is
/// enough and lets the database find a row by it.
/// </summary>
public static class SecretHash
{
    public static string Of(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
