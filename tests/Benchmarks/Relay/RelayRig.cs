using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AspService.Benchmarks.Infrastructure;
using AspService.Benchmarks.Onboarding;
using AspService.Identity;

namespace AspService.Benchmarks.Relay;

/// <summary>Memory of the relay with idle office control connections.</summary>
public sealed record IdleControlFigures(int Connections, long RssBefore, long RssHalf, long RssAfter, TimeSpan ConnectTime)
{
    public double BytesPerConnection => (RssAfter - RssBefore) / (double)Connections;

    /// <summary>Over the second half only: leaves out what the first connections warm up once (pools, JIT, caches).</summary>
    public double BytesPerConnectionSecondHalf => (RssAfter - RssHalf) / (double)(Connections - (Connections / 2));
}

/// <summary>
/// The real server (roles web, relay, jobs; SQLite) as its own process, with one tenant set up the way people would
/// through its HTTP API: operator onboards it, the admin accepts the mailed invitation and enrolls TOTP, sets a
/// policy that allows the benchmark at any hour, invites staff, enrolls an office PC and one home device per staff
/// member, assigns the office PC; each staff member signs the agent in with the device flow.
/// </summary>
public sealed partial class RelayRig : IAsyncDisposable, ISetupBreakdown
{
    private const string OperatorEmail = "bench-relay@example.jp";
    private const string Password = "Kasumigaseki-Hikari-2026";

    private readonly ServerProcess _server;
    private readonly BenchWorkspace _workspace;
    private readonly HttpClient _web;
    private readonly HttpClient _admin;
    private readonly string _code;
    private readonly List<HomeStandIn> _homes = [];
    private readonly List<IDisposable> _clients = [];
    private OfficeStandIn? _office;
    private AgentTls? _tls;
    private Guid _officeId;
    private int _next = -1;
    private readonly ConcurrentQueue<(double Broker, double Connect)> _setupTimes = new();

    private RelayRig(ServerProcess server, BenchWorkspace workspace, string code)
    {
        _server = server;
        _workspace = workspace;
        _code = code;
        _web = OperatorSession.NewClient(server.BaseAddress, 4);
        _admin = OperatorSession.NewClient(server.BaseAddress, 4);
    }

    public ServerProcess Server => _server;

    /// <summary>The policy's ceiling on sessions per user: the concurrency phase needs this many staff members per ten sessions.</summary>
    public const int SessionsPerUser = 10;

    public static async Task<RelayRig> StartAsync(string serverDir, BenchWorkspace workspace, IReadOnlyDictionary<string, string> settings, int staffCount, int echoPort,
        TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(output);
        var environment = workspace.Environment("web,relay,jobs");
        environment["Database__Provider"] = "Sqlite";
        environment["Relay__Listen"] = $"https://127.0.0.1:{Ports.Free().ToString(CultureInfo.InvariantCulture)}";
        environment["Relay__ServerNames__0"] = "127.0.0.1";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        var server = await ServerProcess.StartAsync(serverDir, environment, workspace.LogFile, ct);
        var code = OnboardBenchmark.Codes(1)[0].Code;
        var rig = new RelayRig(server, workspace, code);
        try
        {
            output.WriteLine($"   relay: server pid {server.Id} at {server.BaseAddress}, agent listener {environment["Relay__Listen"]} (log: {workspace.LogFile})");
            var clock = Stopwatch.StartNew();
            await rig.SetUpAsync(serverDir, environment, staffCount, echoPort, ct);
            output.WriteLine($"   relay: tenant {code}, {staffCount} staff with a home device each, one office PC online; set up in {clock.Elapsed.TotalSeconds:0.0} s");
            return rig;
        }
        catch
        {
            await rig.DisposeAsync();
            throw;
        }
    }

    /// <summary>Opens one session as the next staff member (round robin): broker request, then the home data stream.</summary>
    public Task<Stream> OpenAsync(CancellationToken ct) => OpenAsync(tunnel: false, ct);

    /// <summary>The same through the relay's raw data tunnel, both agents (decision 0075).</summary>
    public Task<Stream> OpenTunnelAsync(CancellationToken ct) => OpenAsync(tunnel: true, ct);

