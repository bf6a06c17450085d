// The path of a relayed session over the public APIs, as the agents walk it (docs/relay-protocol.md), against
// containers: tenant admin and staff sign in (invitation mail, password, TOTP), an office PC and a home device
// enroll, the staff member gets a device-flow token, the office PC holds its control connection on relay node A,
// the home device asks node B for a session, is sent to node A, and pushes bytes through to an echo on the office side.
//   dotnet run --project infra/verify/CrossNode -- WEB RELAY_A RELAY_B TENANT_CODE DATA_DIR MEGABYTES
using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.Security;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AspService.Identity;

if (args.Length != 6)
{
    await Console.Error.WriteLineAsync("usage: CrossNode WEB RELAY_A RELAY_B TENANT_CODE DATA_DIR MEGABYTES");
    return 2;
}

var (web, relayA, relayB, code, data, megabytes) = (new Uri(args[0]), new Uri(args[1]), new Uri(args[2]), args[3], args[4], int.Parse(args[5], System.Globalization.CultureInfo.InvariantCulture));
using var providerCa = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(data, "pki", "provider-ca.crt"));
const string Password = "Kasumigaseki-Hikari-2026";

var admin = await SignInAsync("admin@" + code + ".lg.example");
var staffEmail = $"staff-{Guid.NewGuid():N}"[..14] + "@" + code + ".lg.example";
var invite = await admin.PostAsJsonAsync($"/t/{code}/api/v1/users", new { email = staffEmail, displayName = "山田 太郎", role = "Staff" });
var staffId = (await Ok(invite)).GetProperty("id").GetGuid();
var staff = await SignInAsync(staffEmail);

var (office, officeId) = await EnrollAsync(await TokenAsync(new { kind = "office" }));
var (home, _) = await EnrollAsync(await TokenAsync(new { kind = "home", ownerUserId = staffId }));
await Ok(await admin.PostAsJsonAsync($"/t/{code}/api/v1/terminals/{officeId}/assignments", new { userId = staffId }));
var accessToken = await DeviceTokenAsync();

// Office PC on node A: control connection, hello with every redirection off.
using var control = await ConnectAsync(relayA, office, "/api/v1/relay/control", null);
await SendJsonAsync(control, new { type = "hello", agentVersion = "verify", target = "127.0.0.1:3389", redirection = new { clipboard = false, drives = false, printers = false, ports = false } });
for (var i = 0; !(await admin.GetFromJsonAsync<JsonElement>($"/t/{code}/api/v1/terminals/{officeId}")).GetProperty("online").GetBoolean(); i++)
{
    if (i > 200)
    {
        throw new InvalidOperationException("office terminal never came online");
    }

    await Task.Delay(100);
}

// Home device asks node B.
using var homeHttp = MtlsClient(home);
using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(relayB, "/api/v1/relay/sessions")) { Content = JsonContent.Create(new { officeTerminalId = officeId }) };
request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
var offer = await Ok(await homeHttp.SendAsync(request));
var relayUrl = new Uri(offer.GetProperty("relayUrl").GetString()!);

var sessionOffer = await ReceiveJsonAsync(control);
using var officeData = await ConnectAsync(relayA, office, $"/api/v1/relay/data?session={sessionOffer.GetProperty("sessionId").GetGuid()}", null);
var echo = Task.Run(async () =>
{
    await using var stream = WebSocketStream.Create(officeData, WebSocketMessageType.Binary, TimeSpan.FromSeconds(2));
    var buffer = new byte[64 * 1024];
    int read;
    while ((read = await stream.ReadAsync(buffer)) > 0)
    {
        await stream.WriteAsync(buffer.AsMemory(0, read));
    }
});

using var homeData = await ConnectAsync(relayUrl, home, "/api/v1/relay/data", offer.GetProperty("ticket").GetString());
var watch = Stopwatch.StartNew();
await using (var stream = WebSocketStream.Create(homeData, WebSocketMessageType.Binary, TimeSpan.FromSeconds(2)))
{
    var chunk = RandomNumberGenerator.GetBytes(1024 * 1024);
    var back = new byte[chunk.Length];
    var reader = Task.Run(async () =>
    {
        for (var i = 0; i < megabytes; i++)
        {
            await stream.ReadExactlyAsync(back);
        }
    });
    for (var i = 0; i < megabytes; i++)
    {
        await stream.WriteAsync(chunk);
    }

    await reader;
    if (!back.AsSpan().SequenceEqual(chunk))
    {
        throw new InvalidOperationException("echoed bytes differ");
    }

    await homeData.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
}

var seconds = watch.Elapsed.TotalSeconds;
await echo;
Console.WriteLine(JsonSerializer.Serialize(new
{
    requestedAt = relayB.ToString(),
    pipedAt = relayUrl.ToString(),
    crossedNodes = relayUrl.Port == relayA.Port && relayA.Port != relayB.Port,
    megabytesEachWay = megabytes,
    seconds = Math.Round(seconds, 2),
    megabytesPerSecondEachWay = Math.Round(megabytes / seconds, 1),
}));
return relayUrl.Port == relayA.Port ? 0 : 1;

