using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using AspService.Billing;
using AspService.Data.Terminals;
using AspService.Server.Billing;
using AspService.Server.Tenancy;
using AspService.Tenancy;
using AspService.Tests.Billing;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using AspService.Tests.Relay;
using AspService.Tests.Terminals;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace AspService.Tests.Consoles;

/// <summary>
/// One real server over Kestrel with billing configured and every list filled: a tenant with an admin, a staff member,
/// an office PC online with a live session through the real relay, finished sessions, a refused request, a home device
/// waiting for approval, usage closed into an invoice, a second plan, an application waiting; audit rows come with it.
/// </summary>
public sealed class PageWalkHost : IAsyncLifetime
{
    private ClientWebSocket? _control;
    private ClientWebSocket? _home;
    private Task? _office;

    public AppFactory App { get; } = new(kestrel: true, settings: BillingApiTests.Settings());

    public RelayScenario Tenant { get; private set; } = null!;

    /// <summary>The municipality whose application waits for review.</summary>
    public LocalGovernment Applicant { get; private set; } = null!;

    /// <summary>The operator's session cookies (signed in over the API, so they can be handed to the browser).</summary>
    public CookieJar OperatorCookies { get; } = new();

    public async Task InitializeAsync()
    {
        var ops = await App.OperatorClientAsync(jar: OperatorCookies);
        (await ops.PostAsJsonAsync("/api/v1/ops/billing/plans", new
        {
            code = "standard", name = "標準プラン", effectiveFrom = "2026-01-01", baseFee = 30000, perOfficeTerminal = 1500,
            perActiveUser = 800, includedSessionHours = 100, perExtraHour = 200,
        })).EnsureSuccessStatusCode();
        var s = Tenant = await App.ScenarioAsync();
        (await ops.PostAsJsonAsync($"/api/v1/ops/billing/tenants/{s.Admin.Tenant.Code}/plans", new { planCode = "standard", effectiveFrom = "2026-04-01" })).EnsureSuccessStatusCode();

        // Finished sessions (telework records, history, usage), a refused request, then one live session.
        var jst = TimeSpan.FromHours(9);
        await App.SeedEndedAsync(s.Admin, s.StaffId, s.Home.Id, s.Office.Id,
            (new DateTimeOffset(2026, 10, 13, 9, 0, 0, jst), new DateTimeOffset(2026, 10, 13, 17, 30, 0, jst)),
            (new DateTimeOffset(2026, 11, 10, 9, 30, 0, jst), new DateTimeOffset(2026, 11, 10, 17, 45, 0, jst)));
        _control = await s.OfficeOnlineAsync();
        (_, _home, _office) = await s.LiveAsync(_control);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await s.RequestSessionAsync()).StatusCode);

        // A second home device waiting for approval (the policy rule that leads there is another screen's business).
        using (var web = App.CreateDefaultClient(App.WebAddress))
        {
            var pending = await TerminalKit.EnrollAsync(web, s.Admin.Tenant.Code, await s.Admin.TokenAsync("home", ownerUserId: s.StaffId), "自宅PC-2");
            await using var db = App.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(App.Binding(s.Admin.Tenant));
            (await db.Terminals.FindAsync(pending.Id))!.State = TerminalState.PendingApproval;
            await db.SaveChangesAsync();
        }

        // October's usage, closed into an invoice.
        var rollups = App.Services.GetRequiredService<UsageRollups>();
        await rollups.UpsertDailyAsync(s.Admin.Tenant.Id, [new UsageRollups.Day(new DateOnly(2026, 10, 13), 1, 1, 1, 30600)], CancellationToken.None);
        await rollups.RecomputeMonthAsync(s.Admin.Tenant.Id, new BillingMonth(2026, 10), 1, CancellationToken.None);
        (await ops.PostAsJsonAsync("/api/v1/ops/billing/closes", new { month = "2026-10" })).EnsureSuccessStatusCode();

        var lg = Applicant = AppFactory.FreshMunicipality();
        (await App.ClientFor().PostAsJsonAsync("/api/v1/signups", new
        {
            code = lg.Code, department = "情報政策課", contactName = "佐藤 花子", email = "joho@" + lg.Code + ".lg.example",
            phone = "03-1234-5678", preferredStartDate = "2027-04-01",
        })).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (_home is not null)
            {
                await _home.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }

            if (_office is not null)
            {
                await _office;
            }
        }
        catch (WebSocketException)
        {
            // The relay may have ended the session first; the walk is over either way.
        }

        _home?.Dispose();

        _control?.Dispose();
        App.Dispose();
    }
}

