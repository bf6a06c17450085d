using AspService.Server.Hosting;
using AspService.Server.Tenancy.Provisioning;

namespace AspService.Server.Pki;

/// <summary>Per-tenant PKI: the provider and tenant CAs, the agent listener's certificate checks, and certificate rotation.</summary>
public sealed class PkiModule : IModule
{
    public void Add(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<PkiOptions>().BindConfiguration(PkiOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddMemoryCache();
        services.AddSingleton<ProviderCa>();
        services.AddSingleton<RelayServerCertificate>();
        services.AddSingleton<TerminalVerifier>();
        services.AddSingleton<ITenantStep, CreateTenantCaStep>();
        services.AddScoped<TenantCaStore>();
        services.AddScoped<CertificateRotation>();
        services.AddSingleton<CertificateRotationMetrics>();
        services.AddSingleton<CertificateRotationJob>();
        services.AddSingleton<TenantCertificateRotationJob>();
        builder.WebHost.ConfigureKestrel(AgentListener.Configure);
    }
}
