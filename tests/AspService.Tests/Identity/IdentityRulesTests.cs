using AspService.Identity;

namespace AspService.Tests.Identity;

public sealed class IdentityRulesTests
{
    [Theory]
    [InlineData("", PasswordRules.TooShort)]
    [InlineData("elevenchars", PasswordRules.TooShort)]
    [InlineData("password1234", PasswordRules.Common)]
    [InlineData("PASSWORD1234", PasswordRules.Common)]
    [InlineData("qwertyuiop123", PasswordRules.Common)]
    [InlineData("lgwan1234567", PasswordRules.Common)]
    [InlineData("aaaaaaaaaaaaab", PasswordRules.Repetitive)]
    [InlineData("xyz-hanako.sato-2026", PasswordRules.ContainsEmail)]
    public void Check_BadPassword_NamesTheRule(string password, string expected) =>
        Assert.Contains(expected, PasswordRules.Check(password, "hanako.sato@city.example"));

    [Theory]
    [InlineData("Kasumigaseki-Hikari-2026")]
    [InlineData("correct horse battery staple")]
    [InlineData("ながいパスワードです12")]
    public void Check_GoodPassword_NoErrors(string password) => Assert.Empty(PasswordRules.Check(password, "hanako.sato@city.example"));

    [Fact]
    public void Check_TooLong_Rejected() => Assert.Contains(PasswordRules.TooLong, PasswordRules.Check(new string('x', 60) + new string('y', 69), null));

    [Fact]
    public void Parse_QuotedFieldsWithCommasQuotesAndNewlines_LinesCountPhysicalLines()
    {
        var result = StaffCsv.Parse("email,name,department\r\n\"a@b.example\",\"A \"\"Q\"\" B\",\"line1\nline2\"\r\nc@d.example,C,\r\n");

        Assert.Empty(result.Problems);
        Assert.Equal(2, result.Rows.Count);
        Assert.Equal("A \"Q\" B", result.Rows[0].Name);
        Assert.Equal("line1\nline2", result.Rows[0].Department);
        Assert.Equal(2, result.Rows[0].Line);
        Assert.Equal(4, result.Rows[1].Line);
        Assert.Null(result.Rows[1].Department);
        Assert.Equal(StaffCsv.StaffRole, result.Rows[1].Role);
    }

    [Theory]
    [InlineData("メールアドレス,氏名,所属,権限")]
    [InlineData("Email,Name,Department,Role")]
    [InlineData("E-Mail,Display Name,部署,ロール")]
    public void Parse_HeaderAliases_Recognized(string header)
    {
        var result = StaffCsv.Parse(header + "\nx@y.example,X,総務,管理者\n");
        Assert.Empty(result.Problems);
        Assert.Equal(StaffCsv.AdminRole, result.Rows[0].Role);
    }

    [Theory]
    [InlineData("", "csv_empty")]
    [InlineData("email,name,email\n", "csv_duplicate_column")]
    [InlineData("email,name,salary\n", "csv_unknown_column")]
    [InlineData("name\nX\n", "csv_missing_column")]
    [InlineData("email,name\n\"x@y.example,X\n", "csv_unclosed_quote")]
    [InlineData("email,name\nx@y.example,X,extra\n", "csv_field_count")]
    [InlineData("email,name\nx@y.example,\n", "csv_required")]
    [InlineData("email,name\nx@y,X\n", "csv_invalid_email")]
    [InlineData("email,name,role\nx@y.example,X,boss\n", "csv_invalid_role")]
    [InlineData("email,name\nx@y.example,X\nX@Y.EXAMPLE,Y\n", "csv_duplicate_email")]
    public void Parse_BadFile_ReportsProblem(string text, string code) =>
        Assert.Contains(StaffCsv.Parse(text).Problems, p => p.Code == code);

    [Fact]
    public void Parse_TooManyRows_Rejected()
    {
        var text = "email,name\n" + string.Concat(Enumerable.Range(0, StaffCsv.MaxRows + 1).Select(i => $"u{i}@x.example,U{i}\n"));
        Assert.Contains(StaffCsv.Parse(text).Problems, p => p.Code == "csv_too_many_rows");
    }

    [Fact]
    public void Decode_Utf8BomUtf8AndShiftJis_AllReadJapanese()
    {
        const string text = "氏名,メールアドレス\n髙橋,t@x.example\n";
        var sjis = System.Text.CodePagesEncodingProvider.Instance.GetEncoding(932)!;

        Assert.Equal(text, StaffCsv.Decode(System.Text.Encoding.UTF8.GetBytes(text)));
        Assert.Equal(text, StaffCsv.Decode([.. System.Text.Encoding.UTF8.GetPreamble(), .. System.Text.Encoding.UTF8.GetBytes(text)]));
        Assert.Equal(text, StaffCsv.Decode(sjis.GetBytes(text)));
        Assert.Null(StaffCsv.Decode([0x82, 0xFF, 0xFF]));
    }
}
