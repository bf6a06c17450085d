using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AspService.Server.Tenancy;
using AspService.Tests.Fuzz;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using AspService.Tests.Relay;
using AspService.Tests.Terminals;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace AspService.Tests.Tenancy;

/// <summary>
/// Every tenant-scoped route of the running host (the endpoint data source, so a new route is covered without a new
/// test), called under tenant B with everything tenant A's people hold — the admin's and the staff member's sessions,
/// the agent's bearer token, A's object ids in the path and the body — and anonymously and as an operator; every
/// terminal route on the agent listener with A's office and home certificates and B's object ids. A route that needs a
/// signed-in person answers 401/403/404; no answer shows anything of the other tenant; A's audit log does not move.
/// </summary>
public sealed class CrossTenantMatrixTests(CrossTenantMatrixHost host, ITestOutputHelper output) : IClassFixture<CrossTenantMatrixHost>
{
    private static readonly HttpStatusCode[] Refusals = [HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden, HttpStatusCode.NotFound];

    private AppFactory App => host.App;

    [Fact]
    public async Task EveryTenantRoute_UnderTenantB_WithTenantAsCredentialsAndIds_IsRefusedAndShowsNothingOfA()
    {
        var (a, b) = (host.A, host.B);
        var routes = MatrixRoute.All(App.Services.GetRequiredService<EndpointDataSource>());
        var tenantRoutes = routes.Where(r => !r.Route.TerminalOnly).ToList();
        var auditBefore = await AuditCountAsync(a);
        var callers = new (string Who, (string, string)[] Headers)[]
        {
            ("anonymous", []),
            ("A's admin", [Cookie(a.Admin.Cookies)]),
            ("A's staff", [Cookie(a.Staff.Cookies)]),
            ("A's agent token", [("Authorization", "Bearer " + a.AccessToken)]),
            ("A's staff + token", [Cookie(a.Staff.Cookies), ("Authorization", "Bearer " + a.AccessToken)]),
            ("operator", [Cookie(host.OperatorCookies)]),
        };
        var secretsOfA = SecretsOf(a);
        using var web = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = App.WebAddress };
        var failures = new List<string>();
        var calls = 0;
        foreach (var route in tenantRoutes)
        {
            var path = b.Admin.Url(route.Path(IdsOf(a)));
            foreach (var method in route.Route.Methods)
            {
                foreach (var (who, headers) in callers)
                {
                    using var request = Request(method, path, headers, BodyWith(IdsOf(a)));
                    using var response = await web.SendAsync(request);
                    calls++;
                    failures.AddRange(Judge($"{who} {method} {path}", route, response, await response.Content.ReadAsStringAsync(), secretsOfA, b.Admin.Tenant.Code));
                }
            }
        }

        var auditAfter = await AuditCountAsync(a);

        // Terminal routes: the certificate names the tenant, so the attempt is A's certificate on B's objects. A
        // terminal may act on itself (DELETE unenrolls it: last), never on B.
        var terminalRoutes = routes.Where(r => r.Route.TerminalOnly).OrderBy(r => r.Route.Methods.Contains("DELETE")).ToList();
        var auditOfB = await AuditCountAsync(b);
        var secretsOfB = SecretsOf(b);
        foreach (var route in terminalRoutes)
        {
            var path = route.Path(IdsOf(b));
            foreach (var method in route.Route.Methods.OrderBy(m => m == "DELETE"))
            {
                foreach (var (who, certificate) in new[] { ("A's office PC", a.Office.Certificate), ("A's home PC", a.Home.Certificate) })
                {
                    using var agent = App.MtlsClient(certificate);
                    using var request = Request(method, path, [("Authorization", "Bearer " + a.AccessToken)], BodyWith(IdsOf(b)));
                    calls++;
                    HttpResponseMessage response;
                    try
                    {
                        response = await agent.SendAsync(request);
                    }
                    catch (HttpRequestException e)
                    {
                        output.WriteLine($"{who} {method} {path}: dropped ({e.InnerException?.Message})");
                        continue; // The listener hung up: a refusal, and nothing shown.
                    }

                    using var _ = response;
                    var body = await response.Content.ReadAsStringAsync();
                    var where = $"{who} {method} {path} → {(int)response.StatusCode}";
                    failures.AddRange(secretsOfB.Where(s => body.Contains(s, StringComparison.OrdinalIgnoreCase)).Select(s => $"{where} shows B's {s}"));
                    if ((int)response.StatusCode >= 500)
                    {
                        failures.Add($"{where}: server error");
                    }
                }
            }
        }