    private async Task<Stream> OpenAsync(bool tunnel, CancellationToken ct)
    {
        var home = _homes[(int)((uint)Interlocked.Increment(ref _next) % (uint)_homes.Count)];
        _office!.PreferTunnel = tunnel;
        var start = Stopwatch.GetTimestamp();
        var (ticket, relayUrl, tunnelUrl) = await home.RequestSessionAsync(ct);
        var broker = Stopwatch.GetElapsedTime(start);
        if (tunnel)
        {
            var stream = await _tls!.OpenTunnelAsync(home.Certificate, tunnelUrl ?? throw new InvalidOperationException("the relay offers no tunnel"),
                "/api/v1/relay/data", ticket, ct);
            _setupTimes.Enqueue((broker.TotalMilliseconds, (Stopwatch.GetElapsedTime(start) - broker).TotalMilliseconds));
            return stream;
        }

        var socket = await _tls!.ConnectAsync(home.Certificate, relayUrl, "/api/v1/relay/data", ticket, ct);
        _setupTimes.Enqueue((broker.TotalMilliseconds, (Stopwatch.GetElapsedTime(start) - broker).TotalMilliseconds));
        // Disposing the stream closes the WebSocket (waiting up to 2 s for the relay's close), which ends the session.
        return WebSocketStream.Create(socket, WebSocketMessageType.Binary, TimeSpan.FromSeconds(2));
    }

    public void Reset() => _setupTimes.Clear();

    public async Task<string> DescribeAsync(CancellationToken ct)
    {
        var broker = _setupTimes.Select(t => t.Broker).Order().ToArray();
        var connect = _setupTimes.Select(t => t.Connect).Order().ToArray();
        var handshakes = new double[Math.Max(broker.Length, 1)];
        for (var i = 0; i < handshakes.Length; i++)
        {
            handshakes[i] = (await HandshakeAsync(ct)).TotalMilliseconds;
        }

        Array.Sort(handshakes);
        return string.Create(CultureInfo.InvariantCulture,
            $"broker request (HTTPS, mTLS + bearer) p50 {PathMeasurer.Percentile(broker, 0.5):0.0} ms, home data WebSocket connect (TLS handshake, upgrade, ticket and policy check) p50 {PathMeasurer.Percentile(connect, 0.5):0.0} ms "
            + $"(a bare TLS 1.3 handshake with the home certificate: p50 {PathMeasurer.Percentile(handshakes, 0.5):0.0} ms); the rest is the office stand-in connecting its data WebSocket, pairing and the first byte");
    }

