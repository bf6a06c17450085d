using System.Text;
using AspService.Server.Sessions;

namespace AspService.Tests.Consoles;

/// <summary>The pure parts of the admin screens' rules: the telework CSV, the rate's rounding, refusal codes from the audit detail.</summary>
public sealed class AdminTeleworkRulesTests
{
    private static readonly TimeSpan Jst = TimeSpan.FromHours(9);

    [Fact]
    public void Csv_BomCrlfJstTimes_EveryFormulaStartNeutralised_QuotesDoubled()
    {
        var person = new TeleworkStaffMonth(Guid.NewGuid(), "-2+3", "+営業,課", "=x@example.jp",
        [
            new TeleworkSession(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 4, 1, 0, 59, 31, TimeSpan.Zero)),
            new TeleworkSession(new DateTimeOffset(2026, 4, 30, 23, 0, 0, Jst), new DateTimeOffset(2026, 5, 1, 1, 0, 0, Jst)),
        ]);

        var bytes = TeleworkRecords.Csv([person]);

        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes[3..]);
        Assert.EndsWith("\r\n", text, StringComparison.Ordinal);
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("メールアドレス,氏名,所属,日付,開始,終了,時間（分）", lines[0]);
        // 00:00 UTC is 09:00 JST; 59 min 31 s rounds to 60.
        Assert.Equal("'=x@example.jp,'-2+3,\"'+営業,課\",2026-04-01,09:00,09:59,60", lines[1]);
        Assert.Equal("'=x@example.jp,'-2+3,\"'+営業,課\",2026-04-30,23:00,2026-05-01 01:00,120", lines[2]);
    }

    [Fact]
    public void StaffMonth_TotalAndDays_CountJstDays()
    {
        var person = new TeleworkStaffMonth(Guid.NewGuid(), "山田", null, "a@b.jp",
        [
            new TeleworkSession(new DateTimeOffset(2026, 4, 1, 23, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 4, 2, 0, 0, 0, TimeSpan.Zero)),
            new TeleworkSession(new DateTimeOffset(2026, 4, 2, 1, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 4, 2, 1, 30, 0, TimeSpan.Zero)),
        ]);

        // 23:00 UTC on 1 April is 08:00 JST on 2 April: one day.
        Assert.Equal(1, person.Days);
        Assert.Equal(TimeSpan.FromMinutes(90), person.Total);
    }

    [Theory]
    [InlineData(0, 0, null)]
    [InlineData(3, 1, 33.3)]
    [InlineData(3, 2, 66.7)]
    [InlineData(8, 1, 12.5)]
    [InlineData(16, 1, 6.3)]
    [InlineData(2, 2, 100.0)]
    public void Rate_OneDecimal_HalfAwayFromZero_NoneWithoutStaff(int staff, int teleworked, double? percent)
    {
        Assert.Equal(percent is null ? null : (decimal)percent.Value, new TeleworkRate("2026-04", staff, teleworked, false).Percent);
    }

    [Theory]
    [InlineData("at=broker OutsideAllowedHours,SourceNetworkNotAllowed", new[] { "OutsideAllowedHours", "SourceNetworkNotAllowed" })]
    [InlineData("at=pairing office_inactive", new[] { "office_inactive" })]
    [InlineData("at=broker", new string[0])]
    [InlineData(null, new string[0])]
    public void Codes_FromTheDenialsAuditDetail(string? detail, string[] codes)
    {
        Assert.Equal(codes, SessionHistory.Codes(detail));
    }
}