        var summary = $"cross-tenant matrix: {tenantRoutes.Count} tenant routes, {terminalRoutes.Count} terminal routes, {calls} calls, {failures.Count} failures";
        output.WriteLine(summary);
        Console.WriteLine(summary);
        Assert.True(tenantRoutes.Count >= 60 && terminalRoutes.Count >= 5, summary);
        Assert.True(failures.Count == 0, summary + "\n" + string.Join("\n", failures.Take(40)));
        Assert.True(auditBefore == auditAfter, $"A's audit log went from {auditBefore} to {auditAfter} rows under B's routes");
        Assert.Equal(auditOfB, await AuditCountAsync(b));
    }

    /// <summary>
    /// One answer against the rules: never 5xx, never A's data; a route that needs a signed-in person refuses
    /// (401/403/404), a console page may instead send the browser to B's own sign-in.
    /// </summary>
    private static IEnumerable<string> Judge(string where, MatrixRoute route, HttpResponseMessage response, string body, IReadOnlyList<string> secretsOfA, string codeOfB)
    {
        var status = (int)response.StatusCode;
        where += $" → {status}";
        foreach (var secret in secretsOfA.Where(s => body.Contains(s, StringComparison.OrdinalIgnoreCase)))
        {
            yield return $"{where} shows A's {secret}";
        }

        if (status >= 500)
        {
            yield return $"{where}: server error";
        }
        else if (route.NeedsSignIn && !Refusals.Contains(response.StatusCode))
        {
            yield return $"{where}: not refused";
        }
        else if (route.IsPage && status is >= 200 and < 300 && !route.Route.Template.Contains("sign-in", StringComparison.Ordinal)
            && !route.OpenPage)
        {
            yield return $"{where}: a page of content";
        }
        else if (response.StatusCode == HttpStatusCode.Redirect
            && response.Headers.Location?.OriginalString is { } location
            && location.Contains("/t/", StringComparison.Ordinal) && !location.Contains($"/t/{codeOfB}/", StringComparison.Ordinal))
        {
            yield return $"{where}: redirected out of B to {location}";
        }
    }

    private static HttpRequestMessage Request(string method, string path, IEnumerable<(string Name, string Value)> headers, string body)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (method is "POST" or "PUT" or "PATCH" or "DELETE")
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        return request;
    }

    /// <summary>The ids a caller of tenant <paramref name="s"/> knows, by the route parameter and body field names they fill.</summary>
    private static Dictionary<string, string> IdsOf(RelayScenario s) => new(StringComparer.OrdinalIgnoreCase)
    {
        ["id"] = s.Office.Id.ToString("D"),
        ["terminalId"] = s.Office.Id.ToString("D"),
        ["officeTerminalId"] = s.Office.Id.ToString("D"),
        ["homeTerminalId"] = s.Home.Id.ToString("D"),
        ["userId"] = s.StaffId.ToString("D"),
        ["ownerUserId"] = s.StaffId.ToString("D"),
        ["caId"] = s.Admin.Tenant.Id.ToString("D"),
        ["tenantId"] = s.Admin.Tenant.Id.ToString("D"),
        ["email"] = s.Staff.Email,
        ["month"] = "2026-11",
        ["key"] = "x",
    };

    /// <summary>A JSON body carrying those ids under the usual field names (a body that names another tenant's objects).</summary>
    private static string BodyWith(Dictionary<string, string> ids) =>
        JsonSerializer.Serialize(ids.Where(i => i.Key is not ("id" or "key" or "caId")).ToDictionary(i => i.Key, i => i.Value));

    /// <summary>What must never appear in an answer to someone outside tenant <paramref name="s"/> (ids the caller sent excepted).</summary>
    private static List<string> SecretsOf(RelayScenario s) =>
    [
        s.Admin.Email, s.Staff.Email, s.Admin.Tenant.Id.ToString("D"), s.Home.Id.ToString("D"), s.Home.Serial, s.Office.Serial,
        CrossTenantMatrixHost.OfficeName(s.Admin.Tenant.Code),
    ];

    private static (string, string) Cookie(CookieJar jar) => ("Cookie", string.Join("; ", jar.Values.Select(v => v.Key + "=" + v.Value)));

    private async Task<int> AuditCountAsync(RelayScenario s)
    {
        await using var db = App.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(App.Binding(s.Admin.Tenant));
        return await db.AuditLog.CountAsync();
    }

    /// <summary>A route of the data source with what the matrix needs to know about it.</summary>
    private sealed record MatrixRoute(FuzzRoute Route, bool NeedsSignIn, bool IsPage, bool OpenPage)
    {
        public static List<MatrixRoute> All(EndpointDataSource source) =>
        [
            .. source.Endpoints.OfType<RouteEndpoint>()
                .Where(e => e.Metadata.GetMetadata<TenantScopedAttribute>() is not null)
                .Select(e => new MatrixRoute(
                    new FuzzRoute("/" + (e.RoutePattern.RawText ?? "").TrimStart('/'),
                        e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } m ? [.. m] : ["GET", "POST"],
                        TenantScoped: true, e.Metadata.GetMetadata<Server.Pki.TerminalEndpointAttribute>() is not null),
                    e.Metadata.GetOrderedMetadata<IAuthorizeData>().Count > 0 && e.Metadata.GetMetadata<IAllowAnonymous>() is null,
                    e.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.RazorPages.CompiledPageActionDescriptor>() is not null,
                    e.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.RazorPages.CompiledPageActionDescriptor>()?.ModelTypeInfo?
                        .IsSubclassOf(typeof(Server.Consoles.TenantPageModel)) != true))
                .DistinctBy(r => (r.Route.Template, string.Join(',', r.Route.Methods)))
                .OrderBy(r => r.Route.Template, StringComparer.Ordinal),
        ];

        public string Path(Dictionary<string, string> ids) => Route.Fill((name, _) => ids.GetValueOrDefault(name, "x"));
    }
}