    /// <summary>A TLS handshake with the agent listener and nothing else (no HTTP): what TLS alone costs per connection.</summary>
    private async Task<TimeSpan> HandshakeAsync(CancellationToken ct)
    {
        var home = _homes[0].Certificate;
        var start = Stopwatch.GetTimestamp();
        await using var ssl = new SslStream(new NetworkStream(await Tcp.ConnectAsync(_tls!.AgentAddress.Port, ct), ownsSocket: true));
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = _tls.AgentAddress.Host,
            EnabledSslProtocols = SslProtocols.Tls13,
            ClientCertificates = [home],
            RemoteCertificateValidationCallback = (_, presented, _, errors) => _tls.Validate(presented, errors),
        }, ct);
        return Stopwatch.GetElapsedTime(start);
    }

    /// <summary>Sessions the office stand-in failed to answer.</summary>
    public int OfficeFailures => _office?.Failures ?? 0;

    /// <summary>
    /// Enrolls <paramref name="count"/> more office PCs and holds an idle control connection for each (hello sent), then
    /// compares the server's resident memory before and after.
    /// </summary>
    public async Task<IdleControlFigures> IdleControlsAsync(int count, TimeSpan hold, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(output);
        var certificates = new X509Certificate2[count];
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct },
            async (i, token) => certificates[i] = (await EnrollAsync("office", null, $"idle-{i}", token)).Certificate);
        output.WriteLine($"   relay: enrolled {count} more office PCs in {clock.Elapsed.TotalSeconds:0.0} s");
        await Task.Delay(TimeSpan.FromSeconds(2), ct);
        var before = _server.Memory().Current;
        var offices = new OfficeStandIn[count];
        clock.Restart();
        try
        {
            async Task ConnectAsync(int from, int to) =>
                await Parallel.ForEachAsync(Enumerable.Range(from, to - from), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct },
                    async (i, token) => offices[i] = await OfficeStandIn.ConnectAsync(_tls!, certificates[i], 9, token));

            // Let the server finish the hellos (online flags, audit rows) before reading its memory.
            await ConnectAsync(0, count / 2);
            await Task.Delay(TimeSpan.FromSeconds(3), ct);
            var half = _server.Memory().Current;
            await ConnectAsync(count / 2, count);
            var connect = clock.Elapsed - TimeSpan.FromSeconds(3);
            await Task.Delay(TimeSpan.FromSeconds(3), ct);
            var figures = new IdleControlFigures(count, before, half, _server.Memory().Current, connect);
            if (hold > TimeSpan.Zero)
            {
                output.WriteLine($"   relay: holding the {count} connections for {hold.TotalSeconds:0} s (server pid {_server.Id})");
                await Task.Delay(hold, ct);
            }

            return figures;
        }
        finally
        {
            foreach (var office in offices.Where(o => o is not null))
            {
                await office.DisposeAsync();
            }

            foreach (var certificate in certificates)
            {
                certificate?.Dispose();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_office is not null)
        {
            await _office.DisposeAsync();
        }

        foreach (var client in _clients)
        {
            client.Dispose();
        }

        _web.Dispose();
        _admin.Dispose();
        await _server.DisposeAsync();
    }

    private async Task SetUpAsync(string serverDir, Dictionary<string, string> environment, int staffCount, int echoPort, CancellationToken ct)
    {
        var created = await ServerProcess.RunCommandAsync(serverDir, environment, ["operators", "create", "--email", OperatorEmail, "--admin"], ct);
        using var ops = OperatorSession.NewClient(_server.BaseAddress, 2);
        await OperatorSession.SignInAsync(ops, OperatorEmail, OperatorSession.ParsePassword(created), ct);
        var adminEmail = $"admin-{_code}@example.lg.jp";
        using (var onboard = await ops.PostAsJsonAsync("/api/v1/ops/tenants", new { code = _code, adminEmail, department = "情報政策課" }, ct))
        {
            await OperatorSession.EnsureAsync(onboard, "onboard", ct);
        }

        await WaitActiveAsync(ops, ct);
        await AcceptAndEnrollAsync(_admin, adminEmail, ct);

        // Any day and hour (the benchmark runs whenever it is started), ten sessions per user (the policy's maximum).
        using (var policy = await _admin.PutAsJsonAsync(Url("/api/v1/policy"), new
        {
            allowedWeekdays = Enum.GetNames<DayOfWeek>(),
            allowedFrom = "00:00:00",
            allowedUntil = "1.00:00:00",
            allowOnClosedDays = true,
            maxConcurrentSessionsPerUser = SessionsPerUser,
        }, ct))
        {
            await OperatorSession.EnsureAsync(policy, "policy", ct);
        }

        var (office, officeAnswer) = await EnrollAsync("office", null, "office-pc", ct);
        _officeId = officeAnswer.GetProperty("terminalId").GetGuid();
        using (var ca = X509Certificate2.CreateFromPem(officeAnswer.GetProperty("providerCaPem").GetString()))
        {
            _tls = new AgentTls(new Uri(environment["Relay__Listen"]), X509CertificateLoader.LoadCertificate(ca.RawData));
        }

        for (var i = 0; i < staffCount; i++)
        {
            _homes.Add(await StaffAsync(i, ct));
        }

        _office = await OfficeStandIn.ConnectAsync(_tls, office, echoPort, ct);
        await WaitOnlineAsync(ct);
    }

    private async Task<HomeStandIn> StaffAsync(int index, CancellationToken ct)
    {
        var email = $"staff{index.ToString(CultureInfo.InvariantCulture)}@{_code}.lg.example";
        Guid userId;
        using (var invite = await _admin.PostAsJsonAsync(Url("/api/v1/users"), new { email, displayName = "職員 " + index.ToString(CultureInfo.InvariantCulture), role = "Staff" }, ct))
        {
            await OperatorSession.EnsureAsync(invite, "invite", ct);
            userId = (await invite.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetGuid();
        }

        var staff = OperatorSession.NewClient(_server.BaseAddress, 2);
        _clients.Add(staff);
        await AcceptAndEnrollAsync(staff, email, ct);
        using (var assign = await _admin.PostAsJsonAsync(Url($"/api/v1/terminals/{_officeId}/assignments"), new { userId }, ct))
        {
            await OperatorSession.EnsureAsync(assign, "assign", ct);
        }

        var (home, _) = await EnrollAsync("home", userId, $"home-{index}", ct);
        var tokens = new DeviceTokens(_web, staff, _code);
        _clients.Add(tokens);
        await tokens.SignInAsync(ct);
        var broker = _tls!.HttpClient(home);
        _clients.Add(broker);
        return new HomeStandIn(_code, _officeId, home, broker, tokens.AccessTokenAsync);
    }

    /// <summary>Enrollment token from the admin, then a fresh P-256 key and CSR posted as the agent would.</summary>
    private async Task<(X509Certificate2 Certificate, JsonElement Answer)> EnrollAsync(string kind, Guid? ownerUserId, string name, CancellationToken ct)
    {
        string token;
        using (var issued = await _admin.PostAsJsonAsync(Url("/api/v1/enrollment-tokens"), new { kind, ownerUserId }, ct))
        {
            await OperatorSession.EnsureAsync(issued, "enrollment token", ct);
            token = (await issued.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("token").GetString()!;
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
        using var response = await _web.PostAsJsonAsync(Url("/api/v1/enrollments"), new { token, csr, name }, ct);
        await OperatorSession.EnsureAsync(response, "enrollment", ct);
        var answer = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).Clone();
        using var certificate = X509Certificate2.CreateFromPem(answer.GetProperty("certificatePem").GetString());
        using var withKey = certificate.CopyWithPrivateKey(key);
        // Through PKCS#12 so the platform's TLS stack can use the key as a client credential.
        return (X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null), answer);
    }

    /// <summary>The mailed invitation accepted with a password, then sign-in and TOTP enrollment (the client keeps the cookie).</summary>
    private async Task AcceptAndEnrollAsync(HttpClient client, string email, CancellationToken ct)
    {
        var token = InvitationToken(email);
        using (var accept = await client.PostAsJsonAsync(Url("/api/v1/auth/invitation/accept"), new { token, password = Password }, ct))
        {
            await OperatorSession.EnsureAsync(accept, "invitation/accept", ct);
        }

        using (var login = await client.PostAsJsonAsync(Url("/api/v1/auth/login"), new { email, password = Password }, ct))
        {
            await OperatorSession.EnsureAsync(login, "login", ct);
        }

        string secret;
        using (var enroll = await client.PostAsync(new Uri(Url("/api/v1/auth/totp/enroll"), UriKind.Relative), null, ct))
        {
            await OperatorSession.EnsureAsync(enroll, "totp/enroll", ct);
            secret = (await enroll.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("secret").GetString()!;
        }

        var code = Totp.Compute(Base32.Decode(secret), Totp.StepAt(DateTimeOffset.UtcNow));
        using var verify = await client.PostAsJsonAsync(Url("/api/v1/auth/totp"), new { code }, ct);
        await OperatorSession.EnsureAsync(verify, "totp", ct);
    }

    /// <summary>The invitation link's token, from the .eml file the server wrote for this address.</summary>
    private string InvitationToken(string email)
    {
        var folder = Path.Combine(_workspace.DataRoot, "mail");
        foreach (var file in Directory.GetFiles(folder, "*.eml").OrderByDescending(File.GetLastWriteTimeUtc))
        {
            var text = File.ReadAllText(file);
            if (!text.Contains("To: <" + email + ">", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var body = Encoding.UTF8.GetString(Convert.FromBase64String(text[(split + 4)..].Replace("\r\n", "", StringComparison.Ordinal)));
            var match = InvitationLink().Match(body);
            if (match.Success)
            {
                return match.Groups[1].Value;
            }
        }

        throw new InvalidOperationException($"no invitation mail to {email} in {folder}");
    }

    private async Task WaitActiveAsync(HttpClient ops, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(2))
        {
            var tenant = await ops.GetFromJsonAsync<JsonElement>($"/api/v1/ops/tenants/{_code}", ct);
            if (tenant.GetProperty("state").GetString() == "Active")
            {
                return;
            }

            await Task.Delay(200, ct);
        }

        throw new TimeoutException($"tenant {_code} not Active after 2 minutes; see {_workspace.LogFile}");
    }

    private async Task WaitOnlineAsync(CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            var terminal = await _admin.GetFromJsonAsync<JsonElement>(Url($"/api/v1/terminals/{_officeId}"), ct);
            if (terminal.GetProperty("online").GetBoolean())
            {
                return;
            }

            await Task.Delay(100, ct);
        }

        throw new TimeoutException($"office stand-in not online after 30 s; see {_workspace.LogFile}");
    }

    private string Url(string path) => $"/t/{_code}{path}";

    [GeneratedRegex(@"/invitation\?token=([A-Za-z0-9_-]+)")]
    private static partial Regex InvitationLink();
}

/// <summary>The agent's sign-in: OAuth device flow approved by the signed-in staff member; refreshed before the 10-minute access token runs out.</summary>
public sealed class DeviceTokens(HttpClient web, HttpClient staff, string code) : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private string _access = "";
    private string _refresh = "";
    private DateTime _obtained;

    public async Task SignInAsync(CancellationToken ct)
    {
        string deviceCode, userCode;
        using (var device = await web.PostAsync(new Uri($"/t/{code}/connect/device", UriKind.Relative), Form(("client_id", "aspagent"), ("scope", "openid offline_access")), ct))
        {
            await OperatorSession.EnsureAsync(device, "connect/device", ct);
            var codes = await device.Content.ReadFromJsonAsync<JsonElement>(ct);
            (deviceCode, userCode) = (codes.GetProperty("device_code").GetString()!, codes.GetProperty("user_code").GetString()!);
        }

        // As a person does it: open the approval page, then press Approve (a form POST with the page's antiforgery token).
        string antiforgery;
        using (var page = await staff.GetAsync(new Uri($"/t/{code}/connect/verify?user_code={Uri.EscapeDataString(userCode)}", UriKind.Relative), ct))
        {
            await OperatorSession.EnsureAsync(page, "connect/verify", ct);
            antiforgery = Regex.Match(await page.Content.ReadAsStringAsync(ct), "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        }

        using (var approve = await staff.PostAsync(new Uri($"/t/{code}/connect/verify?handler=Approve", UriKind.Relative),
            Form(("user_code", userCode), ("__RequestVerificationToken", antiforgery)), ct))
        {
            await OperatorSession.EnsureAsync(approve, "connect/verify", ct);
        }

        await TokenAsync(Form(("grant_type", "urn:ietf:params:oauth:grant-type:device_code"), ("device_code", deviceCode), ("client_id", "aspagent")), ct);
    }

    public async Task<string> AccessTokenAsync(CancellationToken ct)
    {
        await _lock.WaitAsync(ct);
        try
        {
            if (DateTime.UtcNow - _obtained > TimeSpan.FromMinutes(8))
            {
                await TokenAsync(Form(("grant_type", "refresh_token"), ("refresh_token", _refresh), ("client_id", "aspagent")), ct);
            }

            return _access;
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task TokenAsync(FormUrlEncodedContent form, CancellationToken ct)
    {
        using (form)
        using (var response = await web.PostAsync(new Uri($"/t/{code}/connect/token", UriKind.Relative), form, ct))
        {
            await OperatorSession.EnsureAsync(response, "connect/token", ct);
            var tokens = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            _access = tokens.GetProperty("access_token").GetString()!;
            _refresh = tokens.TryGetProperty("refresh_token", out var r) ? r.GetString()! : _refresh;
            _obtained = DateTime.UtcNow;
        }
    }

    public void Dispose() => _lock.Dispose();

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));
}
