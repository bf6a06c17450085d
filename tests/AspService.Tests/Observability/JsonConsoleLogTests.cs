using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AspService.Tests.Agent;
using AspService.Tests.Infrastructure;

namespace AspService.Tests.Observability;

/// <summary>
/// The real server executable as a process with the container image's logging settings: every console line a
/// request logs is one JSON object carrying its trace id, and a failed sign-in leaves neither the address nor
/// the password in the output. (Request lines themselves are not logged below Warning: they carry query strings.)
/// </summary>
public sealed class JsonConsoleLogTests
{
    [Fact]
    public async Task The_image_logging_settings_write_json_lines_with_trace_ids_and_no_credentials()
    {
        using var folder = new TempFolder();
        var (web, relay, metrics) = (AgentFixtures.FreePort(), AgentFixtures.FreePort(), AgentFixtures.FreePort());
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "AspService.Server.dll"));
        foreach (var (key, value) in new Dictionary<string, string>
        {
            // As in infra/Dockerfile.
            ["Logging__Console__FormatterName"] = "json",
            ["Logging__Console__FormatterOptions__IncludeScopes"] = "true",
            ["Logging__Console__FormatterOptions__UseUtcTimestamp"] = "true",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Information",
            ["Urls"] = $"http://127.0.0.1:{web}",
            ["Relay__Listen"] = $"https://127.0.0.1:{relay}",
            ["Observability__MetricsListen"] = $"http://127.0.0.1:{metrics}",
            ["Database__DataRoot"] = Path.Combine(folder.Path, "data"),
            ["Server__Roles"] = "web,relay",
        })
        {
            start.Environment[key] = value;
        }

        // An operator whose failed sign-in the service logs (a warning inside the request's scope).
        var create = new ProcessStartInfo(start.FileName) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = start.WorkingDirectory };
        foreach (var argument in start.ArgumentList.Concat(["operators", "create", "--email", "leak-check@provider.example"]))
        {
            create.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in start.Environment)
        {
            create.Environment[key] = value;
        }

        using (var command = Process.Start(create)!)
        {
            var output = command.StandardOutput.ReadToEndAsync();
            var errors = command.StandardError.ReadToEndAsync();
            await command.WaitForExitAsync();
            Assert.True(command.ExitCode == 0, await output + await errors);
        }

        var lines = new ConcurrentQueue<string>();
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lines.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lines.Enqueue(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{web}") };
            await Eventually.UntilAsync(async () =>
            {
                try
                {
                    return (await client.GetAsync("/healthz")).StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return !process.HasExited ? false : throw new InvalidOperationException("server exited: " + string.Join('\n', lines));
                }
            });
            var login = await client.PostAsJsonAsync("/api/v1/ops/auth/login", new { email = "leak-check@provider.example", password = "Never-In-Logs-4711" });
            Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
            using var scrape = new HttpClient();
            Assert.Equal(HttpStatusCode.OK, (await scrape.GetAsync($"http://127.0.0.1:{metrics}/metrics")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/metrics")).StatusCode);

            // The line the failed sign-in wrote inside the request.
            var records = await Eventually.ValueAsync(() => Task.FromResult(Parsed(lines)),
                r => r.Any(x => x.GetProperty("Message").GetString()!.Contains("sign-in failed", StringComparison.Ordinal)));
            var request = records.Where(r => r.GetProperty("Message").GetString()!.Contains("sign-in failed", StringComparison.Ordinal)).ToList();
            Assert.All(request, r => Assert.Contains(r.GetProperty("Scopes").EnumerateArray(),
                s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("TraceId", out var id) && id.GetString()!.Length == 32));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        // Only the start banner (plain text for the person at the console) is not JSON.
        Assert.All(lines.Where(l => l.StartsWith('{')), l => JsonDocument.Parse(l).Dispose());
        Assert.DoesNotContain(lines, l => l.Contains("leak-check@provider.example", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(lines, l => l.Contains("Never-In-Logs-4711", StringComparison.Ordinal));
    }

    private static List<JsonElement> Parsed(IEnumerable<string> lines) =>
        [.. lines.Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
}
