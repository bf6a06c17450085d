namespace AspService.Policy;

/// <summary>
/// The security-weakening parts of a policy change, which an administrator confirms before they are saved: MFA or
/// the home certificate no longer required, a redirection channel opened, the office PC's settings checked leniently,
/// staff registering their own devices, or such devices used without approval. Stable codes; screens put them into words.
/// </summary>
public static class PolicyWeakening
{
    public const string Mfa = "mfa";
    public const string HomeCertificate = "homeCertificate";
    public const string RedirectionCheck = "redirectionCheck";
    public const string SelfRegistration = "selfRegistration";
    public const string Approval = "approval";

    /// <summary>Code of opening a channel: <c>redirection.Clipboard</c>, …</summary>
    public static string Redirection(RedirectionChannel channel) => "redirection." + channel;

    public static IReadOnlyList<string> Find(TeleworkPolicy before, TeleworkPolicy after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var found = new List<string>();
        if (before.RequireMfa && !after.RequireMfa)
        {
            found.Add(Mfa);
        }

        if (before.RequireHomeCertificate && !after.RequireHomeCertificate)
        {
            found.Add(HomeCertificate);
        }

        foreach (var channel in Enum.GetValues<RedirectionChannel>())
        {
            if (!before.Redirection.Allows(channel) && after.Redirection.Allows(channel))
            {
                found.Add(Redirection(channel));
            }
        }

        if (before.RedirectionCheck == AspService.Policy.RedirectionCheck.Strict && after.RedirectionCheck == AspService.Policy.RedirectionCheck.Lenient)
        {
            found.Add(RedirectionCheck);
        }

        if (!before.AllowHomeSelfRegistration && after.AllowHomeSelfRegistration)
        {
            found.Add(SelfRegistration);
        }

        if (before.HomeRegistrationRequiresApproval && !after.HomeRegistrationRequiresApproval)
        {
            found.Add(Approval);
        }

        return found;
    }
}