/// <summary>
/// Walks every page each role can reach by following links, in a real browser (Debian chromium via Playwright) on a
/// 390×844 phone: from the role's home, every same-origin link on every page reached, GET only. Each page must answer
/// 200 and pass axe-core (no serious or critical violation), show no Latin-only text in Japanese mode (no Japanese in
/// English mode) and fit the phone's width. All findings are collected and reported with the pages visited.
/// </summary>
public sealed class PageWalkBrowserTests(PageWalkHost host, Chromium chromium, ITestOutputHelper output) : IClassFixture<PageWalkHost>, IClassFixture<Chromium>
{
    // Names, not labels: the product and its agent, invoice numbers (INV-00000001).
    private static readonly string[] Names = ["AspService", "aspagent", "INV"];
    private const int MaxPages = 150;
    private const int MaxVariantsPerPath = 3;

    private AppFactory App => host.App;

    private RelayScenario S => host.Tenant;

    private string Origin => App.WebAddress.ToString().TrimEnd('/');

    [Fact]
    public async Task Staff_EveryReachablePage_Accessible_JapaneseOnly_FitsPhone()
    {
        var visited = await WalkAsync(S.Staff.Cookies, S.Staff.Url("/my"), minimum: 7);
        Assert.DoesNotContain(visited, p => p.Contains("/admin", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TenantAdmin_EveryReachablePage_Accessible_JapaneseOnly_FitsPhone()
    {
        var visited = await WalkAsync(S.Admin.Cookies, S.Admin.Url("/admin"), minimum: 20);
        // Detail pages reached by links, not typed: a user, a session's disconnect confirmation.
        Assert.Contains(visited, p => p.StartsWith(S.Admin.Url("/admin/users/"), StringComparison.Ordinal) && Guid.TryParse(p.Split('/')[^1], out _));
        Assert.Contains(visited, p => p.EndsWith("/disconnect", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Operator_EveryReachablePage_Accessible_JapaneseOnly_FitsPhone()
    {
        var visited = await WalkAsync(host.OperatorCookies, "/ops", minimum: 12);
        Assert.Contains(visited, p => p.StartsWith("/ops/billing/invoices/", StringComparison.Ordinal));
        Assert.Contains(visited, p => p == $"/ops/tenants/{S.Admin.Tenant.Code}");
    }

    [Fact]
    public async Task TenantAdmin_English_EveryReachablePage_NoJapanese()
    {
        // Data, not labels, stays as entered: the municipality's name, people (the first admin is named 管理者), devices
        // (named by the server when enrolled without a name), the plan.
        var devices = new List<string>();
        foreach (var id in new[] { S.Office.Id, S.Home.Id })
        {
            devices.Add((await S.Admin.Client.GetFromJsonAsync<JsonElement>(S.Admin.Url($"/api/v1/terminals/{id}"))).GetProperty("name").GetString()!);
        }

        string[] data = [S.Admin.Tenant.Name, "山田 太郎", "管理者", "自宅PC-2", "標準プラン", .. devices];
        var visited = await WalkAsync(S.Admin.Cookies, S.Admin.Url("/admin"), minimum: 20, english: data);
        Assert.Contains(visited, p => p.StartsWith(S.Admin.Url("/my"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Operator_English_EveryReachablePage_NoJapanese()
    {
        // Data, not labels: the operator's and the applicant's names, municipalities, the plan, and the issued invoice —
        // a Japanese document (適格請求書) whose issuer, recipient (「… 御中」) and lines (description, quantity and unit,
        // as 「1 台」) are shown as issued.
        string[] data = [S.Admin.Tenant.Name + " 御中", S.Admin.Tenant.Name, host.Applicant.Name, "情報政策課", "佐藤 花子", "テスト運用者", "標準プラン",
            .. BillingApiTests.Settings().Values.OfType<string>(), "月額基本料", "庁内端末利用料", "利用者料金", "セッション超過料金（100時間超過分）",
            "1 式", "1 台", "1 人", "0 時間"];
        await WalkAsync(host.OperatorCookies, "/ops", minimum: 12, english: data);
    }

    /// <summary>
    /// Breadth-first from <paramref name="start"/> with the given session cookies; returns the paths (with query)
    /// visited. Japanese mode unless <paramref name="english"/> lists the data allowed to stay Japanese.
    /// </summary>
    private async Task<List<string>> WalkAsync(CookieJar cookies, string start, int minimum, string[]? english = null)
    {
        await using var context = await chromium.ContextAsync(locale: english is null ? "ja-JP" : "en-US");
        var jar = cookies.Values.Select(c => new Cookie { Name = c.Key, Value = c.Value, Url = App.WebAddress.ToString() }).ToList();
        if (english is not null)
        {
            jar.Add(new Cookie { Name = ".AspNetCore.Culture", Value = Uri.EscapeDataString("c=en|uic=en"), Url = App.WebAddress.ToString() });
        }

        await context.AddCookiesAsync(jar);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);

        var queue = new Queue<string>([start]);
        var seen = new HashSet<string>(StringComparer.Ordinal) { start };
        var variants = new Dictionary<string, int>(StringComparer.Ordinal);
        var visited = new List<string>();
        var problems = new List<string>();
        while (queue.Count > 0 && visited.Count < MaxPages)
        {
            var target = queue.Dequeue();
            IResponse? answer;
            try
            {
                answer = await page.GotoAsync(Origin + target);
            }
            catch (PlaywrightException e) when (e.Message.Contains("Download is starting", StringComparison.Ordinal))
            {
                continue; // a file, not a page, behind a link without the download attribute
            }

            visited.Add(target);
            if (answer?.Status != 200)
            {
                problems.Add($"{target}: {answer?.Status} (linked from a page)");
                continue;
            }

            foreach (var check in Checks(english))
            {
                try
                {
                    await check(page);
                }
                catch (Exception e) when (e is Xunit.Sdk.XunitException or PlaywrightException or TimeoutException)
                {
                    problems.Add($"{target}: {e.Message}");
                }
            }

            foreach (var link in await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('a[href]')].filter(a => !a.hasAttribute('download')).map(a => a.href)"))
            {
                if (Follow(link) is { } next && seen.Add(next))
                {
                    var path = next.Split('?')[0];
                    variants[path] = variants.GetValueOrDefault(path) + 1;
                    if (variants[path] <= MaxVariantsPerPath)
                    {
                        queue.Enqueue(next);
                    }
                }
            }
        }

        var report = $"{visited.Count} pages visited from {start}:\n  {string.Join("\n  ", visited)}";
        output.WriteLine(report);
        Assert.True(problems.Count == 0, $"{problems.Count} problems:\n{string.Join("\n", problems)}\n{report}");
        Assert.True(visited.Count >= minimum, $"fewer pages than the {minimum} expected: {report}");
        return visited;
    }

    private static IEnumerable<Func<IPage, Task>> Checks(string[]? english) =>
    [
        PageChecks.AxeAsync,
        english is null ? (IPage p) => PageChecks.NoLatinOnlyTextAsync(p, Names) : (IPage p) => PageChecks.NoJapaneseTextAsync(p, english),
        PageChecks.FitsWidthAsync,
    ];

    /// <summary>The path and query to visit for a link, or null for what a walk must not follow.</summary>
    private string? Follow(string href)
    {
        if (!Uri.TryCreate(href, UriKind.Absolute, out var uri) || !href.StartsWith(Origin + "/", StringComparison.Ordinal))
        {
            return null; // another origin, mailto:, javascript:
        }

        var path = uri.AbsolutePath;
        var target = path + uri.Query;
        string[] never =
        [
            "/sign-out", "/language", "/api/", "/assets/", "/downloads/", "export", "handler=csv", "handler=pdf", "handler=json", "format=",
        ];
        if (never.Any(n => target.Contains(n, StringComparison.OrdinalIgnoreCase))
            || Path.GetExtension(path) is ".pdf" or ".csv" or ".json" or ".zip" or ".msi" or ".deb" or ".exe" or ".tar" or ".gz"
            // Not Razor pages: a static .html page (the landing and signup pages) and Hangfire's own dashboard.
            || path.EndsWith(".html", StringComparison.Ordinal)
            || path.StartsWith("/ops/jobs", StringComparison.Ordinal))
        {
            return null;
        }

        return target;
    }
}
