using AspService.Server.Billing.Stripe;
using AspService.Server.Hosting;
using AspService.Server.Jobs;
using Microsoft.Extensions.Options;

namespace AspService.Server.Billing;

/// <summary>
/// Billing: plans, metering, the monthly close and corrections, usage reports, Stripe, their recurring jobs (usage
/// roll-up, monthly close with catch-up, usage reports, Stripe sync) and the operator, tenant-admin and webhook routes.
/// </summary>
public sealed class BillingModule : IModule
{
    public void Add(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<BillingOptions>().BindConfiguration(BillingOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BillingOptions>, BillingOptionsValidator>();
        services.AddScoped<PlanAdmin>();
        services.AddScoped<MonthlyClose>();
        services.AddScoped<InvoiceCorrection>();
        services.AddScoped<BillingExports>();
        services.AddScoped<TenantBilling>();
        services.AddScoped<BillingOverview>();
        services.AddSingleton<UsageRollups>();
        services.AddScoped<Metering>();
        services.AddScoped<UsageReports>();

        services.AddOptions<StripeOptions>().BindConfiguration(StripeOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StripeOptions>, StripeOptionsValidator>();
        services.AddHttpClient(StripeGateway.HttpClientName, (sp, http) =>
                http.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<StripeOptions>>().Value.TimeoutSeconds))
            .RedactLoggedHeaders(["Authorization"]);
        services.AddSingleton<StripeGateway>();
        services.AddScoped<StripeSync>();
        services.AddScoped<StripeEvents>();
        services.AddScoped<StripeSettings>();

        // A missed or failed close is caught up at every start of the jobs role (the catalog says which months are due).
        services.AddRecurringJob<MonthlyCloseJob>(RecurringJobs.MonthlyClose, o => o.MonthlyCloseCron, j => j.RunAsync(CancellationToken.None), catchUpOnStart: true);
        services.AddRecurringJob<UsageRollupJob>(RecurringJobs.UsageRollup, o => o.UsageRollupCron, j => j.RunAsync(CancellationToken.None));
        services.AddRecurringJob<UsageReportsJob>(RecurringJobs.UsageReports, o => o.UsageReportsCron, j => j.RunAsync(CancellationToken.None));
        services.AddRecurringJob<StripeSyncJob>(RecurringJobs.StripeSync, o => o.StripeSyncCron, j => j.RunAsync(CancellationToken.None));
        services.AddSingleton<UsageMeterJob>();
        services.AddSingleton<UsageReportJob>();
        services.AddSingleton<StripeSyncTenantJob>();
    }

    public void MapWeb(IEndpointRouteBuilder app) => app.MapBillingEndpoints();
}
