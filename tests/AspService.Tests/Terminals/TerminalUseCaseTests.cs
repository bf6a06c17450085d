using System.Net;
using AspService.Data.Tenancy;
using AspService.Pki;
using AspService.Policy;
using AspService.Server.Audit;
using AspService.Server.Pki;
using AspService.Server.Policy;
using AspService.Server.Relay;
using AspService.Server.Sessions;
using AspService.Server.Tenancy;
using AspService.Server.Terminals;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AspService.Tests.Terminals;

/// <summary>The terminal, policy, session and relay use cases called directly, without HTTP: what jobs, the CLI and pages reuse.</summary>
public sealed class TerminalUseCaseTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    private AppFactory App => host.App;

    [Fact]
    public async Task Registry_ListCreateFindMine_AnswerOutcomesWithoutHttp()
    {
        var admin = await App.TenantAdminAsync();
        var (_, staffId) = await App.InviteAndSignInAsync(admin);
        await using var scope = Scope(admin.Tenant);
        var registry = scope.ServiceProvider.GetRequiredService<TerminalRegistry>();
        var actor = new Actor(staffId, "192.0.2.1");

        var wrongKind = await registry.ListAsync("tablet", null, null, CancellationToken.None);
        Assert.Equal("invalid-request", wrongKind.Failure!.Code);
        Assert.Contains("kind", wrongKind.Failure.Fields!.Keys);

        var created = await registry.CreateAsync(new TerminalRegistry.CreateRequest("office", "会計課 PC-01", null, null), actor, CancellationToken.None);
        var id = created.Terminal!.Id;
        Assert.Equal(id, (await registry.FindAsync(id, CancellationToken.None))!.Id);
        Assert.Single((await registry.ListAsync("office", null, "会計課", CancellationToken.None)).Value!);
        Assert.Null((await registry.AssignAsync(id, staffId, actor, CancellationToken.None)).Failure);
        Assert.Equal(id, Assert.Single((await registry.MineAsync(staffId, CancellationToken.None)).Office).Id);

        var missing = await registry.ApproveAsync(Guid.NewGuid(), actor, CancellationToken.None);
        Assert.Equal(("terminal-not-found", 404), (missing.Failure!.Code, missing.Failure.Status));
        Assert.Equal("terminal-not-pending", (await registry.ApproveAsync(id, actor, CancellationToken.None)).Failure!.Code);
    }

    [Fact]
    public async Task EnrollmentAndCrl_TokenCsrAndRevocationList_WithoutHttp()
    {
        var admin = await App.TenantAdminAsync();
        var (_, staffId) = await App.InviteAndSignInAsync(admin);
        await using var scope = Scope(admin.Tenant);
        var services = scope.ServiceProvider;
        var tokens = services.GetRequiredService<EnrollmentTokens>();
        var enrollment = services.GetRequiredService<TerminalEnrollment>();

        // The LGWAN default policy does not let staff register their own devices.
        var self = await tokens.CreateForSelfAsync(new EnrollmentTokens.SelfRequest(null, "自宅PC"), new Actor(staffId, null), CancellationToken.None);
        Assert.Equal(("self-registration-disabled", 403), (self.Failure!.Code, self.Failure.Status));

        var invalid = await enrollment.EnrollAsync(new TerminalEnrollment.EnrollRequest("not-a-token", "x", null), null, CancellationToken.None);
        Assert.Equal("enrollment-token-invalid", invalid.Failure!.Code);

        var issued = await tokens.IssueAsync(new EnrollmentTokens.CreateRequest("office", null, "総務課-09", null, null), new Actor(Guid.Empty, null), CancellationToken.None);
        var csr = TerminalKit.NewCsr(out var key);
        using (key)
        {
            var enrolled = await enrollment.EnrollAsync(new TerminalEnrollment.EnrollRequest(issued.Token!.Token, csr, null), "192.0.2.2", CancellationToken.None);
            Assert.Equal("総務課-09", enrolled.Value!.Name);
            var again = await enrollment.EnrollAsync(new TerminalEnrollment.EnrollRequest(issued.Token.Token, csr, null), null, CancellationToken.None);
            Assert.Equal(("enrollment-token-used", 409), (again.Failure!.Code, again.Failure.Status));
        }

        var crl = services.GetRequiredService<TenantCrl>();
        Assert.NotEmpty((await crl.GetAsync(null, CancellationToken.None))!);
        Assert.Null(await crl.GetAsync(Guid.NewGuid(), CancellationToken.None));
    }

    [Fact]
    public async Task SessionsPolicyAndBroker_AnswerOutcomesWithoutHttp()
    {
        var admin = await App.TenantAdminAsync();
        var (_, staffId) = await App.InviteAndSignInAsync(admin);
        await using var scope = Scope(admin.Tenant);
        var services = scope.ServiceProvider;

        var sessions = services.GetRequiredService<SessionViews>();
        Assert.Equal("invalid-request", (await sessions.ListAsync(null, "sleeping", 0, 50, CancellationToken.None)).Failure!.Code);
        Assert.Equal(0, (await sessions.ListAsync(staffId, "live", 0, 50, CancellationToken.None)).Value!.Total);
        Assert.Equal("session-not-found", (await sessions.GetAsync(Guid.NewGuid(), CancellationToken.None)).Failure!.Code);
        Assert.Empty((await sessions.MineAsync(staffId, 0, 50, CancellationToken.None)).Items);

        var policies = services.GetRequiredService<PolicyStore>();
        var stale = await policies.SaveAsync(new PolicySaveCommand(TeleworkPolicy.LgwanDefault, 5, WeakeningConfirmed: false), new Actor(Guid.Empty, null), CancellationToken.None);
        Assert.True(stale.Conflict);

        var broker = services.GetRequiredService<Broker>();
        var office = new TerminalConnection(App.Binding(admin.Tenant), Guid.NewGuid(), TerminalKind.Office, "00", PendingApproval: false);
        Assert.Equal("home-only", (await broker.CallerAsync(office, null, CancellationToken.None)).Failure!.Code);
        var home = office with { Kind = TerminalKind.Home };
        var anonymous = await broker.CallerAsync(home, "Bearer nonsense", CancellationToken.None);
        Assert.Equal(("token-invalid", 401), (anonymous.Failure!.Code, anonymous.Failure.Status));
        Assert.Equal("session-not-found", (await broker.StatusAsync(staffId, Guid.NewGuid(), CancellationToken.None)).Failure!.Code);
        var refused = await broker.RequestAsync(home, new AspService.Data.Identity.TenantUser { Id = staffId }, new Broker.SessionRequest(Guid.NewGuid()), IPAddress.Loopback, CancellationToken.None);
        Assert.Equal("terminal-not-found", refused.Failure!.Code);
        Assert.Null(refused.Offer);
    }

    [Fact]
    public async Task CertificateRotation_RunsForOneTenantWithoutTheJobRunner()
    {
        var admin = await App.TenantAdminAsync();
        await using var scope = Scope(admin.Tenant);
        var result = await scope.ServiceProvider.GetRequiredService<CertificateRotation>().RunAsync(CancellationToken.None);
        Assert.Equal(new CertificateRotationResult(0, 0, false), result);
    }

    private AsyncServiceScope Scope(TenantDto tenant)
    {
        var scope = App.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantAccessor>().Set(App.Binding(tenant));
        return scope;
    }
}