/// <summary>Two tenants, each with an admin, a staff member with an agent token, an office PC and a home PC; an operator.</summary>
public sealed class CrossTenantMatrixHost : IAsyncLifetime
{
    public AppFactory App { get; } = new(kestrel: true);

    public RelayScenario A { get; private set; } = null!;

    public RelayScenario B { get; private set; } = null!;

    public CookieJar OperatorCookies { get; } = new();

    public static string OfficeName(string code) => $"庁舎PC-{code}-機密";

    public async Task InitializeAsync()
    {
        A = await ScenarioAsync();
        B = await ScenarioAsync();
        using var _ = await App.OperatorClientAsync(jar: OperatorCookies);
    }

    /// <summary>The relay scenario, with the office PC renamed to a marker that must stay inside its tenant.</summary>
    private async Task<RelayScenario> ScenarioAsync()
    {
        var s = await App.ScenarioAsync();
        var rename = await s.Admin.Client.PutAsJsonAsync(s.Admin.Url($"/api/v1/terminals/{s.Office.Id}"), new { name = OfficeName(s.Admin.Tenant.Code) });
        Assert.True(rename.IsSuccessStatusCode, await rename.Content.ReadAsStringAsync());
        return s;
    }

    public Task DisposeAsync()
    {
        App.Dispose();
        return Task.CompletedTask;
    }
}
