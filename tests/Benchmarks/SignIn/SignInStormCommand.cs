using System.Diagnostics;
using System.Globalization;
using System.Net;
using AspService.Benchmarks.Infrastructure;
using AspService.Identity;

namespace AspService.Benchmarks.SignIn;

/// <summary>
/// The load shape of a municipality's morning: N staff of one tenant sign in (password, then TOTP) from one address,
/// while a password-spraying client on the same address tries a few common passwords against many accounts.
/// Records honest sign-ins refused, spraying attempts stopped, and the honest sign-in latency (p50/p99).
/// </summary>
public static class SignInStormCommand
{
    private const string OperatorEmail = "bench-operator@example.jp";

    private static readonly string[] SprayPasswords = ["Password123!", "Tokyo2026!!", "Welcome-2026", "Aa123456789!", "Shiyakusho-2026", "Haru-2026-Sakura"];

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        if (args.Any(a => a is "--help" or "-h"))
        {
            output.WriteLine(SignInStormOptions.Usage);
            return 0;
        }

        SignInStormOptions options;
        try
        {
            options = SignInStormOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync("error: " + ex.Message);
            return 2;
        }

        using var ctrlC = new CtrlC();
        var serverDir = ServerProcess.Directory(options.ServerDirectory);
        var workspace = BenchWorkspace.Create("signin", Onboarding.BenchProvider.Sqlite, output);
        try
        {
            var staff = await SetUpAsync(options, serverDir, workspace, output, ctrlC.Token);
            await StormAsync(options, serverDir, workspace, staff, output, ctrlC.Token);
            return 0;
        }
        finally
        {
            if (!options.Keep)
            {
                Directory.Delete(workspace.Root, recursive: true);
            }
        }
    }

    /// <summary>Setup on a server with the limits lifted (not measured): tenant, admin, N enrolled staff.</summary>
    private static async Task<(string Code, List<StaffMember> Staff)> SetUpAsync(SignInStormOptions options, string serverDir, BenchWorkspace workspace, TextWriter output, CancellationToken ct)
    {
        var environment = workspace.Environment("web,jobs");
        await using var server = await ServerProcess.StartAsync(serverDir, environment, workspace.LogFile + ".setup", ct);
        var created = await ServerProcess.RunCommandAsync(serverDir, environment, ["operators", "create", "--email", OperatorEmail, "--admin"], ct);
        using var ops = OperatorSession.NewClient(server.BaseAddress, 4);
        await OperatorSession.SignInAsync(ops, OperatorEmail, OperatorSession.ParsePassword(created), ct);
        using var http = Pool(server.BaseAddress, 16);
        var clock = Stopwatch.StartNew();
        var seeded = await StaffSeeder.SeedAsync(http, ops, workspace.DataRoot, options.Staff, options.Egress, output, ct);
        output.WriteLine($"   setup: {seeded.Staff.Count} staff enrolled in {clock.Elapsed.TotalSeconds:0} s");
        return seeded;
    }

    /// <summary>The measured part, on a fresh server process with the product's own limits (plus any --set).</summary>
    private static async Task StormAsync(SignInStormOptions options, string serverDir, BenchWorkspace workspace, (string Code, List<StaffMember> Staff) seeded, TextWriter output, CancellationToken ct)
    {
        var environment = workspace.Environment("web,jobs");
        foreach (var key in environment.Keys.Where(k => k.StartsWith("RateLimits__", StringComparison.Ordinal)).ToList())
        {
            environment.Remove(key); // the shipped appsettings.json limits
        }

        foreach (var (key, value) in options.ServerSettings)
        {
            environment[key] = value;
        }

        await using var server = await ServerProcess.StartAsync(serverDir, environment, workspace.LogFile, ct);
        using var http = Pool(server.BaseAddress, options.Concurrency + options.SprayConcurrency + 2);
        // Every TOTP code of the setup is spent; sign-ins start in the next 30-second step so none is a replay.
        await Task.Delay(TimeSpan.FromSeconds(Totp.StepSeconds - (DateTimeOffset.UtcNow.ToUnixTimeSeconds() % Totp.StepSeconds) + 1), ct);

        var load = File.ReadAllText("/proc/loadavg").Split(' ')[..3];
        output.WriteLine($"   storm: {seeded.Staff.Count} staff, concurrency {options.Concurrency}, {(options.Over == TimeSpan.Zero ? "compressed" : $"spread over {options.Over.TotalSeconds:0} s")}; "
            + $"sprayer concurrency {options.SprayConcurrency}; {(options.NewBrowsers ? "new browsers" : "own browsers")}; egress {(options.Egress ? "declared" : "not declared")}; settings: {(options.ServerSettings.Count == 0 ? "shipped defaults" : string.Join(", ", options.ServerSettings.Select(s => s.Key + "=" + s.Value)))}; load average {string.Join(' ', load)}");

        var honest = new StormTally();
        var spray = new StormTally();
        using var stopSpray = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sprayer = SprayAsync(http, seeded.Code, seeded.Staff, options, spray, stopSpray.Token);
        var cpuBefore = server.CpuTime();
        var clock = Stopwatch.StartNew();
        var spacing = options.Over / Math.Max(seeded.Staff.Count, 1);
        await Parallel.ForEachAsync(seeded.Staff.Select((s, i) => (s, i)), new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = ct }, async (item, token) =>
        {
            var due = spacing * item.i - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, token);
            }

            var started = Stopwatch.GetTimestamp();
            var outcome = await SignInAsync(new Browser(http, options.NewBrowsers ? null : item.s.Cookies), seeded.Code, item.s, token);
            honest.Add(outcome, outcome == "signed in" ? Stopwatch.GetElapsedTime(started) : null);
        });
        var elapsed = clock.Elapsed;
        await stopSpray.CancelAsync();
        await sprayer;
        var cpu = server.CpuTime() - cpuBefore;
        var loadAfter = File.ReadAllText("/proc/loadavg").Split(' ')[..3];

        var refused = honest.Total - honest.Count("signed in");
        output.WriteLine($"   honest staff:   {honest.Count("signed in")}/{honest.Total} signed in in {elapsed.TotalSeconds:0.0} s; refused {refused} ({honest})");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   latency:        sign-in (password + TOTP) p50 {honest.Percentile(0.50):0} ms, p99 {honest.Percentile(0.99):0} ms"));
        output.WriteLine($"   sprayer:        {spray.Total} attempts; stopped {spray.Count("429") + spray.Count("403 locked")} (429 {spray.Count("429")}, locked {spray.Count("403 locked")}); "
            + $"password checked and wrong {spray.Count("401")}; succeeded {spray.Count("signed in")} ({spray})");
        output.WriteLine($"   server CPU:     {cpu.TotalSeconds:0.0} s over the storm; load average after {string.Join(' ', loadAfter)}; {Environment.ProcessorCount} cores");
        var date = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        output.WriteLine();
        output.WriteLine("| Date | Staff | Spread | Honest refused | Sign-in p50 / p99 | Spray attempts | Spray stopped | Load avg (before → after) |");
        output.WriteLine("|---|---:|---|---:|---:|---:|---:|---|");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {date} | {honest.Total} | {(options.Over == TimeSpan.Zero ? $"compressed ({elapsed.TotalSeconds:0} s)" : $"{options.Over.TotalSeconds:0} s")} | {refused} | {honest.Percentile(0.5):0} / {honest.Percentile(0.99):0} ms | {spray.Total} | {spray.Count("429") + spray.Count("403 locked")} | {load[0]} → {loadAfter[0]} |"));
    }

    /// <summary>Password, then the current TOTP code; the outcome names the first refusal.</summary>
    private static async Task<string> SignInAsync(Browser browser, string code, StaffMember who, CancellationToken ct)
    {
        using var login = await browser.PostJsonAsync($"/t/{code}/api/v1/auth/login", new { email = who.Email, password = who.Password }, ct);
        if (login.StatusCode != HttpStatusCode.OK)
        {
            return "login " + (int)login.StatusCode;
        }

        using var totp = await browser.PostJsonAsync($"/t/{code}/api/v1/auth/totp", new { code = Totp.Compute(who.Secret, Totp.StepAt(DateTimeOffset.UtcNow)) }, ct);
        return totp.StatusCode == HttpStatusCode.OK ? "signed in" : "totp " + (int)totp.StatusCode;
    }

    /// <summary>
    /// Password spraying from the same address: a few common passwords against every known account (and made-up ones),
    /// one password at a time across all accounts (to stay under per-account lockout), until the honest storm ends.
    /// </summary>
    private static async Task SprayAsync(HttpClient http, string code, List<StaffMember> staff, SignInStormOptions options, StormTally tally, CancellationToken ct)
    {
        if (options.SprayConcurrency == 0)
        {
            return;
        }

        var targets = staff.Select(s => s.Email).Concat(Enumerable.Range(1, staff.Count / 2).Select(i => $"user{i:D4}@{code}.lg.example")).ToList();
        var attempts = SprayPasswords.Take(options.SprayPasswords).SelectMany(p => targets.Select(t => (Email: t, Password: p)));
        try
        {
            await Parallel.ForEachAsync(attempts, new ParallelOptions { MaxDegreeOfParallelism = options.SprayConcurrency, CancellationToken = ct }, async (a, token) =>
            {
                using var response = await http.PostAsync(new Uri($"/t/{code}/api/v1/auth/login", UriKind.Relative),
                    System.Net.Http.Json.JsonContent.Create(new { email = a.Email, password = a.Password }), token);
                var body = response.StatusCode == HttpStatusCode.Forbidden ? await response.Content.ReadAsStringAsync(token) : "";
                tally.Add(response.StatusCode switch
                {
                    HttpStatusCode.OK => "signed in",
                    HttpStatusCode.Forbidden when body.Contains("locked", StringComparison.Ordinal) => "403 locked",
                    var s => ((int)s).ToString(CultureInfo.InvariantCulture),
                });
            });
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The honest storm is over.
        }
    }

    private static HttpClient Pool(Uri baseAddress, int connections) =>
        new(new SocketsHttpHandler { UseCookies = false, MaxConnectionsPerServer = connections, PooledConnectionLifetime = TimeSpan.FromMinutes(30) })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromMinutes(2),
        };
}
