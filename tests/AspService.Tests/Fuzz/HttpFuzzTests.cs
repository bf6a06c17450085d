using System.Diagnostics;
using AspService.Tests.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace AspService.Tests.Fuzz;

/// <summary>
/// Every route of the running host's endpoint data source × malformed paths, hostile headers and broken bodies, sent
/// as raw bytes over real sockets (web listener; agent listener over mTLS for terminal routes). Bounded and seeded:
/// 0 responses ≥ 500, 0 Error entries in the host's log, 0 requests without an answer within the per-request limit.
/// </summary>
[Collection(FuzzGroup.Name)]
public sealed class HttpFuzzTests(FuzzHost host, ITestOutputHelper output)
{
    /// <summary>Change to explore; a failure prints the seed and the exact target to reproduce it.</summary>
    public const int Seed = 12_2026;

    private static readonly TimeSpan PerRequest = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task EveryRoute_UnderHostilePathsHeadersAndBodies_AnswersBelow500_LogsNoError_AndNeverHangs()
    {
        var app = host.App;
        var routes = FuzzRoute.All(app.Services.GetRequiredService<EndpointDataSource>());
        var a = host.A;
        var callers = new List<FuzzIdentity>
        {
            new("anonymous", []),
            new("admin", [Cookies(a.Admin.Cookies)]),
            new("staff", [Cookies(a.Staff.Cookies)]),
            new("other-tenant-admin", [Cookies(host.OtherAdmin.Cookies)]),
            new("operator", [Cookies(host.OperatorCookies)]),
            new("bearer", [("Authorization", "Bearer " + a.AccessToken)]),
        };
        var cases = new FuzzCases(Seed, a.Admin.Tenant.Code, host.OtherAdmin.Tenant.Code, Infrastructure.AppFactory.BaseDomain,
            [a.Office.Id, a.Home.Id, a.StaffId, a.Admin.Tenant.Id], callers);
        // A few 10 MB bodies (on the first body-taking routes), not one per route: the point is the limit, not the volume.
        var bigLeft = 6;
        var requests = new List<(FuzzRoute Route, FuzzRequest Request)>();
        foreach (var route in routes)
        {
            var big = route.Methods.Any(m => m is "POST" or "PUT") && bigLeft-- > 0 ? 1 : 0;
            requests.AddRange(cases.For(route, big).Select(r => (route, r)));
        }

        var logBefore = host.Log.Errors.Count;
        var tally = new FuzzTally(KnownDefects.All);
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (item, _) =>
        {
            var (route, request) = item;
            // Terminal routes live on the agent listener only: sent there, with the office PC's certificate.
            var reply = route.TerminalOnly
                ? await AgentChannel.SendAsync(app, a.Office.Certificate, request.Head(), request.Body, PerRequest)
                : await RawHttp.SendAsync(app.WebAddress, request.Head(), request.Body, PerRequest);
            tally.Record(request, reply);
        });
        clock.Stop();

        // The server is still whole: a plain request is answered.
        var health = await RawHttp.SendAsync(app.WebAddress, RawHttp.Head("GET", "/healthz", [("Host", "localhost")]), null, PerRequest);
        Assert.Equal(200, health.Status);

        var logged = tally.Unexplained(host.Log.Errors.Skip(logBefore));
        var summary = tally.Summary("http-fuzz", Seed, routes.Count, logged.Count, clock.Elapsed);
        output.WriteLine(summary);
        Console.WriteLine(summary);
        foreach (var line in tally.ServerErrors.Concat(tally.Hangs).Concat(tally.KnownHits).Take(60))
        {
            output.WriteLine(line);
        }

        foreach (var entry in logged.Take(20))
        {
            output.WriteLine("log: " + entry);
        }

        Assert.True(routes.Count >= 100, $"only {routes.Count} routes found in the endpoint data source");
        Assert.True(tally.ServerErrors.Count == 0, summary + "\n" + string.Join("\n", tally.ServerErrors.Take(20)));
        Assert.True(tally.Hangs.Count == 0, summary + "\n" + string.Join("\n", tally.Hangs.Take(20)));
        Assert.True(logged.Count == 0, summary + "\n" + string.Join("\n", logged.Take(10)));
    }

    private static (string, string) Cookies(CookieJar jar) => ("Cookie", string.Join("; ", jar.Values.Select(v => v.Key + "=" + v.Value)));
}
