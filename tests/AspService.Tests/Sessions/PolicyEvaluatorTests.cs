using System.Globalization;
using System.Net;
using AspService.Policy;
using Microsoft.Extensions.Time.Testing;
using static AspService.Policy.PolicyDenialCode;

namespace AspService.Tests.Sessions;

public sealed class PolicyEvaluatorTests
{
    private static readonly TeleworkPolicy Default = TeleworkPolicy.LgwanDefault;

    private static readonly TeleworkPolicy Night = Default with
    {
        AllowedFrom = TimeSpan.FromHours(22),
        AllowedUntil = TimeSpan.FromHours(2),
    };

    [Fact]
    public void Evaluate_DefaultPolicyOrdinaryWorkday_Allows()
    {
        var decision = PolicyEvaluator.Evaluate(Default, Request(), At("2025-01-06T10:00:00+09:00"));

        Assert.True(decision.IsAllowed);
        Assert.Equal(PolicyOutcome.Allow, decision.Outcome);
        Assert.Empty(decision.Reasons);
    }

    [Theory]
    [InlineData("2025-01-06T08:00:00+09:00", "")]
    [InlineData("2025-01-06T07:59:59+09:00", "OutsideAllowedHours")]
    [InlineData("2025-01-06T19:59:59+09:00", "")]
    [InlineData("2025-01-06T20:00:00+09:00", "OutsideAllowedHours")]
    [InlineData("2025-01-05T23:30:00Z", "")] // Sunday in UTC, Monday 08:30 in JST
    [InlineData("2025-01-06T11:00:00Z", "OutsideAllowedHours")] // 20:00 JST
    [InlineData("2025-01-06T03:00:00-05:00", "")] // 17:00 JST from another offset
    [InlineData("2025-01-04T10:00:00+09:00", "WeekdayNotAllowed")]
    [InlineData("2025-01-03T23:00:00Z", "WeekdayNotAllowed")] // Friday in UTC, Saturday 08:00 in JST
    [InlineData("2025-01-05T21:00:00+09:00", "WeekdayNotAllowed,OutsideAllowedHours")]
    // Year end: 御用納め, 年末年始, 元日, 御用始め.
    [InlineData("2024-12-27T19:59:00+09:00", "")]
    [InlineData("2024-12-27T11:00:00Z", "OutsideAllowedHours")]
    [InlineData("2024-12-30T10:00:00+09:00", "OfficeClosed")]
    [InlineData("2024-12-31T14:59:59Z", "OutsideAllowedHours,OfficeClosed")] // 23:59:59 JST on 12/31
    [InlineData("2024-12-31T15:00:00Z", "OutsideAllowedHours,OfficeClosed")] // 00:00 JST on 1/1
    [InlineData("2025-01-01T10:00:00+09:00", "OfficeClosed")]
    [InlineData("2025-01-03T10:00:00+09:00", "OfficeClosed")]
    [InlineData("2025-01-06T07:00:00+09:00", "OutsideAllowedHours")]
    // Month ends.
    [InlineData("2025-01-31T19:30:00+09:00", "")]
    [InlineData("2025-01-31T11:30:00Z", "OutsideAllowedHours")] // 20:30 JST
    [InlineData("2025-02-01T09:00:00+09:00", "WeekdayNotAllowed")]
    [InlineData("2025-02-28T09:00:00+09:00", "")]
    [InlineData("2025-03-31T09:00:00+09:00", "")]
    // Holidays.
    [InlineData("2025-01-13T10:00:00+09:00", "OfficeClosed")] // 成人の日
    [InlineData("2025-02-24T10:00:00+09:00", "OfficeClosed")] // 振替休日
    [InlineData("2026-09-22T10:00:00+09:00", "OfficeClosed")] // 国民の休日
    [InlineData("2025-02-25T10:00:00+09:00", "")]
    [InlineData("2024-09-22T10:00:00+09:00", "WeekdayNotAllowed,OfficeClosed")] // 秋分の日 on a Sunday
    public void Evaluate_DefaultPolicyAtInstant_Reasons(string now, string expected)
    {
        var decision = PolicyEvaluator.Evaluate(Default, Request(), At(now));

        Assert.Equal(Codes(expected), decision.Codes);
        Assert.Equal(expected.Length == 0, decision.IsAllowed);
    }

