using System.Net.Http.Json;
using System.Text.Json;
using AspService.Data;
using AspService.Data.Identity;
using AspService.Data.Tenancy;
using AspService.Identity;
using AspService.Server.Tenancy;
using AspService.Server.Tenancy.Provisioning;
using AspService.Tenancy;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace AspService.Tests.Infrastructure;

/// <summary>
/// The real server host over HTTP, on real databases (SQLite files in a temp folder, or a database on the
/// test PostgreSQL cluster), with a fake clock. Intent methods keep tests short.
/// </summary>
public sealed class AppFactory : WebApplicationFactory<Program>
{
    public const string BaseDomain = "asp.test";
    public const string OperatorPassword = "Operator-Pass-1234";
    private static int _nextCode = Random.Shared.Next(0, 500);
    private readonly Dictionary<string, string?> _settings;
    private readonly bool _ownsDataRoot;
    private readonly bool _kestrel;

    public AppFactory(DatabaseProvider provider = DatabaseProvider.Sqlite, string? postgresServer = null, string? postgresCatalog = null,
        Dictionary<string, string?>? settings = null, string? dataRoot = null, bool kestrel = false)
    {
        Provider = provider;
        _ownsDataRoot = dataRoot is null;
        DataRoot = dataRoot ?? Path.Combine(Path.GetTempPath(), "aspsvc-test-" + Guid.NewGuid().ToString("N")[..10], "data");
        _settings = new Dictionary<string, string?>
        {
            ["Server:Roles"] = "web",
            ["Database:Provider"] = provider.ToString(),
            ["Database:DataRoot"] = DataRoot,
            ["Database:TenantServer"] = postgresServer,
            ["Database:Catalog"] = postgresCatalog,
            ["Tenancy:BaseDomain"] = BaseDomain,
            ["Tenancy:DecommissionRetention"] = "30.00:00:00",
            ["RateLimits:AuthPerClientPerMinute"] = "10000",
            ["RateLimits:AuthPerAccountPerMinute"] = "10000",
            ["RateLimits:SignupsPerClientPerHour"] = "10000",
            // Everything from Information up reaches the captured log (scanned for secrets at Dispose); the console stays quiet.
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:Console:LogLevel:Default"] = "Warning",
        };
        Log.Secret(OperatorPassword);
        _kestrel = kestrel;
        if (kestrel)
        {
            // Real sockets and real TLS on loopback: the web listener and the relay's agent listener (TLS 1.3 + mTLS).
            _settings["Server:Roles"] = "web,relay";
            _settings["urls"] = "http://127.0.0.1:0";
            _settings["Relay:Listen"] = "https://127.0.0.1:0";
            _settings["Relay:ServerNames:0"] = "localhost";
            _settings["Relay:ServerNames:1"] = "127.0.0.1";
            UseKestrel();
        }

        foreach (var (k, v) in settings ?? [])
        {
            _settings[k] = v;
        }
    }

    /// <summary>Kestrel hosts: the bound plain-HTTP web address (starts the server).</summary>
    public Uri WebAddress => new(BoundAddresses().First(a => a.StartsWith("http:", StringComparison.Ordinal)));

    /// <summary>Kestrel hosts: the bound agent listener address, https (starts the server).</summary>
    public Uri AgentAddress => new(BoundAddresses().First(a => a.StartsWith("https:", StringComparison.Ordinal)));

    /// <summary>Where clients send requests: the in-memory server, or the bound web address of a Kestrel host.</summary>
    public Uri ClientBaseAddress => _kestrel ? WebAddress : ClientOptions.BaseAddress;

    private ICollection<string> BoundAddresses()
    {
        StartServer();
        return Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features
            .Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses;
    }

    public DatabaseProvider Provider { get; }

    /// <summary>Every log entry of this host; tests register the secrets they create with <see cref="CapturedLog.Secret"/>.</summary>
    public CapturedLog Log { get; } = new();

