using System.Net;
using System.Security.Cryptography.X509Certificates;
using AspService.Server.Pki;
using AspService.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AspService.Tests.Jobs;

/// <summary>Rotation over real TLS on loopback (a Kestrel host with the agent listener), with the fake clock.</summary>
public sealed class RotationTlsTests
{
    [Fact]
    public async Task RelayCertificateSwap_OpenConnectionKeepsWorking_NewConnectionGetsNewCertificate()
    {
        using var app = new AppFactory(kestrel: true, settings: JobScenarios.Settings());
        var tenant = await app.OnboardTenantAsync(await app.OperatorClientAsync());
        var now = app.Clock.GetUtcNow();
        // Longer than the relay certificate's 60 days to renewal, so the terminal itself stays valid throughout.
        var terminal = await RotationKit.PlantAsync(app, app.Binding(tenant), now.AddMinutes(-5), now.AddDays(200));
        var firstHandshakes = new List<X509Certificate2>();
        using var open = RotationKit.KeepAliveClient(app, terminal.Certificate, firstHandshakes);
        var relay = app.Services.GetRequiredService<RelayServerCertificate>();

        Assert.Equal(HttpStatusCode.OK, (await open.GetAsync("/api/v1/terminal")).StatusCode);
        var notYet = relay.RenewIfDue();
        app.Clock.Advance(TimeSpan.FromDays(61)); // past two thirds of 90 days
        // The relay role's hourly renewal loop may get there first; either way the certificate is swapped once.
        relay.RenewIfDue();
        var again = relay.RenewIfDue();
        var stillOpen = await open.GetAsync("/api/v1/terminal");
        var secondHandshakes = new List<X509Certificate2>();
        using var fresh = RotationKit.KeepAliveClient(app, terminal.Certificate, secondHandshakes);
        var newConnection = await fresh.GetAsync("/api/v1/terminal");

        Assert.False(notYet);
        Assert.False(again);
        Assert.Equal(HttpStatusCode.OK, stillOpen.StatusCode);
        Assert.Single(firstHandshakes); // the same connection answered: no second handshake
        Assert.Equal(HttpStatusCode.OK, newConnection.StatusCode);
        var before = Assert.Single(firstHandshakes);
        var after = Assert.Single(secondHandshakes);
        Assert.NotEqual(before.SerialNumber, after.SerialNumber);
        Assert.Equal(relay.Current.SerialNumber, after.SerialNumber);
        Assert.True(after.NotAfter > before.NotAfter);
    }

    [Fact]
    public async Task CaRollover_OldCaAndNewCaCertificatesBothConnectThroughOverlap()
    {
        using var app = new AppFactory(kestrel: true, settings: JobScenarios.Settings());
        var tenant = await app.OnboardTenantAsync(await app.OperatorClientAsync());
        var binding = app.Binding(tenant);
        app.Clock.Advance(TimeSpan.FromDays((4 * 365) + 2));
        app.Services.GetRequiredService<RelayServerCertificate>().RenewIfDue(); // the relay's own certificate at the new date
        var now = app.Clock.GetUtcNow();
        var oldCa = await RotationKit.PlantAsync(app, binding, now.AddMinutes(-5), now.AddDays(30));

        var rolled = await RotationKit.RotateAsync(app, tenant.Id);
        var newCa = await RotationKit.PlantAsync(app, binding, now.AddMinutes(-5), now.AddDays(30));
        using var oldClient = RotationKit.KeepAliveClient(app, oldCa.Certificate, []);
        using var newClient = RotationKit.KeepAliveClient(app, newCa.Certificate, []);

        Assert.EndsWith("CA rolled over", rolled, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await oldClient.GetAsync("/api/v1/terminal")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await newClient.GetAsync("/api/v1/terminal")).StatusCode);
    }
}
