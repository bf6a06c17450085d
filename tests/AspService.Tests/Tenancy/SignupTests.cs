using System.Net;
using System.Net.Http.Json;
using System.Text;
using AspService.Data.Tenancy;
using AspService.Server.Tenancy;
using AspService.Tenancy;
using AspService.Tests.Infrastructure;

namespace AspService.Tests.Tenancy;

public sealed class SignupTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    private readonly AppFactory _app = host.App;

    private static object Application(string code) => new
    {
        code,
        department = "総務部情報政策課",
        contactName = "山田 花子",
        email = "joho@example.lg.jp",
        phone = "03-1234-5678",
        preferredStartDate = "2027-04-01",
    };

    [Fact]
    public async Task Submit_FiveDigitFullWidthCode_NormalisedAndNamed()
    {
        var lg = AppFactory.FreshMunicipality();
        var typed = string.Concat(lg.Code[..5].Select(c => (char)(c - '0' + '０')));

        var response = await _app.ClientFor().PostAsJsonAsync("/api/v1/signups", Application(typed));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var application = (await response.Content.ReadFromJsonAsync<ApplicationDto>(AppFactory.Json))!;
        Assert.Equal(lg.Code, application.Code);
        Assert.Equal(lg.Name, application.Name);
        Assert.Equal(ApplicationState.Pending, application.State);
    }

    [Fact]
    public async Task Submit_Duplicate_409AndApprove_ProvisionsTenant_ThenActiveRefused()
    {
        var lg = AppFactory.FreshMunicipality();
        var client = _app.ClientFor();
        var first = await (await client.PostAsJsonAsync("/api/v1/signups", Application(lg.Code))).Content.ReadFromJsonAsync<ApplicationDto>(AppFactory.Json);

        var duplicate = await client.PostAsJsonAsync("/api/v1/signups", Application(lg.Code));
        var problem = await HttpAssert.ProblemAsync(duplicate, HttpStatusCode.Conflict);
        Assert.Contains("審査中", HttpAssert.FieldErrors(problem, "code").Single(), StringComparison.Ordinal);

        var ops = await _app.OperatorClientAsync();
        var approved = await ops.PostAsync($"/api/v1/ops/applications/{first!.Id}/approve", null);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        await _app.RunTenantWorkAsync();
        var tenant = await ops.GetFromJsonAsync<TenantDto>($"/api/v1/ops/tenants/{lg.Code}", AppFactory.Json);
        Assert.Equal(TenantState.Active, tenant!.State);
        Assert.Equal("joho@example.lg.jp", tenant.AdminEmail);

        var forActive = await client.PostAsJsonAsync("/api/v1/signups", Application(lg.Code));
        var activeProblem = await HttpAssert.ProblemAsync(forActive, HttpStatusCode.Conflict);
        Assert.Contains("利用中", HttpAssert.FieldErrors(activeProblem, "code").Single(), StringComparison.Ordinal);

        var approveAgain = await ops.PostAsync($"/api/v1/ops/applications/{first.Id}/approve", null);
        await HttpAssert.ProblemAsync(approveAgain, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Reject_WithReason_Rejected_AndCanApplyAgain()
    {
        var lg = AppFactory.FreshMunicipality();
        var client = _app.ClientFor();
        var application = await (await client.PostAsJsonAsync("/api/v1/signups", Application(lg.Code))).Content.ReadFromJsonAsync<ApplicationDto>(AppFactory.Json);
        var ops = await _app.OperatorClientAsync();

        var noReason = await ops.PostAsJsonAsync($"/api/v1/ops/applications/{application!.Id}/reject", new { reason = "" });
        await HttpAssert.ProblemAsync(noReason, HttpStatusCode.BadRequest);
        var rejected = await ops.PostAsJsonAsync($"/api/v1/ops/applications/{application.Id}/reject", new { reason = "連絡先が確認できません" });
        var dto = await rejected.Content.ReadFromJsonAsync<ApplicationDto>(AppFactory.Json);
        var reapply = await client.PostAsJsonAsync("/api/v1/signups", Application(lg.Code));

        Assert.Equal(ApplicationState.Rejected, dto!.State);
        Assert.Equal("連絡先が確認できません", dto.RejectionReason);
        Assert.Equal(HttpStatusCode.Created, reapply.StatusCode);
    }

    [Theory]
    [InlineData("{\"code\": \"131016\",", "$")] // truncated JSON
    [InlineData("{\"code\": 131016}", "code")] // wrong type
    [InlineData("{\"code\": \"131016\", \"isAdmin\": true}", "isAdmin")] // unknown field
    [InlineData("{\"preferredStartDate\": \"next week\"}", "preferredStartDate")]
    [InlineData("[]", "$")]
    public async Task Submit_MalformedBody_400NamesField(string body, string field)
    {
        var response = await _app.ClientFor().PostAsync("/api/v1/signups", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.NotEmpty(HttpAssert.FieldErrors(problem, field));
    }

    [Theory]
    [InlineData("{\"code\": \"131016\",", "$", "The body is not valid JSON.")]
    [InlineData("{\"code\": 131016}", "code", "The value has the wrong type.")]
    [InlineData("{\"Code\": \"131016\", \"isAdmin\": true}", "isAdmin", "This field is not accepted.")]
    [InlineData("{\"code\": [1]}", "code", "The value has the wrong type.")]
    public async Task Submit_MalformedBody_SaysWhatIsWrong(string body, string field, string message)
    {
        var client = _app.ClientFor();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");

        var response = await client.PostAsync("/api/v1/signups", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal([message], HttpAssert.FieldErrors(problem, field));
    }

    [Fact]
    public async Task Submit_AllFieldsBad_EveryFieldNamed_InEnglishOnRequest()
    {
        var client = _app.ClientFor();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");

        var response = await client.PostAsJsonAsync("/api/v1/signups", new
        {
            code = "011011",
            department = new string('x', 101),
            contactName = "",
            email = "not-an-email",
            phone = "call me",
            preferredStartDate = "2020-01-01",
        });

        var problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("The request has invalid fields.", problem.GetProperty("title").GetString());
        Assert.Contains("ward of 札幌市", HttpAssert.FieldErrors(problem, "code").Single(), StringComparison.Ordinal);
        foreach (var field in new[] { "department", "contactName", "email", "phone", "preferredStartDate" })
        {
            Assert.NotEmpty(HttpAssert.FieldErrors(problem, field));
        }
    }

    [Fact]
    public async Task Submit_RateLimitedPerClient_429()
    {
        using var strict = new AppFactory(settings: new() { ["RateLimits:SignupsPerClientPerHour"] = "2" });
        var client = strict.ClientFor();

        for (var i = 0; i < 2; i++)
        {
            await client.PostAsJsonAsync("/api/v1/signups", Application("bad"));
        }

        var limited = await client.PostAsJsonAsync("/api/v1/signups", Application(AppFactory.FreshMunicipality().Code));
        await HttpAssert.ProblemAsync(limited, HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task Status_ById_NoPersonalData()
    {
        var lg = AppFactory.FreshMunicipality();
        var created = await _app.ClientFor().PostAsJsonAsync("/api/v1/signups", Application(lg.Code));

        var status = await _app.ClientFor().GetAsync(created.Headers.Location);

        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        var body = await status.Content.ReadAsStringAsync();
        Assert.Contains("Pending", body, StringComparison.Ordinal);
        Assert.DoesNotContain("joho@example.lg.jp", body, StringComparison.Ordinal);
        Assert.DoesNotContain("山田", body, StringComparison.Ordinal);
        Assert.DoesNotContain("03-1234-5678", body, StringComparison.Ordinal);
        Assert.DoesNotContain("総務部", body, StringComparison.Ordinal);
        // State and the municipality only: nothing else, so a new field cannot leak unnoticed.
        var fields = System.Text.Json.JsonDocument.Parse(body).RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
        Assert.Equal(["code", "id", "name", "state"], fields);
        await HttpAssert.ProblemAsync(await _app.ClientFor().GetAsync($"/api/v1/signups/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
    }
}
