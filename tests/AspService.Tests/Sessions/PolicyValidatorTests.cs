using AspService.Policy;

namespace AspService.Tests.Sessions;

public sealed class PolicyValidatorTests
{
    private static readonly TeleworkPolicy Valid = TeleworkPolicy.LgwanDefault;

    [Fact]
    public void Validate_Defaults_NoErrors()
    {
        Assert.Empty(PolicyValidator.Validate(TeleworkPolicy.LgwanDefault));
    }

    [Theory]
    [InlineData("22:00", "02:00")] // crosses midnight
    [InlineData("00:00", "24:00")] // the whole day
    [InlineData("23:59", "24:00")]
    [InlineData("00:00", "00:01")]
    public void Validate_GoodWindow_NoErrors(string from, string until)
    {
        var policy = Valid with { AllowedFrom = TimeWindowTests.Span(from), AllowedUntil = TimeWindowTests.Span(until) };

        Assert.Empty(PolicyValidator.Validate(policy));
    }

    [Theory]
    [InlineData(-1, 20 * 60, "allowedFrom")]
    [InlineData(24 * 60, 20 * 60, "allowedFrom")]
    [InlineData(25 * 60, 20 * 60, "allowedFrom")]
    [InlineData(8 * 60, 0, "allowedUntil")]
    [InlineData(8 * 60, -60, "allowedUntil")]
    [InlineData(8 * 60, 24 * 60 + 1, "allowedUntil")]
    [InlineData(9 * 60, 9 * 60, "allowedUntil")] // empty window
    [InlineData(-60, 0, "allowedFrom,allowedUntil")]
    public void Validate_HoursOutOfRange_FieldErrors(int fromMinutes, int untilMinutes, string fields)
    {
        var policy = Valid with { AllowedFrom = TimeSpan.FromMinutes(fromMinutes), AllowedUntil = TimeSpan.FromMinutes(untilMinutes) };

        Assert.Equal(fields.Split(','), PolicyValidator.Validate(policy).Select(e => e.Field));
    }

    [Theory]
    [InlineData(0, 30, "maxSessionLength")]
    [InlineData(-60, 30, "maxSessionLength")]
    [InlineData(25 * 60, 30, "maxSessionLength")]
    [InlineData(480, 0, "idleTimeout")]
    [InlineData(480, -1, "idleTimeout")]
    [InlineData(480, 24 * 60 + 1, "idleTimeout")]
    [InlineData(0, 0, "maxSessionLength,idleTimeout")]
    [InlineData(1, 1, "")]
    [InlineData(24 * 60, 24 * 60, "")]
    public void Validate_Durations_FieldErrors(int maxMinutes, int idleMinutes, string fields)
    {
        var policy = Valid with { MaxSessionLength = TimeSpan.FromMinutes(maxMinutes), IdleTimeout = TimeSpan.FromMinutes(idleMinutes) };

        Assert.Equal(fields.Split(',', StringSplitOptions.RemoveEmptyEntries), PolicyValidator.Validate(policy).Select(e => e.Field));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(-1, false)]
    [InlineData(int.MinValue, false)]
    [InlineData(11, false)]
    [InlineData(1, true)]
    [InlineData(10, true)]
    public void Validate_Concurrency_Range(int max, bool valid)
    {
        var errors = PolicyValidator.Validate(Valid with { MaxConcurrentSessionsPerUser = max });

        Assert.Equal(valid ? [] : ["maxConcurrentSessionsPerUser"], errors.Select(e => e.Field));
    }

    [Fact]
    public void Validate_BadCidrs_IndexedFieldsWithBothLanguages()
    {
        var policy = Valid with { AllowedSourceNetworks = ["10.0.0.0/8", "10.0.0.1/8", "2001:db8::/129", "", "2001:db8::/32", "x"] };

        var errors = PolicyValidator.Validate(policy);

        Assert.Equal(
            ["allowedSourceNetworks[1]", "allowedSourceNetworks[2]", "allowedSourceNetworks[3]", "allowedSourceNetworks[5]"],
            errors.Select(e => e.Field));
        Assert.Equal("「10.0.0.1/8」はネットワークアドレスではありません。10.0.0.0/8 のことですか。", errors[0].Message.Ja);
        Assert.Equal("The prefix length of \"2001:db8::/129\" must be at most 128.", errors[1].Message.En);
    }

    [Fact]
    public void Validate_TooManyNetworks_ListError()
    {
        var networks = Enumerable.Range(0, PolicyValidator.MaxSourceNetworks + 1).Select(i => $"10.{i}.0.0/16").ToArray();

        var errors = PolicyValidator.Validate(Valid with { AllowedSourceNetworks = networks });

        Assert.Equal(["allowedSourceNetworks"], errors.Select(e => e.Field));
    }

    [Fact]
    public void Validate_Weekdays_EmptyAndUndefinedRefused()
    {
        Assert.Equal(["allowedWeekdays"], PolicyValidator.Validate(Valid with { AllowedWeekdays = [] }).Select(e => e.Field));
        Assert.Equal(
            ["allowedWeekdays[1]"],
            PolicyValidator.Validate(Valid with { AllowedWeekdays = [DayOfWeek.Monday, (DayOfWeek)7] }).Select(e => e.Field));
    }

    [Fact]
    public void Validate_MissingParts_Required()
    {
        var policy = Valid with { Redirection = null!, AllowedSourceNetworks = null!, AllowedWeekdays = null!, RedirectionCheck = (RedirectionCheck)9 };

        var errors = PolicyValidator.Validate(policy);

        Assert.Equal(["redirection", "redirectionCheck", "allowedWeekdays", "allowedSourceNetworks"], errors.Select(e => e.Field));
    }

    [Fact]
    public void Validate_EverythingWrong_EveryFieldWithMessages()
    {
        var policy = Valid with
        {
            AllowedFrom = TimeSpan.FromHours(-1),
            AllowedUntil = TimeSpan.FromHours(30),
            AllowedSourceNetworks = ["bad"],
            MaxSessionLength = TimeSpan.Zero,
            IdleTimeout = TimeSpan.FromMinutes(-1),
            MaxConcurrentSessionsPerUser = 0,
        };

        var errors = PolicyValidator.Validate(policy);

        Assert.Equal(
            ["allowedFrom", "allowedUntil", "allowedSourceNetworks[0]", "maxSessionLength", "idleTimeout", "maxConcurrentSessionsPerUser"],
            errors.Select(e => e.Field));
        Assert.All(errors, e =>
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Message.Ja));
            Assert.False(string.IsNullOrWhiteSpace(e.Message.En));
        });
        Assert.Equal("1 分以上 1440 分以下で指定してください。", errors[3].Message.Ja);
        Assert.Equal("Give a number from 1 to 10.", errors[5].Message.En);
    }
}