    [Theory]
    [InlineData("2025-01-10T23:00:00+09:00", "")] // Friday night
    [InlineData("2025-01-11T01:59:59+09:00", "")] // Saturday morning is still Friday's window
    [InlineData("2025-01-11T02:00:00+09:00", "WeekdayNotAllowed,OutsideAllowedHours")]
    [InlineData("2025-01-11T23:00:00+09:00", "WeekdayNotAllowed")] // Saturday's own window
    [InlineData("2025-01-06T01:00:00+09:00", "WeekdayNotAllowed")] // Monday morning is Sunday's window
    [InlineData("2025-01-06T22:00:00+09:00", "")]
    [InlineData("2025-01-07T01:00:00+09:00", "")]
    [InlineData("2025-01-07T12:00:00+09:00", "OutsideAllowedHours")]
    [InlineData("2025-01-06T16:30:00Z", "")] // 01:30 JST Tuesday, given in UTC
    // Year end: the window of 12/27 (a working Friday) runs into 12/28; 12/31's into 1/1 is closed.
    [InlineData("2024-12-27T23:00:00+09:00", "")]
    [InlineData("2024-12-28T01:00:00+09:00", "")]
    [InlineData("2024-12-31T23:00:00+09:00", "OfficeClosed")]
    [InlineData("2025-01-01T01:00:00+09:00", "OfficeClosed")] // 12/31's window
    [InlineData("2025-01-02T01:00:00+09:00", "OfficeClosed")] // 1/1's window
    [InlineData("2025-01-06T23:00:00+09:00", "")] // first working day
    // Holiday edges: the night after 成人の日 belongs to the holiday, the night before to a Sunday.
    [InlineData("2025-01-13T01:00:00+09:00", "WeekdayNotAllowed")]
    [InlineData("2025-01-13T23:00:00+09:00", "OfficeClosed")]
    [InlineData("2025-01-14T01:00:00+09:00", "OfficeClosed")]
    [InlineData("2025-01-14T23:00:00+09:00", "")]
    // Month end: the night of 1/31 (Friday) into 2/1.
    [InlineData("2025-02-01T01:30:00+09:00", "")]
    public void Evaluate_WindowCrossingMidnight_BelongsToStartDay(string now, string expected)
    {
        var decision = PolicyEvaluator.Evaluate(Night, Request(), At(now));

        Assert.Equal(Codes(expected), decision.Codes);
    }

    [Theory]
    [InlineData("2025-01-01T00:00:00+09:00")]
    [InlineData("2025-01-01T23:59:59+09:00")]
    [InlineData("2024-12-29T12:00:00+09:00")]
    [InlineData("2025-05-05T12:00:00+09:00")]
    public void Evaluate_AllowedEveryDayAllDayIncludingClosedDays_Allows(string now)
    {
        var policy = Default with
        {
            AllowedWeekdays = Enum.GetValues<DayOfWeek>(),
            AllowedFrom = TimeSpan.Zero,
            AllowedUntil = TimeSpan.FromHours(24),
            AllowOnClosedDays = true,
        };

        Assert.True(PolicyEvaluator.Evaluate(policy, Request(), At(now)).IsAllowed);
    }

