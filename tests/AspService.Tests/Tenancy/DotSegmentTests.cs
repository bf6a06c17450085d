using System.Net.Sockets;
using System.Text;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;

namespace AspService.Tests.Tenancy;

/// <summary>
/// What really happens to <c>/t/A/../B/</c> on a real socket: Kestrel resolves the dot segments before any
/// middleware runs, so the request is one to B, and A's session is worth nothing there.
/// </summary>
public sealed class DotSegmentTests
{
    [Fact]
    public async Task DotSegmentsFromAToB_AreARequestToB_WhereAsSessionDoesNotCount()
    {
        using var app = new AppFactory(kestrel: true);
        var ops = await app.OperatorClientAsync();
        var a = await app.TenantAdminAsync(ops);
        var b = await app.TenantAdminAsync(ops);
        var cookies = string.Join("; ", a.Cookies.Values.Select(v => v.Key + "=" + v.Value));

        var tenant = await RawGetAsync(app, $"/t/{a.Tenant.Code}/../{b.Tenant.Code}/api/v1/tenant", cookies);
        var users = await RawGetAsync(app, $"/t/{a.Tenant.Code}/../{b.Tenant.Code}/api/v1/users", cookies);
        var own = await RawGetAsync(app, $"/t/{a.Tenant.Code}/api/v1/users", cookies);

        Assert.StartsWith("HTTP/1.1 200", tenant, StringComparison.Ordinal);
        Assert.Contains($"\"code\":\"{b.Tenant.Code}\"", tenant, StringComparison.Ordinal);
        Assert.DoesNotContain(a.Tenant.Code, tenant.Split("\r\n\r\n", 2)[1], StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 401", users, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200", own, StringComparison.Ordinal);
    }

    /// <summary>A request line sent byte for byte (HttpClient would resolve the dot segments itself).</summary>
    private static async Task<string> RawGetAsync(AppFactory app, string path, string cookies)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(app.WebAddress.Host, app.WebAddress.Port);
        await using var stream = tcp.GetStream();
        var request = $"GET {path} HTTP/1.1\r\nHost: {app.WebAddress.Authority}\r\nCookie: {cookies}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }
}
