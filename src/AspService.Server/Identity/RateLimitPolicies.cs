namespace AspService.Server.Identity;

/// <summary>Names of the rate limiter's endpoint policies.</summary>
public static class RateLimitPolicies
{
    public const string Auth = "auth";
    public const string Signup = "signup";
}