    [Theory]
    [InlineData(true, false, true, true, "MfaRequired")]
    [InlineData(true, true, true, false, "HomeCertificateRequired")]
    [InlineData(true, false, true, false, "MfaRequired,HomeCertificateRequired")]
    [InlineData(true, true, true, true, "")]
    [InlineData(false, false, true, true, "")]
    [InlineData(true, true, false, false, "")]
    [InlineData(false, false, false, false, "")]
    public void Evaluate_MfaAndCertificate_Reasons(
        bool requireMfa, bool mfaUsed, bool requireCertificate, bool certificate, string expected)
    {
        var policy = Default with { RequireMfa = requireMfa, RequireHomeCertificate = requireCertificate };
        var request = Request() with { MfaUsed = mfaUsed, HomeCertificatePresented = certificate };

        var decision = PolicyEvaluator.Evaluate(policy, request, At("2025-01-06T10:00:00+09:00"));

        Assert.Equal(Codes(expected), decision.Codes);
    }

    [Theory]
    [InlineData("", "198.51.100.7", true)] // empty list: any network
    [InlineData("", "2001:db8::1", true)]
    [InlineData("203.0.113.0/24", "203.0.113.0", true)]
    [InlineData("203.0.113.0/24", "203.0.113.255", true)]
    [InlineData("203.0.113.0/24", "203.0.114.0", false)]
    [InlineData("203.0.113.0/24", "203.0.112.255", false)]
    [InlineData("203.0.113.0/24", "::ffff:203.0.113.9", true)] // IPv4-mapped IPv6 from a dual-stack socket
    [InlineData("203.0.113.0/24", "::ffff:203.0.114.9", false)]
    [InlineData("203.0.113.7", "203.0.113.7", true)] // a bare address is one host
    [InlineData("203.0.113.7", "203.0.113.8", false)]
    [InlineData("2001:db8:1234::/48", "2001:db8:1234:ffff:ffff:ffff:ffff:ffff", true)]
    [InlineData("2001:db8:1234::/48", "2001:db8:1235::1", false)]
    [InlineData("2001:db8:1234::/48", "2001:DB8:1234::1", true)]
    [InlineData("2001:db8::/32", "203.0.113.1", false)] // families do not mix
    [InlineData("203.0.113.0/24", "2001:db8::1", false)]
    [InlineData("::/0", "203.0.113.1", false)] // "all IPv6" is not "everything"
    [InlineData("::/0", "::ffff:203.0.113.1", false)] // a mapped address is the IPv4 peer it carries
    [InlineData("::ffff:203.0.113.0/120", "::ffff:203.0.113.1", false)] // refused entry: write it as IPv4
    [InlineData("0.0.0.0/0", "198.51.100.1", true)]
    [InlineData("10.0.0.0/8;2001:db8::/32", "2001:db8::5", true)]
    [InlineData("10.0.0.0/8;2001:db8::/32", "10.255.255.255", true)]
    [InlineData("10.0.0.0/8;2001:db8::/32", "11.0.0.0", false)]
    [InlineData("not-a-network", "203.0.113.5", false)] // an unparsable list fails closed
    [InlineData("garbage;203.0.113.0/24", "203.0.113.5", true)]
    [InlineData("10.0.0.1/8", "10.0.0.1", false)] // host bits set: refused, never widened
    public void Evaluate_SourceNetworks_Matched(string networks, string address, bool allowed)
    {
        var policy = Default with { AllowedSourceNetworks = networks.Split(';', StringSplitOptions.RemoveEmptyEntries) };
        var request = Request() with { SourceAddress = IPAddress.Parse(address) };

        var decision = PolicyEvaluator.Evaluate(policy, request, At("2025-01-06T10:00:00+09:00"));

        Assert.Equal(allowed ? [] : [SourceNetworkNotAllowed], decision.Codes);
    }

    [Theory]
    [InlineData(1, 0, true)]
    [InlineData(1, 1, false)]
    [InlineData(1, 5, false)]
    [InlineData(3, 2, true)]
    [InlineData(3, 3, false)]
    public void Evaluate_LiveSessions_LimitedPerUser(int max, int live, bool allowed)
    {
        var policy = Default with { MaxConcurrentSessionsPerUser = max };
        var request = Request() with { LiveSessionCount = live };

        var decision = PolicyEvaluator.Evaluate(policy, request, At("2025-01-06T10:00:00+09:00"));

        Assert.Equal(allowed ? [] : [TooManySessions], decision.Codes);
    }