    public string DataRoot { get; }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 26, 3, 0, 0, TimeSpan.Zero));

    /// <summary>A municipality code not used by any other test in this run.</summary>
    public static LocalGovernment FreshMunicipality()
    {
        var all = Municipalities.Value;
        return all[Interlocked.Increment(ref _nextCode) % all.Length];
    }

    /// <summary>Never handed out by <see cref="FreshMunicipality"/>: tests use it as a well-formed code no host has onboarded.</summary>
    public const string NeverOnboarded = "131016";

    // Without the reservation a long run's counter reached Chiyoda (131016) and "unknown tenant" tests found it onboarded.
    private static readonly Lazy<LocalGovernment[]> Municipalities = new(() =>
        [.. LocalGovernmentDirectory.Shipped.All.Where(l => l.Kind == LocalGovernmentKind.Municipality && l.Code != NeverOnboarded).OrderBy(l => l.Code)]);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (k, v) in _settings.Where(s => s.Value is not null))
        {
            builder.UseSetting(k, v);
        }

        builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Clock));
        builder.ConfigureLogging(logging => logging.AddProvider(Log));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        // The whole-suite scan: no host of any test may have logged a secret or personal datum it was given.
        var leaks = disposing ? Log.Leaks() : [];
        if (disposing && _ownsDataRoot)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(Path.GetDirectoryName(DataRoot)!, recursive: true);
            }
            catch (IOException)
            {
                // A file still open on a slow shutdown; the temp folder is cleaned by the OS.
            }
        }

        Assert.True(leaks.Count == 0, "secrets in the log:\n" + string.Join("\n", leaks.Take(5)));
    }

    public HttpClient ClientFor(string? host = null)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = ClientBaseAddress });
        if (host is not null)
        {
            client.DefaultRequestHeaders.Host = host;
        }

        return client;
    }

    /// <summary>
    /// Creates an operator and signs in over HTTP (password, TOTP enrollment with the fake clock); with a
    /// <paramref name="jar"/>, the session's cookies are kept there, where a test can replay them on other paths.
    /// </summary>
    public async Task<HttpClient> OperatorClientAsync(bool administrator = true, Identity.CookieJar? jar = null)
    {
        var email = $"op-{Guid.NewGuid():N}@provider.example";
        await CreateOperatorAsync(email, administrator);
        var client = jar is null ? ClientFor() : CreateDefaultClient(ClientBaseAddress, jar);
        var login = await client.PostAsJsonAsync("/api/v1/ops/auth/login", new { email, password = OperatorPassword });
        login.EnsureSuccessStatusCode();
        var enroll = await client.PostAsync("/api/v1/ops/auth/totp/enroll", null);
        enroll.EnsureSuccessStatusCode();
        var base32 = (await enroll.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        Log.Secret(base32);
        var secret = Base32.Decode(base32);
        var verify = await client.PostAsJsonAsync("/api/v1/ops/auth/totp", new { code = Totp.Compute(secret, Totp.StepAt(Clock.GetUtcNow())) });
        verify.EnsureSuccessStatusCode();
        return client;
    }

    public async Task<OperatorUser> CreateOperatorAsync(string email, bool administrator = true)
    {
        using var scope = Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<OperatorUser>>();
        var user = new OperatorUser
        {
            Id = Guid.NewGuid(),
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = "テスト運用者",
            IsAdministrator = administrator,
            CreatedAt = Clock.GetUtcNow(),
        };
        var result = await users.CreateAsync(user, OperatorPassword);
        Assert.True(result.Succeeded, string.Join(";", result.Errors.Select(e => e.Description)));
        return user;
    }

    /// <summary>Runs the jobs role's tenant worker once (tests run the web role only, for determinism).</summary>
    public Task<int> RunTenantWorkAsync() => Services.GetRequiredService<TenantWorker>().RunOnceAsync(CancellationToken.None);

    /// <summary>Onboards a fresh municipality through the operator API and provisions it.</summary>
    public async Task<TenantDto> OnboardTenantAsync(HttpClient operatorClient, LocalGovernment? lg = null)
    {
        lg ??= FreshMunicipality();
        var response = await operatorClient.PostAsJsonAsync("/api/v1/ops/tenants", new { code = lg.Code, adminEmail = "admin@" + lg.Code + ".lg.example" });
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        await RunTenantWorkAsync();
        var tenant = await operatorClient.GetFromJsonAsync<TenantDto>($"/api/v1/ops/tenants/{lg.Code}", Json);
        Assert.Equal(TenantState.Active, tenant!.State);
        return tenant;
    }

    public TenantBinding Binding(TenantDto tenant) => new(tenant.Id, tenant.Code, DatabaseNameOf(tenant.Id));

    public string DatabaseNameOf(Guid tenantId)
    {
        using var scope = Services.CreateScope();
        var catalog = scope.ServiceProvider.GetRequiredService<AspService.Data.Catalog.CatalogDbContext>();
        return catalog.Tenants.Single(t => t.Id == tenantId).DatabaseName;
    }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };
}
