using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AspService.Tests.Infrastructure;

namespace AspService.Tests.Identity;

public sealed class StaffImportTests : IClassFixture<StaffImportTests.Host>
{
    private static readonly Encoding ShiftJis = CodePagesEncodingProvider.Instance.GetEncoding(932)!;
    private readonly AppFactory _app;

    public StaffImportTests(Host host) => _app = host.App;

    public sealed class Host : IDisposable
    {
        public AppFactory App { get; } = new();

        public void Dispose() => App.Dispose();
    }

    private static ByteArrayContent Csv(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return content;
    }

    private static async Task<int> TotalAsync(TenantSession admin) =>
        (await admin.Client.GetFromJsonAsync<JsonElement>(admin.Url("/api/v1/users"))).GetProperty("total").GetInt32();

    [Fact]
    public async Task Import_ShiftJisJapaneseHeaders_DryRunThenWriteThenIdempotent()
    {
        var admin = await _app.TenantAdminAsync();
        var code = admin.Tenant.Code;
        var file = ShiftJis.GetBytes(
            "職員番号,氏名,メールアドレス,所属,権限\r\n".Replace("職員番号,", "", StringComparison.Ordinal) +
            $"佐藤 花子,hanako.sato@{code}.lg.example,総務課,職員\r\n" +
            $"鈴木 一郎,\"ichiro.suzuki@{code}.lg.example\",\"企画課, 情報政策係\",管理者\r\n" +
            $"髙橋 﨑子,sakiko.takahashi@{code}.lg.example,,\r\n");
        var before = await TotalAsync(admin);

        var dry = await admin.Client.PostAsync(admin.Url("/api/v1/users/import?dryRun=true"), Csv(file));
        Assert.Equal(HttpStatusCode.OK, dry.StatusCode);
        var dryBody = await dry.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, dryBody.GetProperty("created").GetInt32());
        Assert.Equal(before, await TotalAsync(admin));

        var real = await admin.Client.PostAsync(admin.Url("/api/v1/users/import"), Csv(file));
        Assert.Equal(HttpStatusCode.OK, real.StatusCode);
        Assert.Equal(3, (await real.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("created").GetInt32());
        Assert.Equal(before + 3, await TotalAsync(admin));
        var users = await admin.Client.GetFromJsonAsync<JsonElement>(admin.Url("/api/v1/users?q=ichiro"));
        var ichiro = users.GetProperty("items")[0];
        Assert.Equal("鈴木 一郎", ichiro.GetProperty("displayName").GetString());
        Assert.Equal("企画課, 情報政策係", ichiro.GetProperty("department").GetString());
        Assert.Equal("TenantAdmin", ichiro.GetProperty("role").GetString());
        Assert.Equal("invited", ichiro.GetProperty("status").GetString());
        Assert.NotEmpty(_app.MailedToken($"sakiko.takahashi@{code}.lg.example", "invitation"));

        var again = await admin.Client.PostAsync(admin.Url("/api/v1/users/import"), Csv(file));
        var againBody = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, againBody.GetProperty("created").GetInt32());
        Assert.Equal(0, againBody.GetProperty("updated").GetInt32());
        Assert.Equal(3, againBody.GetProperty("unchanged").GetInt32());
        Assert.Equal(before + 3, await TotalAsync(admin));
        Assert.Single(await _app.AuditActionsAsync(admin.Tenant), a => a == "users.imported");
    }

    [Fact]
    public async Task Import_Utf8EnglishHeaders_UpdatesChangedRowsOnly()
    {
        var admin = await _app.TenantAdminAsync();
        var code = admin.Tenant.Code;
        var first = $"email,name,department\na@{code}.lg.example,A One,X\nb@{code}.lg.example,B Two,Y\n";
        await admin.Client.PostAsync(admin.Url("/api/v1/users/import"), Csv([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(first)]));

        var second = first.Replace("B Two,Y", "B Two,Z", StringComparison.Ordinal);
        var response = await admin.Client.PostAsync(admin.Url("/api/v1/users/import"), Csv(Encoding.UTF8.GetBytes(second)));

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, body.GetProperty("updated").GetInt32());
        Assert.Equal(1, body.GetProperty("unchanged").GetInt32());
    }

    [Fact]
    public async Task Import_FileWithErrors_ReportsEveryProblemWithLineAndWritesNothing()
    {
        var admin = await _app.TenantAdminAsync();
        var code = admin.Tenant.Code;
        var longName = new string('長', 101);
        var file = Encoding.UTF8.GetBytes(
            "メールアドレス,氏名,権限\n" +
            $"ok@{code}.lg.example,正常 行,職員\n" +
            $"dup@{code}.lg.example,重複 一,職員\n" +
            $"DUP@{code}.lg.example,重複 二,職員\n" +
            $"long@{code}.lg.example,{longName},職員\n" +
            "not-an-email,誤り,職員\n" +
            $"role@{code}.lg.example,権限 誤り,社長\n" +
            $"short@{code}.lg.example\n");
        var before = await TotalAsync(admin);

        var response = await admin.Client.PostAsync(admin.Url("/api/v1/users/import"), Csv(file));

        var problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
        var problems = problem.GetProperty("problems").EnumerateArray()
            .Select(p => (Line: p.GetProperty("line").GetInt32(), Column: p.GetProperty("column").GetString(), Message: p.GetProperty("message").GetString()!))
            .ToList();
        Assert.Contains(problems, p => p.Line == 4 && p.Column == "email" && p.Message.Contains("3 行目", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Line == 5 && p.Column == "name" && p.Message.Contains("100", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Line == 6 && p.Column == "email");
        Assert.Contains(problems, p => p.Line == 7 && p.Column == "role" && p.Message.Contains("社長", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Line == 8 && p.Column is null);
        Assert.Equal(5, problems.Count);
        Assert.Equal(before, await TotalAsync(admin));
    }

    [Fact]
    public async Task Import_MissingColumnOrBadEncoding_PreciseProblem()
    {
        var admin = await _app.TenantAdminAsync();

        var missing = await admin.Client.PostAsync(admin.Url("/api/v1/users/import?dryRun=true"), Csv(Encoding.UTF8.GetBytes("氏名,所属\n田中,総務\n")));
        var problem = await HttpAssert.ProblemAsync(missing, HttpStatusCode.BadRequest);
        Assert.Contains(problem.GetProperty("problems").EnumerateArray(), p => p.GetProperty("column").GetString() == "email" && p.GetProperty("line").GetInt32() == 1);

        using var en = new HttpRequestMessage(HttpMethod.Post, admin.Url("/api/v1/users/import")) { Content = Csv([0x82, 0xA0, 0xFF, 0xFF, 0x0A]) };
        en.Headers.AcceptLanguage.ParseAdd("en");
        var garbage = await HttpAssert.ProblemAsync(await admin.Client.SendAsync(en), HttpStatusCode.BadRequest);
        Assert.Contains("UTF-8 or Shift_JIS", garbage.GetProperty("problems")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_AsStaff_Forbidden()
    {
        var admin = await _app.TenantAdminAsync();
        var (staff, _) = await _app.InviteAndSignInAsync(admin);
        var response = await staff.Client.PostAsync(staff.Url("/api/v1/users/import"), Csv(Encoding.UTF8.GetBytes("email,name\nx@y.example,X\n")));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