    public static TheoryData<RedirectionSettings, RedirectionCheck, ReportedRedirection, string> RedirectionCases => new()
    {
        { RedirectionSettings.AllOff, RedirectionCheck.Strict, ReportedRedirection.AllOff, "" },
        {
            RedirectionSettings.AllOff, RedirectionCheck.Strict, ReportedRedirection.Unknown,
            "RedirectionUnknown:Clipboard,RedirectionUnknown:Drives,RedirectionUnknown:Printers,RedirectionUnknown:Ports"
        },
        { RedirectionSettings.AllOff, RedirectionCheck.Lenient, ReportedRedirection.Unknown, "" },
        { RedirectionSettings.AllOff, RedirectionCheck.Lenient, new(true, null, null, false), "RedirectionEnabled:Clipboard" },
        { RedirectionSettings.AllOff, RedirectionCheck.Strict, new(false, false, false, true), "RedirectionEnabled:Ports" },
        { RedirectionSettings.AllOff, RedirectionCheck.Strict, new(false, null, true, false), "RedirectionUnknown:Drives,RedirectionEnabled:Printers" },
        // A channel the policy allows is not checked: an office PC stricter than the policy leaks nothing.
        { new(true, false, false, false), RedirectionCheck.Strict, new(true, false, false, false), "" },
        { new(true, false, false, false), RedirectionCheck.Strict, new(false, false, false, false), "" },
        { new(true, false, false, false), RedirectionCheck.Strict, new(null, false, false, false), "" },
        { new(true, true, true, true), RedirectionCheck.Strict, ReportedRedirection.Unknown, "" },
        // An undefined mode is treated as strict (fail closed).
        { RedirectionSettings.AllOff, (RedirectionCheck)7, new(false, false, null, false), "RedirectionUnknown:Printers" },
    };

