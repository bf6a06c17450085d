using AspService.Server.Pki;
using AspService.Server.Sessions;
using AspService.Server.Tenancy.Provisioning;

namespace AspService.Server.Terminals;

public static class TerminalRegistration
{
    /// <summary>Terminal registry, per-tenant PKI, the agent listener's certificate checks, and the telework policy store.</summary>
    public static WebApplicationBuilder AddTerminals(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<PkiOptions>().BindConfiguration(PkiOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RelayOptions>().BindConfiguration(RelayOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddMemoryCache();
        services.AddSingleton<ProviderCa>();
        services.AddSingleton<RelayServerCertificate>();
        services.AddSingleton<TerminalVerifier>();
        services.AddSingleton<ITenantStep, CreateTenantCaStep>();
        services.AddScoped<TenantCaStore>();
        services.AddScoped<TerminalIssuer>();
        services.AddScoped<ReportLostDevice>();
        services.AddScoped<TerminalEnrollment>();
        services.AddScoped<TerminalRegistry>();
        services.AddScoped<EnrollmentTokens>();
        services.AddScoped<TenantCrl>();
        services.AddScoped<PolicyStore>();
        services.AddScoped<SessionViews>();
        services.AddScoped<DisconnectSession>();
        services.AddScoped<SessionHistory>();
        services.AddScoped<TeleworkRecords>();
        builder.WebHost.ConfigureKestrel(AgentListener.Configure);
        return builder;
    }
}