async Task<HttpClient> SignInAsync(string email)
{
    var client = new HttpClient(new HttpClientHandler { UseCookies = true }) { BaseAddress = web };
    var token = MailedInvitation(email);
    await Ok(await client.PostAsJsonAsync($"/t/{code}/api/v1/auth/invitation/accept", new { token, password = Password }));
    await Ok(await client.PostAsJsonAsync($"/t/{code}/api/v1/auth/login", new { email, password = Password }));
    var enroll = await Ok(await client.PostAsync($"/t/{code}/api/v1/auth/totp/enroll", null));
    var secret = Base32.Decode(enroll.GetProperty("secret").GetString()!);
    await Ok(await client.PostAsJsonAsync($"/t/{code}/api/v1/auth/totp", new { code = Totp.Compute(secret, Totp.StepAt(DateTimeOffset.UtcNow)) }));
    return client;
}

string MailedInvitation(string email)
{
    for (var attempt = 0; attempt < 300; attempt++)
    {
        foreach (var file in Directory.Exists(Path.Combine(data, "mail")) ? Directory.GetFiles(Path.Combine(data, "mail"), "*.eml") : [])
        {
            var text = File.ReadAllText(file);
            if (text.Contains("To: <" + email + ">", StringComparison.OrdinalIgnoreCase))
            {
                var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                var body = Encoding.UTF8.GetString(Convert.FromBase64String(text[(split + 4)..].Replace("\r\n", "", StringComparison.Ordinal)));
                return Regex.Match(body, @"/invitation\?token=([A-Za-z0-9_-]+)").Groups[1].Value;
            }
        }

        Thread.Sleep(100);
    }

    throw new InvalidOperationException("no invitation mail for " + email);
}

async Task<string> TokenAsync(object body) =>
    (await Ok(await admin.PostAsJsonAsync($"/t/{code}/api/v1/enrollment-tokens", body))).GetProperty("token").GetString()!;

async Task<(X509Certificate2 Certificate, Guid Id)> EnrollAsync(string token)
{
    using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    var csr = new CertificateRequest("CN=agent", key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
    using var plain = new HttpClient { BaseAddress = web };
    var answer = await Ok(await plain.PostAsJsonAsync($"/t/{code}/api/v1/enrollments", new { token, csr }));
    using var certificate = X509Certificate2.CreateFromPem(answer.GetProperty("certificatePem").GetString()!);
    using var withKey = certificate.CopyWithPrivateKey(key);
    return (X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null), answer.GetProperty("terminalId").GetGuid());
}

async Task<string> DeviceTokenAsync()
{
    using var plain = new HttpClient { BaseAddress = web };
    var codes = await Ok(await plain.PostAsync($"/t/{code}/connect/device", Form(("client_id", "aspagent"), ("scope", "openid offline_access"))));
    await Ok(await staff.PostAsync($"/t/{code}/connect/verify", Form(("user_code", codes.GetProperty("user_code").GetString()!))));
    var token = await Ok(await plain.PostAsync($"/t/{code}/connect/token", Form(("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
        ("device_code", codes.GetProperty("device_code").GetString()!), ("client_id", "aspagent"))));
    return token.GetProperty("access_token").GetString()!;
}

static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) => new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

static async Task<JsonElement> Ok(HttpResponseMessage response)
{
    var text = await response.Content.ReadAsStringAsync();
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"{(int)response.StatusCode} {response.RequestMessage?.RequestUri}: {text}");
    }

    return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
}

bool TrustsProviderCa(X509Certificate? server)
{
    using var chain = new X509Chain();
    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
    chain.ChainPolicy.CustomTrustStore.Add(providerCa);
    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
    return server is X509Certificate2 s && chain.Build(s);
}

HttpClient MtlsClient(X509Certificate2 certificate) => new(new SocketsHttpHandler
{
    SslOptions = new SslClientAuthenticationOptions
    {
        EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls13,
        ClientCertificates = [certificate],
        RemoteCertificateValidationCallback = (_, server, _, _) => TrustsProviderCa(server),
    },
});

async Task<ClientWebSocket> ConnectAsync(Uri relay, X509Certificate2 certificate, string path, string? ticket)
{
    var socket = new ClientWebSocket();
    socket.Options.ClientCertificates.Add(certificate);
    socket.Options.RemoteCertificateValidationCallback = (_, server, _, _) => TrustsProviderCa(server);
    if (ticket is not null)
    {
        socket.Options.SetRequestHeader("X-Relay-Ticket", ticket);
    }

    var parts = path.Split('?');
    await socket.ConnectAsync(new UriBuilder(relay) { Scheme = "wss", Path = parts[0], Query = parts.Length > 1 ? parts[1] : "" }.Uri, CancellationToken.None);
    return socket;
}

static Task SendJsonAsync(WebSocket socket, object message) =>
    socket.SendAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(message)), WebSocketMessageType.Text, true, CancellationToken.None);

static async Task<JsonElement> ReceiveJsonAsync(WebSocket socket)
{
    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
    var buffer = new byte[8192];
    var result = await socket.ReceiveAsync(buffer, timeout.Token);
    return JsonDocument.Parse(buffer.AsMemory(0, result.Count)).RootElement.Clone();
}