    [Theory]
    [MemberData(nameof(RedirectionCases))]
    public void Evaluate_OfficeRedirection_ComparedWithPolicy(
        RedirectionSettings allowed, RedirectionCheck check, ReportedRedirection reported, string expected)
    {
        var policy = Default with { Redirection = allowed, RedirectionCheck = check };
        var request = Request() with { OfficeRedirection = reported };

        var decision = PolicyEvaluator.Evaluate(policy, request, At("2025-01-06T10:00:00+09:00"));

        var actual = string.Join(",", decision.Reasons.Select(r => $"{r.Code}:{r.Channel}"));
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Evaluate_EverythingWrong_ListsEveryReason()
    {
        var policy = Default with { AllowedSourceNetworks = ["198.51.100.0/24"] };
        var request = new TeleworkRequest(IPAddress.Parse("2001:db8::1"), 1, false, false, new(true, null, true, null));

        // Sunday 12/29 21:00 JST: weekend, outside hours and 年末年始 at once.
        var decision = PolicyEvaluator.Evaluate(policy, request, At("2024-12-29T21:00:00+09:00"));

        Assert.Equal(PolicyOutcome.Deny, decision.Outcome);
        Assert.Equal(
            [
                MfaRequired, HomeCertificateRequired, WeekdayNotAllowed, OutsideAllowedHours, OfficeClosed,
                SourceNetworkNotAllowed, TooManySessions, RedirectionEnabled, RedirectionUnknown, RedirectionEnabled,
                RedirectionUnknown,
            ],
            decision.Codes);
        Assert.All(decision.Reasons, r =>
        {
            Assert.False(string.IsNullOrWhiteSpace(r.Text.Ja));
            Assert.False(string.IsNullOrWhiteSpace(r.Text.En));
            Assert.DoesNotContain("{", r.Text.Ja, StringComparison.Ordinal);
            Assert.DoesNotContain("{", r.Text.En, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Evaluate_NewYearsDay_ExplainsInBothLanguages()
    {
        var decision = PolicyEvaluator.Evaluate(Default, Request(), At("2025-01-01T10:00:00+09:00"));

        var reason = Assert.Single(decision.Reasons);
        Assert.Equal("2025年1月1日は閉庁日（元日・年末年始）のため利用できません。", reason.Text.Ja);
        Assert.Equal("2025-01-01 is a day the office is closed (New Year's Day, year-end and New Year closure).", reason.Text.En);
        Assert.Equal(reason.Text.En, reason.Text.For(english: true));
    }

    [Fact]
    public void Evaluate_Weekend_ExplainsDayAndHours()
    {
        var decision = PolicyEvaluator.Evaluate(Default, Request(), At("2025-01-04T21:05:00+09:00"));

        Assert.Equal("2025年1月4日（土曜日）はテレワークが許可されていない曜日です。", decision.Reasons[0].Text.Ja);
        Assert.Equal("Telework is not allowed on Saturdays (2025-01-04).", decision.Reasons[0].Text.En);
        Assert.Equal("現在時刻（21:05）は利用可能時間（08:00〜20:00）外です。", decision.Reasons[1].Text.Ja);
        Assert.Equal("The current time (21:05) is outside the allowed hours (08:00–20:00).", decision.Reasons[1].Text.En);
    }

    [Fact]
    public void Evaluate_RecordsWindowDayInJst()
    {
        var decision = PolicyEvaluator.Evaluate(Night, Request(), At("2025-01-10T16:30:00Z"));

        Assert.Equal(new DateOnly(2025, 1, 10), decision.Window.Day);
        Assert.Equal(new DateTimeOffset(2025, 1, 11, 1, 30, 0, TimeSpan.FromHours(9)), decision.Window.LocalTime);
    }

    [Fact]
    public void Evaluate_WithTimeProvider_SameAsInstant()
    {
        var clock = new FakeTimeProvider(At("2024-12-31T14:59:59Z"));

        var decision = PolicyEvaluator.Evaluate(Default, Request(), clock);

        Assert.Equal([OutsideAllowedHours, OfficeClosed], decision.Codes);
        clock.Advance(TimeSpan.FromDays(6) - TimeSpan.FromHours(5)); // 2025-01-06T09:59:59Z = Monday 18:59:59 JST
        Assert.True(PolicyEvaluator.Evaluate(Default, Request(), clock).IsAllowed);
    }

    [Fact]
    public void LgwanDefault_IsSafe()
    {
        var policy = TeleworkPolicy.LgwanDefault;

        Assert.True(policy.RequireMfa);
        Assert.True(policy.RequireHomeCertificate);
        Assert.Equal(RedirectionSettings.AllOff, policy.Redirection);
        Assert.Equal(RedirectionCheck.Strict, policy.RedirectionCheck);
        Assert.Equal([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday], policy.AllowedWeekdays);
        Assert.Equal(TimeSpan.FromHours(8), policy.AllowedFrom);
        Assert.Equal(TimeSpan.FromHours(20), policy.AllowedUntil);
        Assert.False(policy.AllowOnClosedDays);
        Assert.Empty(policy.AllowedSourceNetworks);
        Assert.Equal(TimeSpan.FromHours(8), policy.MaxSessionLength);
        Assert.Equal(TimeSpan.FromMinutes(30), policy.IdleTimeout);
        Assert.Equal(1, policy.MaxConcurrentSessionsPerUser);
        Assert.Empty(PolicyValidator.Validate(policy));
    }

    private static TeleworkRequest Request() =>
        new(IPAddress.Parse("203.0.113.5"), 0, true, true, ReportedRedirection.AllOff);

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);

    private static PolicyDenialCode[] Codes(string csv) =>
        [.. csv.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<PolicyDenialCode>)];
}