/// <summary>The typed contract of the terminal, policy, session and relay routes in /openapi/v1.json.</summary>
public sealed class TerminalContractTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    private static readonly string[] Prefixes =
    [
        "/api/v1/terminals", "/api/v1/enrollment-tokens", "/api/v1/me/terminals", "/api/v1/me/enrollment-tokens", "/api/v1/enrollments",
        "/api/v1/pki", "/api/v1/policy", "/api/v1/sessions", "/api/v1/me/sessions", "/api/v1/relay", "/api/v1/terminal",
    ];

    [Fact]
    public async Task OpenApi_EveryOwnedOperation_IsNamedWithSchemasForJsonBodiesAndAnswers()
    {
        using var document = System.Text.Json.JsonDocument.Parse(await host.App.ClientFor().GetStringAsync("/openapi/v1.json"));
        var operations = 0;
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject().Where(p => Prefixes.Any(x => p.Name.StartsWith(x, StringComparison.Ordinal))))
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "delete"))
            {
                operations++;
                var where = $"{operation.Name} {path.Name}";
                Assert.True(operation.Value.TryGetProperty("operationId", out _), where + " has no operationId");
                if (operation.Value.TryGetProperty("requestBody", out var body))
                {
                    Assert.True(body.GetProperty("content").GetProperty("application/json").TryGetProperty("schema", out _), where + " has no request schema");
                }

                foreach (var response in operation.Value.GetProperty("responses").EnumerateObject().Where(r => r.Name.StartsWith('2')))
                {
                    if (response.Value.TryGetProperty("content", out var content) && content.TryGetProperty("application/json", out var json))
                    {
                        Assert.True(json.TryGetProperty("schema", out _), where + " " + response.Name + " has no response schema");
                    }
                }
            }
        }

        Assert.True(operations >= 20, $"only {operations} operations found");
        var put = document.RootElement.GetProperty("paths").EnumerateObject().Single(p => p.Name.TrimEnd('/') == "/api/v1/policy").Value.GetProperty("put");
        Assert.True(put.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").TryGetProperty("schema", out _));
    }
}
