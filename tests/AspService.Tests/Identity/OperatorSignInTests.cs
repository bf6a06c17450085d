using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AspService.Identity;
using AspService.Tests.Infrastructure;

namespace AspService.Tests.Identity;

public sealed class OperatorSignInTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    private readonly AppFactory _app = host.App;

    [Fact]
    public async Task SignIn_PasswordThenTotpEnrollment_ThenOperatorApi()
    {
        var email = $"op-{Guid.NewGuid():N}@provider.example";
        await _app.CreateOperatorAsync(email);
        var client = _app.ClientFor();

        var login = await client.PostAsJsonAsync("/api/v1/ops/auth/login", new { email, password = AppFactory.OperatorPassword });
        Assert.Equal("totp-enroll", (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("next").GetString());
        await HttpAssert.ProblemAsync(await client.GetAsync("/api/v1/ops/tenants"), HttpStatusCode.Unauthorized);

        var enroll = await (await client.PostAsync("/api/v1/ops/auth/totp/enroll", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith("otpauth://totp/", enroll.GetProperty("otpauthUri").GetString(), StringComparison.Ordinal);
        Assert.Contains("<svg", enroll.GetProperty("qrSvg").GetString(), StringComparison.Ordinal);
        var secret = Base32.Decode(enroll.GetProperty("secret").GetString()!);

        var wrong = await client.PostAsJsonAsync("/api/v1/ops/auth/totp", new { code = "000000" == Code(secret) ? "111111" : "000000" });
        await HttpAssert.ProblemAsync(wrong, HttpStatusCode.BadRequest);
        var verify = await client.PostAsJsonAsync("/api/v1/ops/auth/totp", new { code = Code(secret) });
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/ops/tenants")).StatusCode);
        Assert.Equal(email, (await client.GetFromJsonAsync<JsonElement>("/api/v1/ops/me")).GetProperty("email").GetString());

        // Second sign-in: the same code cannot be replayed; the next time step's code works.
        var second = _app.ClientFor();
        var again = await second.PostAsJsonAsync("/api/v1/ops/auth/login", new { email, password = AppFactory.OperatorPassword });
        Assert.Equal("totp", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("next").GetString());
        await HttpAssert.ProblemAsync(await second.PostAsJsonAsync("/api/v1/ops/auth/totp", new { code = Code(secret) }), HttpStatusCode.BadRequest);
        _app.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, (await second.PostAsJsonAsync("/api/v1/ops/auth/totp", new { code = Code(secret) })).StatusCode);

        await second.PostAsync("/api/v1/ops/auth/logout", null);
        await HttpAssert.ProblemAsync(await second.GetAsync("/api/v1/ops/me"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task SignIn_UnknownEmailOrWrongPassword_SameAnswer()
    {
        var email = $"op-{Guid.NewGuid():N}@provider.example";
        await _app.CreateOperatorAsync(email);

        var unknown = await _app.ClientFor().PostAsJsonAsync("/api/v1/ops/auth/login", new { email = "nobody@provider.example", password = "x" });
        var wrong = await _app.ClientFor().PostAsJsonAsync("/api/v1/ops/auth/login", new { email, password = "wrong-password-123" });

        var a = await HttpAssert.ProblemAsync(unknown, HttpStatusCode.Unauthorized);
        var b = await HttpAssert.ProblemAsync(wrong, HttpStatusCode.Unauthorized);
        Assert.Equal(a.GetProperty("title").GetString(), b.GetProperty("title").GetString());
    }

    [Fact]
    public async Task SignIn_RepeatedFailures_LockedOutEvenWithRightPassword()
    {
        var email = $"op-{Guid.NewGuid():N}@provider.example";
        await _app.CreateOperatorAsync(email);
        var client = _app.ClientFor();

        for (var i = 0; i < 5; i++)
        {
            await client.PostAsJsonAsync("/api/v1/ops/auth/login", new { email, password = "wrong-password-123" });
        }

        var right = await client.PostAsJsonAsync("/api/v1/ops/auth/login", new { email, password = AppFactory.OperatorPassword });
        await HttpAssert.ProblemAsync(right, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task SecondFactorCookie_AloneGrantsNothing()
    {
        var email = $"op-{Guid.NewGuid():N}@provider.example";
        await _app.CreateOperatorAsync(email);
        var client = _app.ClientFor();
        await client.PostAsJsonAsync("/api/v1/ops/auth/login", new { email, password = AppFactory.OperatorPassword });

        await HttpAssert.ProblemAsync(await client.GetAsync("/api/v1/ops/me"), HttpStatusCode.Unauthorized);
        await HttpAssert.ProblemAsync(await client.PostAsJsonAsync("/api/v1/ops/tenants", new { code = "131016", adminEmail = "a@b.example" }), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task TotpWithoutPasswordStep_Refused()
    {
        var response = await _app.ClientFor().PostAsJsonAsync("/api/v1/ops/auth/totp", new { code = "123456" });

        await HttpAssert.ProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task SignIn_RateLimitedPerClientAndPerAccount_429()
    {
        using var strict = new AppFactory(settings: new()
        {
            ["RateLimits:AuthPerClientPerMinute"] = "3",
            ["RateLimits:AuthPerAccountPerMinute"] = "2",
        });
        var email = $"op-{Guid.NewGuid():N}@provider.example";
        await strict.CreateOperatorAsync(email);

        // Per account: two different clients share the account's budget.
        await strict.ClientFor().PostAsJsonAsync("/api/v1/ops/auth/login", new { email, password = "wrong-password-1" });
        await strict.ClientFor().PostAsJsonAsync("/api/v1/ops/auth/login", new { email, password = "wrong-password-2" });
        var perAccount = await strict.ClientFor().PostAsJsonAsync("/api/v1/ops/auth/login", new { email = email.ToUpperInvariant(), password = "x" });
        await HttpAssert.ProblemAsync(perAccount, HttpStatusCode.TooManyRequests);

        // Per client: the fourth request of this client in the minute, whatever the account.
        var perClient = await strict.ClientFor().PostAsJsonAsync("/api/v1/ops/auth/login", new { email = "other@provider.example", password = "x" });
        await HttpAssert.ProblemAsync(perClient, HttpStatusCode.TooManyRequests);
    }

    private string Code(byte[] secret) => Totp.Compute(secret, Totp.StepAt(_app.Clock.GetUtcNow()));
}

public sealed class OperatorCommandTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    private readonly AppFactory _app = host.App;

    [Fact]
    public async Task OperatorsCreate_PrintsOneTimePassword_ThatSignsIn()
    {
        var email = $"first-{Guid.NewGuid():N}@provider.example";
        var output = new StringWriter();

        var exit = await AspService.Server.Cli.ServerCommands.RunAsync(["operators", "create", "--email", email, "--admin"], _app.Services, output, new StringWriter());

        Assert.Equal(0, exit);
        var password = output.ToString().Split('\n').Single(l => l.Contains("one-time password", StringComparison.Ordinal)).Split(": ")[1].Trim();
        var login = await _app.ClientFor().PostAsJsonAsync("/api/v1/ops/auth/login", new { email, password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Theory]
    [InlineData("operators create")]
    [InlineData("operators create --email not-an-address")]
    [InlineData("operators delete")]
    public async Task OperatorsCommand_BadArguments_OneLineErrorExit2(string commandLine)
    {
        var args = commandLine.Split(' ');
        var error = new StringWriter();

        var exit = await AspService.Server.Cli.ServerCommands.RunAsync(args, _app.Services, new StringWriter(), error);

        Assert.Equal(2, exit);
        Assert.Single(error.ToString().Trim().Split('\n'));
    }
}
